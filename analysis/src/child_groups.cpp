#include "heapscope/analysis/child_groups.h"

#include <algorithm>
#include <numeric>

namespace heapscope::analysis {

ChildGroups group_children_by_class(const hprof::Index& index, const Retained& retained,
                                    std::span<const NodeIndex> children) {
  constexpr uint32_t kNone = 0xFFFFFFFFu;
  // Slot per class, plus one (the last) for class objects.
  const uint32_t class_objects = index.class_count();
  std::vector<uint32_t> slot(size_t{class_objects} + 1, kNone);
  std::vector<ChildGroup> found;
  std::vector<uint32_t> group_of(children.size());
  for (size_t i = 0; i < children.size(); ++i) {
    const NodeIndex n = children[i];
    const bool is_class = index.kind(n) == hprof::ObjectKind::kClass;
    const uint32_t key = is_class ? class_objects : index.class_of(n);
    if (slot[key] == kNone) {
      slot[key] = static_cast<uint32_t>(found.size());
      found.push_back(ChildGroup{is_class ? hprof::kNoClass : key});
    }
    ChildGroup& g = found[slot[key]];
    ++g.count;
    g.shallow_bytes += index.shallow_size(n);
    g.retained_bytes += retained.bytes[n];
    g.retained_objects += retained.count[n];
    group_of[i] = slot[key];
  }

  // Order of the groups, then each group's first position in `members`.
  std::vector<uint32_t> order(found.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const ChildGroup& x = found[a];
    const ChildGroup& y = found[b];
    if (x.retained_bytes != y.retained_bytes) return x.retained_bytes > y.retained_bytes;
    if (x.count != y.count) return x.count > y.count;
    return x.cls < y.cls;  // kNoClass (class objects) last among equals
  });
  ChildGroups out;
  out.groups.reserve(found.size());
  uint32_t begin = 0;
  for (uint32_t g : order) {
    found[g].begin = begin;
    begin += found[g].count;
    out.groups.push_back(found[g]);
  }

  // Stable counting sort: each child goes to the next free place of its group.
  std::vector<uint32_t> next(found.size());
  for (size_t g = 0; g < found.size(); ++g) next[g] = found[g].begin;
  out.members.resize(children.size());
  for (size_t i = 0; i < children.size(); ++i) out.members[next[group_of[i]]++] = children[i];
  return out;
}

std::string child_group_name(const hprof::Index& index, const ChildGroup& group) {
  if (group.cls == hprof::kNoClass) return "java.lang.Class";
  return index.class_info(group.cls).name;
}

}  // namespace heapscope::analysis
