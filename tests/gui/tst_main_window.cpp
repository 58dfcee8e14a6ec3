// The real main window, offscreen: loading the demo dump in the background end to end (staged
// results, findings, dominator tree, inspector, export), cancelling a load, bad input, drag and
// drop, recent files.
#include <QAbstractItemModelTester>
#include <QDockWidget>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>
#include <string>
#include <vector>

#include "class_count_model.h"
#include "dominator_model.h"
#include "dominator_view.h"
#include "finalizer_class_model.h"
#include "finalizer_view.h"
#include "findings_model.h"
#include "histogram_model.h"
#include "histogram_view.h"
#include "item_roles.h"
#include "load_status.h"
#include "loader.h"
#include "main_window.h"
#include "object_inspector.h"
#include "recent_files.h"
#include "timer_model.h"
#include "timers_view.h"

using namespace heapscope;
using namespace heapscope::gui;

namespace {

constexpr int kLoadTimeoutMs = 60000;

QString demo_dump() {
  return QStringLiteral(HEAPSCOPE_GUI_DEMO_DUMP);
}

// The main window with errors collected instead of shown in a modal box.
class TestWindow : public MainWindow {
 public:
  QStringList errors;

 protected:
  void present_error(const QString&, const QString& message) override { errors << message; }
};

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    // The GUI caches every dump it opens: start each run with an empty cache of its own, so the
    // first load builds everything and a later one reads the cache.
    QVERIFY(cache_dir_.isValid());
    qputenv("XDG_CACHE_HOME", QFile::encodeName(cache_dir_.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("HeapscopeTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_main_window"));
    RecentFiles::clear();
  }

