// The Finalizer tab: the Finalizer thread (state, verdict, stack, what it waits for), the totals
// per state, and a table of finalizable objects per class and state; below, the Cleaners.
#pragma once

#include <QWidget>

#include "analysis_session.h"

class QLabel;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;
class QTreeView;

namespace heapscope::gui {

class CleanerModel;
class FinalizerClassModel;

class FinalizerView : public QWidget {
  Q_OBJECT

 public:
  explicit FinalizerView(QWidget* parent = nullptr);
  void set_session(const SessionPtr& session);
  void clear();
  FinalizerClassModel* model() const { return model_; }
  CleanerModel* cleaner_model() const { return cleaners_; }

 signals:
  void object_activated(quint64 object_id);

 private:
  void show_thread(const analysis::FinalizerReport& r);
  void show_totals(const analysis::FinalizerReport& r);

  QLabel* thread_;
  QLabel* totals_;
  QPlainTextEdit* stack_;
  FinalizerClassModel* model_;
  QSortFilterProxyModel* proxy_;
  QTableView* table_;
  CleanerModel* cleaners_;  // java.lang.ref.Cleaner and the JDK's internal cleaner lists
  QTreeView* cleaner_tree_;
};

// The FinalizerWatchdogDaemon line of the thread box (Android; "" when absent): its verdict and
// a link to the object whose finalize() it times.
QString watchdog_html(const analysis::FinalizerWatchdogReport& w);

}  // namespace heapscope::gui
