#include "analysis_session.h"

#include <limits>
#include <optional>

#include <QFile>

#include "format.h"
#include "heapscope/analysis/report_builder.h"
#include "heapscope/hprof/memory_budget.h"

namespace heapscope::gui {
namespace {

hprof::Error cancelled_error() {
  return hprof::Error{hprof::ErrorCode::kCancelled, 0, -1, "cancelled"};
}

bool is_cancelled(const hprof::Progress* progress) {
  return progress != nullptr && progress->cancelled();
}

IndexSummary summarize(const QString& path, const analysis::Heap& heap) {
  const auto& index = heap.index();
  const auto& stats = index.stats();
  IndexSummary s;
  s.path = path;
  s.file_bytes = heap.dump().file_size();
  s.format = qs(heap.dump().header().version_string);
  s.compression = QString::fromLatin1(hprof::to_string(heap.dump().compression()));
  s.objects = index.object_count();
  s.classes = index.class_count();
  s.gc_roots = index.roots().size();
  s.percent_used = stats.bytes_total ? 100.0 * static_cast<double>(stats.bytes_used) /
                                           static_cast<double>(stats.bytes_total)
                                     : 100.0;
  return s;
}

}  // namespace

hprof::Result<SessionPtr> AnalysisSession::analyze(const QString& path, hprof::Progress* progress,
                                                   const IndexedCallback& on_indexed,
                                                   size_t report_top, analysis::EdgeFilter filter) {
  std::shared_ptr<AnalysisSession> s(new AnalysisSession);
  s->path_ = path;
  analysis::HeapOptions ho;
  ho.open.progress = progress;
  ho.index.progress = progress;
  // On by default: a second open of the same dump reads the index, graph and dominator tree
  // from ~/.cache/heapscope instead of building them (hprof/cache_file.h).
  ho.cache_dir = hprof::default_cache_dir();
  // As `heapscope` does by default: the smaller of MemAvailable and the cgroup's room; tables
  // beyond it go to spill files in $TMPDIR instead of driving the desktop into swap.
  const auto budget = hprof::default_memory_budget();
  ho.memory_budget = budget.bytes;
  ho.memory_budget_source = budget.source;
  auto heap = analysis::Heap::open(QFile::encodeName(path).toStdString(), ho);
  if (!heap) return heap.error();
  if (is_cancelled(progress)) return cancelled_error();
  s->heap_ = std::make_unique<analysis::Heap>(std::move(*heap));
  s->summary_ = summarize(path, *s->heap_);
  if (on_indexed) on_indexed(s->summary_);

  analysis::EngineOptions eo;
  eo.filter = filter;
  eo.progress = progress;
  eo.memory_budget = budget.bytes;
  eo.memory_budget_source = budget.source;
  eo.cache_dir = ho.cache_dir;
  // The finalizer and timer analyzers and the shallow histogram need the graph only: they run
  // beside the (serial) dominator tree, on the other core.
  // Their results are cached too (a second open skips them).
  std::optional<analysis::MachineryReport> machinery;
  eo.alongside_dominators = [&](const analysis::Engine& e) {
    machinery = analysis::machinery_with_cache(*s->heap_, e, ho.cache_dir, progress);
    s->histogram_ = analysis::class_histogram(e.index(), analysis::HistogramSort::kShallow);
  };
  auto engine = analysis::Engine::build(*s->heap_, eo);
  if (!engine) return engine.error();
  if (is_cancelled(progress)) return cancelled_error();
  s->engine_ = std::make_unique<analysis::Engine>(std::move(*engine));

  // The full histogram first: the report takes its top rows from it (computed once).
  if (progress) progress->begin("class histogram", 0);
  analysis::add_retained(s->histogram_, *s->engine_);
  analysis::sort_histogram(s->histogram_, s->index(), analysis::HistogramSort::kRetained);
  if (is_cancelled(progress)) return cancelled_error();

  if (progress) progress->begin("analyzers", 0);
  analysis::ReportOptions ro;
  ro.dump_path = path.toStdString();
  ro.histogram = &s->histogram_;
  ro.machinery = machinery ? &*machinery : nullptr;
  ro.top = report_top;
  s->report_ =
      std::make_shared<const analysis::Report>(analysis::build_report(*s->heap_, *s->engine_, ro));
  if (is_cancelled(progress)) return cancelled_error();
  return s;
}

hprof::Result<analysis::Report> AnalysisSession::compare_report(const QString& path,
                                                                hprof::Progress* progress) {
  auto s =
      analyze(path, progress, {}, std::numeric_limits<size_t>::max(), analysis::EdgeFilter::kAll);
  if (!s) return s.error();
  return analysis::Report(*s.value()->report_);
}

hprof::Result<SessionPtr> AnalysisSession::open(const QString& path, hprof::Progress* progress,
                                                const IndexedCallback& on_indexed,
                                                const ReportedCallback& on_reported,
                                                analysis::EdgeFilter filter) {
  auto result = analyze(path, progress, on_indexed, analysis::ReportOptions{}.top, filter);
  if (!result) return result.error();
  SessionPtr s = std::move(result.value());
  if (on_reported) on_reported(s->report_);

  if (progress) progress->begin("dominator tree view", 0);
  s->children_ =
      std::make_unique<analysis::DominatorChildren>(s->engine_->tree(), s->engine_->retained());
  // The top level is shown first, and a list too long to sort within 100 ms may be expanded
  // at any time: sort those here, off the GUI thread (docs/notes/gui-latency.md). A node has
  // fewer children than objects it retains, so the retained count finds every long list.
  s->children_->of(s->engine_->tree().root());
  const auto& retained_count = s->engine_->retained().count;
  // The same lists grouped by class, for the Group by class check box.
  for (analysis::NodeIndex v : s->engine_->tree().preorder()) {
    if (retained_count[v] <= kPresortedChildren) continue;
    if (s->children_->of(v).size() > kPresortedChildren) s->child_groups(v);
    if (is_cancelled(progress)) return cancelled_error();
  }
  if (is_cancelled(progress)) return cancelled_error();
  return s;
}

const analysis::ChildGroups& AnalysisSession::child_groups(analysis::NodeIndex node) const {
  auto& slot = groups_[node];
  if (!slot) {
    slot = std::make_unique<analysis::ChildGroups>(
        analysis::group_children_by_class(index(), engine_->retained(), children_->of(node)));
  }
  return *slot;
}

QString AnalysisSession::class_name(analysis::NodeIndex node) const {
  return dump_text(engine_->class_name_of(node));
}

}  // namespace heapscope::gui
