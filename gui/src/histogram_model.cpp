#include "histogram_model.h"

#include "format.h"
#include "item_roles.h"

namespace heapscope::gui {

HistogramModel::HistogramModel(QObject* parent) : QAbstractTableModel(parent) {}

void HistogramModel::set_session(SessionPtr session) {
  beginResetModel();
  session_ = std::move(session);
  names_.clear();
  if (session_) {
    names_.reserve(session_->histogram().size());
    for (const auto& row : session_->histogram()) {
      names_.push_back(dump_text(session_->index().class_info(row.klass).name));
    }
  }
  endResetModel();
}

int HistogramModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !session_ ? 0 : static_cast<int>(session_->histogram().size());
}

int HistogramModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant HistogramModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& row = session_->histogram()[static_cast<size_t>(index.row())];
  const int c = index.column();
  const uint64_t total = session_->reachable_bytes();
  const double fraction =
      total ? static_cast<double>(row.retained_bytes) / static_cast<double>(total) : 0.0;
  switch (role) {
    case Qt::DisplayRole:
      switch (c) {
        case kClass:
          return names_[static_cast<size_t>(index.row())];
        case kCount:
          return with_commas(row.count);
        case kShallow:
          return human_bytes(row.shallow_bytes);
        case kRetained:
          return human_bytes(row.retained_bytes);
        case kRetainedPercent:
          return percent(fraction);
      }
      return {};
    case kSortRole:
      switch (c) {
        case kClass:
          return names_[static_cast<size_t>(index.row())];
        case kCount:
          return static_cast<qulonglong>(row.count);
        case kShallow:
          return static_cast<qulonglong>(row.shallow_bytes);
        case kRetained:
          return static_cast<qulonglong>(row.retained_bytes);
        case kRetainedPercent:
          return fraction;
      }
      return {};
    case kObjectIdRole: {
      // The class object: double-click shows its statics.
      const auto object = session_->index().class_info(row.klass).object;
      if (object == hprof::kNoObject) return {};
      return static_cast<qulonglong>(session_->index().object_id(object));
    }
    case Qt::ToolTipRole:
      if (c == kShallow) return with_commas(row.shallow_bytes) + tr(" bytes");
      if (c == kRetained) return with_commas(row.retained_bytes) + tr(" bytes");
      return names_[static_cast<size_t>(index.row())];
    case Qt::TextAlignmentRole:
      if (c != kClass) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    default:
      return {};
  }
}

QVariant HistogramModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole && (section == kRetained || section == kRetainedPercent)) {
    return tr(
        "Bytes all instances of the class keep alive together (Eclipse MAT's retained heap "
        "of a class)");
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case kClass:
      return tr("Class");
    case kCount:
      return tr("Objects");
    case kShallow:
      return tr("Shallow");
    case kRetained:
      return tr("Retained");
    case kRetainedPercent:
      return tr("Retained %");
    default:
      return {};
  }
}

}  // namespace heapscope::gui
