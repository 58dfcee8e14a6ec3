// Every model of the GUI under QAbstractItemModelTester, on the bundled demo dump, and what
// they show against the analysis library's own numbers.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>
#include <algorithm>

#include "analysis_session.h"
#include "class_count_model.h"
#include "dominator_model.h"
#include "finalizer_class_model.h"
#include "findings_model.h"
#include "format.h"
#include "histogram_model.h"
#include "item_roles.h"
#include "timer_model.h"

using namespace heapscope;
using namespace heapscope::gui;

namespace {
constexpr auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;
}

class TestGuiModels : public QObject {
  Q_OBJECT

  SessionPtr session_;

 private slots:
  void initTestCase() {
    auto s = AnalysisSession::open(QStringLiteral(HEAPSCOPE_GUI_DEMO_DUMP));
    QVERIFY2(s, s ? "" : s.error().describe().c_str());
    session_ = s.value();
  }

  void findings_model() {
    FindingsModel model;
    auto tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    QCOMPARE(model.rowCount(), 0);
    model.set_findings(session_->report().findings);
    QCOMPARE(model.rowCount(), static_cast<int>(session_->report().findings.size()));
    QVERIFY(model.rowCount() >= 1);
    const QModelIndex top = model.index(0, 0);
    QCOMPARE(top.data(kSeverityRole).toInt(), static_cast<int>(analysis::Severity::kCritical));
    QVERIFY(top.data().toString().contains(QLatin1String("PostgreSQL-JDBC-SharedTimer-1")));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
  }

  void finalizer_class_model() {
    FinalizerClassModel model;
    auto tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    const auto& rows = session_->report().finalizer.by_class;
    model.set_rows(rows);
    QCOMPARE(model.rowCount(), static_cast<int>(rows.size()));
    QVERIFY(model.rowCount() > 0);
    QCOMPARE(model.index(0, FinalizerClassModel::kClass).data().toString(),
             QString::fromStdString(rows[0].klass));
    QCOMPARE(model.index(0, FinalizerClassModel::kRegistered).data(kSortRole).toULongLong(),
             rows[0].registered);
    // The view's summary (FinalizerReport::held_only_*) is the sum of the table's rows.
    uint64_t held_count = 0, held_bytes = 0;
    for (int r = 0; r < model.rowCount(); ++r) {
      held_count +=
          model.index(r, FinalizerClassModel::kHeldOnlyCount).data(kSortRole).toULongLong();
      held_bytes +=
          model.index(r, FinalizerClassModel::kHeldOnlyBytes).data(kSortRole).toULongLong();
    }
    QCOMPARE(held_count, session_->report().finalizer.held_only_count);
    QCOMPARE(held_bytes, session_->report().finalizer.held_only_bytes);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(kSortRole);
    QAbstractItemModelTester proxy_tester(&proxy, kFatal);
    proxy.sort(FinalizerClassModel::kPending, Qt::DescendingOrder);
    model.set_rows({});
    QCOMPARE(proxy.rowCount(), 0);
  }

  void timer_model_and_class_counts() {
    TimerModel timers;
    QAbstractItemModelTester tester(&timers, kFatal);
    timers.set_timers(session_->report().timers);
    QCOMPARE(timers.rowCount(), 1);
    QCOMPARE(timers.index(0, TimerModel::kThread).data().toString(),
             QStringLiteral("PostgreSQL-JDBC-SharedTimer-1"));
    QCOMPARE(timers.index(0, TimerModel::kCancelled).data(kSortRole).toULongLong(), 2000ull);
    QCOMPARE(timers.index(0, TimerModel::kQueueSize).data().toString(), QStringLiteral("2,017"));
    QCOMPARE(timers.index(0, TimerModel::kHeldOnlyBytes).data(kObjectIdRole).toULongLong(),
             session_->report().timers[0].object_id);

    ClassCountModel held(QStringLiteral("Held-only bytes"));
    QAbstractItemModelTester held_tester(&held, kFatal);
    held.set_rows(session_->report().timers[0].held_only_by_class);
    QVERIFY(held.rowCount() >= 4);
    QVERIFY(held.has_bytes());
    bool statements = false;
    for (int r = 0; r < held.rowCount(); ++r) {
      if (held.index(r, ClassCountModel::kClass).data().toString() ==
          QLatin1String("org.postgresql.jdbc3g.Jdbc3gPreparedStatement")) {
        statements = held.index(r, ClassCountModel::kCount).data(kSortRole).toULongLong() == 2000;
      }
    }
    QVERIFY(statements);
    held.set_rows({});
    QCOMPARE(held.rowCount(), 0);
  }

