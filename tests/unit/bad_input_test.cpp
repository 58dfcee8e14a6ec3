// Damaged and hostile input (format A.16): each case is a clean Error or a warning counted in
// ParseStats — never a crash, a hang or an allocation sized by a length field.
#include <gtest/gtest.h>

#include <string>

#include "heapscope/hprof/index.h"
#include "hprof_writer.h"
#include "test_env.h"

namespace heapscope::testing {
namespace {

using hprof::ErrorCode;
using hprof::kNoObject;

// java.lang.Object (0x100) and com.example.A (0x200, one int field), named; no heap yet.
// The reader adds a synthetic java.lang.Class (these dumps have none): 4 classes in all.
constexpr uint32_t kClassesWithSyntheticClass = 4;
HprofWriter start(uint32_t id_size = 4) {
  HprofWriter w(id_size);
  w.utf8(1, "java/lang/Object").utf8(2, "com/example/A").utf8(3, "x").utf8(4, "[J");
  w.load_class(1, 0x100, 1, 1).load_class(2, 0x200, 1, 2).load_class(3, 0x300, 1, 4);
  return w;
}
void classes(HprofWriter& w) {
  w.class_dump({.id = 0x100});
  w.class_dump({.id = 0x200, .super_id = 0x100, .fields = {{3, type::kInt}}});
  w.class_dump({.id = 0x300, .super_id = 0x100});
}

bool warned(const hprof::Index& x, std::string_view text) {
  for (const auto& w : x.stats().warnings) {
    if (w.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(BadInput, NoHeapDumpAtAll) {
  auto w = start();
  w.trace(1, 0, {});
  const auto p = parse(w.bytes());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error->code, ErrorCode::kNoHeapDump);
  // A header and nothing else.
  EXPECT_EQ(parse(HprofWriter(8).bytes()).error->code, ErrorCode::kNoHeapDump);
}

TEST(BadInput, HeapDumpLengthZeroIsReadToTheEnd) {
  auto w = start();
  w.begin_heap_dump();
  classes(w);
  w.instance_dump(0x1000, 0x200, {Value::i32(1)}).instance_dump(0x1008, 0x200, {Value::i32(2)});
  w.end_record(0);
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok()) << p.error->describe();
  EXPECT_EQ(p.idx().instance_count(), 2u);
  EXPECT_EQ(p.idx().class_count(), kClassesWithSyntheticClass);
  EXPECT_EQ(p.idx().stats().bytes_used, p.idx().stats().bytes_total);
  EXPECT_TRUE(warned(p.idx(), "length 0")) << "the repair is reported";
}

TEST(BadInput, HeapDumpLengthPastTheEndReadsWhatIsThere) {
  auto w = start();
  w.begin_heap_dump();
  classes(w);
  w.instance_dump(0x1000, 0x200, {Value::i32(1)});
  w.end_record(0x7FFFFFF0);
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p.idx().stats().truncated);
  EXPECT_EQ(p.idx().instance_count(), 1u);
  EXPECT_TRUE(warned(p.idx(), "claims 2147483632 bytes"));
}

TEST(BadInput, NonHeapRecordPastTheEndStopsTheScan) {
  auto w = start();
  w.begin_heap_dump();
  classes(w);
  w.end_record();
  w.record(0x01, w.scratch().id(9).text("abc").bytes(), 0xFFFFFFF0);
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p.idx().stats().truncated);
  EXPECT_EQ(p.idx().record_counts()[0x01], 4u) << "the cut UTF8 is not counted";
  EXPECT_EQ(p.idx().utf8(9), "");
}

TEST(BadInput, UnknownTopLevelTagIsSkippedAndCounted) {
  auto w = start();
  w.record(0x99, {1, 2, 3, 4, 5});
  w.record(0x42, {});
  w.begin_heap_dump();
  classes(w);
  w.instance_dump(0x1000, 0x200, {Value::i32(1)});
  w.end_record();
  w.record(0x77, std::vector<uint8_t>(100, 0xEE));
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.idx().stats().unknown_records, 3u);
  EXPECT_EQ(p.idx().record_counts()[0x99], 1u);
  EXPECT_EQ(p.idx().instance_count(), 1u);
  EXPECT_FALSE(p.idx().stats().truncated);
  EXPECT_TRUE(warned(p.idx(), "unknown record tag"));
}

