// Latency of the GUI on a real dump, through its real models and views (issue 5: "expanding any
// dominator node or sorting the histogram responds in under 100 ms"; "the first findings appear
// no later than the CLI's analyze would finish"). Offscreen Qt platform; the dump is
// HEAPSCOPE_BENCH_DUMP (every benchmark is skipped with a message when it is unset). Figures and
// method: docs/notes/gui-latency.md.
//
// - OpenToFindings: MainWindow::open_dump until the findings are on screen (Loader::reported
//   handled), manual time; counter loaded_ms = until the whole session is shown.
// - DominatorExpand/*: one expansion as a view does it: rowCount() of the node (fetches and
//   sorts its children the first time), then every column of the first page and hasChildren().
//   "cold" = the first expansion of that node in the process (its children are sorted then,
//   one iteration); "warm" = a new model each iteration, the children already sorted.
//   Chain = from the top row, expand the biggest child level after level down to a leaf (time
//   per level; counters levels and max_level_ms).
// - DominatorSortChildren: the library's part of a cold expansion alone (a fresh
//   DominatorChildren each iteration, built outside the timing).
// - HistogramSort/column/order, HistogramFilter/*: HistogramView's proxy, then the first page's
//   cells as a view would paint them.
#include <benchmark/benchmark.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSortFilterProxyModel>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "analysis_session.h"
#include "dominator_model.h"
#include "findings_model.h"
#include "histogram_model.h"
#include "histogram_view.h"
#include "loader.h"
#include "main_window.h"

