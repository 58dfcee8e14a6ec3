// Finalizable objects per class and state (registered, pending, being finalized, finalized
// but not collected) and what only finalization keeps alive.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "heapscope/analysis/report.h"

namespace heapscope::gui {

class FinalizerClassModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    kClass,
    kRegistered,
    kPending,
    kBeingFinalized,
    kFinalized,
    kShallow,
    kHeldOnlyCount,
    kHeldOnlyBytes,
    kColumnCount
  };

  explicit FinalizerClassModel(QObject* parent = nullptr);
  void set_rows(std::vector<analysis::FinalizerClassStats> rows);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<analysis::FinalizerClassStats> rows_;
};

}  // namespace heapscope::gui
