// The class histogram: instances, shallow and retained bytes per class (every class with at least
// one object). Sorting and filtering happen in a QSortFilterProxyModel over kSortRole.
#pragma once

#include <QAbstractTableModel>

#include "analysis_session.h"

namespace heapscope::gui {

class HistogramModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kClass, kCount, kShallow, kRetained, kRetainedPercent, kColumnCount };

  explicit HistogramModel(QObject* parent = nullptr);
  void set_session(SessionPtr session);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  SessionPtr session_;
  std::vector<QString> names_;  // class names, converted once (the filter reads them all)
};

}  // namespace heapscope::gui
