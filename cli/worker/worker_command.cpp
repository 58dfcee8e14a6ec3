// The command line of `heapscope worker` (docs/pipelines.md; deploy/ uses these flags).
#include <CLI/CLI.hpp>

#include "worker.h"

namespace heapscope::cli::worker {

CLI::App* add_worker_command(CLI::App& app, WorkerOptions& o) {
  auto* cmd = app.add_subcommand(
      "worker", "Analyze the dumps named by Kafka events; publish reports keyed by the event's id");
  cmd->add_option("--brokers", o.brokers, "Kafka bootstrap servers, HOST:PORT[,...]")->required();
  cmd->add_option("--input-topic", o.input_topic, "Events {\"id\", \"dump\", ...}")->required();
  cmd->add_option("--output-topic", o.output_topic,
                  "Results {\"id\", \"dump\", \"exit_code\", \"report\", ...}")
      ->required();
  cmd->add_option("--dead-letter-topic", o.dead_letter_topic,
                  "Dumps that cannot be analyzed and malformed events")
      ->required();
  cmd->add_option("--group-id", o.group_id, "Kafka consumer group")->capture_default_str();
  cmd->add_option("--metrics-port", o.metrics_port,
                  "Serve /metrics (OpenMetrics) and /healthz on this port (0 = any free port)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--max-dumps", o.max_dumps,
                  "Exit after N events were handled and committed (0 = no limit)");
  cmd->add_option("--grace-period", o.grace_period_s,
                  "Seconds after SIGTERM to finish the dump in flight before abandoning it "
                  "(uncommitted, so another worker redoes it)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--max-poll-interval", o.max_poll_interval_s,
                  "Seconds one dump may take before the group hands its partition to another "
                  "worker")
      ->capture_default_str()
      ->check(CLI::Range(10, 86400));
  cmd->add_option("-X,--kafka", o.kafka_options,
                  "A librdkafka setting KEY=VALUE for the consumer and the producer, e.g. "
                  "security.protocol=SASL_SSL (repeatable)");
  cmd->add_flag("--no-cache", o.no_cache,
                "Without --cache-dir: no on-disk cache (by default the worker keeps one in "
                "$XDG_CACHE_HOME/heapscope, so a redelivered dump is not analyzed twice)");
  return cmd;
}

}  // namespace heapscope::cli::worker
