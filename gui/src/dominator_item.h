// The row of DominatorModel (private to dominator_model*.cpp): one fetched row of the lazy tree.
#pragma once

#include <memory>
#include <vector>

#include "dominator_model.h"

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

}  // namespace heapscope::gui