namespace {

using namespace heapscope;
using namespace heapscope::gui;

constexpr int kPaintedRows = 40;  // rows a tall window shows at once

QString dump_path() {
  return qEnvironmentVariable("HEAPSCOPE_BENCH_DUMP");
}

struct Loaded {
  SessionPtr session;
  std::string error;
};

// The session, loaded once on first use (on this thread, as the loader's worker would).
const Loaded& loaded() {
  static const Loaded l = [] {
    Loaded r;
    if (dump_path().isEmpty()) {
      r.error = "HEAPSCOPE_BENCH_DUMP is not set: name a heap dump (docs/notes/gui-latency.md)";
      return r;
    }
    auto session = AnalysisSession::open(dump_path());
    if (!session) {
      r.error = dump_path().toStdString() + ": " + session.error().describe();
      return r;
    }
    r.session = session.value();
    return r;
  }();
  return l;
}

bool skip_if_unavailable(benchmark::State& state) {
  if (!loaded().error.empty()) {
    state.SkipWithError(loaded().error.c_str());
    return true;
  }
  state.SetLabel(dump_path().toStdString());
  return false;
}

// What a view reads when rows appear: every cell of the first rows, and whether they expand.
void touch_rows(const QAbstractItemModel& model, const QModelIndex& parent, int rows) {
  const int n = std::min(model.rowCount(parent), rows);
  for (int r = 0; r < n; ++r) {
    for (int c = 0; c < model.columnCount(parent); ++c) {
      benchmark::DoNotOptimize(model.index(r, c, parent).data());
    }
    benchmark::DoNotOptimize(model.hasChildren(model.index(r, 0, parent)));
  }
}

// One expansion of `index` (invalid = the root level) as a tree view does it.
void expand(const DominatorModel& model, const QModelIndex& index) {
  benchmark::DoNotOptimize(model.rowCount(index));
  touch_rows(model, index, DominatorModel::kPageSize + 1);
}

// The row of `node` under `parent`, loading "N more…" pages until it shows.
QModelIndex find_row(DominatorModel& model, const QModelIndex& parent, analysis::NodeIndex node) {
  for (int r = 0; r < model.rowCount(parent); ++r) {
    const QModelIndex i = model.index(r, 0, parent);
    if (model.is_more_row(i)) {
      model.load_more(i);
      --r;  // the same row now holds the next child
      continue;
    }
    if (model.node(i) == node) return i;
  }
  return {};
}

// The non-root node with the most children in the dominator tree, and its ancestors from the top
// level down to it. `unsorted`: among the nodes whose lists are not sorted while loading (the
// slowest first expansion left).
std::vector<analysis::NodeIndex> path_to_most_children(const AnalysisSession& s,
                                                       bool unsorted = false) {
  const auto& tree = s.engine().tree();
  const auto& count = s.engine().retained().count;
  std::vector<uint32_t> kids(s.index().object_count() + 1, 0);
  for (analysis::NodeIndex v : tree.preorder()) {
    if (v == tree.root() || tree.idom(v) == tree.root()) continue;
    if (unsorted && count[tree.idom(v)] > AnalysisSession::kPresortedChildren) continue;
    ++kids[tree.idom(v)];
  }
  const auto best =
      static_cast<analysis::NodeIndex>(std::max_element(kids.begin(), kids.end()) - kids.begin());
  std::vector<analysis::NodeIndex> path;
  for (analysis::NodeIndex v = best; v != tree.root(); v = tree.idom(v)) path.push_back(v);
  std::reverse(path.begin(), path.end());
  return path;
}

// Opens the path's ancestors in `model` (outside the timing) and returns the last node's row.
QModelIndex open_path(DominatorModel& model, const std::vector<analysis::NodeIndex>& path) {
  QModelIndex at;
  for (analysis::NodeIndex v : path) at = find_row(model, at, v);
  return at;
}

void BM_OpenToFindings(benchmark::State& state) {
  if (dump_path().isEmpty()) {
    state.SkipWithError("HEAPSCOPE_BENCH_DUMP is not set");
    return;
  }
  double loaded_ms = 0;
  int64_t findings = 0;
  for (auto _ : state) {
    MainWindow window;
    QElapsedTimer clock;
    qint64 at_findings = -1, at_loaded = -1;
    QString error;
    QEventLoop loop;
    // Connected after the window's own slots: runs once the findings are on screen.
    QObject::connect(window.loader(), &Loader::reported, &loop, [&] {
      at_findings = clock.nsecsElapsed();
      findings = window.findings_model()->rowCount();
    });
    QObject::connect(&window, &MainWindow::session_loaded, &loop, [&] {
      at_loaded = clock.nsecsElapsed();
      loop.quit();
    });
    QObject::connect(&window, &MainWindow::error_reported, &loop, [&](const QString& message) {
      error = message;
      loop.quit();
    });
    clock.start();
    window.open_dump(dump_path());
    loop.exec();
    if (!error.isEmpty() || at_findings < 0) {
      state.SkipWithError(error.isEmpty() ? "no report stage" : qPrintable(error));
      return;
    }
    state.SetIterationTime(static_cast<double>(at_findings) * 1e-9);
    loaded_ms += static_cast<double>(at_loaded) * 1e-6;
  }
  state.counters["loaded_ms"] = benchmark::Counter(loaded_ms, benchmark::Counter::kAvgIterations);
  state.counters["findings"] = static_cast<double>(findings);
  state.SetLabel(dump_path().toStdString());
}

void BM_DominatorExpand_Root(benchmark::State& state) {
  if (skip_if_unavailable(state)) return;
  for (auto _ : state) {
    DominatorModel model;
    model.set_session(loaded().session);  // what the window does on load
    expand(model, {});
  }
  const auto root = loaded().session->engine().tree().root();
  state.counters["children"] =
      static_cast<double>(loaded().session->dominator_children().of(root).size());
}

// Arg: 1 = among the lists not sorted while loading.
void BM_DominatorExpand_MostChildren(benchmark::State& state) {
  if (skip_if_unavailable(state)) return;
  const auto path = path_to_most_children(*loaded().session, state.range(0) != 0);
  for (auto _ : state) {
    state.PauseTiming();
    DominatorModel model;
    model.set_session(loaded().session);
    const QModelIndex target = open_path(model, path);
    state.ResumeTiming();
    expand(model, target);
  }
  state.counters["children"] =
      static_cast<double>(loaded().session->dominator_children().of(path.back()).size());
  state.counters["depth"] = static_cast<double>(path.size());
}

// Grouped by class: a new model on the session groups the top level (2.0 M nodes on
// PgTimerLeak) as the window's load would, then the view opens the biggest group.
void BM_DominatorExpand_RootGrouped(benchmark::State& state) {
  if (skip_if_unavailable(state)) return;
  for (auto _ : state) {
    DominatorModel model;
    model.set_group_by_class(true);
    model.set_session(loaded().session);
    expand(model, {});
    expand(model, model.index(0, 0));
  }
  const auto root = loaded().session->engine().tree().root();
  state.counters["children"] =
      static_cast<double>(loaded().session->dominator_children().of(root).size());
}

// The library's grouping alone (analysis::group_children_by_class), on the biggest child list.
void BM_GroupChildren_MostChildren(benchmark::State& state) {
  if (skip_if_unavailable(state)) return;
  const auto& s = *loaded().session;
  const auto kids = s.dominator_children().of(path_to_most_children(s).back());
  size_t groups = 0;
  for (auto _ : state) {
    groups =
        analysis::group_children_by_class(s.index(), s.engine().retained(), kids).groups.size();
  }
  state.counters["children"] = static_cast<double>(kids.size());
  state.counters["groups"] = static_cast<double>(groups);
}

void BM_DominatorExpand_BiggestChain(benchmark::State& state) {
  if (skip_if_unavailable(state)) return;
  double levels = 0, max_level = 0;
  for (auto _ : state) {
    state.PauseTiming();
    DominatorModel model;
    model.set_session(loaded().session);
    state.ResumeTiming();
    QModelIndex at = model.index(0, 0);
    levels = 0;
    while (at.isValid() && model.hasChildren(at)) {
      QElapsedTimer level;
      level.start();
      expand(model, at);
      max_level = std::max(max_level, static_cast<double>(level.nsecsElapsed()) * 1e-6);
      ++levels;
      at = model.index(0, 0, at);
    }
  }
  state.counters["levels"] = levels;
  state.counters["max_level_ms"] = max_level;
}

void BM_DominatorSortChildren(benchmark::State& state) {
  if (skip_if_unavailable(state)) return;
  const auto& engine = loaded().session->engine();
  const auto node = path_to_most_children(*loaded().session).back();
  size_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    analysis::DominatorChildren children(engine.tree(), engine.retained());
    state.ResumeTiming();
    n = children.of(node).size();
  }
  state.counters["children"] = static_cast<double>(n);
}

