// The dominator tree grouped by class (DominatorModel::set_group_by_class) under
// QAbstractItemModelTester, on the bundled demo dump, against analysis::group_children_by_class
// and the dominator tree read directly from the engine: the top level's groups, a group's
// objects in retained order summing to the group's row, and the 2,000 cancelled timer tasks the
// queue's array alone holds (samples/demo/pg-timer-leak.json: tasks.cancelled) as one row
// "AbstractJdbc2Statement$1 (2,000)".
#include <QAbstractItemModelTester>
#include <QTest>
#include <algorithm>
#include <vector>

#include "analysis_session.h"
#include "dominator_model.h"
#include "format.h"
#include "heapscope/analysis/child_groups.h"
#include "item_roles.h"

using namespace heapscope;
using namespace heapscope::gui;

namespace {
constexpr auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;
constexpr const char* kTaskClass = "org.postgresql.jdbc2.AbstractJdbc2Statement$1";

// Loads every page of `parent`'s rows.
void load_all(DominatorModel& model, const QModelIndex& parent) {
  while (model.rowCount(parent) > 0 &&
         model.is_more_row(model.index(model.rowCount(parent) - 1, 0, parent))) {
    model.load_more(model.index(model.rowCount(parent) - 1, 0, parent));
  }
}

// The row of `target` below `parent` (a grouped level): its group, then the object in it.
QModelIndex find_object(DominatorModel& model, const QModelIndex& parent,
                        analysis::NodeIndex target) {
  load_all(model, parent);
  for (int g = 0; g < model.rowCount(parent); ++g) {
    const QModelIndex group = model.index(g, 0, parent);
    if (!model.is_group_row(group)) return {};
    load_all(model, group);
    for (int r = 0; r < model.rowCount(group); ++r) {
      if (model.node(model.index(r, 0, group)) == target) return model.index(r, 0, group);
    }
  }
  return {};
}
}  // namespace

class TestDominatorGroups : public QObject {
  Q_OBJECT

  SessionPtr session_;

 private slots:
  void initTestCase() {
    auto s = AnalysisSession::open(QStringLiteral(HEAPSCOPE_GUI_DEMO_DUMP));
    QVERIFY2(s, s ? "" : s.error().describe().c_str());
    session_ = s.value();
  }

  void top_level_groups_match_the_library() {
    DominatorModel model;
    auto tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    model.set_group_by_class(true);
    model.set_session(session_);
    const auto& engine = session_->engine();
    analysis::DominatorChildren children(engine.tree(), engine.retained());
    const auto top = children.of(engine.tree().root());
    const auto cg = analysis::group_children_by_class(engine.index(), engine.retained(), top);
    QVERIFY(cg.groups.size() > 1);
    QVERIFY(cg.groups.size() < top.size());
    const int shown = static_cast<int>(std::min<size_t>(cg.groups.size(), 100));
    QCOMPARE(model.rowCount(), shown + (cg.groups.size() > 100 ? 1 : 0));
    for (int r = 0; r < shown; ++r) {
      const QModelIndex row = model.index(r, 0);
      QVERIFY(model.is_group_row(row));
      QCOMPARE(model.node(row), analysis::kNoNode);
      const auto& g = cg.groups[static_cast<size_t>(r)];
      QCOMPARE(model.group(row)->count, g.count);
      QCOMPARE(row.data().toString(),
               QStringLiteral("%1 (%2)").arg(
                   QString::fromStdString(analysis::child_group_name(engine.index(), g)),
                   with_commas(g.count)));
      QCOMPARE(model.index(r, DominatorModel::kRetained).data(kSortRole).toULongLong(),
               g.retained_bytes);
      QCOMPARE(model.index(r, DominatorModel::kShallow).data(kSortRole).toULongLong(),
               g.shallow_bytes);
      QVERIFY(!model.index(r, DominatorModel::kObjectId).data(kObjectIdRole).isValid());
      QVERIFY(model.hasChildren(row));
    }

    // The biggest group opens onto its objects, largest retained first, paged; they add up
    // to the group's row.
    tester.reset();  // it walks the whole tree on every page
    const QModelIndex first = model.index(0, 0);
    load_all(model, first);
    tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    QCOMPARE(model.rowCount(first), static_cast<int>(cg.groups[0].count));
    uint64_t sum = 0;
    for (int r = 0; r < model.rowCount(first); ++r) {
      const QModelIndex obj = model.index(r, DominatorModel::kRetained, first);
      QVERIFY(!model.is_group_row(obj));
      sum += obj.data(kSortRole).toULongLong();
      if (r > 0) {
        QVERIFY(
            model.index(r - 1, DominatorModel::kRetained, first).data(kSortRole).toULongLong() >=
            obj.data(kSortRole).toULongLong());
      }
      QCOMPARE(model.parent(model.index(r, 0, first)), first);
    }
    QCOMPARE(sum, cg.groups[0].retained_bytes);
  }

