// A table of (class, count, bytes) rows: what a timer's cancelled tasks alone keep alive, or
// which task classes a queue holds.
#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <vector>

#include "heapscope/analysis/report.h"

namespace heapscope::gui {

class ClassCountModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kClass, kCount, kBytes, kColumnCount };

  explicit ClassCountModel(QString bytes_header, QObject* parent = nullptr);
  void set_rows(std::vector<analysis::ClassCount> rows);
  // False when every row's bytes are 0 (the report leaves them out): the column can hide.
  bool has_bytes() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QString bytes_header_;
  std::vector<analysis::ClassCount> rows_;
};

}  // namespace heapscope::gui
