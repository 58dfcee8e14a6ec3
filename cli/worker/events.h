// The worker's message contract (docs/pipelines.md): "dump written" events in, results and dead
// letters out. Pure functions over JSON text; no Kafka here.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace heapscope::cli::worker {

// An input event: {"id": "...", "dump": "/path/file.hprof[.gz|.zst]", ...other keys}.
struct DumpEvent {
  std::string id;
  std::string dump;
  nlohmann::ordered_json passthrough = nlohmann::ordered_json::object();  // the other keys
};

// The event in `raw`, or nullopt with `why` set when it is not a JSON object with string "id"
// and "dump" (both non-empty).
std::optional<DumpEvent> parse_event(std::string_view raw, std::string& why);

// {"id", "dump", "exit_code", "report": <the analyze JSON>, ...passthrough}
std::string result_message(const DumpEvent& e, int exit_code, const std::string& report_json);
// {"id", "dump", "exit_code", "error", ...passthrough}: the dump could not be analyzed.
std::string failure_message(const DumpEvent& e, int exit_code, const std::string& error);
// {"id": <from the event or null>, "dump": <likewise>, "exit_code": 2, "error", "raw"}: the
// event itself is malformed; `raw` is kept as text (invalid UTF-8 replaced by U+FFFD).
std::string malformed_message(std::string_view raw, const std::string& why);

}  // namespace heapscope::cli::worker
