#include "layout.h"

#include <algorithm>
#include <numeric>

#include "heapscope/hprof/tags.h"

namespace heapscope::hprof::detail {

void compute_layout(LayoutAssumptions& layout, const Index& index) {
  const auto ids = [&index](size_t i) { return index.object_id(static_cast<ObjectIndex>(i)); };
  const size_t count = index.object_count();
  layout.reference_size = layout.id_size;
  layout.compressed_oops = false;
  if (layout.id_size == 8) {
    // An object array needs header(16) + 4 + 8 * length bytes with 8-byte references; when the
    // next object starts before that, references must be 4 bytes.
    for (size_t i = 0; i + 1 < count; ++i) {
      if (index.kind(static_cast<ObjectIndex>(i)) != ObjectKind::kObjectArray) continue;
      const uint64_t len = index.length(static_cast<ObjectIndex>(i));
      if (len < 2) continue;
      if (ids(i + 1) < ids(i) + 20 + 8 * len) {
        layout.compressed_oops = true;
        layout.reference_size = 4;
        break;
      }
    }
  }
  uint64_t g = 0;
  for (size_t i = 1; i < count && (g == 0 || g > 8); ++i) {
    g = std::gcd(g, ids(i) - ids(i - 1));
  }
  layout.object_alignment = static_cast<uint32_t>(std::clamp<uint64_t>(g ? g : 8, 8, 256));
}

void compute_instance_sizes(const LayoutAssumptions& layout, std::vector<ClassInfo>& classes) {
  const uint64_t header = layout.id_size + layout.reference_size;
  auto field_bytes = [&](const ClassInfo& c) {
    uint64_t n = 0;
    for (const auto& f : c.fields) {
      n += f.type == 2 ? layout.reference_size : basic_type_size(f.type, layout.id_size);
    }
    return n;
  };
  // Unaligned size per class, computed root-first along each chain without recursion.
  std::vector<uint64_t> raw(classes.size(), 0);
  std::vector<uint8_t> done(classes.size(), 0);
  std::vector<ClassIndex> chain;
  for (ClassIndex c = 0; c < classes.size(); ++c) {
    chain.clear();
    for (ClassIndex k = c; k != kNoClass && !done[k]; k = classes[k].super) chain.push_back(k);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const ClassInfo& k = classes[*it];
      if (k.super_id == 0 || k.super == kNoClass) {
        raw[*it] = align_up(header + field_bytes(k), layout.reference_size);
      } else {
        raw[*it] = align_up(raw[k.super] + field_bytes(k), layout.reference_size);
      }
      done[*it] = 1;
    }
  }
  for (ClassIndex c = 0; c < classes.size(); ++c) {
    classes[c].shallow_instance_size = align_up(raw[c], layout.object_alignment);
  }
}

}  // namespace heapscope::hprof::detail
