// The report's findings, most severe first: one row each (title, severity, retained bytes).
#pragma once

#include <QAbstractListModel>
#include <vector>

#include "heapscope/analysis/report.h"

namespace heapscope::gui {

class FindingsModel : public QAbstractListModel {
  Q_OBJECT

 public:
  explicit FindingsModel(QObject* parent = nullptr);

  void set_findings(std::vector<analysis::Finding> findings);
  void clear() { set_findings({}); }
  const analysis::Finding& finding(int row) const { return findings_[static_cast<size_t>(row)]; }
  // Row of the finding with this id, or -1.
  int row_of(const std::string& id) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

 private:
  std::vector<analysis::Finding> findings_;
};

}  // namespace heapscope::gui
