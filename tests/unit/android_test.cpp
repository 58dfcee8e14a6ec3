// Every GC root kind, and Android (Dalvik/ART, JAVA PROFILE 1.0.3) dumps: HEAP_DUMP_INFO,
// the Android root kinds, PRIMITIVE_ARRAY_NODATA, dotted class names, many small segments and
// instances before their class (format A.5, A.6).
#include <gtest/gtest.h>

#include <map>

#include "heapscope/hprof/index.h"
#include "heapscope/hprof/tags.h"
#include "hprof_writer.h"
#include "test_env.h"

namespace heapscope::testing {
namespace {

using hprof::kNoObject;

TEST(Roots, EveryStandardKindIsReadWithItsFields) {
  HprofWriter w(8);
  w.utf8(1, "java/lang/Object").load_class(1, 0x1000, 1, 1);
  w.begin_segment().class_dump({.id = 0x1000});
  for (uint64_t id = 0x2000; id < 0x2000 + 9 * 16; id += 16) w.instance_dump(id, 0x1000, {});
  w.root_unknown(0x2000);
  w.root_jni_global(0x2010, 0xCAFE);
  w.root_jni_local(0x2020, 3, 4);
  w.root_java_frame(0x2030, 5, 0xFFFFFFFF);
  w.root_native_stack(0x2040, 6);
  w.root_sticky_class(0x1000);
  w.root_thread_block(0x2060, 7);
  w.root_monitor_used(0x2070);
  w.root_thread_obj(0x2080, 8, 9);
  w.root_thread_obj(0, 10, 11);  // a thread just attached through JNI has no object
  w.heap_dump_end();
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok()) << p.error->describe();
  const auto& x = p.idx();
  std::map<uint8_t, hprof::GcRoot> by_kind;
  for (const auto& r : x.roots()) {
    if (r.object_id != 0) by_kind[r.kind] = r;
  }
  ASSERT_EQ(x.roots().size(), 10u);
  for (uint8_t k : {0xFF, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}) {
    EXPECT_EQ(x.sub_record_counts()[k], k == 0x08 ? 2u : 1u) << int(k);
    ASSERT_TRUE(by_kind.count(k)) << int(k);
    EXPECT_NE(by_kind[k].object, kNoObject) << int(k);
    EXPECT_TRUE(hprof::is_root_sub_tag(k));
  }
  EXPECT_EQ(by_kind[0x02].thread_serial, 3u);
  EXPECT_EQ(by_kind[0x02].frame, 4);
  EXPECT_EQ(by_kind[0x03].thread_serial, 5u);
  EXPECT_EQ(by_kind[0x03].frame, -1);  // empty stack
  EXPECT_EQ(by_kind[0x04].thread_serial, 6u);
  EXPECT_EQ(by_kind[0x06].thread_serial, 7u);
  EXPECT_EQ(by_kind[0x05].object_id, 0x1000u);
  ASSERT_EQ(x.threads().size(), 2u);
  EXPECT_EQ(x.threads()[0].serial, 8u);
  EXPECT_EQ(x.threads()[0].trace_serial, 9u);
  EXPECT_EQ(x.threads()[1].object, kNoObject);
  EXPECT_EQ(x.stats().dangling_references, 0u) << "a null thread object is not dangling";
}

TEST(Roots, RootsNamingAbsentObjectsAreCountedNotFatal) {
  HprofWriter w(4);
  w.utf8(1, "java/lang/Object").load_class(1, 0x100, 1, 1);
  w.begin_heap_dump().class_dump({.id = 0x100}).instance_dump(0x200, 0x100, {});
  w.root_jni_global(0x200, 1).root_jni_global(0x999, 2).root_sticky_class(0x998);
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.idx().roots().size(), 3u);
  EXPECT_EQ(p.idx().stats().dangling_references, 2u);
}

// A Dalvik-style file: 4-byte ids, dotted names, no array class dumps, several small
// segments each opened with HEAP_DUMP_INFO, roots first, an instance before its class.
std::vector<uint8_t> android_dump() {
  HprofWriter w(4, "JAVA PROFILE 1.0.3");
  w.utf8(0x400001, "java.lang.Object").utf8(0x400002, "java.lang.String");
  w.utf8(0x400003, "com.example.Leak").utf8(0x400004, "byte[][]").utf8(0x400005, "app");
  w.utf8(0x400006, "zygote").utf8(0x400007, "value").utf8(0x400008, "count");
  w.load_class(1, 0x70000000, 0, 0x400001).load_class(2, 0x70000100, 0, 0x400002);
  w.load_class(3, 0x70000200, 0, 0x400003).load_class(4, 0x70000300, 0, 0x400004);
  w.trace(0xFFFFFFFF, 0, {});  // the dummy trace Dalvik writes

  w.begin_segment().heap_dump_info('Z', 0x400006);
  w.root_interned_string(0x12C00010);
  w.root_finalizing(0x12C00020);
  w.root_debugger(0x12C00020);
  w.root_reference_cleanup(0x12C00020);
  w.root_vm_internal(0x70000000);
  w.root_jni_monitor(0x12C00020, 1, 0xFFFFFFFF);
  w.unreachable(0x12C00030);
  w.root_thread_obj(0x12C00020, 1, 0xFFFFFFFF);
  w.root_java_frame(0x12C00020, 1, 0xFFFFFFFF);
  w.class_dump({.id = 0x70000000, .instance_size = 8});
  w.begin_segment().heap_dump_info('A', 0x400005);
  // The instance comes before its CLASS_DUMP (ART dumps a class when it reaches it).
  w.instance_dump(0x12C00020, 0x70000200, {Value::i32(7)});
  w.instance_dump(0x12C00010, 0x70000100, {Value::object(0x12C00040), Value::i32(2)});
  w.prim_array_dump(0x12C00040, type::kChar, {'o', 'k'});
  w.prim_array_nodata(0x12C00050, 0, 1000, type::kByte);
  w.begin_segment().heap_dump_info('A', 0x400005);
  w.class_dump({.id = 0x70000200, .super_id = 0x70000000, .fields = {{0x400008, type::kInt}}});
  w.class_dump({.id = 0x70000100,
                .super_id = 0x70000000,
                .fields = {{0x400007, type::kObject}, {0x400008, type::kInt}}});
  w.class_dump({.id = 0x70000300, .super_id = 0x70000000});
  w.obj_array_dump(0x12C00030, 0x70000300, {0x12C00060});
  w.prim_array_dump(0x12C00060, type::kByte, {1, 2, 3});
  w.heap_dump_end();
  return w.bytes();
}

