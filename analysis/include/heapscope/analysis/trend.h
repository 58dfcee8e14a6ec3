// Several Reports of one JVM over time (`heapscope trend DUMP DUMP...`): the value of every
// timer/executor queue, finalizable class and the reachable heap at each dump, the growth rate
// per hour and, given the heap limit (-Xmx), when at that rate the reachable heap reaches it.
//
// Rate: the slope of the ordinary least-squares line through (dump timestamp, value) over all
// dumps (Legendre 1805; any statistics text, e.g. NIST/SEMATECH e-Handbook §4.1.4.1), in units
// per hour. Time is the dump's own header timestamp, not the file's mtime.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "heapscope/analysis/report.h"

namespace heapscope::analysis {

struct TrendDump {
  std::string path;
  uint64_t timestamp_ms = 0;
  uint64_t reachable_bytes = 0;
};

struct TrendSeries {
  std::string metric;  // timer.cancelled, timer.scheduled, timer.queue_size, timer.held_only_bytes,
                       // finalizer.registered, finalizer.pending, heap.reachable_bytes
  std::string key;     // timer thread name (its class when unnamed), class name, "" for the heap
  std::vector<uint64_t> values;  // one per dump, in time order (0 where the dump lacks it)
  double rate_per_hour = 0;
  std::optional<double> eta_hours;  // heap.reachable_bytes only, with a limit, when growing
};

// A finding of the newest dump with the growth of the series it is about.
struct TrendFinding {
  Finding finding;
  std::string metric, key;  // the series; empty when none matches
  double rate_per_hour = 0;
  std::string growth;  // "cancelled tasks grow by 41,000 per hour"; "" without a series
};

struct Trend {
  std::vector<TrendDump> dumps;  // time order
  std::vector<TrendSeries> series;
  std::optional<uint64_t> heap_limit_bytes;
  std::vector<TrendFinding> findings;  // the newest dump's
};

// The least-squares slope of y over x; 0 with fewer than two distinct x.
double least_squares_slope(const std::vector<double>& x, const std::vector<double>& y);

// `reports` in any order (sorted here by dump timestamp; ties keep the given order).
Trend trend_reports(std::vector<Report> reports, std::optional<uint64_t> heap_limit_bytes);

}  // namespace heapscope::analysis
