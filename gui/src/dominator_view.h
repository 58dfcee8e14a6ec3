// The Dominator tree tab: the lazy DominatorModel in a tree view. Expanding a row fetches its
// children; double-clicking "N more…" loads the next page; double-clicking an object opens it.
// A check box collapses single-child chains into one row (on by default); another groups each
// level's children by class (off by default).
#pragma once

#include <QWidget>

#include "analysis_session.h"

class QCheckBox;
class QLabel;
class QTreeView;

namespace heapscope::gui {

class DominatorModel;

class DominatorView : public QWidget {
  Q_OBJECT

 public:
  explicit DominatorView(QWidget* parent = nullptr);
  void set_session(const SessionPtr& session);
  void clear() { set_session(nullptr); }
  DominatorModel* model() const { return model_; }
  QTreeView* tree() const { return tree_; }
  QCheckBox* collapse_chains_box() const { return collapse_chains_; }
  QCheckBox* group_by_class_box() const { return group_by_class_; }

 signals:
  void object_activated(quint64 object_id);

 private:
  DominatorModel* model_;
  QTreeView* tree_;
  QLabel* caption_;
  QCheckBox* collapse_chains_;
  QCheckBox* group_by_class_;
};

}  // namespace heapscope::gui
