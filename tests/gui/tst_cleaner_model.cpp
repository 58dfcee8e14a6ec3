// The Cleaners tree of the Finalizer view under QAbstractItemModelTester: on the demo dump's
// report (the JDK's own Cleaners) and on a hand-built report with never-cleanable
// registrations, whose rows name the referent and the path from the action to it.
#include <QAbstractItemModelTester>
#include <QtTest>
#include <memory>

#include "analysis_session.h"
#include "cleaner_model.h"
#include "finalizer_view.h"
#include "item_roles.h"

using namespace heapscope;
using namespace heapscope::gui;

namespace {

constexpr auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

std::vector<analysis::CleanerReport> hand_built() {
  analysis::CleanerReport c;
  c.kind = "java.lang.ref.Cleaner";
  c.object_id = 0xf0001000;
  c.thread_name = "app-cleaner";
  c.verdict = "idle";
  c.registered = 100;
  c.never_cleanable = 60;
  c.never_cleanable_bytes = 67'840;
  c.by_referent_class = {{"com.acme.NativeImage", 40, 0, 0, 0}, {"com.acme.Socket", 60, 0, 60, 0}};
  analysis::NeverCleanableExample x;
  x.action_id = 0xf0002100;
  x.referent_id = 0xf0002200;
  x.action_class = "com.acme.Socket$$Lambda";
  x.referent_class = "com.acme.Socket";
  x.path = {{x.action_id, x.action_class, "field arg$1"}, {x.referent_id, x.referent_class, ""}};
  c.examples = {x};
  analysis::CleanerReport stuck;
  stuck.kind = "java.lang.ref.Cleaner";
  stuck.object_id = 0xf0003000;
  stuck.thread_name = "io-cleaner";
  stuck.verdict = "blocked";
  stuck.running_action_class = "com.acme.Channel$Closer";
  stuck.pending = 11;
  return {c, stuck};
}

// Android's static sun.misc.Cleaner list with NativeAllocationRegistry registrations.
analysis::CleanerReport android() {
  analysis::CleanerReport c;
  c.kind = "sun.misc.Cleaner";
  c.thread_name = "ReferenceQueueDaemon";
  c.verdict = "absent";
  c.registered = 8;
  c.never_cleanable = 3;
  c.native_registrations = 8;
  c.native_bytes = 5 * 4096 + 3 * 1048576;
  c.never_cleanable_native_bytes = 3 * 1048576;
  c.by_registry = {{0x12c000f0, 1048576, 3, 3 * 1048576, 3}, {0x12c000e0, 4096, 5, 5 * 4096, 0}};
  c.by_referent_class = {{"com.example.Bitmap", 5, 0, 0, 5 * 4096},
                         {"com.example.Image", 3, 0, 3, 3 * 1048576}};
  return c;
}

}  // namespace

class TestCleanerModel : public QObject {
  Q_OBJECT

 private slots:
  void demo_dump_cleaners() {
    auto s = AnalysisSession::open(QStringLiteral(HEAPSCOPE_GUI_DEMO_DUMP));
    QVERIFY2(s, s ? "" : s.error().describe().c_str());
    CleanerModel model;
    auto tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    const auto& cleaners = s.value()->report().cleaners;
    model.set_cleaners(cleaners);
    QCOMPARE(model.rowCount(), static_cast<int>(cleaners.size()));
    for (int i = 0; i < model.rowCount(); ++i) {
      const auto& c = cleaners[static_cast<size_t>(i)];
      QCOMPARE(model.rowCount(model.index(i, 0)),
               static_cast<int>(c.by_referent_class.size() + c.examples.size()));
    }
  }