  void loads_the_demo_dump_in_stages() {
    TestWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QStringList events;
    connect(w.loader(), &Loader::phase_changed, &w,
            [&](const QString& p) { events << "phase " + p; });
    connect(w.loader(), &Loader::indexed, &w, [&] { events << QStringLiteral("indexed"); });
    // The findings are on screen at the report stage, before the session (histogram, dominator
    // tree) arrives.
    int findings_at_report = -1;
    bool session_at_report = true;
    ReportPtr reported;
    connect(w.loader(), &Loader::reported, &w, [&](const ReportPtr& report) {
      events << QStringLiteral("reported");
      reported = report;
      findings_at_report = w.findings_model()->rowCount();
      session_at_report = w.session() != nullptr;
    });
    connect(w.loader(), &Loader::loaded, &w, [&] { events << QStringLiteral("loaded"); });
    // Every model of the window, watched through the resets a load makes.
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    for (QAbstractItemModel* m : std::initializer_list<QAbstractItemModel*>{
             w.findings_model(), w.dominator_view()->model(), w.histogram_view()->model(),
             w.histogram_view()->proxy(), w.timers_view()->timer_model(),
             w.timers_view()->held_only_model(), w.timers_view()->task_class_model(),
             w.finalizer_view()->model()}) {
      testers.push_back(std::make_unique<QAbstractItemModelTester>(
          m, QAbstractItemModelTester::FailureReportingMode::Fatal));
    }
    QSignalSpy loaded(&w, &MainWindow::session_loaded);
    w.open_dump(demo_dump());
    QVERIFY(w.loader()->busy());
    QVERIFY(w.load_status()->isVisible());  // progress bar and Cancel while loading
    QVERIFY(w.load_status()->cancel_button()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kLoadTimeoutMs);
    QVERIFY(w.errors.isEmpty());
    QVERIFY(!w.loader()->busy());
    QVERIFY(!w.load_status()->isVisible());
    // Summary first, then the rest; progress came as phases.
    const auto indexed_at = events.indexOf(QStringLiteral("indexed"));
    QVERIFY(indexed_at >= 0);
    QVERIFY(indexed_at < events.indexOf(QStringLiteral("reported")));
    QVERIFY(events.indexOf(QStringLiteral("reported")) < events.indexOf(QStringLiteral("loaded")));
    QVERIFY(!session_at_report);
    QVERIFY(findings_at_report > 0);
    QCOMPARE(findings_at_report, static_cast<int>(reported->findings.size()));
    QCOMPARE(w.session()->report_ptr(), reported);  // the report shown is the session's
    QVERIFY(events.indexOf(QStringLiteral("phase class histogram")) <
            events.indexOf(QStringLiteral("phase analyzers")));
    QVERIFY(events.contains(QStringLiteral("phase scan records")));
    QVERIFY(events.indexOf(QStringLiteral("phase build graph")) > indexed_at);
    QCOMPARE(w.tabs()->currentIndex(), 0);  // the Overview comes first

    // The findings hold the critical Timer finding.
    FindingsModel* findings = w.findings_model();
    bool critical_timer = false;
    for (int r = 0; r < findings->rowCount(); ++r) {
      const QModelIndex i = findings->index(r, 0);
      if (i.data(kSeverityRole).toInt() == static_cast<int>(analysis::Severity::kCritical) &&
          i.data().toString().contains(QLatin1String("PostgreSQL-JDBC-SharedTimer-1"))) {
        critical_timer = true;
      }
    }
    QVERIFY(critical_timer);

    // The dominator tree's top row is the object the engine puts first.
    const auto& engine = w.session()->engine();
    analysis::DominatorChildren children(engine.tree(), engine.retained());
    const auto top = children.of(engine.tree().root());
    QVERIFY(!top.empty());
    DominatorModel* dom = w.dominator_view()->model();
    QCOMPARE(dom->index(0, DominatorModel::kObjectId).data(kObjectIdRole).toULongLong(),
             engine.index().object_id(top[0]));
    QCOMPARE(dom->index(0, DominatorModel::kObjectId).data().toString(),
             QStringLiteral("0x%1").arg(engine.index().object_id(top[0]), 0, 16));

    // The timers tab lists the shared timer; the histogram has every class.
    QCOMPARE(w.timers_view()->timer_model()->index(0, TimerModel::kThread).data().toString(),
             QStringLiteral("PostgreSQL-JDBC-SharedTimer-1"));
    QCOMPARE(w.histogram_view()->model()->rowCount(),
             static_cast<int>(w.session()->histogram().size()));
    w.histogram_view()->set_filter(QStringLiteral("jdbc3g"), false);
    QCOMPARE(w.histogram_view()->proxy()->rowCount(), 1);
    w.histogram_view()->set_filter(QStringLiteral("(unclosed"), true);  // invalid: no crash
    w.histogram_view()->set_filter(QString(), false);
    QCOMPARE(w.histogram_view()->proxy()->rowCount(), w.histogram_view()->model()->rowCount());
    QCOMPARE(RecentFiles::list().value(0), QFileInfo(demo_dump()).absoluteFilePath());
  }

  void double_click_opens_the_inspector_with_history() {
    TestWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy loaded(&w, &MainWindow::session_loaded);
    w.open_dump(demo_dump());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kLoadTimeoutMs);

