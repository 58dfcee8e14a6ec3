// The worker's own figures for /metrics: analyses by outcome, their duration, bytes analyzed,
// findings by kind and severity, dumps in flight. Updated by the consumer loop, read by the HTTP
// thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "heapscope/analysis/report.h"

namespace heapscope::cli::worker {

// How one event ended.
enum class Outcome { kOk, kFindings, kBadInput, kMemoryBudget, kInternal, kMalformed, kAbandoned };
const char* to_string(Outcome o);

class WorkerMetrics {
 public:
  void started();    // a dump goes in flight
  void abandoned();  // it leaves without a result (shutdown)
  void finished(Outcome outcome, double seconds, uint64_t dump_bytes,
                const analysis::Report* report);  // it leaves with a result or dead letter
  void malformed();                               // an event that named no dump
  // OpenMetrics text (ends in "# EOF").
  std::string render() const;

  // Histogram upper bounds in seconds (the last bucket is +Inf).
  static constexpr std::array<double, 11> kBuckets = {0.1, 0.25, 0.5, 1,   2.5, 5,
                                                      10,  30,   60,  120, 300};

 private:
  mutable std::mutex mutex_;
  std::map<Outcome, uint64_t> outcomes_;
  std::array<uint64_t, kBuckets.size() + 1> buckets_{};  // not cumulative; +Inf last
  uint64_t durations_ = 0;
  double duration_sum_ = 0;
  uint64_t bytes_ = 0;
  std::map<std::tuple<std::string, analysis::Severity>, uint64_t> findings_;
  uint64_t in_flight_ = 0;
};

}  // namespace heapscope::cli::worker
