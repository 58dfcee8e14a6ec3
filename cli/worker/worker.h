// `heapscope worker`: consumes "dump written" events from Kafka, analyzes each dump like
// `heapscope analyze --format json`, and publishes the result keyed by the event's id (or a dead
// letter). At-least-once: an input offset is committed only after its output was acknowledged.
// Contract and deployment: docs/pipelines.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../commands.h"

namespace CLI {
class App;
}

namespace heapscope::cli::worker {

struct WorkerOptions {
  std::string brokers;  // bootstrap servers, HOST:PORT[,...]
  std::string input_topic;
  std::string output_topic;
  std::string dead_letter_topic;
  std::string group_id = "heapscope";
  int metrics_port = -1;                // -1 = no HTTP server; 0 = any free port (logged)
  uint64_t max_dumps = 0;               // 0 = run until SIGTERM/SIGINT
  double grace_period_s = 25;           // after SIGTERM: finish the dump in flight within this
  uint32_t max_poll_interval_s = 1800;  // the longest one dump may take before the group moves on
  std::vector<std::string> kafka_options;  // -X key=value: librdkafka settings (SASL, TLS, ...)
  bool no_cache = false;  // without --cache-dir: the cache in the default place unless this
};

// The `worker` subcommand's own options (the analysis options are added by main.cpp).
CLI::App* add_worker_command(CLI::App& app, WorkerOptions& options);

// Runs until --max-dumps events were handled or a signal; returns an exit code (exit_codes.h).
int run_worker(const WorkerOptions& worker, const CommonOptions& common,
               const AnalyzeOptions& analyze);

}  // namespace heapscope::cli::worker
