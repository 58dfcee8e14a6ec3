#include "dominator_model.h"

#include <QColor>
#include <QFont>
#include <algorithm>

#include "format.h"
#include "item_roles.h"

namespace heapscope::gui {

// One fetched row. A "more" row has node == kNoNode and group < 0 and lives in its parent's
// `more`; a group row has node == kNoNode and the index of its group in its parent's `groups`.
struct DominatorModel::Item {
  analysis::NodeIndex node = analysis::kNoNode;
  int group = -1;
  Item* parent = nullptr;
  int row = 0;
  bool fetched = false;
  size_t total = 0;  // children in the dominator tree, known once fetched
  // A collapsed single-child chain below `node`, top first; the children are the last one's.
  std::vector<analysis::NodeIndex> chain;
  std::vector<std::unique_ptr<Item>> children;
  std::unique_ptr<Item> more;
  // When grouped by class: the children of tail() in groups; the rows are the groups.
  const analysis::ChildGroups* groups = nullptr;  // the session's

  bool is_group() const { return group >= 0; }
  const analysis::ChildGroup& group_info() const {
    return parent->groups->groups[static_cast<size_t>(group)];
  }
  int row_count() const { return static_cast<int>(children.size()) + (more ? 1 : 0); }
  analysis::NodeIndex tail() const { return chain.empty() ? node : chain.back(); }
};

DominatorModel::DominatorModel(QObject* parent) : QAbstractItemModel(parent) {}
DominatorModel::~DominatorModel() = default;

void DominatorModel::set_collapse_chains(bool collapse) {
  if (collapse == collapse_chains_) return;
  collapse_chains_ = collapse;
  set_session(session_);
}

void DominatorModel::set_group_by_class(bool group) {
  if (group == group_by_class_) return;
  group_by_class_ = group;
  set_session(session_);
}

void DominatorModel::set_session(SessionPtr session) {
  beginResetModel();
  session_ = std::move(session);
  root_.reset();
  if (session_) {
    root_ = std::make_unique<Item>();
    root_->node = session_->engine().tree().root();
    ensure_fetched(root_.get());
  }
  endResetModel();
}

std::span<const analysis::NodeIndex> DominatorModel::member_list(const Item* it) const {
  if (it->is_group()) return it->parent->groups->members_of(it->group_info());
  return session_->dominator_children().of(it->tail());
}

size_t DominatorModel::list_size(const Item* it) const {
  if (it->groups) return it->groups->groups.size();
  return member_list(it).size();
}

void DominatorModel::add_items(Item* p, size_t begin, size_t end) const {
  const auto kids = p->groups ? std::span<const analysis::NodeIndex>{} : member_list(p);
  p->children.reserve(end);
  for (size_t i = begin; i < end; ++i) {
    auto child = std::make_unique<Item>();
    if (p->groups) {
      child->group = static_cast<int>(i);
    } else {
      child->node = kids[i];
    }
    child->parent = p;
    child->row = static_cast<int>(i);
    p->children.push_back(std::move(child));
  }
}

void DominatorModel::ensure_fetched(Item* it) const {
  if (it->fetched || (it->node == analysis::kNoNode && !it->is_group())) return;
  if (it->is_group()) {
    it->fetched = true;
    it->total = it->group_info().count;
    const size_t n = std::min<size_t>(it->total, kPageSize);
    add_items(it, 0, n);
    if (n < it->total) {
      it->more = std::make_unique<Item>();
      it->more->parent = it;
      it->more->row = static_cast<int>(n);
    }
    return;
  }
  const bool any = it == root_.get() || has_children(it);
  it->fetched = true;
  if (!any) return;
  auto& children = session_->dominator_children();
  auto kids = children.of(it->node);
  if (collapse_chains_ && it != root_.get()) {
    const auto& count = session_->engine().retained().count;
    while (kids.size() == 1 && count[kids[0]] > 1) {
      it->chain.push_back(kids[0]);
      kids = children.of(kids[0]);
    }
    if (!it->chain.empty()) {
      // The row now reads "A ▸ … ▸ Z": tell the views once the fetch (inside a const call
      // such as rowCount) is over.
      const QPersistentModelIndex first(index_of(it));
      const QPersistentModelIndex last(createIndex(it->row, kColumnCount - 1, it));
      auto* self = const_cast<DominatorModel*>(this);
      QMetaObject::invokeMethod(
          self,
          [self, first, last] {
            if (first.isValid() && last.isValid()) emit self->dataChanged(first, last);
          },
          Qt::QueuedConnection);
    }
  }
  if (group_by_class_) {
    it->groups = &session_->child_groups(it->tail());
  }
  it->total = list_size(it);
  const size_t n = std::min<size_t>(it->total, kPageSize);
  add_items(it, 0, n);
  if (n < it->total) {
    it->more = std::make_unique<Item>();
    it->more->parent = it;
    it->more->row = static_cast<int>(n);
  }
}

DominatorModel::Item* DominatorModel::item(const QModelIndex& index) const {
  if (!index.isValid()) return root_.get();
  return static_cast<Item*>(index.internalPointer());
}

QModelIndex DominatorModel::index_of(Item* it) const {
  if (it == nullptr || it == root_.get()) return {};
  return createIndex(it->row, 0, it);
}

bool DominatorModel::is_more_row(const QModelIndex& index) const {
  const Item* it = index.isValid() ? item(index) : nullptr;
  return it != nullptr && it->node == analysis::kNoNode && !it->is_group();
}

bool DominatorModel::is_group_row(const QModelIndex& index) const {
  const Item* it = index.isValid() ? item(index) : nullptr;
  return it != nullptr && it->is_group();
}

const analysis::ChildGroup* DominatorModel::group(const QModelIndex& index) const {
  return is_group_row(index) ? &item(index)->group_info() : nullptr;
}

analysis::NodeIndex DominatorModel::node(const QModelIndex& index) const {
  if (!index.isValid() || !root_) return analysis::kNoNode;
  return item(index)->node;
}

std::span<const analysis::NodeIndex> DominatorModel::chain(const QModelIndex& index) const {
  if (!index.isValid() || !root_) return {};
  return item(index)->chain;
}

QModelIndex DominatorModel::index(int row, int column, const QModelIndex& parent) const {
  if (!root_ || column < 0 || column >= kColumnCount || row < 0) return {};
  Item* p = item(parent);
  if (p == nullptr) return {};
  ensure_fetched(p);
  if (row >= p->row_count()) return {};
  Item* it = row < static_cast<int>(p->children.size())
                 ? p->children[static_cast<size_t>(row)].get()
                 : p->more.get();
  return createIndex(row, column, it);
}

QModelIndex DominatorModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  return index_of(item(child)->parent);
}