  void never_cleanable_rows_name_the_object_and_path() {
    CleanerModel model;
    auto tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    model.set_cleaners(hand_built());
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex app = model.index(0, CleanerModel::kName);
    QCOMPARE(app.data().toString(), QStringLiteral("app-cleaner"));
    QCOMPARE(app.data(kObjectIdRole).toULongLong(), quint64{0xf0001000});
    QCOMPARE(model.index(0, CleanerModel::kNeverCleanable).data(kSortRole).toULongLong(),
             quint64{60});
    QCOMPARE(model.rowCount(app), 3);  // two classes, one example
    QCOMPARE(model.index(1, CleanerModel::kName, app).data().toString(),
             QStringLiteral("com.acme.Socket"));
    const QModelIndex example = model.index(2, CleanerModel::kName, app);
    QCOMPARE(example.data(kObjectIdRole).toULongLong(), quint64{0xf0002200});
    const QString path = model.index(2, CleanerModel::kState, app).data().toString();
    QVERIFY2(path.contains(QLatin1String("field arg$1")), qPrintable(path));
    QVERIFY(path.contains(QLatin1String("0xf0002100")));
    QVERIFY(path.endsWith(QLatin1String("com.acme.Socket 0xf0002200")));
    QCOMPARE(example.parent(), app);
    const QString stuck = model.index(1, CleanerModel::kState).data().toString();
    QVERIFY2(stuck.contains(QLatin1String("blocked in com.acme.Channel$Closer.run()")),
             qPrintable(stuck));
    model.set_cleaners({});
    QCOMPARE(model.rowCount(), 0);
  }

  void native_bytes_and_registries() {
    CleanerModel model;
    auto tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    model.set_cleaners({android()});
    const QModelIndex top = model.index(0, CleanerModel::kName);
    QCOMPARE(top.data().toString(), QStringLiteral("ReferenceQueueDaemon"));
    QCOMPARE(model.index(0, CleanerModel::kNative).data(kSortRole).toULongLong(),
             quint64{5 * 4096 + 3 * 1048576});
    QCOMPARE(model.index(0, CleanerModel::kNative).data().toString(), QStringLiteral("3.0 MiB"));
    QVERIFY(model.index(0, CleanerModel::kNative)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("3.0 MiB of it never freed")));
    QCOMPARE(model.rowCount(top), 4);  // two classes, two registries
    QCOMPARE(model.index(1, CleanerModel::kNative, top).data(kSortRole).toULongLong(),
             quint64{3 * 1048576});
    const QModelIndex registry = model.index(2, CleanerModel::kName, top);
    QCOMPARE(registry.data(kObjectIdRole).toULongLong(), quint64{0x12c000f0});
    QVERIFY2(registry.data().toString().contains(QLatin1String("1.0 MiB each")),
             qPrintable(registry.data().toString()));
    QCOMPARE(model.index(2, CleanerModel::kNeverCleanable, top).data(kSortRole).toULongLong(),
             quint64{3});
    QCOMPARE(model.index(3, CleanerModel::kRegistered, top).data(kSortRole).toULongLong(),
             quint64{5});
    // The JVM's Cleaners have no native column.
    model.set_cleaners(hand_built());
    QCOMPARE(model.index(0, CleanerModel::kNative).data().toString(), QString());
  }

  void watchdog_line() {
    analysis::FinalizerWatchdogReport w;
    QCOMPARE(watchdog_html(w), QString());  // the JVM: no watchdog
    w.present = true;
    w.thread_name = "FinalizerWatchdogDaemon";
    w.verdict = "idle";
    QString html = watchdog_html(w);
    QVERIFY2(html.contains(QLatin1String("\"FinalizerWatchdogDaemon\"")), qPrintable(html));
    QVERIFY(!html.contains(QLatin1String("object:")));
    w.verdict = "stuck";
    w.watched_object_id = 0x12c00400;
    w.watched_class = "com.example.SlowStream";
    html = watchdog_html(w);
    QVERIFY2(html.contains(QLatin1String("com.example.SlowStream.finalize()")), qPrintable(html));
    QVERIFY(html.contains(QLatin1String("href=\"object:0x12c00400\"")));
    QVERIFY(html.contains(QLatin1String("10 s")));
  }
};

QTEST_MAIN(TestCleanerModel)
#include "tst_cleaner_model.moc"
