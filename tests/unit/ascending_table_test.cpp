// AscendingTable (hprof/ascending_table.h) against a plain std::vector<uint64_t>: close
// neighbours (2-byte deltas), blocks spanning 0xFFFE (still narrow) and 0xFFFF or more (wide),
// equal runs, partial last blocks, values spread over the 64-bit range; every read and every
// lower_bound over random sub-ranges must equal the vector's answer; parts a damaged cache file
// could hand it must be refused.
#include "heapscope/hprof/ascending_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace heapscope::hprof::detail {
namespace {

std::vector<uint64_t> ascending(std::mt19937_64& rng, size_t n, uint64_t start, uint64_t max_gap) {
  std::vector<uint64_t> v;
  uint64_t a = start;
  for (size_t i = 0; i < n; ++i) {
    a += rng() % (max_gap + 1);
    v.push_back(a);
  }
  return v;
}

AscendingTable table_of(const std::vector<uint64_t>& v) {
  AscendingTable t;
  t.reserve(v.size() + 1);
  for (uint64_t x : v) t.push_back(x);
  return t;
}

void expect_same(const AscendingTable& t, const std::vector<uint64_t>& v, std::mt19937_64& rng) {
  ASSERT_EQ(t.size(), v.size());
  for (size_t i = 0; i < v.size(); ++i) ASSERT_EQ(t[i], v[i]) << "entry " << i;
  EXPECT_TRUE(t.is_consistent());
  for (int q = 0; q < 2000; ++q) {
    uint64_t first = rng() % (v.size() + 1), last = rng() % (v.size() + 1);
    if (first > last) std::swap(first, last);
    // Half the ranges short, as a directory bucket is (counted, not bisected, up to 32).
    if (q % 2 == 0) last = std::min<uint64_t>(v.size(), first + rng() % 40);
    // Probe present values, values between them and values outside the range.
    uint64_t probe = v[rng() % v.size()];
    if (q % 3 == 1) probe += 1;
    if (q % 7 == 2) probe = rng();
    if (q % 11 == 3) probe = v.front() - std::min<uint64_t>(v.front(), 5);
    const uint64_t want = std::lower_bound(v.begin() + first, v.begin() + last, probe) - v.begin();
    ASSERT_EQ(t.lower_bound(first, last, probe), want)
        << "probe " << probe << " in [" << first << ", " << last << ")";
    const bool present = want < last && v[want] == probe;
    ASSERT_EQ(t.find(first, last, probe), present ? want : last)
        << "find " << probe << " in [" << first << ", " << last << ")";
    // A guess (right, near or wrong) changes where the search starts, never the answer.
    const uint64_t right = want;
    for (uint64_t guess : {right, right + rng() % 20, right - std::min<uint64_t>(right, rng() % 20),
                           first + rng() % (last - first + 1), uint64_t{rng()}}) {
      ASSERT_EQ(t.find(first, last, probe, guess), present ? want : last)
          << "find " << probe << " in [" << first << ", " << last << ") from " << guess;
    }
  }
}

TEST(AscendingTable, CloseNeighboursTakeTwoBytes) {
  std::mt19937_64 rng(1);
  const auto v = ascending(rng, 100000, 0, 40);  // edge offsets: a few edges per node
  const auto t = table_of(v);
  EXPECT_EQ(t.wide_blocks(), 0u);
  EXPECT_TRUE(t.wide().empty());
  EXPECT_EQ(t.bases().size(), (v.size() + 63) / 64);
  expect_same(t, v, rng);
}

TEST(AscendingTable, IdsAbove4GiBAndAcross4GiBBoundaries) {
  std::mt19937_64 rng(2);
  const auto v = ascending(rng, 100000, 0x6FFF00000ull, 64);  // objects of up to 64 bytes
  const auto t = table_of(v);
  EXPECT_EQ(t.wide_blocks(), 0u);
  expect_same(t, v, rng);
}

TEST(AscendingTable, LargeGapsMakeTheirBlocksWide) {
  std::mt19937_64 rng(3);
  std::vector<uint64_t> v;
  uint64_t a = 0xFFF00000ull;
  uint64_t expected_wide = 0;
  for (size_t i = 0; i < 50000; ++i) {
    // An array of a megabyte now and then, of 20-40 KB more often.
    if (i % 640 == 300) {
      a += uint64_t{1} << 20;
    } else if (i % 29 == 0) {
      a += 20000 + rng() % 20000;
    } else {
      a += 8 + rng() % 56;
    }
    v.push_back(a);
  }
  const auto t = table_of(v);
  // Brute force: blocks whose last value is 0xFFFF or more above their first.
  for (size_t b = 0; b < v.size(); b += 64) {
    expected_wide += v[std::min(v.size(), b + 64) - 1] - v[b] >= 0xFFFF;
  }
  EXPECT_GT(expected_wide, 100u);
  EXPECT_EQ(t.wide_blocks(), expected_wide);
  EXPECT_TRUE(t.is_consistent());
  expect_same(t, v, rng);
}

TEST(AscendingTable, ABlockSpanning0xFFFEIsNarrowAnd0xFFFFWide) {
  std::mt19937_64 rng(6);
  for (const uint64_t span : {uint64_t{0xFFFE}, uint64_t{0xFFFF}}) {
    std::vector<uint64_t> v;
    for (uint64_t i = 0; i < 64; ++i) v.push_back(1000 + i);  // block 0
    for (uint64_t i = 0; i < 63; ++i) v.push_back(5000 + i);  // block 1, then its last value
    v.push_back(5000 + span);
    for (uint64_t i = 0; i < 10; ++i) v.push_back(5000 + span + i);  // block 2
    const auto t = table_of(v);
    EXPECT_EQ(t.wide_blocks(), span == 0xFFFF ? 1u : 0u) << span;
    expect_same(t, v, rng);
  }
}

TEST(AscendingTable, EqualRunsAndAPartialLastBlock) {
  std::mt19937_64 rng(4);
  for (size_t n : {size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{20001}}) {
    std::vector<uint64_t> v;
    uint64_t a = 7;
    for (size_t i = 0; i < n; ++i) {
      if (i % 3 == 0) a += rng() % 100;  // else repeats: equal neighbours
      v.push_back(a);
    }
    expect_same(table_of(v), v, rng);
  }
}

TEST(AscendingTable, IdsSpreadOverThe64BitRange) {
  // Hostile ids (hprof_fuzz): every block wide, values exact, 8 bytes each at most.
  std::mt19937_64 rng(5);
  std::vector<uint64_t> v = {
      1, 2, 0x8000000000000001ull, 0x8000000000000002ull, 0xFFFFFFFFFFFFFFF8ull, ~uint64_t{0}};
  expect_same(table_of(v), v, rng);
  v.clear();
  for (int i = 0; i < 1000; ++i) v.push_back(rng());
  std::sort(v.begin(), v.end());
  const auto t = table_of(v);
  EXPECT_EQ(t.wide_blocks(), (v.size() + 63) / 64);
  EXPECT_EQ(t.wide().size(), v.size());
  expect_same(t, v, rng);
}

TEST(AscendingTable, BrokenPartsFromACacheFileAreRejected) {
  std::vector<uint64_t> v;
  for (uint64_t i = 0; i < 200; ++i) v.push_back(i * 10 + (i >= 100 ? (1u << 20) : 0));
  auto load = [&](auto spoil) {
    const auto good = table_of(v);
    AscendingTable t;
    t.deltas().reserve(good.size());
    t.deltas().resize(good.size());
    std::copy(good.deltas().begin(), good.deltas().end(), t.deltas().begin());
    t.bases().reserve(good.bases().size() + 1);
    t.bases().resize(good.bases().size());
    std::copy(good.bases().begin(), good.bases().end(), t.bases().begin());
    t.wide() = good.wide();
    spoil(t);
    return t.is_consistent();
  };
  EXPECT_TRUE(load([](AscendingTable&) {}));
  EXPECT_EQ(table_of(v).wide_blocks(), 1u);  // block 1 (values 64..127) straddles the jump
  EXPECT_FALSE(load([](AscendingTable& t) { t.bases()[2] -= 1000; }));  // no longer ascending
  EXPECT_FALSE(load([](AscendingTable& t) { t.deltas()[5] = AscendingTable::kWide; }));
  EXPECT_FALSE(load([](AscendingTable& t) { t.deltas()[70] = 3; }));     // a wide block's delta
  EXPECT_FALSE(load([](AscendingTable& t) { t.deltas()[128] = 1; }));    // a first delta not 0
  EXPECT_FALSE(load([](AscendingTable& t) { t.bases()[1] = 5; }));       // not where it starts
  EXPECT_FALSE(load([](AscendingTable& t) { t.wide().pop_back(); }));    // side array too short
  EXPECT_FALSE(load([](AscendingTable& t) { t.wide().push_back(0); }));  // or too long
  EXPECT_FALSE(load([](AscendingTable& t) { t.bases().resize(t.bases().size() - 1); }));
}

}  // namespace
}  // namespace heapscope::hprof::detail