  void histogram_model_sorts_and_filters() {
    HistogramModel model;
    auto tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    model.set_session(session_);
    QCOMPARE(model.rowCount(), static_cast<int>(session_->histogram().size()));
    QSortFilterProxyModel proxy;
    QAbstractItemModelTester proxy_tester(&proxy, kFatal);
    proxy.setSourceModel(&model);
    proxy.setSortRole(kSortRole);
    proxy.setFilterKeyColumn(HistogramModel::kClass);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.sort(HistogramModel::kCount, Qt::DescendingOrder);
    for (int r = 1; r < proxy.rowCount(); ++r) {
      QVERIFY(proxy.index(r - 1, HistogramModel::kCount).data(kSortRole).toULongLong() >=
              proxy.index(r, HistogramModel::kCount).data(kSortRole).toULongLong());
    }
    proxy.setFilterFixedString(QStringLiteral("POSTGRESQL"));
    QVERIFY(proxy.rowCount() > 0);
    for (int r = 0; r < proxy.rowCount(); ++r) {
      QVERIFY(proxy.index(r, 0).data().toString().contains(QLatin1String("org.postgresql")));
    }
    proxy.setFilterRegularExpression(
        QRegularExpression(QStringLiteral("^java\\.util\\.Timer(Task)?(\\[\\])?$")));
    QVERIFY(proxy.rowCount() >= 1);
    for (int r = 0; r < proxy.rowCount(); ++r) {
      QVERIFY(proxy.index(r, 0).data().toString().startsWith(QLatin1String("java.util.Timer")));
    }
    model.set_session(nullptr);
    QCOMPARE(proxy.rowCount(), 0);
  }

  // One histogram per load: the report's top classes are the session's first rows.
  void report_histogram_is_the_sessions() {
    const auto& rows = session_->histogram();
    const auto& top = session_->report().histogram;
    QVERIFY(!top.empty());
    QCOMPARE(top.size(), std::min<size_t>(rows.size(), 20));
    for (size_t i = 0; i < top.size(); ++i) {
      QVERIFY(top[i].klass == session_->index().class_info(rows[i].klass).name);
      QCOMPARE(top[i].count, rows[i].count);
      QCOMPARE(top[i].retained_bytes, rows[i].retained_bytes);
    }
  }

