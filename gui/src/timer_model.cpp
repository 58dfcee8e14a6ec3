#include "timer_model.h"

#include <QColor>

#include "format.h"
#include "item_roles.h"

namespace heapscope::gui {

TimerModel::TimerModel(QObject* parent) : QAbstractTableModel(parent) {}

void TimerModel::set_timers(std::vector<analysis::TimerReport> timers) {
  beginResetModel();
  timers_ = std::move(timers);
  endResetModel();
}

int TimerModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(timers_.size());
}

int TimerModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant TimerModel::display(const analysis::TimerReport& t, int column) const {
  switch (column) {
    case kThread:
      return t.thread_name.empty() ? tr("(no thread)") : dump_text(t.thread_name);
    case kKind:
      return t.kind == "java.util.Timer" ? tr("Timer") : tr("Executor");
    case kAlive:
      return t.alive ? tr("yes") : tr("no");
    case kQueueSize:
      return with_commas(t.queue_size);
    case kCapacity:
      return with_commas(t.capacity);
    case kScheduled:
      return with_commas(t.tasks.scheduled);
    case kCancelled:
      return with_commas(t.tasks.cancelled);
    case kExecuted:
      return with_commas(t.tasks.executed);
    case kVirgin:
      return with_commas(t.tasks.virgin);
    case kHeldOnlyCount:
      return with_commas(t.held_only_count);
    case kHeldOnlyBytes:
      return human_bytes(t.held_only_bytes);
    case kHeadState:
      return t.head_state.empty() ? QStringLiteral("\u2014") : dump_text(t.head_state);
    case kHeadDue:
      return optional_duration_ms(t.head_fires_in_ms);
    case kLastCancelledLeaves:
      return optional_duration_ms(t.last_cancelled_leaves_in_ms);
    case kLibrary:
      return dump_text(t.library);
    case kObjectId:
      return hex_id(t.object_id);
    default:
      return {};
  }
}

QVariant TimerModel::sort_key(const analysis::TimerReport& t, int column) const {
  auto u = [](uint64_t v) { return QVariant(static_cast<qulonglong>(v)); };
  auto ms = [](const std::optional<int64_t>& v) {
    return QVariant(static_cast<qlonglong>(v.value_or(INT64_MAX)));
  };
  switch (column) {
    case kAlive:
      return t.alive;
    case kQueueSize:
      return u(t.queue_size);
    case kCapacity:
      return u(t.capacity);
    case kScheduled:
      return u(t.tasks.scheduled);
    case kCancelled:
      return u(t.tasks.cancelled);
    case kExecuted:
      return u(t.tasks.executed);
    case kVirgin:
      return u(t.tasks.virgin);
    case kHeldOnlyCount:
      return u(t.held_only_count);
    case kHeldOnlyBytes:
      return u(t.held_only_bytes);
    case kHeadDue:
      return ms(t.head_fires_in_ms);
    case kLastCancelledLeaves:
      return ms(t.last_cancelled_leaves_in_ms);
    case kObjectId:
      return u(t.object_id);
    default:
      return display(t, column);
  }
}

QVariant TimerModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const auto& t = timers_[static_cast<size_t>(index.row())];
  const int c = index.column();
  switch (role) {
    case Qt::DisplayRole:
      return display(t, c);
    case kSortRole:
      return sort_key(t, c);
    case kObjectIdRole:
      return static_cast<qulonglong>(t.object_id);
    case Qt::ToolTipRole:
      if (c == kHeldOnlyBytes) return with_commas(t.held_only_bytes) + tr(" bytes");
      if (c == kKind) return dump_text(t.klass);
      return tr("%1 %2 (double-click to inspect)").arg(dump_text(t.klass), hex_id(t.object_id));
    case Qt::TextAlignmentRole:
      if (c >= kQueueSize && c <= kHeldOnlyBytes) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      }
      return {};
    case Qt::ForegroundRole:
      if (c == kCancelled && t.tasks.cancelled > 0) return QColor(0xc6, 0x28, 0x28);
      if (c == kAlive && !t.alive) return QColor(0x80, 0x80, 0x80);
      return {};
    default:
      return {};
  }
}

QVariant TimerModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  static const char* const names[kColumnCount] = {"Thread",          "Kind",
                                                  "Alive",           "Queue",
                                                  "Capacity",        "Scheduled",
                                                  "Cancelled",       "Executed",
                                                  "Virgin",          "Held-only objects",
                                                  "Held-only bytes", "Head",
                                                  "Head due",        "Last cancelled leaves",
                                                  "Library",         "Object id"};
  if (role == Qt::DisplayRole && section >= 0 && section < kColumnCount) {
    return tr(names[section]);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case kHeldOnlyCount:
      case kHeldOnlyBytes:
        return tr("Freed if the cancelled tasks left the queue (Timer.purge())");
      case kHeadDue:
        return tr("When the task at the head of the queue is due, from the dump's time");
      case kLastCancelledLeaves:
        return tr("When the last cancelled task would leave the queue by itself");
      default:
        return {};
    }
  }
  return {};
}

}  // namespace heapscope::gui