TEST(BadInput, UnknownSubRecordSkipsTheRestOfItsSegmentOnly) {
  auto w = start();
  w.begin_segment();
  classes(w);
  w.instance_dump(0x1000, 0x200, {Value::i32(1)});
  const size_t bad_at = w.size();
  w.raw({0x55, 0, 0, 0, 0});                        // no such sub-tag
  w.instance_dump(0x1008, 0x200, {Value::i32(2)});  // lost with the rest of the segment
  const size_t segment_end = w.size();
  w.begin_segment().instance_dump(0x1010, 0x200, {Value::i32(3)});
  w.heap_dump_end();
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  const auto& x = p.idx();
  EXPECT_EQ(x.stats().unknown_sub_records, 1u);
  EXPECT_EQ(x.stats().skipped_bytes, segment_end - bad_at);
  EXPECT_NE(x.find(0x1000), kNoObject);
  EXPECT_EQ(x.find(0x1008), kNoObject);
  EXPECT_NE(x.find(0x1010), kNoObject) << "the next segment is read as usual";
  EXPECT_FALSE(x.stats().truncated);
  EXPECT_TRUE(warned(x, "0x55"));
}

TEST(BadInput, SubRecordCrossingItsSegmentEndIsSkipped) {
  auto w = start();
  w.begin_segment();
  classes(w);
  w.instance_dump(0x1000, 0x200, {Value::i32(1)});
  w.raw(w.scratch().u1(0x21).id(0x1008).u4(1).id(0x200).u4(4).u2(0));  // 2 of 4 bytes
  w.begin_segment().instance_dump(0x1010, 0x200, {Value::i32(3)});
  w.heap_dump_end();
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.idx().instance_count(), 2u);
  EXPECT_EQ(p.idx().find(0x1008), kNoObject);
  EXPECT_FALSE(p.idx().stats().truncated) << "the data did not end; a segment was wrong";
  EXPECT_TRUE(warned(p.idx(), "runs past the end of its segment"));
}

TEST(BadInput, HugeArrayLengthsAreBoundedByTheBytesPresent) {
  for (uint32_t id_size : {4u, 8u}) {
    auto w = start(id_size);
    w.begin_heap_dump();
    classes(w);
    w.instance_dump(0x1000, 0x200, {Value::i32(1)});
    // 0xFFFFFFFF longs = 32 GiB claimed; four bytes present.
    w.prim_array_dump(0x2000, type::kLong, {}, 1, 0xFFFFFFFF).raw({1, 2, 3, 4});
    auto bytes = w.bytes();
    auto p = parse(bytes);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.idx().primitive_array_count(), 0u);
    EXPECT_EQ(p.idx().instance_count(), 1u);
    EXPECT_GT(p.idx().stats().skipped_bytes, 0u);

    auto o = start(id_size);
    o.begin_heap_dump();
    classes(o);
    o.obj_array_dump(0x3000, 0x300, {0x1000}, 1, 0xFFFFFFFF);
    o.instance_dump(0x3008, 0x200, {Value::i32(1)}, 1, 0xFFFFFFFF);
    p = parse(o.bytes());
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.idx().object_array_count(), 0u);
    EXPECT_EQ(p.idx().object_count(), 3u) << "only the classes";
  }
}

TEST(BadInput, HugeCountsInATraceAndAClassDumpAreBounded) {
  auto w = start();
  // A TRACE that claims 2^32-1 frames in 12 bytes.
  w.record(0x05, w.scratch().u4(7).u4(1).u4(0xFFFFFFFF).bytes());
  w.begin_heap_dump();
  classes(w);
  // A CLASS_DUMP that claims 65535 statics and 65535 fields and ends at once.
  w.raw(w.scratch().u1(0x20).id(0x400).u4(1).id(0x100).id(0).id(0).id(0).id(0).id(0).u4(0).u2(0).u2(
      0xFFFF));
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.idx().find_trace(7), nullptr);
  EXPECT_TRUE(warned(p.idx(), "TRACE"));
  EXPECT_EQ(p.idx().class_count(), kClassesWithSyntheticClass);
  EXPECT_EQ(p.idx().find_class(0x400), hprof::kNoClass);
}