  void dominator_model_is_lazy_and_paged() {
    DominatorModel model;
    auto tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    QCOMPARE(model.rowCount(), 0);
    model.set_session(session_);

    // The same tree computed directly from the engine.
    const auto& engine = session_->engine();
    analysis::DominatorChildren children(engine.tree(), engine.retained());
    const auto top = children.of(engine.tree().root());
    QVERIFY(top.size() > DominatorModel::kPageSize);
    QCOMPARE(model.rowCount(), DominatorModel::kPageSize + 1);  // a page and "N more…"
    const QModelIndex first = model.index(0, DominatorModel::kObjectId);
    QCOMPARE(first.data(kObjectIdRole).toULongLong(), engine.index().object_id(top[0]));
    QCOMPARE(model.index(0, DominatorModel::kRetained).data(kSortRole).toULongLong(),
             engine.retained().bytes[top[0]]);
    QCOMPARE(model.index(0, DominatorModel::kClass).data().toString(),
             QString::fromStdString(engine.class_name_of(top[0])));

    // Paging: "N more…" loads the next 100 until the level is complete.
    QModelIndex more = model.index(DominatorModel::kPageSize, 0);
    QVERIFY(model.is_more_row(more));
    QVERIFY(more.data().toString().startsWith(
        QStringLiteral("%1 more").arg(with_commas(top.size() - 100))));
    for (int page = 1; model.is_more_row(model.index(model.rowCount() - 1, 0)); ++page) {
      const int before = model.rowCount();
      model.load_more(model.index(before - 1, 0));
      QVERIFY(model.rowCount() > before - 1);
      // The tester walks the whole tree on every change: three pages under it are enough.
      if (page == 3) tester.reset();
    }
    tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    QCOMPARE(model.rowCount(), static_cast<int>(top.size()));
    for (size_t i = 0; i < top.size(); i += 97) {
      QCOMPARE(model.node(model.index(static_cast<int>(i), 0)), top[i]);
    }

    // Children are fetched on demand (when a view expands the row), in retained order.
    const QModelIndex parent = model.index(0, 0);
    QVERIFY(model.hasChildren(parent));
    const auto kids = children.of(top[0]);
    QCOMPARE(model.rowCount(parent),
             static_cast<int>(std::min<size_t>(kids.size(), DominatorModel::kPageSize)) +
                 (kids.size() > DominatorModel::kPageSize ? 1 : 0));
    QCOMPARE(model.node(model.index(0, 0, parent)), kids[0]);
    QCOMPARE(model.parent(model.index(0, 0, parent)), parent);
    for (int r = 1; r < model.rowCount(parent) && !model.is_more_row(model.index(r, 0, parent));
         ++r) {
      QVERIFY(model.index(r - 1, DominatorModel::kRetained, parent).data(kSortRole).toULongLong() >=
              model.index(r, DominatorModel::kRetained, parent).data(kSortRole).toULongLong());
    }
    // A leaf: one object that retains only itself.
    for (int r = 0; r < model.rowCount(); ++r) {
      const auto n = model.node(model.index(r, 0));
      if (engine.retained().count[n] == 1) {
        QVERIFY(!model.hasChildren(model.index(r, 0)));
        QCOMPARE(model.rowCount(model.index(r, 0)), 0);
        break;
      }
    }
    model.set_session(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }

  void dominator_model_collapses_single_child_chains() {
    const auto& engine = session_->engine();
    const auto& count = engine.retained().count;
    analysis::DominatorChildren children(engine.tree(), engine.retained());
    // A top-level object with one child that has children of its own: a chain's head.
    const auto top = children.of(engine.tree().root());
    const auto head = std::find_if(top.begin(), top.end(), [&](analysis::NodeIndex v) {
      const auto kids = children.of(v);
      return kids.size() == 1 && count[kids[0]] > 1;
    });
    QVERIFY(head != top.end());
    const int row = static_cast<int>(head - top.begin());
    std::vector<analysis::NodeIndex> chain;
    auto kids = children.of(*head);
    while (kids.size() == 1 && count[kids[0]] > 1) {
      chain.push_back(kids[0]);
      kids = children.of(kids[0]);
    }

    DominatorModel model;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.set_collapse_chains(true);
    model.set_session(session_);
    while (model.rowCount() <= row) model.load_more(model.index(model.rowCount() - 1, 0));
    // After the paging (it walks the whole model on every change, fetching what it walks).
    auto tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    const QModelIndex index = model.index(row, 0);
    QCOMPARE(model.node(index), *head);
    // Expanding the row shows the children of the chain's last node; the row names the chain.
    QCOMPARE(model.rowCount(index),
             static_cast<int>(std::min<size_t>(kids.size(), DominatorModel::kPageSize)) +
                 (kids.size() > DominatorModel::kPageSize ? 1 : 0));
    QCOMPARE(model.node(model.index(0, 0, index)), kids[0]);
    QVERIFY(std::ranges::equal(model.chain(index), chain));
    QVERIFY(index.data().toString().contains(QStringLiteral("\u25b8")));
    QVERIFY(index.data().toString().contains(
        QString::fromStdString(engine.class_name_of(chain.back()))));
    QVERIFY(index.data(Qt::ToolTipRole).toString().contains(QStringLiteral("chain")));
    // The head's numbers stay: it retains the whole chain.
    QCOMPARE(model.index(row, DominatorModel::kRetained).data(kSortRole).toULongLong(),
             engine.retained().bytes[*head]);
    // The views hear of the new text once the fetch is over.
    QTRY_VERIFY(std::ranges::any_of(
        changed, [&](const QList<QVariant>& args) { return args.at(0).toModelIndex() == index; }));

    tester.reset();  // it would walk the whole model again on the reset

    // Not collapsed: the head's only child is a row of its own.
    model.set_collapse_chains(false);
    while (model.rowCount() <= row) model.load_more(model.index(model.rowCount() - 1, 0));
    QCOMPARE(model.rowCount(model.index(row, 0)), 1);
    QCOMPARE(model.node(model.index(0, 0, model.index(row, 0))), chain.front());
    QVERIFY(model.chain(model.index(row, 0)).empty());
  }
};

QTEST_GUILESS_MAIN(TestGuiModels)
#include "tst_gui_models.moc"
