#include "worker.h"

#include <signal.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <new>

#include "events.h"
#include "heapscope/analysis/render.h"
#include "http_server.h"
#include "kafka_client.h"
#include "metrics.h"

namespace heapscope::cli::worker {
namespace {

// Set by SIGTERM/SIGINT: the monotonic time (ns) after which the dump in flight is abandoned.
// clock_gettime is async-signal-safe; a lock-free atomic may be written from a handler.
std::atomic<int64_t> g_deadline_ns{0};
std::atomic<int64_t> g_grace_ns{0};
static_assert(std::atomic<int64_t>::is_always_lock_free);

int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

extern "C" void on_stop_signal(int) {
  int64_t none = 0;
  g_deadline_ns.compare_exchange_strong(none, monotonic_ns() + g_grace_ns.load());
}

bool stop_requested() {
  return g_deadline_ns.load() != 0;
}
bool grace_over() {
  const int64_t d = g_deadline_ns.load();
  return d != 0 && monotonic_ns() >= d;
}

void install_signal_handlers(double grace_s) {
  g_grace_ns = static_cast<int64_t>(grace_s * 1e9);
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

Outcome outcome_for_exit_code(int rc) {
  switch (rc) {
    case kExitOk:
      return Outcome::kOk;
    case kExitFindings:
      return Outcome::kFindings;
    case kExitBadInput:
      return Outcome::kBadInput;
    case kExitMemoryBudget:
      return Outcome::kMemoryBudget;
    default:
      return Outcome::kInternal;
  }
}

uint64_t file_size(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : n;
}

struct Worker {
  const WorkerOptions& opts;
  const CommonOptions& common;
  const AnalyzeOptions& analyze;
  KafkaClient& kafka;
  WorkerMetrics& metrics;

  enum class Handled { kCommitted, kNotCommitted, kAbandoned };
  // Handles one input message: kCommitted when its output was acknowledged and its offset
  // committed; kNotCommitted when the commit failed for good (another member redoes it);
  // kAbandoned when nothing was produced or committed (shutdown).
  Handled handle(const RdKafka::Message& m) {
    const std::string raw(static_cast<const char*>(m.payload()), m.len());
    std::string why;
    const auto event = parse_event(raw, why);
    std::string topic, key, value;
    if (!event) {
      std::fprintf(stderr, "heapscope worker: %s/%d@%lld: malformed event: %s\n",
                   m.topic_name().c_str(), m.partition(), static_cast<long long>(m.offset()),
                   why.c_str());
      metrics.malformed();
      topic = opts.dead_letter_topic;
      key = m.key() ? *m.key() : std::string();
      value = malformed_message(raw, why);
    } else {
      std::fprintf(stderr, "heapscope worker: analyzing id=%s dump=%s (%s/%d@%lld)\n",
                   event->id.c_str(), event->dump.c_str(), m.topic_name().c_str(), m.partition(),
                   static_cast<long long>(m.offset()));
      CommonOptions c = common;
      c.dump_path = event->dump;
      ProgressBar progress(/*quiet=*/true);
      progress.set_cancel(grace_over);
      metrics.started();
      const auto start = std::chrono::steady_clock::now();
      // A dump that makes the analysis throw would, uncaught, kill the worker before its commit
      // and come back after every restart: it becomes a dead letter instead.
      AnalyzeResult result;
      try {
        result = analyze_dump(c, analyze, progress);
      } catch (const std::bad_alloc&) {
        result = {std::nullopt, kExitMemoryBudget, "out of memory", false};
      } catch (const std::exception& ex) {
        result = {std::nullopt, kExitInternal, std::string("internal error: ") + ex.what(), false};
      }
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (result.cancelled || grace_over()) {
        metrics.abandoned();
        std::fprintf(stderr, "heapscope worker: abandoned id=%s after %.1f s (shutting down)\n",
                     event->id.c_str(), secs);
        return Handled::kAbandoned;
      }
      key = event->id;
      int rc = result.exit_code;
      if (result.report) {
        rc = exit_code_for(*result.report, analyze.fail_on);
        topic = opts.output_topic;
        value = result_message(*event, rc, analysis::render_json(*result.report));
      } else {
        topic = opts.dead_letter_topic;
        value = failure_message(*event, rc, result.error);
      }
      metrics.finished(outcome_for_exit_code(rc), secs, file_size(event->dump),
                       result.report ? &*result.report : nullptr);
      std::fprintf(stderr, "heapscope worker: done id=%s exit_code=%d in %.2f s -> %s\n",
                   event->id.c_str(), rc, secs, topic.c_str());
    }
    if (!kafka.deliver(topic, key, value, grace_over)) {
      std::fprintf(stderr,
                   "heapscope worker: output not acknowledged before shutdown; "
                   "the event stays uncommitted\n");
      return Handled::kAbandoned;
    }
    if (!kafka.commit(m, grace_over)) {
      std::fprintf(stderr,
                   "heapscope worker: offset not committed; the event may be redone "
                   "(its output is published)\n");
      return Handled::kNotCommitted;
    }
    return Handled::kCommitted;
  }
};

}  // namespace

int run_worker(const WorkerOptions& opts, const CommonOptions& common_in,
               const AnalyzeOptions& analyze) {
  install_signal_handlers(opts.grace_period_s);
  CommonOptions common = common_in;
  common.quiet = true;
  common.format = "json";
  if (common.cache_dir.empty() && !opts.no_cache) common.cache = true;
  WorkerMetrics metrics;
  std::atomic<bool> healthy{true};
  HttpServer http;
  if (opts.metrics_port >= 0) {
    std::string error;
    const bool ok = http.start(
        static_cast<uint16_t>(opts.metrics_port),
        [&](const std::string& path) -> HttpResponse {
          if (path == "/metrics") {
            return {200, "application/openmetrics-text; version=1.0.0; charset=utf-8",
                    metrics.render()};
          }
          if (path == "/healthz") {
            if (healthy) return {200, "text/plain; charset=utf-8", "ok\n"};
            return {503, "text/plain; charset=utf-8", "stopping\n"};
          }
          return {404, "text/plain; charset=utf-8", "not found\n"};
        },
        error);
    if (!ok) {
      std::fprintf(stderr, "heapscope worker: --metrics-port: %s\n", error.c_str());
      return kExitUsage;
    }
    std::fprintf(stderr, "heapscope worker: metrics on port %u\n", http.port());
  }

  std::string error;
  auto kafka = KafkaClient::create(
      {opts.brokers, opts.group_id, opts.input_topic, opts.max_poll_interval_s, opts.kafka_options},
      error);
  if (!kafka) {
    std::fprintf(stderr, "heapscope worker: %s\n", error.c_str());
    return kExitUsage;
  }
  std::fprintf(stderr, "heapscope worker: consuming %s as group %s from %s\n",
               opts.input_topic.c_str(), opts.group_id.c_str(), opts.brokers.c_str());
  Worker w{opts, common, analyze, *kafka, metrics};
  uint64_t handled = 0;
  while (!stop_requested() && (opts.max_dumps == 0 || handled < opts.max_dumps)) {
    auto m = kafka->next(std::chrono::milliseconds(200));
    if (!m) continue;
    const auto h = w.handle(*m);
    if (h == Worker::Handled::kAbandoned) break;
    if (h == Worker::Handled::kCommitted) ++handled;
  }
  healthy = false;
  std::fprintf(stderr, "heapscope worker: stopping after %llu committed events\n",
               static_cast<unsigned long long>(handled));
  kafka->close();
  http.stop();
  return kExitOk;
}

}  // namespace heapscope::cli::worker