int DominatorModel::rowCount(const QModelIndex& parent) const {
  if (!root_ || parent.column() > 0) return 0;
  Item* p = item(parent);
  if (p == nullptr) return 0;
  ensure_fetched(p);
  return p->row_count();
}

int DominatorModel::columnCount(const QModelIndex&) const {
  return kColumnCount;
}

bool DominatorModel::has_children(const Item* it) const {
  if (it == nullptr) return false;
  if (it->is_group()) return true;  // a group has at least one object
  if (it->node == analysis::kNoNode) return false;
  if (it->fetched) return it->total > 0;
  if (it == root_.get()) return true;
  // A node dominates others exactly when it retains more objects than itself.
  return session_->engine().retained().count[it->node] > 1;
}

bool DominatorModel::hasChildren(const QModelIndex& parent) const {
  if (!root_ || parent.column() > 0) return false;
  return has_children(item(parent));
}

void DominatorModel::load_more(const QModelIndex& more_row) {
  if (!is_more_row(more_row)) return;
  Item* p = item(more_row)->parent;
  append_page(p, index_of(p));
}

void DominatorModel::append_page(Item* p, const QModelIndex& parent) {
  const size_t size = list_size(p);
  const size_t begin = p->children.size();
  const size_t end = std::min(size, begin + kPageSize);
  // The "more" row leaves and comes back after the new page (its text counts what is left).
  if (p->more) {
    beginRemoveRows(parent, static_cast<int>(begin), static_cast<int>(begin));
    p->more.reset();
    endRemoveRows();
  }
  const bool need_more = end < size;
  if (end == begin && !need_more) return;
  beginInsertRows(parent, static_cast<int>(begin), static_cast<int>(end) - (need_more ? 0 : 1));
  add_items(p, begin, end);
  if (need_more) {
    p->more = std::make_unique<Item>();
    p->more->parent = p;
    p->more->row = static_cast<int>(end);
  }
  endInsertRows();
}

QVariant DominatorModel::object_data(const Item* it, int column, int role) const {
  const auto& index = session_->index();
  const auto& retained = session_->engine().retained();
  const analysis::NodeIndex n = it->node;
  const uint64_t total = session_->reachable_bytes();
  const double fraction =
      total ? static_cast<double>(retained.bytes[n]) / static_cast<double>(total) : 0.0;
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case kClass:
          return it->chain.empty() ? session_->class_name(n) : chain_text(it);
        case kObjectId:
          return hex_id(index.object_id(n));
        case kShallow:
          return human_bytes(index.shallow_size(n));
        case kRetained:
          return human_bytes(retained.bytes[n]);
        case kRetainedPercent:
          return percent(fraction);
        case kObjects:
          return with_commas(retained.count[n]);
      }
      return {};
    case kSortRole:
      switch (column) {
        case kClass:
          return session_->class_name(n);
        case kObjectId:
          return static_cast<qulonglong>(index.object_id(n));
        case kShallow:
          return static_cast<qulonglong>(index.shallow_size(n));
        case kRetained:
          return static_cast<qulonglong>(retained.bytes[n]);
        case kRetainedPercent:
          return fraction;
        case kObjects:
          return static_cast<qulonglong>(retained.count[n]);
      }
      return {};
    case kObjectIdRole:
      return static_cast<qulonglong>(index.object_id(n));
    case Qt::ToolTipRole:
      return tr("%1 %2\nretains %3 bytes in %4 objects (double-click to inspect)")
                 .arg(session_->class_name(n), hex_id(index.object_id(n)),
                      with_commas(retained.bytes[n]), with_commas(retained.count[n])) +
             chain_tooltip(it);
    case Qt::TextAlignmentRole:
      if (column >= kShallow) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::FontRole:
      if (column == kObjectId) {
        QFont f(QStringLiteral("monospace"));
        f.setStyleHint(QFont::Monospace);
        return f;
      }
      return {};
    default:
      return {};
  }
}

