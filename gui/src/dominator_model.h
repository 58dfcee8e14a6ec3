// The dominator tree as a lazy tree model. A node's children are fetched the first time a view
// asks for them, that is when the node is expanded (DominatorChildren::of, sorted by retained
// bytes), 100 rows at a time: a level with more shows a last row "N more…" that loads the next
// 100 (load_more). hasChildren() needs no fetch (a node has children exactly when it retains
// more objects than itself). Only fetched rows exist in memory, so the model works on dumps of
// tens of millions of objects.
//
// Fetching a level does not change what the model reports (the first page is its content from
// the start), so it needs no insert signals; only load_more() inserts rows.
//
// Single-child chains (a linked list, a wrapper around a wrapper) can be collapsed: when a row
// is expanded and its node has exactly one child that has children of its own, that child joins
// the row ("A ▸ B"), and so on down until the tree branches; the row's children are then those
// of the chain's last node. The row keeps the head's numbers (the head retains the whole chain).
// Only the expanded row's own lists are read, so collapsing costs no extra sorting.
//
// Children can be grouped by class (as Eclipse MAT's "Group by class"): a fetched level then
// holds one row per class (analysis::group_children_by_class: "class (count)" with the shallow
// and retained sums, largest retained first), and a group row opens onto its objects, largest
// retained first, paged like any level. The groups come from the session
// (AnalysisSession::child_groups), which groups the long lists while loading: expanding 2 M
// children grouped costs the GUI thread no more than any other expansion
// (docs/notes/gui-latency.md).
#pragma once

#include <QAbstractItemModel>
#include <memory>
#include <span>
#include <vector>

#include "analysis_session.h"
#include "heapscope/analysis/child_groups.h"

namespace heapscope::gui {

class DominatorModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column { kClass, kObjectId, kShallow, kRetained, kRetainedPercent, kObjects, kColumnCount };
  static constexpr int kPageSize = 100;

  explicit DominatorModel(QObject* parent = nullptr);
  ~DominatorModel() override;

  // Resets the model; the top level (the GC roots' children) is fetched at once.
  void set_session(SessionPtr session);
  // Resets the model with chains collapsed or not (off by default).
  void set_collapse_chains(bool collapse);
  bool collapse_chains() const { return collapse_chains_; }
  // Resets the model with children grouped by class or not (off by default).
  void set_group_by_class(bool group);
  bool group_by_class() const { return group_by_class_; }
  // A "class (count)" row of the grouped tree.
  bool is_group_row(const QModelIndex& index) const;
  // The group a group row stands for; nullptr for other rows.
  const analysis::ChildGroup* group(const QModelIndex& index) const;
  bool is_more_row(const QModelIndex& index) const;
  // Replaces the "N more…" row `more_row` by the next page of its level.
  void load_more(const QModelIndex& more_row);
  // The dominator-tree node of a row; analysis::kNoNode for a "more" row or an invalid index.
  analysis::NodeIndex node(const QModelIndex& index) const;
  // The nodes a collapsed chain row stands for below node(index), top first; empty otherwise.
  std::span<const analysis::NodeIndex> chain(const QModelIndex& index) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  bool hasChildren(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  struct Item;
  Item* item(const QModelIndex& index) const;
  QModelIndex index_of(Item* item) const;
  bool has_children(const Item* item) const;
  // Materializes the first page of `item`'s children (no signals: see above).
  void ensure_fetched(Item* item) const;
  // Rows below `item` once fetched: its groups, a group's members or the node's children.
  size_t list_size(const Item* item) const;
  void add_items(Item* parent, size_t begin, size_t end) const;
  void add_first_page(Item* item) const;
  std::span<const analysis::NodeIndex> member_list(const Item* item) const;
  QVariant group_data(const Item* item, int column, int role) const;
  void append_page(Item* item, const QModelIndex& parent);
  QVariant object_data(const Item* item, int column, int role) const;
  QString chain_text(const Item* item) const;
  QString chain_tooltip(const Item* item) const;

  bool collapse_chains_ = false;
  bool group_by_class_ = false;
  SessionPtr session_;
  std::unique_ptr<Item> root_;
};

}  // namespace heapscope::gui
