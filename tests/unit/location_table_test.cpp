// LocationTable (hprof/location_table.h) against a plain std::vector<uint64_t> of packed
// locations (kind << 62 | offset): a dump's ascending pieces, blocks whose span is exactly at the
// limit and one past it, pieces more than 4 GiB apart and huge arrays (wide blocks), a partial
// last block, no objects and one. Every entry's kind and offset must equal the vector's.
#include "heapscope/hprof/location_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace heapscope::hprof::detail {
namespace {

using T = LocationTable;
constexpr uint64_t kGiB = uint64_t{1} << 30;

uint64_t packed(uint64_t kind, uint64_t offset) {
  return kind << 62 | offset;
}

T table_of(const std::vector<uint64_t>& v) {
  T t;
  t.assign(v);
  return t;
}

void expect_same(const T& t, const std::vector<uint64_t>& v) {
  ASSERT_EQ(t.size(), v.size());
  ASSERT_EQ(t.bases().size(), (v.size() + T::kBlock - 1) / T::kBlock);
  for (size_t i = 0; i < v.size(); ++i) {
    ASSERT_EQ(t.kind(i), v[i] >> 62) << "entry " << i;
    ASSERT_EQ(t.offset(i), v[i] & T::kOffsetMask) << "entry " << i;
    ASSERT_EQ(t[i], v[i]) << "entry " << i;
  }
  EXPECT_TRUE(t.is_consistent());
}

// Brute force: the blocks whose offsets span more than the 30-bit delta.
uint64_t wide_blocks_of(const std::vector<uint64_t>& v) {
  uint64_t wide = 0;
  for (size_t b = 0; b < v.size(); b += T::kBlock) {
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = b; i < std::min(v.size(), b + T::kBlock); ++i) {
      lo = std::min(lo, v[i] & T::kOffsetMask);
      hi = std::max(hi, v[i] & T::kOffsetMask);
    }
    wide += hi - lo > T::kDeltaMask;
  }
  return wide;
}

// A dump's objects by id: `pieces` ascending runs of sub-records, the runs written to the file
// in a shuffled order starting at `start`, with `gap` bytes between runs.
std::vector<uint64_t> pieces_of(std::mt19937_64& rng, size_t n, size_t pieces, uint64_t start,
                                uint64_t gap) {
  std::vector<size_t> sizes(pieces, n / pieces);
  sizes.back() += n % pieces;
  std::vector<size_t> order(pieces);
  for (size_t k = 0; k < pieces; ++k) order[k] = k;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<uint64_t> first_offset(pieces);
  uint64_t at = start;
  std::vector<std::vector<uint64_t>> runs(pieces);
  for (size_t k : order) {
    for (size_t i = 0; i < sizes[k]; ++i) {
      runs[k].push_back(packed(rng() % 4, at));
      at += 16 + rng() % 200;
    }
    at += gap;
  }
  std::vector<uint64_t> v;
  for (const auto& r : runs) v.insert(v.end(), r.begin(), r.end());
  return v;
}

TEST(LocationTable, PiecesOfASmallDumpAreWideOnlyWherePiecesMeet) {
  // 30 pieces written in a shuffled order: a block holding the end of one piece and the start
  // of the next (by id) spans two places in the file; every other block is 2 bytes per object.
  std::mt19937_64 rng(1);
  const auto v = pieces_of(rng, 100000, 30, 31, 0);
  const auto t = table_of(v);
  EXPECT_EQ(t.wide_blocks(), wide_blocks_of(v));
  EXPECT_LE(t.wide_blocks(), 29u);
  EXPECT_LE(t.wide().size(), 29 * T::kBlock);
  expect_same(t, v);
  // One piece in one place: no wide block at all.
  const auto one = pieces_of(rng, 100000, 1, 31, 0);
  EXPECT_EQ(table_of(one).wide_blocks(), 0u);
}

TEST(LocationTable, PiecesFarApartInADumpOver4GiB) {
  std::mt19937_64 rng(2);
  // 40 pieces, 300 MiB apart: the file is ~12 GiB, blocks straddling two far pieces are wide.
  const auto v = pieces_of(rng, 60000, 40, 1000, 300u << 20);
  const auto t = table_of(v);
  EXPECT_GT(*std::max_element(v.begin(), v.end(),
                              [](uint64_t a, uint64_t b) {
                                return (a & T::kOffsetMask) < (b & T::kOffsetMask);
                              }) &
                T::kOffsetMask,
            4 * kGiB);
  const uint64_t wide = wide_blocks_of(v);
  EXPECT_GT(wide, 5u);
  EXPECT_LT(wide, t.bases().size());
  EXPECT_EQ(t.wide_blocks(), wide);
  expect_same(t, v);
}

