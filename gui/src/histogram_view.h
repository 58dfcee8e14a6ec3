// The Histogram tab: the class histogram, sortable by every column, filtered by a substring or
// a regular expression on the class name.
#pragma once

#include <QWidget>

#include "analysis_session.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace heapscope::gui {

class HistogramModel;

class HistogramView : public QWidget {
  Q_OBJECT

 public:
  explicit HistogramView(QWidget* parent = nullptr);
  void set_session(const SessionPtr& session);
  void clear() { set_session(nullptr); }

  HistogramModel* model() const { return model_; }
  QSortFilterProxyModel* proxy() const { return proxy_; }
  // Filters the class names: a case-insensitive substring, or a regular expression.
  void set_filter(const QString& text, bool regex);

 signals:
  void object_activated(quint64 object_id);

 private:
  void apply_filter();

  HistogramModel* model_;
  QSortFilterProxyModel* proxy_;
  QLineEdit* filter_;
  QCheckBox* regex_;
  QLabel* count_;
  QTableView* table_;
};

}  // namespace heapscope::gui