TEST(BadInput, BadBasicTypeCodesAreCorrupt) {
  // In a primitive array: object (2) is not primitive; 0, 1, 3, 12, 0xFF are no type at all.
  for (uint8_t bad : {0, 1, 2, 3, 12, 0xFF}) {
    auto w = start();
    w.begin_segment();
    classes(w);
    w.raw(w.scratch().u1(0x23).id(0x1000).u4(1).u4(1).u1(bad).u4(0));
    w.begin_segment().instance_dump(0x1010, 0x200, {Value::i32(3)});
    w.heap_dump_end();
    const auto p = parse(w.bytes());
    ASSERT_TRUE(p.ok()) << int(bad);
    EXPECT_EQ(p.idx().primitive_array_count(), 0u) << int(bad);
    EXPECT_EQ(p.idx().stats().unknown_sub_records, 1u) << int(bad);
    EXPECT_NE(p.idx().find(0x1010), kNoObject);
    EXPECT_TRUE(warned(p.idx(), "element type " + std::to_string(bad))) << int(bad);
  }
  // In a class dump: an instance field, a static, a constant-pool entry.
  const ClassDef bad_classes[] = {
      {.id = 0x400, .super_id = 0x100, .fields = {{3, 13}}},
      {.id = 0x400, .super_id = 0x100, .statics = {{3, Value{1, 0}}}},
      {.id = 0x400, .super_id = 0x100, .constants = {{1, Value{0x42, 0}}}},
  };
  for (const auto& c : bad_classes) {
    auto w = start();
    w.begin_heap_dump();
    classes(w);
    w.class_dump(c);
    const auto p = parse(w.bytes());
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.idx().find_class(0x400), hprof::kNoClass);
    EXPECT_EQ(p.idx().stats().unknown_sub_records, 1u);
    EXPECT_TRUE(warned(p.idx(), "corrupt CLASS_DUMP"));
  }
}

TEST(BadInput, SuperclassLoopIsCorruptAndNamesTheClass) {
  auto w = start();
  w.utf8(5, "com/example/B").load_class(5, 0x500, 1, 5);
  w.begin_heap_dump().class_dump({.id = 0x100});
  w.class_dump({.id = 0x200, .super_id = 0x500});
  w.class_dump({.id = 0x500, .super_id = 0x200});
  auto p = parse(w.bytes());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error->code, ErrorCode::kCorrupt);
  EXPECT_NE(p.error->message.find("com.example."), std::string::npos) << p.error->message;
  EXPECT_NE(p.error->message.find("loops"), std::string::npos) << p.error->message;
  EXPECT_GT(p.error->byte_offset, 0u);
  // A class that is its own superclass.
  auto s = start();
  s.begin_heap_dump().class_dump({.id = 0x100}).class_dump({.id = 0x200, .super_id = 0x200});
  p = parse(s.bytes());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error->code, ErrorCode::kCorrupt);
  EXPECT_NE(p.error->message.find("com.example.A"), std::string::npos) << p.error->message;
}

TEST(BadInput, InstancesOfAClassNeverDumpedGetASyntheticClass) {
  auto w = start();
  w.begin_heap_dump();
  classes(w);
  w.instance_dump(0x1000, 0x777, {Value::i32(1), Value::i32(2)});
  w.instance_dump(0x1008, 0x777, {Value::i32(3), Value::i32(4)});
  w.instance_dump(0x1010, 0x888, {});
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  const auto& x = p.idx();
  EXPECT_EQ(x.stats().missing_classes, 2u);
  const auto c = x.class_of(x.find(0x1000));
  ASSERT_NE(c, hprof::kNoClass);
  EXPECT_TRUE(x.class_info(c).synthetic);
  EXPECT_EQ(x.class_info(c).id, 0x777u);
  EXPECT_EQ(x.class_of(x.find(0x1008)), c);
  EXPECT_EQ(x.find_class(0x777), c);
  EXPECT_EQ(x.instance_data(x.find(0x1000)).size(), 8u);
  EXPECT_GT(x.shallow_size(x.find(0x1000)), 0u);
  EXPECT_EQ(x.stats().field_size_mismatches, 0u) << "an unknown layout is not a mismatch";
}

