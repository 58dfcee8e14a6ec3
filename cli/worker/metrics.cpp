#include "metrics.h"

#include "heapscope/analysis/openmetrics.h"

namespace heapscope::cli::worker {

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kFindings:
      return "findings";
    case Outcome::kBadInput:
      return "bad_input";
    case Outcome::kMemoryBudget:
      return "memory_budget";
    case Outcome::kInternal:
      return "internal";
    case Outcome::kMalformed:
      return "malformed";
    case Outcome::kAbandoned:
      return "abandoned";
  }
  return "internal";
}

void WorkerMetrics::started() {
  std::lock_guard lock(mutex_);
  ++in_flight_;
}

void WorkerMetrics::abandoned() {
  std::lock_guard lock(mutex_);
  --in_flight_;
  ++outcomes_[Outcome::kAbandoned];
}

void WorkerMetrics::malformed() {
  std::lock_guard lock(mutex_);
  ++outcomes_[Outcome::kMalformed];
}

void WorkerMetrics::finished(Outcome outcome, double seconds, uint64_t dump_bytes,
                             const analysis::Report* report) {
  std::lock_guard lock(mutex_);
  --in_flight_;
  ++outcomes_[outcome];
  size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  ++buckets_[b];
  ++durations_;
  duration_sum_ += seconds;
  bytes_ += dump_bytes;
  if (report) {
    for (const auto& f : report->findings) ++findings_[{f.kind, f.severity}];
  }
}

std::string WorkerMetrics::render() const {
  using Type = analysis::OpenMetricsWriter::Type;
  std::lock_guard lock(mutex_);
  analysis::OpenMetricsWriter w;
  w.family("heapscope_worker_analyses", Type::kCounter,
           "Events handled, by outcome: ok, findings (at or above --fail-on), bad_input, "
           "memory_budget, internal, malformed (no dump named), abandoned (at shutdown)");
  for (Outcome o : {Outcome::kOk, Outcome::kFindings, Outcome::kBadInput, Outcome::kMemoryBudget,
                    Outcome::kInternal, Outcome::kMalformed, Outcome::kAbandoned}) {
    auto it = outcomes_.find(o);
    w.sample("_total", {{"outcome", to_string(o)}}, it == outcomes_.end() ? 0 : it->second);
  }
  w.family("heapscope_worker_analysis_duration_seconds", Type::kHistogram,
           "Time from opening a dump to its result", "seconds");
  uint64_t cumulative = 0;
  for (size_t b = 0; b <= kBuckets.size(); ++b) {
    cumulative += buckets_[b];
    const std::string le =
        b < kBuckets.size() ? analysis::OpenMetricsWriter::number(kBuckets[b]) : "+Inf";
    w.sample("_bucket", {{"le", le}}, cumulative);
  }
  w.sample("_count", {}, durations_);
  w.sample("_sum", {}, duration_sum_);
  w.family("heapscope_worker_analyzed_bytes", Type::kCounter,
           "Bytes of dump files analyzed (as stored, compressed or not)", "bytes");
  w.sample("_total", {}, bytes_);
  w.family("heapscope_worker_findings", Type::kCounter, "Findings reported, by kind and severity");
  for (const auto& [k, n] : findings_) {
    w.sample("_total",
             {{"kind", std::get<0>(k)}, {"severity", analysis::to_string(std::get<1>(k))}}, n);
  }
  w.family("heapscope_worker_in_flight", Type::kGauge, "Dumps being analyzed now");
  w.sample("", {}, in_flight_);
  return w.finish();
}

}  // namespace heapscope::cli::worker
