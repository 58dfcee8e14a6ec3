#include "cleaner_model.h"

#include "format.h"
#include "item_roles.h"

namespace heapscope::gui {

// internalId: 0 for a Cleaner row, 1 + the Cleaner's row for the rows under it (its classes of
// referent first, then its NativeAllocationRegistries, then its examples).

CleanerModel::CleanerModel(QObject* parent) : QAbstractItemModel(parent) {}

void CleanerModel::set_cleaners(std::vector<analysis::CleanerReport> cleaners) {
  beginResetModel();
  cleaners_ = std::move(cleaners);
  endResetModel();
}

QModelIndex CleanerModel::index(int row, int column, const QModelIndex& parent) const {
  if (!hasIndex(row, column, parent)) return {};
  if (!parent.isValid()) return createIndex(row, column, quintptr{0});
  return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex CleanerModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == 0) return {};
  return createIndex(static_cast<int>(child.internalId() - 1), 0, quintptr{0});
}

int CleanerModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return static_cast<int>(cleaners_.size());
  if (parent.internalId() != 0 || parent.column() != 0) return 0;
  const auto& c = cleaners_[static_cast<size_t>(parent.row())];
  return static_cast<int>(c.by_referent_class.size() + c.by_registry.size() + c.examples.size());
}

int CleanerModel::columnCount(const QModelIndex&) const {
  return kColumnCount;
}

QVariant CleanerModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  if (role == Qt::TextAlignmentRole) {
    const bool number = index.column() != kName && index.column() != kState;
    return QVariant::fromValue(number ? Qt::AlignRight | Qt::AlignVCenter
                                      : Qt::AlignLeft | Qt::AlignVCenter);
  }
  if (index.internalId() == 0)
    return cleaner_data(cleaners_[static_cast<size_t>(index.row())], index.column(), role);
  const auto& c = cleaners_[index.internalId() - 1];
  auto row = static_cast<size_t>(index.row());
  if (row < c.by_referent_class.size())
    return class_data(c.by_referent_class[row], index.column(), role);
  row -= c.by_referent_class.size();
  if (row < c.by_registry.size()) return registry_data(c.by_registry[row], index.column(), role);
  return example_data(c.examples[row - c.by_registry.size()], index.column(), role);
}

QVariant CleanerModel::cleaner_data(const analysis::CleanerReport& c, int column, int role) const {
  if (role == kObjectIdRole)
    return c.object_id ? QVariant(static_cast<quint64>(c.object_id)) : QVariant();
  if (role == Qt::ToolTipRole && column == kName) return dump_text(c.kind);
  if (role == Qt::ToolTipRole && column == kNative && c.native_registrations > 0) {
    return tr("%1 NativeAllocationRegistry registrations; %2 of it never freed")
        .arg(with_commas(c.native_registrations), human_bytes(c.never_cleanable_native_bytes));
  }
  if (role != Qt::DisplayRole && role != kSortRole) return {};
  const bool sort = role == kSortRole;
  switch (column) {
    case kName:
      return c.thread_name.empty() ? dump_text(c.kind) : dump_text(c.thread_name);
    case kNative:
      if (sort) return static_cast<quint64>(c.native_bytes);
      return c.native_registrations == 0 ? QString() : human_bytes(c.native_bytes);
    case kRegistered:
      return sort ? QVariant(static_cast<quint64>(c.registered)) : with_commas(c.registered);
    case kPending:
      return sort ? QVariant(static_cast<quint64>(c.pending)) : with_commas(c.pending);
    case kNeverCleanable:
      return sort ? QVariant(static_cast<quint64>(c.never_cleanable))
                  : with_commas(c.never_cleanable);
    case kKeptAlive:
      return sort ? QVariant(static_cast<quint64>(c.never_cleanable_bytes))
                  : human_bytes(c.never_cleanable_bytes);
    case kState: {
      QString s = dump_text(c.verdict);
      if (!c.running_action_class.empty())
        s += tr(" in %1.run()").arg(dump_text(c.running_action_class));
      return s;
    }
    default:
      return {};
  }
}

QVariant CleanerModel::class_data(const analysis::CleanerClassStats& k, int column,
                                  int role) const {
  if (role != Qt::DisplayRole && role != kSortRole) return {};
  const bool sort = role == kSortRole;
  switch (column) {
    case kName:
      return dump_text(k.klass);
    case kRegistered:
      return sort ? QVariant(static_cast<quint64>(k.registered)) : with_commas(k.registered);
    case kNeverCleanable:
      return sort ? QVariant(static_cast<quint64>(k.never_cleanable))
                  : with_commas(k.never_cleanable);
    case kNative:
      if (sort) return static_cast<quint64>(k.native_bytes);
      return k.native_bytes == 0 ? QString() : human_bytes(k.native_bytes);
    default:
      return {};
  }
}

QVariant CleanerModel::registry_data(const analysis::NativeRegistryStats& g, int column,
                                     int role) const {
  if (role == kObjectIdRole) return static_cast<quint64>(g.registry_id);
  if (role != Qt::DisplayRole && role != kSortRole) return {};
  const bool sort = role == kSortRole;
  switch (column) {
    case kName:
      return tr("NativeAllocationRegistry %1, %2 each")
          .arg(hex_id(g.registry_id), human_bytes(g.size));
    case kRegistered:
      return sort ? QVariant(static_cast<quint64>(g.registrations)) : with_commas(g.registrations);
    case kNeverCleanable:
      return sort ? QVariant(static_cast<quint64>(g.never_cleanable))
                  : with_commas(g.never_cleanable);
    case kNative:
      return sort ? QVariant(static_cast<quint64>(g.native_bytes)) : human_bytes(g.native_bytes);
    default:
      return {};
  }
}

QVariant CleanerModel::example_data(const analysis::NeverCleanableExample& x, int column,
                                    int role) const {
  if (role == kObjectIdRole) return static_cast<quint64>(x.referent_id);
  if (role == Qt::ToolTipRole) return cleaner_path_text(x);
  if (role != Qt::DisplayRole && role != kSortRole) return {};
  switch (column) {
    case kName:
      return tr("never cleanable: %1 %2").arg(dump_text(x.referent_class), hex_id(x.referent_id));
    case kState:
      return cleaner_path_text(x);
    default:
      return {};
  }
}

QVariant CleanerModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kName:
      return tr("Cleaner thread / class of referent");
    case kRegistered:
      return tr("Registered");
    case kPending:
      return tr("Pending");
    case kNeverCleanable:
      return tr("Never cleanable");
    case kKeptAlive:
      return tr("They keep alive");
    case kNative:
      return tr("Native (Android)");
    case kState:
      return tr("Thread / path from action to referent");
    default:
      return {};
  }
}

QString cleaner_path_text(const analysis::NeverCleanableExample& x) {
  QString s;
  for (const auto& step : x.path) {
    s += dump_text(step.klass) + QLatin1Char(' ') + hex_id(step.object_id);
    if (!step.via.empty()) s += QStringLiteral(" \u2014%1\u2192 ").arg(dump_text(step.via));
  }
  return s;
}

}  // namespace heapscope::gui
