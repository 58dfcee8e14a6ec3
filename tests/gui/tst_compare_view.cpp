// The Compare view on real dumps of one JVM: TrendLeak's four step dumps (a Timer leak and a
// finalizer backlog growing in steps; the sidecar has the exact counts of every step) opened in
// the main window and compared in the background. The tables and charts must show the counts
// the sample program knows and the same series and rates as `heapscope trend --format json`.
#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <memory>
#include <vector>

#include <QTabWidget>
#include "compare_loader.h"
#include "compare_table_model.h"
#include "compare_view.h"
#include "item_roles.h"
#include "load_status.h"
#include "main_window.h"
#include "trend_chart.h"

using namespace heapscope::gui;

namespace {

constexpr int kTimeoutMs = 120000;
const QString kTimer = QStringLiteral("heapscope-trend-timer");
const QString kSlow = QStringLiteral("com.example.leak.SlowResource");
const QString kTask = QStringLiteral("heapscope.samples.TrendLeak$TrendTask");

class TestWindow : public MainWindow {
 public:
  QStringList errors;

 protected:
  void present_error(const QString&, const QString& message) override { errors << message; }
};

QString samples_dir() {
  const QByteArray env = qgetenv("HEAPSCOPE_SAMPLE_DUMPS_DIR");
  return env.isEmpty() ? QStringLiteral(HEAPSCOPE_GUI_SAMPLES_DIR) : QString::fromLocal8Bit(env);
}

QString step_dump(int step) {
  return QDir(samples_dir()).filePath(QStringLiteral("TrendLeak-jdk17-step%1.hprof").arg(step));
}

// The row of `model` whose first two columns are `a` and `b`, or -1.
int find_row(const QAbstractItemModel& model, const QString& a, const QString& b) {
  for (int r = 0; r < model.rowCount(); ++r) {
    if (model.index(r, 0).data().toString() == a && model.index(r, 1).data().toString() == b)
      return r;
  }
  return -1;
}

int find_row(const QAbstractItemModel& model, int column, const QString& text) {
  for (int r = 0; r < model.rowCount(); ++r) {
    if (model.index(r, column).data().toString() == text) return r;
  }
  return -1;
}

QVariant sort_value(const CompareTableModel& m, int row, const QString& header) {
  return m.index(row, m.column(header)).data(kSortRole);
}

}  // namespace

