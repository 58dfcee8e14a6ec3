// The Cleaners tree of the Finalizer view under QAbstractItemModelTester: on the demo dump's
// report (the JDK's own Cleaners) and on a hand-built report with never-cleanable
// registrations, whose rows name the referent and the path from the action to it.
#include <QAbstractItemModelTester>
#include <QtTest>
#include <memory>

#include "analysis_session.h"
#include "cleaner_model.h"
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
  c.by_referent_class = {{"com.acme.NativeImage", 40, 0, 0}, {"com.acme.Socket", 60, 0, 60}};
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
};

QTEST_MAIN(TestCleanerModel)
#include "tst_cleaner_model.moc"
