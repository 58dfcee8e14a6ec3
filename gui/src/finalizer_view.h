// The Finalizer tab: the Finalizer thread (state, verdict, stack, what it waits for), the totals
// per state, and a table of finalizable objects per class and state.
#pragma once

#include <QWidget>

#include "analysis_session.h"

class QLabel;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace heapscope::gui {

class FinalizerClassModel;

class FinalizerView : public QWidget {
  Q_OBJECT

 public:
  explicit FinalizerView(QWidget* parent = nullptr);
  void set_session(const SessionPtr& session);
  void clear();
  FinalizerClassModel* model() const { return model_; }

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
};

}  // namespace heapscope::gui
