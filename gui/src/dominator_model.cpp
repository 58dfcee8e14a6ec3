#include "dominator_model.h"

#include <algorithm>

#include "dominator_item.h"

namespace heapscope::gui {

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

// The first page of `it`'s `total` children, and a "more" row when there are others.
void DominatorModel::add_first_page(Item* it) const {
  const size_t n = std::min<size_t>(it->total, kPageSize);
  add_items(it, 0, n);
  if (n < it->total) {
    it->more = std::make_unique<Item>();
    it->more->parent = it;
    it->more->row = static_cast<int>(n);
  }
}

void DominatorModel::ensure_fetched(Item* it) const {
  if (it->fetched || (it->node == analysis::kNoNode && !it->is_group())) return;
  if (it->is_group()) {
    it->fetched = true;
    it->total = it->group_info().count;
    add_first_page(it);
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
  add_first_page(it);
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

}  // namespace heapscope::gui