HistogramView& histogram_view() {
  static HistogramView* view = [] {
    auto* v = new HistogramView;
    v->set_session(loaded().session);
    return v;
  }();
  return *view;
}

// Args: column (HistogramModel::Column), order (Qt::SortOrder).
void BM_HistogramSort(benchmark::State& state) {
  if (skip_if_unavailable(state)) return;
  const int column = static_cast<int>(state.range(0));
  const auto order = static_cast<Qt::SortOrder>(state.range(1));
  QSortFilterProxyModel* proxy = histogram_view().proxy();
  for (auto _ : state) {
    state.PauseTiming();
    proxy->sort(column == HistogramModel::kClass ? HistogramModel::kCount : HistogramModel::kClass);
    state.ResumeTiming();
    proxy->sort(column, order);
    touch_rows(*proxy, {}, kPaintedRows);
  }
  state.counters["rows"] = proxy->rowCount();
  proxy->sort(HistogramModel::kRetained, Qt::DescendingOrder);
}

// Arg: 0 = substring, 1 = regular expression.
void BM_HistogramFilter(benchmark::State& state) {
  if (skip_if_unavailable(state)) return;
  const bool regex = state.range(0) != 0;
  const QString text = regex ? QStringLiteral("^(java\\.util\\.Timer|org\\.postgresql\\..*Timer)")
                             : QStringLiteral("postgresql");
  HistogramView& view = histogram_view();
  for (auto _ : state) {
    state.PauseTiming();
    view.set_filter(QString(), false);
    state.ResumeTiming();
    view.set_filter(text, regex);
    touch_rows(*view.proxy(), {}, kPaintedRows);
  }
  state.counters["rows"] = view.proxy()->rowCount();
  view.set_filter(QString(), false);
}

void register_benchmarks() {
  using benchmark::kMillisecond;
  benchmark::RegisterBenchmark("OpenToFindings", BM_OpenToFindings)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(kMillisecond);
  // The top level is sorted while loading: a new model each iteration, as on load.
  benchmark::RegisterBenchmark("DominatorExpand/Root", BM_DominatorExpand_Root)->Unit(kMillisecond);
  // Cold before warm: the first expansion of a node sorts its children.
  benchmark::RegisterBenchmark("DominatorExpand/BiggestChain/cold", BM_DominatorExpand_BiggestChain)
      ->Iterations(1)
      ->Unit(kMillisecond);
  benchmark::RegisterBenchmark("DominatorExpand/MostChildren/cold", BM_DominatorExpand_MostChildren)
      ->Arg(0)
      ->Iterations(1)
      ->Unit(kMillisecond);
  benchmark::RegisterBenchmark("DominatorExpand/MostChildrenUnsorted/cold",
                               BM_DominatorExpand_MostChildren)
      ->Arg(1)
      ->Iterations(1)
      ->Unit(kMillisecond);
  benchmark::RegisterBenchmark("DominatorExpand/BiggestChain/warm", BM_DominatorExpand_BiggestChain)
      ->Unit(kMillisecond);
  benchmark::RegisterBenchmark("DominatorExpand/MostChildren/warm", BM_DominatorExpand_MostChildren)
      ->Arg(0)
      ->Unit(kMillisecond);
  benchmark::RegisterBenchmark("DominatorSortChildren/MostChildren", BM_DominatorSortChildren)
      ->Unit(kMillisecond);
  benchmark::RegisterBenchmark("DominatorExpand/RootGrouped", BM_DominatorExpand_RootGrouped)
      ->Unit(kMillisecond);
  benchmark::RegisterBenchmark("GroupChildren/MostChildren", BM_GroupChildren_MostChildren)
      ->Unit(kMillisecond);
  auto* sort = benchmark::RegisterBenchmark("HistogramSort", BM_HistogramSort);
  for (int c = 0; c < HistogramModel::kColumnCount; ++c) {
    sort->Args({c, Qt::AscendingOrder})->Args({c, Qt::DescendingOrder});
  }
  sort->ArgNames({"column", "order"})->Unit(kMillisecond);
  benchmark::RegisterBenchmark("HistogramFilter", BM_HistogramFilter)
      ->Arg(0)
      ->Arg(1)
      ->ArgName("regex")
      ->Unit(kMillisecond);
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("HeapscopeBench"));
  QApplication::setApplicationName(QStringLiteral("heapscope_gui_bench"));
  if (dump_path().isEmpty()) {
    std::fprintf(stderr,
                 "heapscope_gui_bench: HEAPSCOPE_BENCH_DUMP is not set; every benchmark is "
                 "skipped (e.g. HEAPSCOPE_BENCH_DUMP=/tmp/hs-large/PgTimerLeak-jdk17.hprof)\n");
  }
  register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
