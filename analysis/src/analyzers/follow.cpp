#include "follow.h"

#include <algorithm>
#include "heapscope/hprof/big_endian.h"

namespace heapscope::analysis::detail {
namespace {

using hprof::load_id;

// The edge to the object's class comes first, when the class object is in the dump.
uint64_t class_edges(const hprof::Index& index, hprof::ObjectIndex o) {
  return index.class_info(index.class_of(o)).object != hprof::kNoObject ? 1 : 0;
}

}  // namespace

hprof::ObjectIndex follow(const Engine& engine, hprof::ObjectIndex o, const FieldSlot& slot) {
  const auto& index = engine.index();
  if (o == hprof::kNoObject || index.kind(o) != hprof::ObjectKind::kInstance)
    return hprof::kNoObject;
  const auto data = index.instance_data(o);
  const uint32_t I = index.id_size();
  if (uint64_t{slot.offset} + I > data.size()) return hprof::kNoObject;
  const uint64_t id = load_id(data.data() + slot.offset, I);
  if (id == 0) return hprof::kNoObject;
  const Graph& g = engine.graph();
  uint64_t e = g.edge_begin(o) + class_edges(index, o);
  for (uint32_t off : engine.layouts().reference_offsets(index.class_of(o))) {
    if (off == slot.offset) break;
    if (uint64_t{off} + I <= data.size() && load_id(data.data() + off, I) != 0) ++e;
  }
  if (e < g.edge_end(o)) {
    const NodeIndex t = g.target(e);
    if (t < index.object_count() && index.object_id(t) == id) return t;
  }
  return index.find(id);
}

hprof::ObjectIndex follow_field(const Engine& engine, hprof::ObjectIndex o,
                                std::string_view declaring, std::string_view name) {
  const auto& index = engine.index();
  if (o == hprof::kNoObject || index.kind(o) != hprof::ObjectKind::kInstance)
    return hprof::kNoObject;
  const auto slot = engine.layouts().find(index.class_of(o), declaring, name);
  return slot && slot->type == 2 ? follow(engine, o, *slot) : hprof::kNoObject;
}

hprof::ObjectIndex FieldFollower::operator()(hprof::ObjectIndex o) {
  const auto& index = engine_.index();
  if (o == hprof::kNoObject || index.kind(o) != hprof::ObjectKind::kInstance)
    return hprof::kNoObject;
  const auto c = index.class_of(o);
  if (c != last_) {
    last_ = c;
    slot_ = engine_.layouts().find(c, declaring_, name_);
    if (slot_ && slot_->type != 2) slot_.reset();
  }
  return slot_ ? follow(engine_, o, *slot_) : hprof::kNoObject;
}

hprof::ObjectIndex static_object(const hprof::Index& index, hprof::ClassIndex c,
                                 std::string_view name) {
  for (const auto& s : index.class_info(c).statics) {
    if (s.type == 2 && index.utf8(s.name_id) == name) return index.find(s.value);
  }
  return hprof::kNoObject;
}

std::vector<hprof::ObjectIndex> array_elements(const Engine& engine, hprof::ObjectIndex array,
                                               uint32_t first, uint32_t last) {
  const auto& index = engine.index();
  std::vector<hprof::ObjectIndex> out;
  if (array == hprof::kNoObject || index.kind(array) != hprof::ObjectKind::kObjectArray) return out;
  const auto data = index.array_data(array);
  const uint32_t I = index.id_size();
  last = std::min(last, index.length(array));
  const Graph& g = engine.graph();
  const uint64_t end = g.edge_end(array);
  uint64_t e = g.edge_begin(array) + class_edges(index, array);
  for (uint32_t i = 0; i < first && i < last; ++i) {
    if (load_id(data.data() + uint64_t{i} * I, I) != 0) ++e;
  }
  for (uint32_t i = first; i < last; ++i) {
    const uint64_t id = load_id(data.data() + uint64_t{i} * I, I);
    if (id == 0) {
      out.push_back(hprof::kNoObject);
      continue;
    }
    const NodeIndex t = e < end ? g.target(e) : kNoNode;
    if (t < index.object_count() && index.object_id(t) == id) {
      out.push_back(t);
      ++e;
    } else {
      out.push_back(index.find(id));  // not an edge: an id missing from the dump
      if (out.back() != hprof::kNoObject) ++e;
    }
  }
  return out;
}

}  // namespace heapscope::analysis::detail
