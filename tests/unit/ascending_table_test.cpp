// AscendingTable (hprof/ascending_table.h) against a plain std::vector<uint64_t>: values that
// cross 2^32 boundaries once, several times, by more than one high word in one step, and never;
// every read and every lower_bound over random sub-ranges must equal the vector's answer.
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
  EXPECT_TRUE(t.is_ascending());
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

TEST(AscendingTable, OffsetsBelow4GiBHaveNoSteps) {
  std::mt19937_64 rng(1);
  const auto v = ascending(rng, 100000, 0, 40);
  const auto t = table_of(v);
  EXPECT_TRUE(t.steps().empty());
  EXPECT_EQ(t.base_high(), 0u);
  expect_same(t, v, rng);
}

TEST(AscendingTable, IdsInOneWindowAbove4GiB) {
  std::mt19937_64 rng(2);
  const auto v = ascending(rng, 100000, 0x600000000ull, 64);
  const auto t = table_of(v);
  EXPECT_TRUE(t.steps().empty());
  EXPECT_EQ(t.base_high(), 6u);
  expect_same(t, v, rng);
}

TEST(AscendingTable, CrossingManyBoundaries) {
  std::mt19937_64 rng(3);
  const auto v = ascending(rng, 50000, 0xFFF00000ull, uint64_t{1} << 20);  // ~6 crossings
  const auto t = table_of(v);
  EXPECT_GT(t.steps().size(), 3u);
  expect_same(t, v, rng);
}

TEST(AscendingTable, JumpsOfSeveralHighWordsAndEqualRuns) {
  std::mt19937_64 rng(4);
  std::vector<uint64_t> v;
  uint64_t a = 7;
  for (int i = 0; i < 20000; ++i) {
    if (i % 1000 == 999) {
      a += uint64_t{3} << 32;  // the high word jumps by three at one position
    } else if (i % 3 == 0) {
      a += rng() % 100;  // else repeats: equal neighbours
    }
    v.push_back(a);
  }
  const auto t = table_of(v);
  EXPECT_EQ(t.steps().size(), 20u);
  expect_same(t, v, rng);
}

TEST(AscendingTable, IdsSpreadOverThe64BitRangeTakeOneStepEach) {
  // Hostile ids (hprof_fuzz): one step per change of the high word, not one per high word passed.
  std::mt19937_64 rng(5);
  const std::vector<uint64_t> v = {
      1, 2, 0x8000000000000001ull, 0x8000000000000002ull, 0xFFFFFFFFFFFFFFF8ull, ~uint64_t{0}};
  const auto t = table_of(v);
  EXPECT_EQ(t.steps().size(), 2u);
  expect_same(t, v, rng);
}

TEST(AscendingTable, BrokenHighWordsFromACacheFileAreRejected) {
  using Step = AscendingTable::Step;
  AscendingTable t;
  t.reserve(4);
  for (uint64_t x : {1ull, 0xFFFFFFFFull, (1ull << 32) + 5, (1ull << 32) + 9}) t.push_back(x);
  EXPECT_TRUE(t.is_ascending());
  EXPECT_EQ(t.steps(), (std::vector<Step>{{2, 1}}));
  t.set_high_words(0, {});  // the step lost: 0xFFFFFFFF, then 5
  EXPECT_EQ(t[2], 5u);
  EXPECT_FALSE(t.is_ascending());
  t.set_high_words(0, {{0, 1}});  // a step at position 0 is not a step
  EXPECT_FALSE(t.is_ascending());
  t.set_high_words(0, {{2, 1}, {9, 2}});  // beyond the table
  EXPECT_FALSE(t.is_ascending());
  t.set_high_words(1, {{2, 1}});  // a step that does not rise
  EXPECT_FALSE(t.is_ascending());
  t.set_high_words(0, {{2, 1}});
  EXPECT_TRUE(t.is_ascending());
}

}  // namespace
}  // namespace heapscope::hprof::detail
