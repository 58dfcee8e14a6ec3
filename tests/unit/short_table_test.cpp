// ShortTable (hprof/short_table.h) against a plain std::vector<uint32_t>: values that fit in two
// bytes, exceptions at and around the escape word (0xFFFE, 0xFFFF, 2^32 - 1), a table where
// exceptions are common enough for the 4-byte form, no entries; and parts a damaged cache file
// could hand it, which is_consistent() must refuse.
#include "heapscope/hprof/short_table.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace heapscope::hprof::detail {
namespace {

ShortTable table_of(const std::vector<uint32_t>& v) {
  ShortTable t;
  t.assign(v);
  return t;
}

void expect_same(const ShortTable& t, const std::vector<uint32_t>& v) {
  ASSERT_EQ(t.size(), v.size());
  for (size_t i = 0; i < v.size(); ++i) ASSERT_EQ(t[i], v[i]) << "entry " << i;
  EXPECT_TRUE(t.is_consistent());
}

TEST(ShortTable, RareExceptionsKeepTwoBytesPerEntry) {
  std::mt19937_64 rng(5);
  std::vector<uint32_t> v(200000);
  for (auto& x : v) x = static_cast<uint32_t>(rng() % 3000);
  const std::vector<uint32_t> odd = {0xFFFE, 0xFFFF, 0x10000, 1u << 20, UINT32_MAX};
  for (size_t i = 0; i < v.size(); i += 97) v[i] = odd[(i / 97) % odd.size()];
  v.front() = UINT32_MAX;  // the first and last entries are exceptions too
  v.back() = 0xFFFF;
  uint64_t expected = 0;
  for (uint32_t x : v) expected += x >= 0xFFFF;
  const auto t = table_of(v);
  EXPECT_FALSE(t.wide());
  EXPECT_EQ(t.exceptions(), expected);
  EXPECT_GT(expected, 1500u);
  expect_same(t, v);
  EXPECT_EQ(t.short_words().size(), v.size());
}

TEST(ShortTable, CommonExceptionsFallBackToFourBytes) {
  std::vector<uint32_t> v(1000, 7);
  for (size_t i = 0; i < v.size(); i += 10) v[i] = 70000 + static_cast<uint32_t>(i);
  const auto t = table_of(v);
  EXPECT_TRUE(t.wide());
  EXPECT_EQ(t.exceptions(), 0u);
  EXPECT_TRUE(t.short_words().empty());
  expect_same(t, v);
  // One exception in 16 exactly stays short.
  std::vector<uint32_t> w(1600, 3);
  for (size_t i = 0; i < w.size(); i += 16) w[i] = 0x20000;
  const auto s = table_of(w);
  EXPECT_FALSE(s.wide());
  EXPECT_EQ(s.exceptions(), 100u);
  expect_same(s, w);
}

// take() gives the source's pages back behind its pass; a table that turns wide late (its
// exceptions past one in 16 only after hundreds of thousands of entries, the pages of the first
// ones gone) must still hold every value.
TEST(ShortTable, TakingTheValuesOverKeepsEveryValue) {
  std::mt19937_64 rng(9);
  for (const bool late_wide : {false, true}) {
    std::vector<uint32_t> v(600000);
    for (auto& x : v) x = static_cast<uint32_t>(rng() % 5000);
    for (size_t i = 0; i < v.size(); i += 1000) v[i] = 0x10000 + static_cast<uint32_t>(i);
    if (late_wide) {
      for (size_t i = 500000; i < v.size(); i += 2) v[i] = UINT32_MAX - static_cast<uint32_t>(i);
    }
    FlatArray<uint32_t> source(v.size());
    for (uint32_t x : v) source.push_back(x);
    ShortTable t;
    t.take(source);
    EXPECT_TRUE(source.empty());
    EXPECT_EQ(t.wide(), late_wide);
    expect_same(t, v);
  }
}

TEST(ShortTable, EmptyAndOneEntry) {
  expect_same(table_of({}), {});
  expect_same(table_of({0xFFFF}), {0xFFFF});  // one exception in one entry: the wide form
  expect_same(table_of({12}), {12});
}

// What a reader fills from a file: the same parts as the original are consistent; any part that
// disagrees is refused before a look-up could read outside the arrays.
TEST(ShortTable, InconsistentPartsAreRefused) {
  std::vector<uint32_t> v(5000, 1);
  v[10] = 0x30000;
  v[20] = 0x40000;
  const auto good = table_of(v);
  ASSERT_FALSE(good.wide());
  auto copy = [&](auto&& damage) {
    ShortTable t;
    auto fill = [](auto& to, const auto& from) {
      to.reserve(from.size() + 1);
      for (auto x : from) to.push_back(x);
    };
    fill(t.short_words(), good.short_words());
    fill(t.exception_positions(), good.exception_positions());
    fill(t.exception_values(), good.exception_values());
    t.set_size(good.size());
    damage(t);
    return t.is_consistent();
  };
  EXPECT_TRUE(copy([](ShortTable&) {}));
  EXPECT_FALSE(copy([](ShortTable& t) { t.short_words()[30] = ShortTable::kEscape; }));
  EXPECT_FALSE(copy([](ShortTable& t) { t.short_words()[10] = 5; }));
  EXPECT_FALSE(copy([](ShortTable& t) { t.exception_positions()[1] = 10; }));
  EXPECT_FALSE(copy([](ShortTable& t) { t.exception_values()[0] = 12; }));
  EXPECT_FALSE(copy([](ShortTable& t) { t.exception_positions().push_back(4999); }));
  EXPECT_FALSE(copy([](ShortTable& t) { t.set_size(4000); }));
  EXPECT_FALSE(copy([](ShortTable& t) { t.full_words().reserve(1), t.full_words().push_back(1); }));
}

}  // namespace
}  // namespace heapscope::hprof::detail
