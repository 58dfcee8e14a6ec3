#include "findings_model.h"

#include "format.h"
#include "item_roles.h"
#include "severity_style.h"

namespace heapscope::gui {

FindingsModel::FindingsModel(QObject* parent) : QAbstractListModel(parent) {}

void FindingsModel::set_findings(std::vector<analysis::Finding> findings) {
  beginResetModel();
  findings_ = std::move(findings);
  endResetModel();
}

int FindingsModel::row_of(const std::string& id) const {
  for (size_t i = 0; i < findings_.size(); ++i) {
    if (findings_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

int FindingsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(findings_.size());
}

QVariant FindingsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& f = findings_[static_cast<size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      return dump_text(f.title);
    case Qt::ToolTipRole:
      return dump_text(f.explanation);
    case Qt::DecorationRole:
      return SeverityStyle::of(f.severity).accent;
    case kSeverityRole:
      return static_cast<int>(f.severity);
    case kSortRole:
      return static_cast<qulonglong>(f.retained_bytes);
    default:
      return {};
  }
}

}  // namespace heapscope::gui
