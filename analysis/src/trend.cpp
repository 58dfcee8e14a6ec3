// trend_reports: series over Reports in time order, least-squares rates (see trend.h).
#include "heapscope/analysis/trend.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "render/format.h"

namespace heapscope::analysis {

double least_squares_slope(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = std::min(x.size(), y.size());
  if (n < 2) return 0;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxx == 0 ? 0 : sxy / sxx;
}

namespace {

constexpr double kMsPerHour = 3600.0 * 1000.0;

// metric + key -> values per dump, in the order of first appearance.
class SeriesTable {
 public:
  explicit SeriesTable(size_t dumps) : dumps_(dumps) {}
  void add(const std::string& metric, const std::string& key, size_t dump, uint64_t v) {
    auto [it, fresh] = slot_.emplace(metric + '\n' + key, series_.size());
    if (fresh) series_.push_back({metric, key, std::vector<uint64_t>(dumps_, 0), 0, {}});
    series_[it->second].values[dump] += v;
  }
  std::vector<TrendSeries> take() { return std::move(series_); }

 private:
  size_t dumps_;
  std::map<std::string, size_t> slot_;
  std::vector<TrendSeries> series_;
};

std::string queue_series_key(const TimerReport& t) {
  return t.thread_name.empty() ? t.klass : t.thread_name;
}

// The series a finding of the newest dump is about, and how its growth reads.
struct FindingSeries {
  std::string metric, key, noun;
};

std::optional<FindingSeries> series_of(const Finding& f) {
  auto text = [&](const char* k) -> std::string {
    for (const auto& e : f.evidence)
      if (e.key == k) return e.text;
    return {};
  };
  if (f.kind == "timer-cancelled-tasks" || f.kind == "executor-cancelled-tasks")
    return FindingSeries{"timer.cancelled", text("thread_name"), "cancelled tasks"};
  if (f.kind == "finalizer-backlog")
    return FindingSeries{"finalizer.pending", text("top_class"), "objects pending finalization"};
  if (f.kind == "finalizable-pileup")
    return FindingSeries{"finalizer.registered", text("class"),
                         "objects registered for finalization"};
  return std::nullopt;
}

std::string growth_sentence(const std::string& noun, double rate) {
  const double r = std::round(std::fabs(rate));
  if (r == 0) return noun + " do not grow";
  return noun + (rate >= 0 ? " grow by " : " shrink by ") +
         render::with_commas(static_cast<uint64_t>(r)) + " per hour";
}

}  // namespace

Trend trend_reports(std::vector<Report> reports, std::optional<uint64_t> heap_limit_bytes) {
  std::stable_sort(reports.begin(), reports.end(), [](const Report& a, const Report& b) {
    return a.dump.timestamp_ms < b.dump.timestamp_ms;
  });
  Trend t;
  t.heap_limit_bytes = heap_limit_bytes;
  SeriesTable table(reports.size());
  std::vector<double> hours;
  for (size_t i = 0; i < reports.size(); ++i) {
    const Report& r = reports[i];
    t.dumps.push_back({r.dump.path, r.dump.timestamp_ms, r.summary.reachable_bytes});
    // Hours since the first dump, from the integer milliseconds (exact up to the division).
    const int64_t since_first = static_cast<int64_t>(r.dump.timestamp_ms) -
                                static_cast<int64_t>(reports.front().dump.timestamp_ms);
    hours.push_back(static_cast<double>(since_first) / kMsPerHour);
    table.add("heap.reachable_bytes", "", i, r.summary.reachable_bytes);
  }
  for (size_t i = 0; i < reports.size(); ++i) {
    for (const auto& q : reports[i].timers) {
      const auto key = queue_series_key(q);
      table.add("timer.cancelled", key, i, q.tasks.cancelled);
      table.add("timer.scheduled", key, i, q.tasks.scheduled);
      table.add("timer.queue_size", key, i, q.queue_size);
      table.add("timer.held_only_bytes", key, i, q.held_only_bytes);
    }
  }
  for (size_t i = 0; i < reports.size(); ++i) {
    for (const auto& c : reports[i].finalizer.by_class) {
      table.add("finalizer.registered", c.klass, i, c.registered);
      table.add("finalizer.pending", c.klass, i, c.pending);
    }
  }
  t.series = table.take();
  for (auto& s : t.series) {
    std::vector<double> y(s.values.begin(), s.values.end());
    s.rate_per_hour = least_squares_slope(hours, y);
    if (s.metric == "heap.reachable_bytes" && heap_limit_bytes && s.rate_per_hour > 0 &&
        !s.values.empty()) {
      const double left = static_cast<double>(*heap_limit_bytes) - y.back();
      s.eta_hours = std::max(0.0, left / s.rate_per_hour);
    }
  }
  if (!reports.empty()) {
    for (const auto& f : reports.back().findings) {
      TrendFinding tf{f, {}, {}, 0, {}};
      if (auto fs = series_of(f)) {
        for (const auto& s : t.series) {
          if (s.metric != fs->metric || s.key != fs->key) continue;
          tf.metric = s.metric;
          tf.key = s.key;
          tf.rate_per_hour = s.rate_per_hour;
          tf.growth = growth_sentence(fs->noun, s.rate_per_hour);
        }
      }
      t.findings.push_back(std::move(tf));
    }
  }
  return t;
}

}  // namespace heapscope::analysis
