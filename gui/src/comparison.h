// Several dumps of one application compared, as the analysis library computes it: the diff of
// the first and the last dump (report_diff.h) and, over every dump, the trend (trend.h). The GUI
// renders this; it computes no difference itself.
#pragma once

#include <QMetaType>
#include <QStringList>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "heapscope/analysis/report.h"
#include "heapscope/analysis/report_diff.h"
#include "heapscope/analysis/trend.h"

namespace heapscope::gui {

struct Comparison {
  // `reports` in any order: sorted by the dumps' own timestamps (as trend_reports sorts them);
  // the diff compares the oldest with the newest. At least two.
  static std::shared_ptr<const Comparison> make(std::vector<analysis::Report> reports,
                                                std::optional<uint64_t> heap_limit_bytes);
  // The same dumps with another heap limit (the trend's ETA), without reloading.
  std::shared_ptr<const Comparison> with_heap_limit(std::optional<uint64_t> heap_limit_bytes) const;

  std::vector<analysis::Report> reports;  // time order
  analysis::ReportDiff diff;              // oldest -> newest
  analysis::Trend trend;                  // over every dump
  QStringList paths() const;
};

using ComparisonPtr = std::shared_ptr<const Comparison>;

}  // namespace heapscope::gui

Q_DECLARE_METATYPE(heapscope::gui::ComparisonPtr)