    w.show_view(MainWindow::View::kDominators);
    QTreeView* tree = w.dominator_view()->tree();
    const QModelIndex first = w.dominator_view()->model()->index(0, 0);
    const quint64 first_id = first.data(kObjectIdRole).toULongLong();
    tree->scrollTo(first);
    const QRect rect = tree->visualRect(first);
    QVERIFY(rect.isValid());
    // A click first: the view activates on a double-click of the item the press chose.
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, rect.center());
    QTRY_VERIFY(w.inspector_dock()->isVisible());
    ObjectInspector* inspector = w.inspector();
    // Details are gathered on a pool thread.
    auto shows = [inspector](quint64 id) {
      return !inspector->busy() && inspector->details() && inspector->details()->id == id;
    };
    QTRY_VERIFY(shows(first_id));

    // Follow the timer, then a reference from its fields; back and forward.
    const quint64 timer = w.session()->report().timers[0].object_id;
    QVERIFY(w.open_object(timer));
    QTRY_VERIFY(shows(timer));
    QCOMPARE(inspector->details()->klass, QStringLiteral("java.util.Timer"));
    quint64 queue = 0;
    auto* fields = inspector->fields_view();
    for (int r = 0; r < fields->topLevelItemCount(); ++r) {
      auto* item = fields->topLevelItem(r);
      if (item->text(0) == QLatin1String("queue")) {
        queue = item->data(2, kObjectIdRole).toULongLong();
        emit fields->itemActivated(item, 2);
      }
    }
    QCOMPARE(queue, w.session()->report().timers[0].queue_id);
    QTRY_VERIFY(shows(queue));
    QVERIFY(inspector->referrers_view()->topLevelItemCount() > 0);
    QVERIFY(inspector->paths_view()->topLevelItemCount() > 0);
    inspector->go_back();
    QTRY_VERIFY(shows(timer));
    inspector->go_back();
    QTRY_VERIFY(shows(first_id));
    inspector->go_forward();
    QTRY_VERIFY(shows(timer));
    QVERIFY(!w.open_object(0x1));  // no such object: a message, no change
    QVERIFY(shows(timer));
    QCOMPARE(inspector->history().size(), size_t{3});
  }

  // Runs after loads_the_demo_dump_in_stages (slots run in order): the demo dump is cached now.
  void second_open_reads_the_cache() {
    TestWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QStringList phases;
    connect(w.loader(), &Loader::phase_changed, &w, [&](const QString& p) { phases << p; });
    QSignalSpy loaded(&w, &MainWindow::session_loaded);
    w.open_dump(demo_dump());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kLoadTimeoutMs);
    QVERIFY(w.errors.isEmpty());
    QVERIFY2(phases.contains(QStringLiteral("loading cache")), qPrintable(phases.join(", ")));
    QVERIFY2(!phases.contains(QStringLiteral("build graph")), qPrintable(phases.join(", ")));
    // The same verdict as a fresh build (the cache tests compare every table; this is the GUI).
    bool critical_timer = false;
    for (int r = 0; r < w.findings_model()->rowCount(); ++r) {
      const QModelIndex i = w.findings_model()->index(r, 0);
      critical_timer =
          critical_timer ||
          (i.data(kSeverityRole).toInt() == static_cast<int>(analysis::Severity::kCritical) &&
           i.data().toString().contains(QLatin1String("PostgreSQL-JDBC-SharedTimer-1")));
    }
    QVERIFY(critical_timer);
  }

  void cancel_during_load_leaves_the_window_usable() {
    // A bigger dump when the samples were built; the Cancel button is clicked from the worker's
    // first phase, so the cancel lands mid-load whatever the dump's size.
    QString dump = qEnvironmentVariable("HEAPSCOPE_GUI_LARGER_DUMP");
    if (dump.isEmpty() || !QFile::exists(dump)) dump = demo_dump();
    qInfo("cancelling the load of %s", qPrintable(dump));
    // An empty cache: the load must run the phases the cancel is aimed at.
    QTemporaryDir no_cache;
    const QByteArray cache_home = qgetenv("XDG_CACHE_HOME");
    qputenv("XDG_CACHE_HOME", QFile::encodeName(no_cache.path()));
    TestWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QPushButton* cancel = w.load_status()->cancel_button();
    QSignalSpy cancelled(&w, &MainWindow::load_cancelled);
    QSignalSpy loaded(&w, &MainWindow::session_loaded);
    // In the index pass, then in the dominator tree's depth-first search.
    const std::vector<std::string> phases{"index objects", "dominators: dfs"};
    for (size_t k = 0; k < phases.size(); ++k) {
      bool clicked = false;
      w.loader()->set_phase_hook([&](std::string_view phase) {
        if (clicked || phase != phases[k]) return;
        clicked = true;
        QMetaObject::invokeMethod(cancel, &QPushButton::click, Qt::BlockingQueuedConnection);
      });
      w.open_dump(dump);
      QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), static_cast<int>(k + 1), kLoadTimeoutMs);
      QVERIFY2(clicked, phases[k].c_str());
      QCOMPARE(loaded.count(), 0);
      QVERIFY(w.errors.isEmpty());
      QVERIFY(!w.session());
      QVERIFY(!w.loader()->busy());
      QVERIFY(!w.load_status()->isVisible());
    }
    qputenv("XDG_CACHE_HOME", cache_home);

    // Still usable: the next load works.
    w.loader()->set_phase_hook({});
    w.open_dump(demo_dump());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kLoadTimeoutMs);
    QVERIFY(w.session());
    QVERIFY(w.findings_model()->rowCount() > 0);
  }

  void a_second_open_replaces_a_running_load() {
    TestWindow w;
    QSignalSpy loaded(&w, &MainWindow::session_loaded);
    QSignalSpy cancelled(&w, &MainWindow::load_cancelled);
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("copy.hprof.zst"));
    QVERIFY(QFile::copy(demo_dump(), copy));
    w.open_dump(demo_dump());
    w.open_dump(copy);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kLoadTimeoutMs);
    QCOMPARE(loaded.at(0).at(0).toString(), copy);
    QTest::qWait(200);
    QCOMPARE(loaded.count(), 1);  // the first load's result was dropped
    QCOMPARE(cancelled.count(), 0);
    QVERIFY(w.errors.isEmpty());
  }

  void bad_dump_shows_the_library_error() {
    QTemporaryDir dir;
    const QString garbage = dir.filePath(QStringLiteral("garbage.hprof"));
    {
      QFile f(garbage);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QByteArray(4096, 'x'));
    }
    const auto expected = analysis::Heap::open(QFile::encodeName(garbage).toStdString());
    QVERIFY(!expected);
    TestWindow w;
    QSignalSpy reported(&w, &MainWindow::error_reported);
    w.open_dump(garbage);
    QTRY_COMPARE_WITH_TIMEOUT(reported.count(), 1, kLoadTimeoutMs);
    QCOMPARE(w.errors, QStringList{QString::fromStdString(expected.error().describe())});
    QCOMPARE(reported.at(0).at(0).toString(), w.errors.first());
    QVERIFY(!w.session());
    QVERIFY(!w.loader()->busy());

    // A missing file is reported too, and the app goes on working.
    w.open_dump(dir.filePath(QStringLiteral("missing.hprof")));
    QCOMPARE(w.errors.size(), 2);
    QSignalSpy loaded(&w, &MainWindow::session_loaded);
    w.open_dump(demo_dump());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kLoadTimeoutMs);
    QCOMPARE(w.errors.size(), 2);
  }

  void dropping_a_file_opens_it() {
    TestWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QSignalSpy loaded(&w, &MainWindow::session_loaded);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(demo_dump())});
    const QPoint at = w.rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w, &drop);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kLoadTimeoutMs);
    QCOMPARE(w.session()->path(), demo_dump());
  }

  void exports_the_report_in_every_format() {
    TestWindow w;
    QVERIFY(w.open_dump_sync(demo_dump()));
    QTemporaryDir dir;
    const QString html = dir.filePath(QStringLiteral("r.html"));
    const QString json = dir.filePath(QStringLiteral("r.json"));
    const QString md = dir.filePath(QStringLiteral("r.md"));
    QCOMPARE(w.export_report(ReportExporter::Format::kHtml, html), QString());
    QCOMPARE(w.export_report(ReportExporter::Format::kJson, json), QString());
    QCOMPARE(w.export_report(ReportExporter::Format::kMarkdown, md), QString());
    auto read = [](const QString& path) {
      QFile f(path);
      return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    };
    QVERIFY(read(html).contains("<html"));
    QVERIFY(read(html).contains("PostgreSQL-JDBC-SharedTimer-1"));
    const auto doc = QJsonDocument::fromJson(read(json));
    QVERIFY(doc.isObject());
    QCOMPARE(doc.object().value(QStringLiteral("schema_version")).toInt(), 2);
    QVERIFY(read(md).contains("PostgreSQL-JDBC-SharedTimer-1"));
    QVERIFY(!w.export_report(ReportExporter::Format::kJson,
                             dir.filePath(QStringLiteral("no/such/dir/r.json")))
                 .isEmpty());
  }

 private:
  QTemporaryDir cache_dir_;
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
