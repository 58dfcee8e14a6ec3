// Input built to make the reader slow or to break its look-ups: long class chains, ids over the
// whole 64-bit range, many undumped classes, objects in descending order. Each case was a real
// problem (found by reading the code or by hprof_fuzz) and is fixed; timings have wide margins.
#include <gtest/gtest.h>

#include <chrono>

#include "heapscope/hprof/index.h"
#include "hprof_writer.h"
#include "test_env.h"

namespace heapscope::testing {
namespace {

using hprof::kNoObject;

// java.lang.Object (0x100) and com.example.A (0x200, one int field), an open HEAP_DUMP.
HprofWriter start(uint32_t id_size) {
  HprofWriter w(id_size);
  w.utf8(1, "java/lang/Object").utf8(2, "com/example/A").utf8(3, "x");
  w.load_class(1, 0x100, 1, 1).load_class(2, 0x200, 1, 2);
  w.begin_heap_dump();
  w.class_dump({.id = 0x100});
  w.class_dump({.id = 0x200, .super_id = 0x100, .fields = {{3, type::kInt}}});
  return w;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

TEST(HostileInput, LongSuperclassChainIsFine) {
  // 40000 classes, each the superclass of the next: no recursion, no quadratic blow-up.
  HprofWriter w(4);
  w.begin_heap_dump();
  for (uint64_t c = 1; c <= 40000; ++c) {
    w.class_dump({.id = c * 8, .super_id = c == 1 ? 0 : (c - 1) * 8, .fields = {{3, type::kByte}}});
  }
  w.instance_dump(0x1000000, 40000 * 8, std::vector<Value>(40000, Value::byte(1)));
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  const auto& x = p.idx();
  EXPECT_EQ(x.class_info(x.find_class(40000 * 8)).instance_data_size, 40000u);
  EXPECT_EQ(x.stats().field_size_mismatches, 0u);
}

TEST(HostileInput, IdsSpanningTheWholeIdRangeAreAllFound) {
  // Found by hprof_fuzz: the look-up directory's last bucket boundary overflowed when the ids
  // spread over all 64 bits, and the highest objects could not be found.
  for (const std::vector<uint64_t>& ids : {std::vector<uint64_t>{1, 0x8000000000000001},
                                           std::vector<uint64_t>{8, 0x100, 0xFFFFFFFFFFFFFFF8},
                                           std::vector<uint64_t>{0x7F, ~uint64_t{0}}}) {
    auto w = start(8);
    for (uint64_t id : ids) w.instance_dump(id, 0x200, {Value::i32(1)});
    const auto p = parse(w.bytes());
    ASSERT_TRUE(p.ok());
    const auto& x = p.idx();
    for (uint64_t id : ids) EXPECT_NE(x.find(id), kNoObject) << std::hex << id;
    for (hprof::ObjectIndex o = 0; o < x.object_count(); ++o) EXPECT_EQ(x.find(x.object_id(o)), o);
    EXPECT_EQ(x.find(ids.back() - 1), kNoObject);
  }
}

TEST(HostileInput, ManyInstancesOfUndumpedClassesStayFast) {
  // 100000 instances, each naming a different class the dump never describes: a synthetic class
  // each, without a quadratic insertion into the class table.
  HprofWriter w(4);
  w.begin_heap_dump();
  for (uint64_t i = 0; i < 100000; ++i) w.instance_dump(0x100000 + 8 * i, 0x10000000 - 8 * i, {});
  const auto started = std::chrono::steady_clock::now();
  const auto p = parse(w.bytes(), {.threads = 2});
  const double seconds = seconds_since(started);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.idx().stats().missing_classes, 100000u);
  EXPECT_EQ(p.idx().find_class(0x10000000 - 8 * 99999),
            p.idx().class_of(p.idx().find(0x100000 + 8 * 99999)));
  EXPECT_LT(seconds, 5.0);
}

TEST(HostileInput, ObjectsInDescendingIdOrderStayFast) {
  // Every object its own ascending run: the sort's run planner must not go quadratic.
  auto w = start(4);
  constexpr uint64_t kCount = 300000;
  for (uint64_t i = 0; i < kCount; ++i)
    w.instance_dump(0x40000000 - 16 * i, 0x200, {Value::i32(1)});
  const auto started = std::chrono::steady_clock::now();
  const auto p = parse(w.bytes());
  const double seconds = seconds_since(started);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.idx().instance_count(), kCount);
  for (hprof::ObjectIndex o = 1; o < p.idx().object_count(); ++o) {
    ASSERT_LT(p.idx().object_id(o - 1), p.idx().object_id(o));
  }
  EXPECT_LT(seconds, 10.0);
}

}  // namespace
}  // namespace heapscope::testing
