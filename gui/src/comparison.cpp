#include "comparison.h"

#include <algorithm>

#include "format.h"

namespace heapscope::gui {

ComparisonPtr Comparison::make(std::vector<analysis::Report> reports,
                               std::optional<uint64_t> heap_limit_bytes) {
  auto c = std::make_shared<Comparison>();
  // The order trend_reports uses, so that the diff's base and new are its first and last dump.
  std::stable_sort(reports.begin(), reports.end(),
                   [](const analysis::Report& a, const analysis::Report& b) {
                     return a.dump.timestamp_ms < b.dump.timestamp_ms;
                   });
  c->reports = std::move(reports);
  if (c->reports.size() >= 2)
    c->diff = analysis::diff_reports(c->reports.front(), c->reports.back());
  c->trend = analysis::trend_reports(c->reports, heap_limit_bytes);
  return c;
}

ComparisonPtr Comparison::with_heap_limit(std::optional<uint64_t> heap_limit_bytes) const {
  auto c = std::make_shared<Comparison>(*this);
  c->trend = analysis::trend_reports(c->reports, heap_limit_bytes);
  return c;
}

QStringList Comparison::paths() const {
  QStringList out;
  for (const auto& r : reports) out << qs(r.dump.path);
  return out;
}

}  // namespace heapscope::gui
