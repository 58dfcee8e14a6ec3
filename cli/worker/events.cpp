#include "events.h"

#include "../exit_codes.h"

namespace heapscope::cli::worker {
namespace {

using Json = nlohmann::ordered_json;

std::string text(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json head(const DumpEvent& e, int exit_code) {
  Json out = Json::object();
  out["id"] = e.id;
  out["dump"] = e.dump;
  out["exit_code"] = exit_code;
  return out;
}

// The passthrough keys after the worker's own; a key the worker writes is not overwritten.
void append(Json& out, const DumpEvent& e) {
  for (const auto& [k, v] : e.passthrough.items()) {
    if (!out.contains(k)) out[k] = v;
  }
}

}  // namespace

std::optional<DumpEvent> parse_event(std::string_view raw, std::string& why) {
  Json j = Json::parse(raw.begin(), raw.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    why = "the event is not JSON";
    return std::nullopt;
  }
  if (!j.is_object()) {
    why = "the event is not a JSON object";
    return std::nullopt;
  }
  for (const char* key : {"id", "dump"}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      why = std::string("the event has no \"") + key + "\" string";
      return std::nullopt;
    }
  }
  DumpEvent e;
  e.id = j["id"].get<std::string>();
  e.dump = j["dump"].get<std::string>();
  for (auto& [k, v] : j.items()) {
    if (k != "id" && k != "dump") e.passthrough[k] = v;
  }
  return e;
}

std::string result_message(const DumpEvent& e, int exit_code, const std::string& report_json) {
  Json out = head(e, exit_code);
  out["report"] = Json::parse(report_json);
  append(out, e);
  return text(out);
}

std::string failure_message(const DumpEvent& e, int exit_code, const std::string& error) {
  Json out = head(e, exit_code);
  out["error"] = error;
  append(out, e);
  return text(out);
}

std::string malformed_message(std::string_view raw, const std::string& why) {
  Json out = Json::object();
  Json j = Json::parse(raw.begin(), raw.end(), nullptr, false);
  const bool object = !j.is_discarded() && j.is_object();
  out["id"] = object && j.contains("id") ? j["id"] : Json(nullptr);
  out["dump"] = object && j.contains("dump") ? j["dump"] : Json(nullptr);
  out["exit_code"] = static_cast<int>(kExitUsage);
  out["error"] = why;
  out["raw"] = std::string(raw);
  return text(out);
}

}  // namespace heapscope::cli::worker