TEST(Android, Version103RecordsAreAllRead) {
  const auto p = parse(android_dump());
  ASSERT_TRUE(p.ok()) << p.error->describe();
  const auto& x = p.idx();
  EXPECT_EQ(p.dump->header().version, hprof::Version::k103);
  EXPECT_EQ(x.id_size(), 4u);
  const auto& sub = x.sub_record_counts();
  EXPECT_EQ(sub[0xFE], 3u);
  for (uint8_t k : {0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x90}) {
    EXPECT_EQ(sub[k], 1u) << std::hex << int(k);
    EXPECT_TRUE(hprof::is_root_sub_tag(k));
    EXPECT_TRUE(hprof::sub_tag_name(k).has_value());
  }
  EXPECT_EQ(sub[0xC3], 1u);
  EXPECT_EQ(x.roots().size(), 9u);
  EXPECT_EQ(x.stats().dangling_references, 0u);
  EXPECT_EQ(x.stats().unknown_sub_records, 0u);
  EXPECT_EQ(x.stats().bytes_used, x.stats().bytes_total);
  EXPECT_FALSE(x.stats().truncated);

  EXPECT_EQ(x.instance_count(), 2u);
  EXPECT_EQ(x.object_array_count(), 1u);
  EXPECT_EQ(x.primitive_array_count(), 3u);
  EXPECT_EQ(x.object_count(), 6u + 4u);
  // Roots carry Android's "no trace" markers.
  ASSERT_EQ(x.threads().size(), 1u);
  EXPECT_EQ(x.threads()[0].trace_serial, 0xFFFFFFFFu);
  EXPECT_NE(x.find_trace(0xFFFFFFFF), nullptr);
}

TEST(Android, DottedNamesStayAndPrimitiveArrayClassesAreMadeUp) {
  const auto p = parse(android_dump());
  ASSERT_TRUE(p.ok());
  const auto& x = p.idx();
  const auto leak = x.find(0x12C00020);
  ASSERT_NE(leak, kNoObject);
  EXPECT_EQ(x.class_info(x.class_of(leak)).name, "com.example.Leak");
  EXPECT_FALSE(x.class_info(x.class_of(leak)).synthetic) << "its CLASS_DUMP came later";
  EXPECT_EQ(x.class_info(x.class_of(x.find(0x12C00030))).name, "byte[][]");
  // No CLASS_DUMP for char[] / byte[] in Dalvik dumps: one synthetic class per primitive type.
  const auto chars = x.class_of(x.find(0x12C00040));
  EXPECT_EQ(x.class_info(chars).name, "char[]");
  EXPECT_TRUE(x.class_info(chars).synthetic);
  EXPECT_EQ(x.class_of(x.find(0x12C00050)), x.class_of(x.find(0x12C00060)));
  EXPECT_EQ(x.find_classes_by_name("byte[]").size(), 1u);
  EXPECT_EQ(x.stats().missing_classes, 0u) << "made-up primitive-array classes are expected";
  // PRIMITIVE_ARRAY_NODATA has no element bytes to hand out.
  EXPECT_TRUE(x.array_data(x.find(0x12C00050)).empty());
  EXPECT_EQ(x.array_data(x.find(0x12C00060)).size(), 3u);
  // Instance data is read with the class dumped after it.
  EXPECT_EQ(x.class_info(x.class_of(leak)).instance_data_size, 4u);
  EXPECT_EQ(x.instance_data(leak).size(), 4u);
  EXPECT_EQ(x.stats().field_size_mismatches, 0u);
}

TEST(Android, AndroidSubRecordsAreAcceptedInA102File) {
  // hprof-slurp's regression: a reader that only knows 1.0.3 sub-tags in 1.0.3 files panics on
  // ROOT_VM_INTERNAL (0x8D) elsewhere. The tag set does not depend on the version.
  auto bytes = android_dump();
  bytes[17] = '2';  // "JAVA PROFILE 1.0.3" -> 1.0.2
  const auto p = parse(bytes);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.dump->header().version, hprof::Version::k102);
  EXPECT_EQ(p.idx().sub_record_counts()[0x8D], 1u);
  EXPECT_EQ(p.idx().stats().unknown_sub_records, 0u);
}

}  // namespace
}  // namespace heapscope::testing