// Found by the fuzzer: an all-ones class id was taken for the "no look-up yet" mark of the class
// slot cache, and its objects were left with no class at all.
TEST(BadInput, ObjectsOfAnAllOnesClassIdGetASyntheticClass) {
  auto w = start(8);
  w.begin_heap_dump();
  classes(w);
  w.instance_dump(0x1000, ~uint64_t{0}, {});
  w.instance_dump(0x1008, ~uint64_t{0}, {});
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  const auto& x = p.idx();
  for (uint64_t id : {0x1000u, 0x1008u}) {
    const auto c = x.class_of(x.find(id));
    ASSERT_LT(c, x.class_count()) << std::hex << id;
    EXPECT_EQ(x.class_info(c).id, ~uint64_t{0});
    EXPECT_TRUE(x.class_info(c).synthetic);
  }
}

TEST(BadInput, MissingSuperclassIsCounted) {
  auto w = start();
  w.begin_heap_dump().class_dump({.id = 0x100});
  w.class_dump({.id = 0x200, .super_id = 0x999, .fields = {{3, type::kInt}}});
  w.instance_dump(0x1000, 0x200, {Value::i32(1), Value::i32(2)});
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.idx().stats().missing_classes, 1u);
  EXPECT_TRUE(warned(p.idx(), "superclass"));
}

TEST(BadInput, InstancePayloadDisagreeingWithItsClassIsCounted) {
  auto w = start();
  w.begin_heap_dump();
  classes(w);
  w.instance_dump(0x1000, 0x200, {Value::i32(1), Value::i32(2)});  // A has one int
  w.instance_dump(0x1008, 0x200, {Value::i32(1)});
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.idx().stats().field_size_mismatches, 1u);
  EXPECT_EQ(p.idx().instance_data(p.idx().find(0x1000)).size(), 8u);
}

TEST(BadInput, DuplicateObjectIdsKeepTheFirstRecord) {
  for (uint32_t threads : {1u, 4u}) {
    auto w = start();
    w.begin_segment();
    classes(w);
    w.instance_dump(0x1000, 0x200, {Value::i32(1)});
    w.instance_dump(0x1008, 0x200, {Value::i32(2)});
    w.begin_segment();
    w.instance_dump(0x1000, 0x200, {Value::i32(99)});  // same id again
    w.prim_array_dump(0x1008, type::kLong, {1, 2});    // same id, other kind
    w.instance_dump(0x200, 0x200, {Value::i32(5)});    // a class's id
    w.heap_dump_end();
    const auto p = parse(w.bytes(), {.threads = threads});
    ASSERT_TRUE(p.ok());
    const auto& x = p.idx();
    EXPECT_EQ(x.stats().duplicate_objects, 3u) << threads;
    EXPECT_EQ(x.object_count(), 3u + 2u);
    const auto first = x.find(0x1000);
    ASSERT_EQ(x.instance_data(first).size(), 4u);
    EXPECT_EQ(x.instance_data(first)[3], 1) << "the first INSTANCE_DUMP wins, threads " << threads;
    EXPECT_EQ(x.kind(x.find(0x1008)), hprof::ObjectKind::kInstance) << threads;
    EXPECT_EQ(x.kind(x.find(0x200)), hprof::ObjectKind::kClass) << threads;
  }
}

TEST(BadInput, ShortTopLevelRecordsAreSkippedWithAWarning) {
  auto w = start(8);
  w.record(0x01, {1, 2, 3});     // UTF8 shorter than its id
  w.record(0x02, {0, 0, 0, 1});  // LOAD_CLASS without ids
  w.record(0x04, {0, 0});        // FRAME
  w.record(0x05, {0, 0, 0, 1});  // TRACE
  w.begin_heap_dump();
  classes(w);
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.idx().class_count(), kClassesWithSyntheticClass);
  EXPECT_TRUE(warned(p.idx(), "shorter than its"));
}

TEST(BadInput, HeapDumpNumberSelectsAndRangeIsChecked) {
  auto w = start();
  w.begin_heap_dump();
  classes(w);
  w.instance_dump(0x1000, 0x200, {Value::i32(1)});
  w.end_record();
  const auto p = parse(w.bytes(), {.heap_dump_number = 1});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error->code, ErrorCode::kNoHeapDump);
  EXPECT_NE(p.error->message.find("the file has 1"), std::string::npos) << p.error->message;
}

}  // namespace
}  // namespace heapscope::testing
