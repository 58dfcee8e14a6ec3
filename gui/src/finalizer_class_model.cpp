#include "finalizer_class_model.h"

#include "format.h"
#include "item_roles.h"

namespace heapscope::gui {

FinalizerClassModel::FinalizerClassModel(QObject* parent) : QAbstractTableModel(parent) {}

void FinalizerClassModel::set_rows(std::vector<analysis::FinalizerClassStats> rows) {
  beginResetModel();
  rows_ = std::move(rows);
  endResetModel();
}

int FinalizerClassModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int FinalizerClassModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant FinalizerClassModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& r = rows_[static_cast<size_t>(index.row())];
  const int c = index.column();
  if (c == kClass) {
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole || role == kSortRole) {
      return dump_text(r.klass);
    }
    return {};
  }
  uint64_t v = 0;
  switch (c) {
    case kRegistered:
      v = r.registered;
      break;
    case kPending:
      v = r.pending;
      break;
    case kBeingFinalized:
      v = r.being_finalized;
      break;
    case kFinalized:
      v = r.finalized_not_collected;
      break;
    case kShallow:
      v = r.shallow_bytes;
      break;
    case kHeldOnlyCount:
      v = r.held_only_count;
      break;
    case kHeldOnlyBytes:
      v = r.held_only_bytes;
      break;
    default:
      return {};
  }
  const bool bytes = c == kShallow || c == kHeldOnlyBytes;
  switch (role) {
    case Qt::DisplayRole:
      return bytes ? human_bytes(v) : with_commas(v);
    case Qt::ToolTipRole:
      return bytes ? with_commas(v) + tr(" bytes") : with_commas(v);
    case kSortRole:
      return static_cast<qulonglong>(v);
    case Qt::TextAlignmentRole:
      return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default:
      return {};
  }
}

QVariant FinalizerClassModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case kRegistered:
        return tr("On Finalizer.unfinalized, not yet queued");
      case kPending:
        return tr("In Finalizer.queue, waiting for the Finalizer thread");
      case kBeingFinalized:
        return tr("finalize() is running on the Finalizer thread");
      case kFinalized:
        return tr("Finalized, not yet collected");
      case kHeldOnlyCount:
      case kHeldOnlyBytes:
        return tr(
            "Held only by finalization: its objects reachable only through their Finalizer, "
            "and what only they keep alive (freed once finalization is done with them)");
      default:
        return {};
    }
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case kClass:
      return tr("Class");
    case kRegistered:
      return tr("Registered");
    case kPending:
      return tr("Pending");
    case kBeingFinalized:
      return tr("Being finalized");
    case kFinalized:
      return tr("Finalized");
    case kShallow:
      return tr("Shallow");
    case kHeldOnlyCount:
      return tr("Held-only objects");
    case kHeldOnlyBytes:
      return tr("Held-only bytes");
    default:
      return {};
  }
}

}  // namespace heapscope::gui
