#include "class_count_model.h"

#include "format.h"
#include "item_roles.h"

namespace heapscope::gui {

ClassCountModel::ClassCountModel(QString bytes_header, QObject* parent)
    : QAbstractTableModel(parent), bytes_header_(std::move(bytes_header)) {}

void ClassCountModel::set_rows(std::vector<analysis::ClassCount> rows) {
  beginResetModel();
  rows_ = std::move(rows);
  endResetModel();
}

bool ClassCountModel::has_bytes() const {
  for (const auto& r : rows_) {
    if (r.bytes) return true;
  }
  return false;
}

int ClassCountModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ClassCountModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant ClassCountModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& r = rows_[static_cast<size_t>(index.row())];
  if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
    switch (index.column()) {
      case kClass:
        return dump_text(r.klass);
      case kCount:
        return with_commas(r.count);
      case kBytes:
        return role == Qt::ToolTipRole ? with_commas(r.bytes) + tr(" bytes") : human_bytes(r.bytes);
    }
  } else if (role == kSortRole) {
    switch (index.column()) {
      case kClass:
        return dump_text(r.klass);
      case kCount:
        return static_cast<qulonglong>(r.count);
      case kBytes:
        return static_cast<qulonglong>(r.bytes);
    }
  } else if (role == Qt::TextAlignmentRole && index.column() != kClass) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  return {};
}

QVariant ClassCountModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kClass:
      return tr("Class");
    case kCount:
      return tr("Objects");
    case kBytes:
      return bytes_header_;
    default:
      return {};
  }
}

}  // namespace heapscope::gui