  void timer_tasks_are_one_row() {
    const auto& engine = session_->engine();
    const auto& index = engine.index();
    // The node whose children hold the most timer tasks, found without the model.
    analysis::DominatorChildren children(engine.tree(), engine.retained());
    analysis::NodeIndex holder = analysis::kNoNode;
    uint32_t most = 0;
    for (analysis::NodeIndex v : engine.tree().preorder()) {
      if (v == engine.tree().root() || engine.retained().count[v] <= 1) continue;
      uint32_t tasks = 0;
      for (auto c : children.of(v)) tasks += engine.class_name_of(c) == kTaskClass;
      if (tasks > most) most = tasks, holder = v;
    }
    QCOMPARE(most, 2000u);
    QCOMPARE(engine.class_name_of(holder), std::string("java.util.TimerTask[]"));  // the queue

    // Its path from the root, walked in the grouped model.
    std::vector<analysis::NodeIndex> path;
    for (auto v = holder; v != engine.tree().root(); v = engine.tree().idom(v)) path.push_back(v);
    std::reverse(path.begin(), path.end());
    DominatorModel model;
    model.set_group_by_class(true);
    model.set_session(session_);
    QModelIndex at;
    for (auto v : path) {
      at = find_object(model, at, v);
      QVERIFY2(at.isValid(), qPrintable(QStringLiteral("node %1 not found").arg(v)));
    }
    auto tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    QModelIndex tasks;
    for (int r = 0; r < model.rowCount(at); ++r) {
      if (model.index(r, 0, at).data().toString() ==
          QStringLiteral("%1 (2,000)").arg(QLatin1String(kTaskClass)))
        tasks = model.index(r, 0, at);
    }
    QVERIFY(tasks.isValid());
    QCOMPARE(model.group(tasks)->count, 2000u);
    QCOMPARE(model.rowCount(tasks), DominatorModel::kPageSize + 1);  // a page and "N more…"
    QVERIFY(model.is_more_row(model.index(DominatorModel::kPageSize, 0, tasks)));
    QCOMPARE(model.index(0, DominatorModel::kClass, tasks).data().toString(),
             QLatin1String(kTaskClass));
    QVERIFY(model.index(0, DominatorModel::kObjectId, tasks).data(kObjectIdRole).isValid());
    (void)index;
  }

  void toggling_resets_to_objects() {
    DominatorModel model;
    auto tester = std::make_unique<QAbstractItemModelTester>(&model, kFatal);
    model.set_session(session_);
    QVERIFY(!model.is_group_row(model.index(0, 0)));
    model.set_group_by_class(true);
    QVERIFY(model.is_group_row(model.index(0, 0)));
    model.set_group_by_class(false);
    QVERIFY(!model.is_group_row(model.index(0, 0)));
    QVERIFY(model.node(model.index(0, 0)) != analysis::kNoNode);
  }
};

QTEST_MAIN(TestDominatorGroups)
#include "tst_dominator_groups.moc"
