// The Timers tab: every Timer / ScheduledThreadPoolExecutor, and for the selected one what its
// cancelled tasks alone keep alive, by class, and which task classes its queue holds.
#pragma once

#include <QWidget>

#include "analysis_session.h"

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace heapscope::gui {

class ClassCountModel;
class TimerModel;

class TimersView : public QWidget {
  Q_OBJECT

 public:
  explicit TimersView(QWidget* parent = nullptr);
  void set_session(const SessionPtr& session);
  void clear();

  TimerModel* timer_model() const { return timers_; }
  ClassCountModel* held_only_model() const { return held_only_; }
  ClassCountModel* task_class_model() const { return task_classes_; }
  // Shows the details of the timer in source row `row` (-1: none).
  void select_timer(int row);

 signals:
  void object_activated(quint64 object_id);

 private:
  void on_current_changed();

  TimerModel* timers_;
  QSortFilterProxyModel* proxy_;
  QTableView* table_;
  QLabel* details_;
  ClassCountModel* held_only_;
  ClassCountModel* task_classes_;
  QTableView* held_only_table_;
  QTableView* task_class_table_;
};

}  // namespace heapscope::gui
