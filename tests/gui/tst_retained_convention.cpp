// View ▸ Retained Sizes in the real main window, offscreen, on the bundled demo dump: switching
// to strong references only reanalyses the dump in the background (progress, Cancel) and every
// view then shows the sizes `heapscope dominators --strong-only` computes (an engine built here
// with EdgeFilter::kStrongOnly, as the CLI builds it); a cancelled switch keeps the old figures.
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include "dominator_model.h"
#include "dominator_view.h"
#include "heapscope/analysis/engine.h"
#include "histogram_model.h"
#include "histogram_view.h"
#include "item_roles.h"
#include "loader.h"
#include "main_window.h"

using namespace heapscope;
using namespace heapscope::gui;

namespace {

constexpr int kLoadTimeoutMs = 60000;

// What `heapscope dominators DUMP --format json [--strong-only]` prints for the demo dump: the
// timer's TaskQueue retains 120,232 B in 4,003 objects by MAT's convention (the second row) and
// 2,488,232 B in 12,003 objects by strong references only (the first row: the statements the
// cancelled tasks reach are no longer kept by their Finalizer's referent); 41,558 / 41,233
// reachable objects.
constexpr quint64 kTaskQueue = 0xf008f718;
struct CliFigures {
  quint64 bytes;
  quint32 objects;
  const char* reachable;
};
constexpr CliFigures kMat{120232, 4003, "41,558 reachable objects"};
constexpr CliFigures kStrong{2488232, 12003, "41,233 reachable objects"};

void check_cli_figures(MainWindow& w, const CliFigures& cli) {
  const auto& s = *w.session();
  const auto queue = s.find(kTaskQueue);
  QVERIFY(queue != hprof::kNoObject);
  QCOMPARE(s.engine().retained().bytes[queue], cli.bytes);
  QCOMPARE(s.engine().retained().count[queue], cli.objects);
  QVERIFY(w.dominator_view()->findChild<QLabel*>()->text().contains(QLatin1String(cli.reachable)));
}

class TestWindow : public MainWindow {
 public:
  QStringList errors;

 protected:
  void present_error(const QString&, const QString& message) override { errors << message; }
};

// Retained bytes per node by one convention, computed without the GUI.
std::vector<uint64_t> retained_by(const analysis::Heap& heap, analysis::EdgeFilter filter) {
  analysis::EngineOptions eo;
  eo.filter = filter;
  auto engine = analysis::Engine::build(heap, eo);
  if (!engine) return {};
  const auto& bytes = engine->retained().bytes;
  return std::vector<uint64_t>(bytes.begin(), bytes.end());
}

}  // namespace

class TestRetainedConvention : public QObject {
  Q_OBJECT

  QTemporaryDir cache_dir_;
  std::vector<uint64_t> mat_, strong_;
  hprof::ObjectIndex differs_ = hprof::kNoObject;  // an object the two conventions size apart
  uint64_t differs_id_ = 0;

 private slots:
  void initTestCase() {
    QVERIFY(cache_dir_.isValid());
    qputenv("XDG_CACHE_HOME", QFile::encodeName(cache_dir_.path()));
    auto heap = analysis::Heap::open(HEAPSCOPE_GUI_DEMO_DUMP);
    QVERIFY2(heap, heap ? "" : heap.error().describe().c_str());
    mat_ = retained_by(*heap, analysis::EdgeFilter::kAll);
    strong_ = retained_by(*heap, analysis::EdgeFilter::kStrongOnly);
    QCOMPARE(mat_.size(), strong_.size());
    // The object whose retained size the convention changes most.
    uint64_t most = 0;
    for (hprof::ObjectIndex o = 0; o < heap->index().object_count(); ++o) {
      const uint64_t d = mat_[o] > strong_[o] ? mat_[o] - strong_[o] : strong_[o] - mat_[o];
      if (d > most) most = d, differs_ = o;
    }
    QVERIFY2(most > 0, "the demo dump's sizes do not depend on the convention");
    differs_id_ = heap->index().object_id(differs_);
  }

  void switching_reanalyses_and_every_view_follows() {
    TestWindow w;
    w.show();
    QVERIFY(w.open_dump_sync(QStringLiteral(HEAPSCOPE_GUI_DEMO_DUMP)));
    QCOMPARE(w.retained_convention(), analysis::EdgeFilter::kAll);
    QVERIFY(w.convention_action(analysis::EdgeFilter::kAll)->isChecked());
    QCOMPARE(w.session()->engine().retained().bytes[differs_], mat_[differs_]);
    check_cli_figures(w, kMat);
    const auto before = w.session();
    w.show_view(MainWindow::View::kDominators);

    QSignalSpy loaded(&w, &MainWindow::session_loaded);
    QSignalSpy phases(w.loader(), &Loader::phase_changed);
    w.convention_action(analysis::EdgeFilter::kStrongOnly)->trigger();
    QVERIFY(w.loader()->busy());
    QCOMPARE(w.session(), before);  // the old figures stay on screen meanwhile
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QVERIFY(!phases.isEmpty());  // the progress bar saw the phases
    QVERIFY(w.errors.isEmpty());
    QVERIFY(w.session() != before);
    QCOMPARE(w.session()->convention(), analysis::EdgeFilter::kStrongOnly);
    QCOMPARE(w.session()->report().retained_convention, std::string("strong-only"));
    QVERIFY(w.convention_action(analysis::EdgeFilter::kStrongOnly)->isChecked());
    QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget*>(w.dominator_view()));
    // The known object, and the dominator tree's and histogram's top rows.
    QCOMPARE(w.session()->engine().retained().bytes[differs_], strong_[differs_]);
    auto* dom = w.dominator_view()->model();
    const auto top = dom->node(dom->index(0, 0));
    QCOMPARE(dom->index(0, DominatorModel::kRetained).data(kSortRole).toULongLong(), strong_[top]);
    check_cli_figures(w, kStrong);
    QCOMPARE(dom->index(0, DominatorModel::kObjectId).data(kObjectIdRole).toULongLong(),
             kTaskQueue);
    const auto& hist = w.session()->histogram();
    QVERIFY(!hist.empty());
    QCOMPARE(w.histogram_view()->model()->rowCount(), static_cast<int>(hist.size()));

    // And back.
    w.convention_action(analysis::EdgeFilter::kAll)->trigger();
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QCOMPARE(w.session()->convention(), analysis::EdgeFilter::kAll);
    QCOMPARE(w.session()->engine().retained().bytes[differs_], mat_[differs_]);
    check_cli_figures(w, kMat);
    QCOMPARE(dom->index(0, DominatorModel::kRetained).data(kSortRole).toULongLong(),
             mat_[dom->node(dom->index(0, 0))]);
  }

  void cancelled_switch_keeps_the_old_figures() {
    TestWindow w;
    w.show();
    QVERIFY(w.open_dump_sync(QStringLiteral(HEAPSCOPE_GUI_DEMO_DUMP)));
    const auto before = w.session();
    QSignalSpy cancelled(&w, &MainWindow::load_cancelled);
    w.set_retained_convention(analysis::EdgeFilter::kStrongOnly);
    w.cancel_load();
    QVERIFY(cancelled.wait(kLoadTimeoutMs));
    QCOMPARE(w.session(), before);
    QCOMPARE(w.retained_convention(), analysis::EdgeFilter::kAll);
    QVERIFY(w.convention_action(analysis::EdgeFilter::kAll)->isChecked());
    QCOMPARE(w.session()->engine().retained().bytes[differs_], mat_[differs_]);
  }
};

QTEST_MAIN(TestRetainedConvention)
#include "tst_retained_convention.moc"
