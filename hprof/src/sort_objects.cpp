// In-place MSD radix sort of the object table by id: American flag sort (McIlroy, Bostic and
// McIlroy, "Engineering Radix Sort", Computing Systems 6(1), 1993). No scratch copy of the
// table, so peak memory stays at the table itself; buckets use an explicit work stack.
#include <algorithm>
#include <array>
#include <bit>
#include <utility>
#include <vector>

#include "index_builder.h"

namespace heapscope::hprof::detail {
namespace {

struct Table {
  std::vector<uint64_t>& ids;
  std::vector<uint64_t>& locs;
  std::vector<uint32_t>& slots;
  std::vector<uint32_t>& lengths;
  void swap(size_t a, size_t b) {
    std::swap(ids[a], ids[b]);
    std::swap(locs[a], locs[b]);
    std::swap(slots[a], slots[b]);
    std::swap(lengths[a], lengths[b]);
  }
};

void insertion_sort(Table& t, size_t lo, size_t hi) {
  for (size_t i = lo + 1; i < hi; ++i) {
    for (size_t j = i; j > lo && t.ids[j - 1] > t.ids[j]; --j) t.swap(j - 1, j);
  }
}

}  // namespace

void sort_objects_by_id(std::vector<uint64_t>& ids, std::vector<uint64_t>& locs,
                        std::vector<uint32_t>& slots, std::vector<uint32_t>& lengths) {
  if (std::is_sorted(ids.begin(), ids.end())) return;
  Table t{ids, locs, slots, lengths};
  uint64_t lo_id = ids[0], hi_id = ids[0];
  for (uint64_t v : ids) {
    lo_id = std::min(lo_id, v);
    hi_id = std::max(hi_id, v);
  }
  const int top_bit = 63 - std::countl_zero(lo_id ^ hi_id);  // highest bit that differs
  struct Work {
    size_t lo, hi;
    int shift;
  };
  std::vector<Work> stack;
  stack.push_back({0, ids.size(), std::max(0, top_bit - 7)});
  while (!stack.empty()) {
    const Work w = stack.back();
    stack.pop_back();
    if (w.hi - w.lo <= 32) {
      insertion_sort(t, w.lo, w.hi);
      continue;
    }
    std::array<size_t, 257> start{};
    for (size_t i = w.lo; i < w.hi; ++i) ++start[((ids[i] >> w.shift) & 0xFF) + 1];
    for (int b = 0; b < 256; ++b) start[b + 1] += start[b];
    std::array<size_t, 256> next{};
    for (int b = 0; b < 256; ++b) next[b] = w.lo + start[b];
    for (int b = 0; b < 256; ++b) {
      const size_t end = w.lo + start[b + 1];
      while (next[b] < end) {
        size_t i = next[b];
        int d = static_cast<int>((ids[i] >> w.shift) & 0xFF);
        while (d != b) {
          t.swap(i, next[d]++);
          d = static_cast<int>((ids[i] >> w.shift) & 0xFF);
        }
        ++next[b];
      }
    }
    if (w.shift == 0) continue;
    const int next_shift = std::max(0, w.shift - 8);
    for (int b = 0; b < 256; ++b) {
      const size_t lo = w.lo + start[b], hi = w.lo + start[b + 1];
      if (hi - lo > 1) stack.push_back({lo, hi, next_shift});
    }
  }
}

}  // namespace heapscope::hprof::detail