class TestCompareView : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(cache_dir_.isValid());
    qputenv("XDG_CACHE_HOME", QFile::encodeName(cache_dir_.path()));
    QFile sidecar(QDir(samples_dir()).filePath(QStringLiteral("TrendLeak-jdk17.json")));
    if (!sidecar.open(QIODevice::ReadOnly) || !QFile::exists(step_dump(4)))
      QSKIP("no TrendLeak sample dumps (build the sample-dumps target)");
    sidecar_ = QJsonDocument::fromJson(sidecar.readAll()).object();
    steps_ = sidecar_.value(QStringLiteral("steps")).toArray();
    QCOMPARE(steps_.size(), 4);
  }

  void compares_the_steps_in_the_background() {
    TestWindow w;
    w.show();
    QVERIFY(w.open_dump_sync(step_dump(1)));
    CompareView* view = w.compare_view();
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;
    for (QAbstractItemModel* m : std::initializer_list<QAbstractItemModel*>{
             view->class_model(), view->finding_model(), view->finalizer_model(),
             view->queue_model(), view->series_model(), view->class_table()->model()}) {
      testers.push_back(std::make_unique<QAbstractItemModelTester>(
          m, QAbstractItemModelTester::FailureReportingMode::Fatal));
    }
    QSignalSpy ready(&w, &MainWindow::comparison_ready);
    // Out of time order on purpose: the comparison orders by the dumps' own timestamps.
    w.compare_with({step_dump(4), step_dump(2), step_dump(3)});
    QVERIFY(w.compare_loader()->busy());
    QVERIFY(w.load_status()->isVisible());  // the same progress bar and Cancel as a load
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, kTimeoutMs);
    QVERIFY2(w.errors.isEmpty(), qPrintable(w.errors.join(QLatin1Char('\n'))));
    QVERIFY(!w.load_status()->isVisible());
    QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget*>(view));
    const auto c = view->comparison();
    QVERIFY(c);
    QCOMPARE(c->paths(), QStringList({step_dump(1), step_dump(2), step_dump(3), step_dump(4)}));

    // Trend: every step's count of the sidecar, in the table and in the charts.
    const CompareTableModel& series = *view->series_model();
    struct Check {
      QString metric, key, field;
    };
    for (const Check& k :
         {Check{QStringLiteral("timer.cancelled"), kTimer, QStringLiteral("timer_cancelled")},
          Check{QStringLiteral("finalizer.pending"), kSlow, QStringLiteral("finalizer_pending")},
          Check{QStringLiteral("finalizer.registered"), kSlow,
                QStringLiteral("finalizer_registered")}}) {
      const int row = find_row(series, k.metric, k.key);
      QVERIFY2(row >= 0, qPrintable(k.metric));
      const TrendChart* chart = nullptr;
      for (const TrendChart* ch : view->charts()) {
        if (QString::fromStdString(ch->series().metric) == k.metric &&
            QString::fromStdString(ch->series().key) == k.key)
          chart = ch;
      }
      QVERIFY2(chart, qPrintable(k.metric));
      for (int i = 0; i < 4; ++i) {
        const auto expected = steps_[i].toObject().value(k.field).toInteger();
        QCOMPARE(series.index(row, 2 + i).data(kSortRole).toLongLong(), expected);
        QCOMPARE(static_cast<qint64>(chart->series().values[static_cast<size_t>(i)]), expected);
      }
      QVERIFY(sort_value(series, row, QStringLiteral("Rate per hour")).toDouble() > 0);
    }
    QCOMPARE(static_cast<int>(view->charts().size()), series.rowCount());

    // Diff of the first and the last step: the known deltas.
    const qint64 tasks = steps_[3].toObject().value(QStringLiteral("timer_cancelled")).toInteger() -
                         steps_[0].toObject().value(QStringLiteral("timer_cancelled")).toInteger();
    const CompareTableModel& queues = *view->queue_model();
    QCOMPARE(queues.rowCount(), 1);
    QCOMPARE(queues.index(0, 1).data().toString(), kTimer);
    QCOMPARE(sort_value(queues, 0, QStringLiteral("\u0394 cancelled")).toLongLong(), tasks);
    QCOMPARE(sort_value(queues, 0, QStringLiteral("\u0394 scheduled")).toLongLong(), 0);
    const CompareTableModel& classes = *view->class_model();
    const int task_row = find_row(classes, 0, kTask);
    QVERIFY(task_row >= 0);
    QCOMPARE(sort_value(classes, task_row, QStringLiteral("\u0394 instances")).toLongLong(), tasks);
    const int slow_row = find_row(classes, 0, kSlow);
    QVERIFY(slow_row >= 0);
    QCOMPARE(sort_value(classes, slow_row, QStringLiteral("\u0394 instances")).toLongLong(),
             steps_[3].toObject().value(QStringLiteral("slow_resources")).toInteger() -
                 steps_[0].toObject().value(QStringLiteral("slow_resources")).toInteger());
    const CompareTableModel& fin = *view->finalizer_model();
    const int fin_row = find_row(fin, 0, kSlow);
    QVERIFY(fin_row >= 0);
    QCOMPARE(sort_value(fin, fin_row, QStringLiteral("\u0394 pending")).toLongLong(),
             steps_[3].toObject().value(QStringLiteral("finalizer_pending")).toInteger() -
                 steps_[0].toObject().value(QStringLiteral("finalizer_pending")).toInteger());
    const CompareTableModel& findings = *view->finding_model();
    for (const char* kind : {"timer-cancelled-tasks", "finalizer-backlog"}) {
      const int r = find_row(findings, 3, QString::fromLatin1(kind));
      QVERIFY2(r >= 0, kind);
      QCOMPARE(findings.index(r, 0).data().toString(), QStringLiteral("grew"));
    }
    // The class table starts in the analysis' order (biggest retained growth first) and sorts
    // by any column.
    auto* proxy = view->class_table()->model();
    const int retained = classes.column(QStringLiteral("\u0394 retained"));
    for (int r = 1; r < proxy->rowCount(); ++r) {
      QVERIFY(proxy->index(r - 1, retained).data(kSortRole).toLongLong() >=
              proxy->index(r, retained).data(kSortRole).toLongLong());
    }
    const int inst = classes.column(QStringLiteral("\u0394 instances"));
    view->class_table()->sortByColumn(inst, Qt::AscendingOrder);
    for (int r = 1; r < proxy->rowCount(); ++r) {
      QVERIFY(proxy->index(r - 1, inst).data(kSortRole).toLongLong() <=
              proxy->index(r, inst).data(kSortRole).toLongLong());
    }

    // The same series, values and rates as the CLI's `trend --format json`, and the same time
    // to the limit once the view has one.
    view->set_heap_limit(256ull << 20);
    QCOMPARE(view->comparison()->trend.heap_limit_bytes, std::optional<uint64_t>(256ull << 20));
    QProcess cli;
    cli.start(QStringLiteral(HEAPSCOPE_CLI),
              {QStringLiteral("trend"), QStringLiteral("-q"), QStringLiteral("--format"),
               QStringLiteral("json"), QStringLiteral("--heap-limit"), QStringLiteral("256M"),
               step_dump(3), step_dump(1), step_dump(4), step_dump(2)});
    QVERIFY(cli.waitForFinished(kTimeoutMs));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonObject json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    const QJsonArray json_series = json.value(QStringLiteral("series")).toArray();
    QVERIFY(!json_series.isEmpty());
    QCOMPARE(series.rowCount(), json_series.size());
    bool eta = false;
    for (const auto& v : json_series) {
      const QJsonObject s = v.toObject();
      const int row = find_row(series, s.value(QStringLiteral("metric")).toString(),
                               s.value(QStringLiteral("key")).toString());
      QVERIFY2(row >= 0, qPrintable(s.value(QStringLiteral("metric")).toString()));
      const QJsonArray values = s.value(QStringLiteral("values")).toArray();
      QCOMPARE(values.size(), 4);
      for (int i = 0; i < 4; ++i)
        QCOMPARE(series.index(row, 2 + i).data(kSortRole).toLongLong(), values[i].toInteger());
      const double rate = s.value(QStringLiteral("rate_per_hour")).toDouble();
      const double shown = sort_value(series, row, QStringLiteral("Rate per hour")).toDouble();
      QVERIFY2(std::abs(shown - rate) <= 1e-6 * std::max(1.0, std::abs(rate)),
               qPrintable(QStringLiteral("%1 vs %2").arg(shown).arg(rate)));
      const QVariant shown_eta = sort_value(series, row, QStringLiteral("Time to limit"));
      QCOMPARE(shown_eta.isValid(), s.contains(QStringLiteral("eta_hours")));
      if (s.contains(QStringLiteral("eta_hours"))) {
        eta = true;
        const double e = s.value(QStringLiteral("eta_hours")).toDouble();
        QVERIFY(std::abs(shown_eta.toDouble() - e) <= 1e-6 * e);
      }
    }
    QVERIFY(eta);
  }

  void two_dumps_give_tables_without_charts() {
    TestWindow w;
    QVERIFY(w.open_dump_sync(step_dump(4)));
    QVERIFY(w.compare_with_sync({step_dump(1)}));
    QVERIFY(w.compare_view()->charts().empty());
    QCOMPARE(w.compare_view()->comparison()->paths(), QStringList({step_dump(1), step_dump(4)}));
    QCOMPARE(w.compare_view()->queue_model()->rowCount(), 1);
  }

  void cancel_and_bad_input() {
    TestWindow w;
    QVERIFY(w.open_dump_sync(step_dump(1)));
    QSignalSpy cancelled(&w, &MainWindow::load_cancelled);
    w.compare_loader()->set_phase_hook([&w](std::string_view) {
      QMetaObject::invokeMethod(w.load_status()->cancel_button(), &QPushButton::click,
                                Qt::BlockingQueuedConnection);
    });
    w.compare_with({step_dump(2)});
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, kTimeoutMs);
    QVERIFY(!w.compare_view()->comparison());
    QVERIFY(w.errors.isEmpty());
    w.compare_loader()->set_phase_hook({});

    // Not a heap dump: the library's error, naming the file.
    const QString sidecar = QDir(samples_dir()).filePath(QStringLiteral("TrendLeak-jdk17.json"));
    QSignalSpy ready(&w, &MainWindow::comparison_ready);
    w.compare_with({sidecar});
    QTRY_VERIFY_WITH_TIMEOUT(!w.errors.isEmpty(), kTimeoutMs);
    QVERIFY2(w.errors.first().contains(QStringLiteral("TrendLeak-jdk17.json")),
             qPrintable(w.errors.first()));
    QCOMPARE(ready.count(), 0);
    w.compare_with({QStringLiteral("/no/such/dump.hprof")});
    QCOMPARE(w.errors.size(), 2);
  }

 private:
  QTemporaryDir cache_dir_;
  QJsonObject sidecar_;
  QJsonArray steps_;
};

QTEST_MAIN(TestCompareView)
#include "tst_compare_view.moc"
