// The object-table sort (hprof/src/sort_objects.cpp) against std::sort: random layouts of
// ascending address pieces split over several scanning windows, with and without overlapping
// pieces, stragglers, duplicates and descending runs (the radix fallback).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>
#include <vector>

#include "index_builder.h"

namespace heapscope::hprof::detail {
namespace {

using Row = std::tuple<uint64_t, uint64_t, uint32_t, uint32_t>;

struct Layout {
  std::vector<std::vector<uint64_t>> windows;  // ids each scanning thread met, in order
};

// Cuts [base, base + span) into `pieces` ascending runs of ids 8 bytes apart (with small gaps),
// shuffles the runs, optionally interleaves extra ids inside other runs' ranges (overlap),
// appends stragglers and deals the runs out to `windows` windows.
Layout make_layout(std::mt19937_64& rng, size_t objects, size_t pieces, size_t windows,
                   size_t overlapping, size_t stragglers, bool descending) {
  std::vector<uint64_t> ids;
  uint64_t a = 0x10000000;
  for (size_t i = 0; i < objects; ++i) {
    a += 8 * (1 + rng() % 4);
    if (rng() % 5000 == 0) a += 1u << 21;  // a far region: a new piece
    ids.push_back(a);
  }
  std::vector<std::vector<uint64_t>> runs;
  for (size_t p = 0; p < pieces; ++p) {
    const size_t lo = ids.size() * p / pieces, hi = ids.size() * (p + 1) / pieces;
    runs.emplace_back(ids.begin() + static_cast<long>(lo), ids.begin() + static_cast<long>(hi));
  }
  std::shuffle(runs.begin(), runs.end(), rng);
  for (size_t k = 0; k < overlapping && !runs.empty(); ++k) {
    // An id inside some run's range (odd: never equal to a piece id) in a run of its own.
    const auto& r = runs[rng() % runs.size()];
    if (r.size() < 2) continue;
    runs.push_back({r[rng() % (r.size() - 1)] + 4, r.back() + 4});
  }
  std::vector<uint64_t> tail;
  for (size_t k = 0; k < stragglers; ++k) tail.push_back(ids[rng() % ids.size()] + 2);
  if (!tail.empty()) runs.push_back(tail);
  if (descending) {
    for (auto& r : runs) std::reverse(r.begin(), r.end());
  }
  Layout l;
  l.windows.resize(windows);
  size_t w = 0;
  for (auto& r : runs) {
    auto& win = l.windows[w];
    win.insert(win.end(), r.begin(), r.end());
    if (rng() % 3 == 0) w = (w + 1) % windows;
  }
  return l;
}

// Runs the sort on `l` laid out in windows with gaps between them; returns the rows it left.
std::vector<Row> sort_layout(const Layout& l, std::vector<Row>& expected, unsigned threads) {
  size_t capacity = 0;
  for (const auto& w : l.windows) capacity += w.size() + 1000;
  FlatArray<uint64_t> ids(capacity), locs(capacity);
  FlatArray<uint32_t> slots(capacity), lengths(capacity);
  std::vector<Stretch> stretches;
  size_t at = 0;
  uint64_t serial = 0;
  for (const auto& w : l.windows) {
    at += 500;  // a gap before each window, as the scanning threads leave
    stretches.push_back({at, w.size()});
    for (uint64_t id : w) {
      ++serial;
      ids[at] = id;
      locs[at] = serial * 3;
      slots[at] = static_cast<uint32_t>(serial % 977);
      lengths[at] = static_cast<uint32_t>(serial * 7);
      expected.emplace_back(id, serial * 3, static_cast<uint32_t>(serial % 977),
                            static_cast<uint32_t>(serial * 7));
      ++at;
    }
  }
  sort_objects_by_id({ids, locs, slots, lengths}, stretches, threads);
  std::vector<Row> out;
  EXPECT_EQ(ids.size(), expected.size());
  EXPECT_EQ(locs.size(), expected.size());
  EXPECT_EQ(slots.size(), expected.size());
  EXPECT_EQ(lengths.size(), expected.size());
  for (size_t i = 0; i < ids.size(); ++i) out.emplace_back(ids[i], locs[i], slots[i], lengths[i]);
  return out;
}

void check(const Layout& l, unsigned threads) {
  std::vector<Row> expected;
  auto got = sort_layout(l, expected, threads);
  ASSERT_TRUE(std::is_sorted(got.begin(), got.end(), [](const Row& a, const Row& b) {
    return std::get<0>(a) < std::get<0>(b);
  }));
  // Equal ids may come in any order: compare as multisets, rows kept whole.
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  ASSERT_EQ(got, expected);
}

TEST(SortObjects, DisjointPiecesOverWindows) {
  std::mt19937_64 rng(1);
  for (int round = 0; round < 20; ++round) {
    const size_t pieces = 1 + rng() % 60;
    const auto l = make_layout(rng, 2000 + rng() % 8000, pieces, 1 + rng() % 3, 0, 0, false);
    check(l, 1 + round % 2);
  }
}

TEST(SortObjects, PiecesWithStragglers) {
  std::mt19937_64 rng(2);
  for (int round = 0; round < 20; ++round) {
    const auto l =
        make_layout(rng, 3000 + rng() % 8000, 1 + rng() % 40, 1 + rng() % 3, 0, rng() % 300, false);
    check(l, 1 + round % 2);
  }
}

// Pieces of hundreds of thousands of objects: each is copied in slices, and the old columns'
// pages are given back behind the copy (apply_plan), across windows and with stragglers.
TEST(SortObjects, LargePiecesCopiedInSlices) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 4; ++round) {
    const auto l = make_layout(rng, 300000 + rng() % 200000, 2 + rng() % 6, 1 + rng() % 3, 0,
                               rng() % 2000, false);
    check(l, 1 + round % 2);
  }
}

TEST(SortObjects, OverlappingPieces) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 20; ++round) {
    const auto l = make_layout(rng, 3000 + rng() % 8000, 1 + rng() % 40, 1 + rng() % 3,
                               1 + rng() % 50, rng() % 100, false);
    check(l, 1 + round % 2);
  }
}

TEST(SortObjects, DescendingRunsFallBackToRadix) {
  std::mt19937_64 rng(4);
  for (int round = 0; round < 10; ++round) {
    const auto l =
        make_layout(rng, 3000 + rng() % 8000, 1 + rng() % 10, 1 + rng() % 3, 0, rng() % 10, true);
    check(l, 1 + round % 2);
  }
}

TEST(SortObjects, ManyStragglersFallBackToRadix) {
  std::mt19937_64 rng(5);
  const auto l = make_layout(rng, 20000, 8, 2, 0, 5000, false);  // > n / 8 stragglers
  check(l, 2);
}

TEST(SortObjects, SortedAndEmptyWindows) {
  std::mt19937_64 rng(6);
  Layout l;
  l.windows = {{}, {8, 16, 24}, {}, {32, 40}, {}};
  check(l, 2);
  l.windows = {{}, {}};
  check(l, 1);
  l.windows = {{64}, {8}};
  check(l, 2);
  l.windows = {{8, 8, 8}, {8, 0, 8}};  // duplicates and the null id
  check(l, 2);
}

TEST(SortObjects, RandomIds) {
  std::mt19937_64 rng(7);
  Layout l;
  l.windows.resize(2);
  for (int i = 0; i < 30000; ++i)
    l.windows[static_cast<size_t>(i) % 2].push_back(rng() >> (rng() % 40));
  check(l, 2);
}

}  // namespace
}  // namespace heapscope::hprof::detail