TEST(LocationTable, BlocksExactlyAtTheLimitAndOnePast) {
  // Block 0 spans exactly kDeltaMask bytes (fits); block 1 spans 1 GiB (wide); block 2 again
  // fits. Block 1 descends: its smallest offset is b1 + 16, its last entry b1 + 16 + 1 GiB.
  std::vector<uint64_t> v;
  const uint64_t b0 = 5 * kGiB, b1 = 9 * kGiB, b2 = 100;
  for (uint64_t i = 0; i < T::kBlock; ++i) {
    v.push_back(packed(3, i == T::kBlock / 2 ? b0 + T::kDeltaMask : b0 + i * 8));
  }
  for (uint64_t i = 0; i < T::kBlock; ++i) {
    v.push_back(packed(i % 4, i == T::kBlock - 1 ? b1 + 16 + kGiB : b1 + 8 * (T::kBlock - i)));
  }
  for (uint64_t i = 0; i < T::kBlock; ++i) v.push_back(packed(2, b2 + T::kDeltaMask * (i & 1)));
  const auto t = table_of(v);
  EXPECT_EQ(t.bases()[0], b0);
  EXPECT_EQ(t.offset(T::kBlock / 2), b0 + T::kDeltaMask);  // the largest delta a word holds
  EXPECT_TRUE(t.bases()[1] & T::kWide);
  EXPECT_EQ(t.bases()[2], b2);
  EXPECT_EQ(t.wide().size(), T::kBlock);
  expect_same(t, v);
}

TEST(LocationTable, HugeArraysMakeTheirBlocksWide) {
  // Every 1000th object is a 3 GiB primitive array: the next object lies 3 GiB further.
  std::mt19937_64 rng(3);
  std::vector<uint64_t> v;
  uint64_t at = 20;
  for (int i = 0; i < 5000; ++i) {
    const bool huge = i % 1000 == 999;
    v.push_back(packed(huge ? 2 : rng() % 4, at));
    at += huge ? 3 * kGiB : 24 + rng() % 64;
  }
  const auto t = table_of(v);
  EXPECT_EQ(t.wide_blocks(), wide_blocks_of(v));
  EXPECT_GE(t.wide_blocks(), 4u);
  expect_same(t, v);
}

TEST(LocationTable, AWidePartialLastBlock) {
  // 2.5 blocks; the last (partial) block is wide and holds only its own offsets.
  std::mt19937_64 rng(4);
  std::vector<uint64_t> v;
  for (uint64_t i = 0; i < 2 * T::kBlock + T::kBlock / 2; ++i) v.push_back(packed(1, 40 + i * 32));
  v.back() = packed(0, 7 * kGiB);
  const auto t = table_of(v);
  EXPECT_EQ(t.wide_blocks(), 1u);
  EXPECT_EQ(t.wide().size(), T::kBlock / 2);
  expect_same(t, v);
}

TEST(LocationTable, PartialLastBlocksOfEverySize) {
  std::mt19937_64 rng(5);
  for (size_t n :
       {size_t{1}, size_t{2}, size_t{255}, size_t{256}, size_t{257}, size_t{511}, size_t{1000}}) {
    const auto v = pieces_of(rng, n, std::min<size_t>(n, 3), 0, 2 * kGiB);
    const auto t = table_of(v);
    EXPECT_EQ(t.wide_blocks(), wide_blocks_of(v)) << n;
    expect_same(t, v);
  }
}

// take() gives the source's pages back behind its second pass: the same table as assign(),
// wide blocks included, from a source that is empty afterwards.
TEST(LocationTable, TakingTheLocationsOverGivesTheSameTable) {
  std::mt19937_64 rng(41);
  auto v = pieces_of(rng, 400000, 7, 1000, 3 * kGiB);
  for (size_t i = 150000; i < 150000 + 5 * T::kBlock; i += 97)
    v[i] = packed(2, (v[i] & T::kOffsetMask) + 5 * kGiB);
  FlatArray<uint64_t> source(v.size());
  for (uint64_t x : v) source.push_back(x);
  T t;
  t.take(source);
  EXPECT_TRUE(source.empty());
  EXPECT_EQ(t.wide_blocks(), wide_blocks_of(v));
  EXPECT_GT(t.wide_blocks(), 0u);
  expect_same(t, v);
}

TEST(LocationTable, EmptyAndOneObject) {
  const auto empty = table_of({});
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.bases().size(), 0u);
  EXPECT_TRUE(empty.is_consistent());
  const std::vector<uint64_t> one = {packed(3, (uint64_t{1} << 62) - 1)};
  const auto t = table_of(one);
  EXPECT_EQ(t.wide_blocks(), 0u);
  expect_same(t, one);
}

TEST(LocationTable, InconsistentPartsAreCaught) {
  std::mt19937_64 rng(6);
  const auto v = pieces_of(rng, 3000, 10, 0, 2 * kGiB);
  auto t = table_of(v);
  ASSERT_GT(t.wide_blocks(), 0u);
  ASSERT_TRUE(t.is_consistent());
  size_t w = 0;
  while (!(t.bases()[w] & T::kWide)) ++w;
  t.bases()[w] += 1;  // a wide block pointing past its place in the side array
  EXPECT_FALSE(t.is_consistent());
  t.bases()[w] -= 1;
  const uint64_t kept = t.wide()[0];
  t.wide()[0] = uint64_t{1} << 62;  // an offset out of range
  EXPECT_FALSE(t.is_consistent());
  t.wide()[0] = kept;
  ASSERT_TRUE(t.is_consistent());
  t.bases().resize(t.bases().size() - 1);  // a base missing
  EXPECT_FALSE(t.is_consistent());
}

}  // namespace
}  // namespace heapscope::hprof::detail