QVariant DominatorModel::group_data(const Item* it, int column, int role) const {
  const analysis::ChildGroup& g = it->group_info();
  const uint64_t total = session_->reachable_bytes();
  const double fraction =
      total ? static_cast<double>(g.retained_bytes) / static_cast<double>(total) : 0.0;
  const QString name = dump_text(analysis::child_group_name(session_->index(), g));
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case kClass:
          return tr("%1 (%2)").arg(name, with_commas(g.count));
        case kShallow:
          return human_bytes(g.shallow_bytes);
        case kRetained:
          return human_bytes(g.retained_bytes);
        case kRetainedPercent:
          return percent(fraction);
        case kObjects:
          return with_commas(g.retained_objects);
      }
      return {};
    case kSortRole:
      switch (column) {
        case kClass:
          return name;
        case kShallow:
          return static_cast<qulonglong>(g.shallow_bytes);
        case kRetained:
          return static_cast<qulonglong>(g.retained_bytes);
        case kRetainedPercent:
          return fraction;
        case kObjects:
          return static_cast<qulonglong>(g.retained_objects);
      }
      return {};
    case Qt::ToolTipRole:
      return tr("%1 objects of %2 directly below the row above\nshallow %3 bytes, retained %4 "
                "bytes in %5 objects (expand to list them, largest first)")
          .arg(with_commas(g.count), name, with_commas(g.shallow_bytes),
               with_commas(g.retained_bytes), with_commas(g.retained_objects));
    case Qt::TextAlignmentRole:
      if (column >= kShallow) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::FontRole:
      if (column == kClass) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    default:
      return {};
  }
}

QString DominatorModel::chain_text(const Item* it) const {
  const QString head = session_->class_name(it->node);
  const QString tail = session_->class_name(it->chain.back());
  if (it->chain.size() == 1) return head + QStringLiteral(" \u25b8 ") + tail;
  return tr("%1 \u25b8 \u2026 \u25b8 %2 (chain of %3)")
      .arg(head, tail, with_commas(it->chain.size() + 1));
}

QString DominatorModel::chain_tooltip(const Item* it) const {
  if (it->chain.empty()) return {};
  constexpr size_t kShown = 12;
  QString text = tr("\n\nSingle-child chain of %1 objects, collapsed; below it:")
                     .arg(with_commas(it->chain.size() + 1));
  for (size_t i = 0; i < it->chain.size() && i < kShown; ++i) {
    const auto v = it->chain[i];
    text += QStringLiteral("\n  \u25b8 %1 %2")
                .arg(session_->class_name(v), hex_id(session_->index().object_id(v)));
  }
  if (it->chain.size() > kShown) {
    text += tr("\n  \u2026 %1 more, down to %2 %3")
                .arg(with_commas(it->chain.size() - kShown), session_->class_name(it->tail()),
                     hex_id(session_->index().object_id(it->tail())));
  }
  return text;
}

QVariant DominatorModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const Item* it = item(index);
  if (it->node != analysis::kNoNode) return object_data(it, index.column(), role);
  if (it->is_group()) return group_data(it, index.column(), role);
  // The "N more…" row.
  const size_t left = it->parent->total - it->parent->children.size();
  switch (role) {
    case Qt::DisplayRole:
      if (index.column() != kClass) return {};
      return tr("%1 more\u2026 (double-click to load %2)")
          .arg(with_commas(left))
          .arg(std::min<size_t>(left, kPageSize));
    case Qt::ForegroundRole:
      return QColor(0x1e, 0x6b, 0xc8);
    case Qt::FontRole: {
      QFont f;
      f.setItalic(true);
      return f;
    }
    default:
      return {};
  }
}

QVariant DominatorModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole && section == kRetainedPercent) {
    return tr("Share of the bytes reachable from GC roots");
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case kClass:
      return tr("Class");
    case kObjectId:
      return tr("Object id");
    case kShallow:
      return tr("Shallow");
    case kRetained:
      return tr("Retained");
    case kRetainedPercent:
      return tr("Retained %");
    case kObjects:
      return tr("Objects");
    default:
      return {};
  }
}

}  // namespace heapscope::gui
