// One analyzed dump as the GUI holds it: the heap, the engine (graph, dominator tree, retained
// sizes), the report and the full class histogram, all computed by the analysis library.
#pragma once

#include <QMetaType>
#include <QString>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "heapscope/analysis/child_groups.h"
#include "heapscope/analysis/dominators.h"
#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/heap.h"
#include "heapscope/analysis/histogram.h"
#include "heapscope/analysis/report.h"

namespace heapscope::gui {

// What the index alone tells, published before the engine is built (staged results).
struct IndexSummary {
  QString path;
  quint64 file_bytes = 0;
  QString format;
  QString compression;
  quint64 objects = 0;
  quint64 classes = 0;
  quint64 gc_roots = 0;
  double percent_used = 100.0;
};

using ReportPtr = std::shared_ptr<const analysis::Report>;

class AnalysisSession {
 public:
  using IndexedCallback = std::function<void(const IndexSummary&)>;
  using ReportedCallback = std::function<void(const ReportPtr&)>;

  // Opens, indexes and analyzes `path` on the calling thread. `progress` (may be null) sees
  // every phase and can cancel (ErrorCode::kCancelled). Staged results, on the calling thread:
  // `on_indexed` once the index is built, before the engine; `on_reported` once the report
  // (findings) is built, before what only the dominator tree view needs. `filter` is the
  // retained-size convention (Eclipse MAT's, or strong references only), as `heapscope
  // dominators --strong-only` chooses it.
  static hprof::Result<std::shared_ptr<AnalysisSession>> open(
      const QString& path, hprof::Progress* progress = nullptr,
      const IndexedCallback& on_indexed = {}, const ReportedCallback& on_reported = {},
      analysis::EdgeFilter filter = analysis::EdgeFilter::kAll);

  // The Report of `path` with the whole class histogram (what diff and trend compare), without
  // the dominator-tree view's sorting; the same caches as open(). Any thread.
  static hprof::Result<analysis::Report> compare_report(const QString& path,
                                                        hprof::Progress* progress = nullptr);

  const QString& path() const { return path_; }
  const IndexSummary& summary() const { return summary_; }
  const hprof::Index& index() const { return heap_->index(); }
  const analysis::Engine& engine() const { return *engine_; }
  // The retained-size convention the engine was built with.
  analysis::EdgeFilter convention() const { return engine_->filter(); }
  const analysis::Report& report() const { return *report_; }
  // The same report, shared (immutable once built; handed to the GUI thread before the session).
  const ReportPtr& report_ptr() const { return report_; }
  // Every class with instances, biggest retained first.
  const std::vector<analysis::HistogramRow>& histogram() const { return histogram_; }
  // Children of dominator-tree nodes, sorted on first use: GUI thread only. Lists that may hold
  // more than kPresortedChildren nodes are sorted while loading.
  static constexpr uint32_t kPresortedChildren = 50000;
  analysis::DominatorChildren& dominator_children() const { return *children_; }
  // dominator_children().of(node) grouped by class (analysis::group_children_by_class), kept
  // once computed: GUI thread only. Lists longer than kPresortedChildren are grouped while
  // loading (2 M children take ~30 ms of CPU: docs/notes/gui-latency.md).
  const analysis::ChildGroups& child_groups(analysis::NodeIndex node) const;
  // Bytes reachable from GC roots: the 100 % of "retained %".
  uint64_t reachable_bytes() const { return report_->summary.reachable_bytes; }

  QString class_name(analysis::NodeIndex node) const;
  // The object with this id, or hprof::kNoObject.
  hprof::ObjectIndex find(uint64_t object_id) const { return index().find(object_id); }

 private:
  AnalysisSession() = default;
  // open() up to the report, whose histogram keeps `report_top` classes.
  static hprof::Result<std::shared_ptr<AnalysisSession>> analyze(const QString& path,
                                                                 hprof::Progress* progress,
                                                                 const IndexedCallback& on_indexed,
                                                                 size_t report_top,
                                                                 analysis::EdgeFilter filter);
  QString path_;
  IndexSummary summary_;
  std::unique_ptr<analysis::Heap> heap_;
  std::unique_ptr<analysis::Engine> engine_;
  ReportPtr report_;
  std::vector<analysis::HistogramRow> histogram_;
  std::unique_ptr<analysis::DominatorChildren> children_;
  mutable std::unordered_map<analysis::NodeIndex, std::unique_ptr<analysis::ChildGroups>> groups_;
};

using SessionPtr = std::shared_ptr<AnalysisSession>;

}  // namespace heapscope::gui

Q_DECLARE_METATYPE(heapscope::gui::IndexSummary)
Q_DECLARE_METATYPE(heapscope::gui::SessionPtr)
Q_DECLARE_METATYPE(heapscope::gui::ReportPtr)
