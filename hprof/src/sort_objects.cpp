// Sorting the object table by id.
//
// Fast path: a HotSpot dump is a few to a few hundred pieces of contiguous address space (the
// heap walked region by region, by one or several threads) that do not overlap, plus a few
// stragglers (large objects dumped last). Ordering the pieces by their first id, copying them as
// blocks straight out of the scanning threads' windows and merging the sorted stragglers in sorts
// the table in O(n): each column is copied once, on two cores, into a new column while the old
// one's pages are given back behind the copy (the pieces are copied in the order they lie in the
// windows), so the sort adds little to the scan's tables (it added a scratch column per thread,
// 126 MiB of 391 at this phase's peak on the 867 MB AppHeap: docs/notes/memory-budget.md).
// Already sorted windows are only slid together.
//
// Fallback: in-place MSD radix sort, American flag sort (McIlroy, Bostic and McIlroy,
// "Engineering Radix Sort", Computing Systems 6(1), 1993): no scratch copy of the table, buckets
// on an explicit work stack, insertion sort below 32 elements.
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <numeric>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "index_builder.h"

namespace heapscope::hprof::detail {
namespace {

struct Table {
  FlatArray<uint64_t>& ids;
  FlatArray<uint64_t>& locs;
  FlatArray<uint32_t>& slots;
  FlatArray<uint32_t>& lengths;
  void swap(size_t a, size_t b) {
    std::swap(ids[a], ids[b]);
    std::swap(locs[a], locs[b]);
    std::swap(slots[a], slots[b]);
    std::swap(lengths[a], lengths[b]);
  }
};

struct Run {
  size_t begin, end;
};

// Pieces of contiguous address space: ascending, with no gap over kMaxGap between neighbours
// (a worker that moves on to a far region starts a new piece).
constexpr uint64_t kMaxGap = 1 << 20;

// The plan for the fast path: pieces that do not overlap, in address order, and the positions
// (in the unsorted columns) of the stragglers left over: objects that were dumped apart from
// their neighbours (HotSpot defers large objects to the end of a parallel dump).
struct Plan {
  std::vector<Run> pieces;
  std::vector<size_t> stragglers;   // sorted by id
  std::vector<size_t> land;         // final position of each straggler
  std::vector<size_t> piece_at;     // where each piece starts among the pieces, in id order
  std::vector<size_t> by_position;  // the pieces in the order they lie in the columns
  bool ok = false;
};

Plan plan_pieces(const FlatArray<uint64_t>& ids, std::span<const Stretch> stretches, size_t n) {
  Plan plan;
  std::vector<Run> runs;
  for (const Stretch& s : stretches) {
    size_t start = s.begin;
    const size_t end = s.begin + s.count;
    for (size_t i = s.begin + 1; i <= end; ++i) {
      if (i == end || ids[i] < ids[i - 1] || ids[i] - ids[i - 1] > kMaxGap) {
        if (i > start) runs.push_back({start, i});
        start = i;
        // Keeping pieces costs O(pieces^2) (sorted-vector inserts): beyond 16384 pieces this is
        // not a heap walk's layout (objects in descending order make one piece each, 300000
        // took 6 s), and the radix sort is the better choice anyway.
        if (runs.size() > (1u << 14)) return plan;
      }
    }
  }
  // Biggest first: keep a piece when its range overlaps no piece kept before.
  std::sort(runs.begin(), runs.end(),
            [](const Run& a, const Run& b) { return a.end - a.begin > b.end - b.begin; });
  std::vector<std::pair<uint64_t, uint64_t>> kept;  // [first id, last id], sorted
  const size_t straggler_limit = n / 8 + 64;
  for (const Run& r : runs) {
    const uint64_t lo = ids[r.begin], hi = ids[r.end - 1];
    auto it = std::lower_bound(kept.begin(), kept.end(), std::make_pair(lo, uint64_t{0}));
    const bool overlaps = (it != kept.end() && it->first <= hi) ||
                          (it != kept.begin() && std::prev(it)->second >= lo);
    if (!overlaps) {
      kept.insert(it, {lo, hi});
      plan.pieces.push_back(r);
    } else {
      for (size_t i = r.begin; i < r.end; ++i) plan.stragglers.push_back(i);
      if (plan.stragglers.size() > straggler_limit) return plan;
    }
  }
  std::sort(plan.pieces.begin(), plan.pieces.end(),
            [&](const Run& a, const Run& b) { return ids[a.begin] < ids[b.begin]; });
  std::sort(plan.stragglers.begin(), plan.stragglers.end(),
            [&](size_t a, size_t b) { return ids[a] < ids[b]; });
  // Final position of straggler k = k + the number of piece objects with a smaller id.
  std::vector<uint64_t> piece_firsts;
  std::vector<size_t> piece_starts;
  size_t m = 0;
  for (const Run& r : plan.pieces) {
    piece_firsts.push_back(ids[r.begin]);
    piece_starts.push_back(m);
    m += r.end - r.begin;
  }
  plan.land.resize(plan.stragglers.size());
  for (size_t k = 0; k < plan.stragglers.size(); ++k) {
    const uint64_t id = ids[plan.stragglers[k]];
    auto it = std::upper_bound(piece_firsts.begin(), piece_firsts.end(), id);
    size_t before = 0;
    if (it != piece_firsts.begin()) {
      const size_t p = static_cast<size_t>(it - piece_firsts.begin()) - 1;
      const Run& r = plan.pieces[p];
      before = piece_starts[p] +
               static_cast<size_t>(std::lower_bound(ids.data() + r.begin, ids.data() + r.end, id) -
                                   (ids.data() + r.begin));
    }
    plan.land[k] = before + k;
  }
  plan.piece_at = std::move(piece_starts);
  plan.by_position.resize(plan.pieces.size());
  std::iota(plan.by_position.begin(), plan.by_position.end(), size_t{0});
  std::sort(plan.by_position.begin(), plan.by_position.end(),
            [&](size_t a, size_t b) { return plan.pieces[a].begin < plan.pieces[b].begin; });
  plan.ok = true;
  return plan;
}

// Rewrites one column in sorted order: the stragglers' values first into a side list, then the
// pieces copied as blocks to their places in a new column, in the order they lie in the old one,
// whose pages are given back behind the copy, then the stragglers merged in at their final
// positions from the back (no second scratch column). The old column and the new one are never
// both whole: the sort adds a piece or two per thread to the scan's tables, not a column.
template <typename T>
void apply_plan(FlatArray<T>& column, const Plan& plan, size_t n) {
  std::vector<T> straggling(plan.stragglers.size());
  for (size_t k = 0; k < straggling.size(); ++k) straggling[k] = column[plan.stragglers[k]];
  FlatArray<T> sorted(n);
  sorted.resize(n);
  constexpr size_t kSlice = size_t{1} << 16;  // elements copied between two give-backs
  GiveBackBehind behind(column);
  for (size_t p : plan.by_position) {
    const Run& r = plan.pieces[p];
    for (size_t at = r.begin; at < r.end;) {  // in slices: a piece can be most of the heap
      const size_t end = std::min(r.end, at + kSlice);
      std::memcpy(sorted.data() + plan.piece_at[p] + (at - r.begin), column.data() + at,
                  (end - at) * sizeof(T));
      at = end;
      behind.passed(at);
    }
  }
  column.clear();
  T* out = sorted.data();
  size_t dst = n;
  size_t src = n - straggling.size();
  for (size_t k = straggling.size(); k-- > 0;) {
    const size_t at = plan.land[k];
    const size_t move = dst - at - 1;  // piece elements that go after this straggler
    src -= move;
    std::memmove(out + at + 1, out + src, move * sizeof(T));
    out[at] = straggling[k];
    dst = at;
  }
  column.swap(sorted);
}

// Slides the stretches down onto each other: positions [0, n) in stretch order.
template <typename T>
void compact(FlatArray<T>& column, std::span<const Stretch> stretches) {
  size_t n = 0;
  for (const Stretch& s : stretches) {
    if (s.begin != n) std::memmove(column.data() + n, column.data() + s.begin, s.count * sizeof(T));
    n += s.count;
  }
  column.resize(n);
}

// Runs `a` on a second thread and `b` on this one (or both here with one thread).
template <typename A, typename B>
void both(unsigned threads, A a, B b) {
  if (threads < 2) {
    a();
    b();
    return;
  }
  std::thread t(a);
  b();
  t.join();
}

// True when the stretches, read in order, are already sorted.
bool sorted_in_order(const FlatArray<uint64_t>& ids, std::span<const Stretch> stretches) {
  uint64_t last = 0;
  bool first = true;
  for (const Stretch& s : stretches) {
    if (s.count == 0) continue;
    const uint64_t* b = ids.data() + s.begin;
    if ((!first && b[0] < last) || !std::is_sorted(b, b + s.count)) return false;
    last = b[s.count - 1];
    first = false;
  }
  return true;
}

void insertion_sort(Table& t, size_t lo, size_t hi) {
  for (size_t i = lo + 1; i < hi; ++i) {
    for (size_t j = i; j > lo && t.ids[j - 1] > t.ids[j]; --j) t.swap(j - 1, j);
  }
}

void american_flag_sort(Table& t) {
  auto& ids = t.ids;
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

}  // namespace

void sort_objects_by_id(const ObjectColumns& c, std::span<const Stretch> stretches,
                        unsigned threads) {
  size_t n = 0;
  for (const Stretch& s : stretches) n += s.count;
  auto compact_all = [&] {
    both(
        threads,
        [&] {
          compact(c.ids, stretches);
          compact(c.slots, stretches);
        },
        [&] {
          compact(c.locs, stretches);
          compact(c.lengths, stretches);
        });
  };
  if (n < 2 || sorted_in_order(c.ids, stretches)) {
    compact_all();
    return;
  }
  const Plan plan = plan_pieces(c.ids, stretches, n);
  if (plan.ok) {
    both(
        threads,
        [&] {
          apply_plan(c.locs, plan, n);
          apply_plan(c.ids, plan, n);
        },
        [&] {
          apply_plan(c.slots, plan, n);
          apply_plan(c.lengths, plan, n);
        });
    return;
  }
  compact_all();
  Table t{c.ids, c.locs, c.slots, c.lengths};
  american_flag_sort(t);
}

}  // namespace heapscope::hprof::detail
