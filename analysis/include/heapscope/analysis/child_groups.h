// The children of one dominator-tree node grouped by class, as Eclipse MAT's "Group by class"
// in its dominator tree: 19,765 children of one class become one group with their count and
// their shallow and retained sums, and the group opens onto the objects.
//
// One counting pass over the children (a dense slot per class, no hashing), then a stable
// counting sort of the children into their groups: a group's members keep the order of the
// input, so children as DominatorChildren::of gives them (retained bytes, largest first) give
// members sorted the same way. Groups are sorted by retained bytes, largest first (then by more
// objects, then by class index). Linear in the children plus the number of classes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "heapscope/analysis/dominators.h"
#include "heapscope/hprof/index.h"

namespace heapscope::analysis {

struct ChildGroup {
  // The objects' class; kNoClass for the group of class objects (instances of java.lang.Class,
  // which MAT also shows as one group).
  hprof::ClassIndex cls = hprof::kNoClass;
  uint32_t begin = 0;  // members are ChildGroups::members[begin, begin + count)
  uint32_t count = 0;
  uint64_t shallow_bytes = 0;
  uint64_t retained_bytes = 0;
  uint64_t retained_objects = 0;  // objects the members keep alive, themselves included
};

struct ChildGroups {
  std::vector<ChildGroup> groups;
  std::vector<NodeIndex> members;  // every child once, group by group

  std::span<const NodeIndex> members_of(const ChildGroup& g) const {
    return std::span<const NodeIndex>(members).subspan(g.begin, g.count);
  }
};

// Groups `children` (nodes of `index`'s objects, never the virtual root) by class.
ChildGroups group_children_by_class(const hprof::Index& index, const Retained& retained,
                                    std::span<const NodeIndex> children);

// "java.util.HashMap", "byte[]"; "java.lang.Class" for the class objects' group.
std::string child_group_name(const hprof::Index& index, const ChildGroup& group);

}  // namespace heapscope::analysis
