// Index::build on well-formed hand-built dumps: exact counts, look-ups and tables, in every
// shape real writers produce (format A.4, A.14).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "be_values.h"
#include "heapscope/hprof/cache_file.h"
#include "heapscope/hprof/index.h"
#include "heapscope/hprof/tags.h"
#include "hprof_writer.h"
#include "small_dump.h"
#include "test_env.h"

namespace heapscope::testing {
namespace {

using hprof::ClassIndex;
using hprof::kNoClass;
using hprof::kNoObject;
using hprof::ObjectIndex;
using hprof::ObjectKind;

struct Shape {
  RefModel model;
  bool segments;
  bool instances_first;
  bool roots_first;
};

std::string shape_name(const ::testing::TestParamInfo<Shape>& info) {
  const Shape& s = info.param;
  std::string n = s.model == RefModel::kIds4   ? "ids4"
                  : s.model == RefModel::kIds8 ? "ids8"
                                               : "ids8compressed";
  n += s.segments ? "_segments" : "_heapdump";
  n += s.instances_first ? "_instancesFirst" : "_classesFirst";
  n += s.roots_first ? "_rootsFirst" : "_rootsLast";
  return n;
}

std::vector<Shape> all_shapes() {
  std::vector<Shape> out;
  for (auto m : {RefModel::kIds4, RefModel::kIds8, RefModel::kIds8Compressed}) {
    for (bool seg : {false, true}) {
      for (bool inst : {false, true}) {
        for (bool roots : {false, true}) out.push_back({m, seg, inst, roots});
      }
    }
  }
  return out;
}

class SmallDumpShapes : public ::testing::TestWithParam<Shape> {
 protected:
  void SetUp() override {
    const Shape& s = GetParam();
    d_ = make_small_dump({.model = s.model,
                          .segments = s.segments,
                          .instances_before_classes = s.instances_first,
                          .roots_first = s.roots_first});
    p_ = parse(d_.bytes);
    ASSERT_TRUE(p_.ok()) << p_.error->describe();
  }
  const hprof::Index& idx() const { return p_.idx(); }
  ClassIndex cls(uint64_t id) const { return idx().find_class(id); }
  ObjectIndex obj(uint64_t id) const { return idx().find(id); }

  SmallDump d_;
  Parsed p_;
};

TEST_P(SmallDumpShapes, CountsAreExact) {
  const auto& x = idx();
  EXPECT_EQ(x.id_size(), d_.id_size);
  EXPECT_EQ(x.class_count(), SmallDump::kClasses);
  EXPECT_EQ(x.instance_count(), SmallDump::kInstances);
  EXPECT_EQ(x.object_array_count(), SmallDump::kObjectArrays);
  EXPECT_EQ(x.primitive_array_count(), SmallDump::kPrimitiveArrays);
  EXPECT_EQ(x.object_count(), SmallDump::kObjects);
  EXPECT_EQ(x.roots().size(), SmallDump::kRoots);
  EXPECT_EQ(x.threads().size(), SmallDump::kThreads);
  EXPECT_EQ(x.traces().size(), SmallDump::kTraces);

  const auto& rec = x.record_counts();
  EXPECT_EQ(rec[0x01], SmallDump::kUtf8);
  EXPECT_EQ(rec[0x02], SmallDump::kClasses);
  EXPECT_EQ(rec[0x04], SmallDump::kFrames);
  EXPECT_EQ(rec[0x05], SmallDump::kTraces);
  EXPECT_EQ(rec[0x0C], GetParam().segments ? 0u : 1u);
  EXPECT_EQ(rec[0x1C], GetParam().segments ? 3u : 0u);
  EXPECT_EQ(rec[0x2C], GetParam().segments ? 1u : 0u);

  const auto& sub = x.sub_record_counts();
  EXPECT_EQ(sub[0x20], SmallDump::kClasses);
  EXPECT_EQ(sub[0x21], SmallDump::kInstances);
  EXPECT_EQ(sub[0x22], SmallDump::kObjectArrays);
  EXPECT_EQ(sub[0x23], SmallDump::kPrimitiveArrays);
  EXPECT_EQ(sub[0x08], 1u);
  EXPECT_EQ(sub[0x03], 1u);
  EXPECT_EQ(sub[0x02], 1u);
  EXPECT_EQ(sub[0x01], 1u);
  EXPECT_EQ(sub[0x05], 2u);
  EXPECT_EQ(sub[0x07], 1u);
}

TEST_P(SmallDumpShapes, StatsAreClean) {
  const auto& s = idx().stats();
  EXPECT_EQ(s.bytes_total, d_.bytes.size());
  EXPECT_EQ(s.bytes_used, s.bytes_total);
  EXPECT_FALSE(s.truncated);
  EXPECT_EQ(s.unknown_records, 0u);
  EXPECT_EQ(s.unknown_sub_records, 0u);
  EXPECT_EQ(s.skipped_bytes, 0u);
  EXPECT_EQ(s.dangling_references, 0u);
  EXPECT_EQ(s.duplicate_objects, 0u);
  EXPECT_EQ(s.field_size_mismatches, 0u);
  EXPECT_EQ(s.missing_classes, 0u);
  EXPECT_EQ(s.heap_dumps_in_file, 1u);
  EXPECT_TRUE(s.warnings.empty()) << s.warnings.front();
}

TEST_P(SmallDumpShapes, FindKindClassOfAndLength) {
  const auto& x = idx();
  struct Expect {
    uint64_t id;
    ObjectKind kind;
    uint64_t class_id;
    uint32_t length;
  };
  const uint32_t I = d_.id_size;
  const Expect all[] = {
      {d_.node1, ObjectKind::kInstance, d_.c_node, I + 4 + 8 + 1},
      {d_.node2, ObjectKind::kInstance, d_.c_node, I + 4 + 8 + 1},
      {d_.str, ObjectKind::kInstance, d_.c_string, I + 4},
      {d_.thread, ObjectKind::kInstance, d_.c_thread, I},
      {d_.fin, ObjectKind::kInstance, d_.c_finalizer, 6 * I},
      {d_.chars, ObjectKind::kPrimitiveArray, d_.c_char_array, 2},
      {d_.ints, ObjectKind::kPrimitiveArray, d_.c_int_array, 3},
      {d_.objarr, ObjectKind::kObjectArray, d_.c_object_array, 3},
      {d_.int2d, ObjectKind::kObjectArray, d_.c_int_2d, 1},
  };
  for (const auto& e : all) {
    const ObjectIndex o = x.find(e.id);
    ASSERT_NE(o, kNoObject) << std::hex << e.id;
    EXPECT_EQ(x.object_id(o), e.id);
    EXPECT_EQ(x.kind(o), e.kind) << std::hex << e.id;
    ASSERT_NE(x.class_of(o), kNoClass);
    EXPECT_EQ(x.class_info(x.class_of(o)).id, e.class_id) << std::hex << e.id;
    EXPECT_EQ(x.length(o), e.length) << std::hex << e.id;
    EXPECT_EQ(d_.bytes[x.offset(o)], e.kind == ObjectKind::kInstance      ? 0x21
                                     : e.kind == ObjectKind::kObjectArray ? 0x22
                                                                          : 0x23);
  }
  // Every class is an object of kind kClass whose class is java.lang.Class.
  for (ClassIndex c = 0; c < x.class_count(); ++c) {
    const ObjectIndex o = x.class_info(c).object;
    ASSERT_NE(o, kNoObject) << x.class_info(c).name;
    EXPECT_EQ(x.object_id(o), x.class_info(c).id);
    EXPECT_EQ(x.kind(o), ObjectKind::kClass);
    EXPECT_EQ(x.class_of(o), x.class_class());
  }
  EXPECT_EQ(x.class_info(x.class_class()).id, d_.c_class);
  // Ids absent from the dump, and null.
  EXPECT_EQ(x.find(0), kNoObject);
  EXPECT_EQ(x.find(d_.node1 + 1), kNoObject);
  EXPECT_EQ(x.find(~uint64_t{0} >> (64 - 8 * d_.id_size)), kNoObject);
  EXPECT_EQ(x.find_class(d_.node1), kNoClass);
  // Objects are numbered in ascending id order.
  for (ObjectIndex o = 1; o < x.object_count(); ++o) EXPECT_LT(x.object_id(o - 1), x.object_id(o));
}

TEST_P(SmallDumpShapes, ClassesNamesAndSuperclassChain) {
  const auto& x = idx();
  EXPECT_EQ(x.class_info(cls(d_.c_node)).name, "com.example.Node");
  EXPECT_EQ(x.class_info(cls(d_.c_int_array)).name, "int[]");
  EXPECT_EQ(x.class_info(cls(d_.c_int_array)).array_element_type, 10);
  EXPECT_EQ(x.class_info(cls(d_.c_object_array)).name, "java.lang.Object[]");
  EXPECT_EQ(x.class_info(cls(d_.c_object_array)).array_element_type, 2);
  EXPECT_EQ(x.class_info(cls(d_.c_int_2d)).name, "int[][]");
  EXPECT_EQ(x.class_info(cls(d_.c_char_array)).name, "char[]");
  EXPECT_EQ(x.find_classes_by_name("java.lang.String"), std::vector{cls(d_.c_string)});
  EXPECT_TRUE(x.find_classes_by_name("java/lang/String").empty());

  // Finalizer -> FinalReference -> Reference -> Object -> (none)
  std::vector<std::string> chain;
  for (ClassIndex c = cls(d_.c_finalizer); c != kNoClass; c = x.class_info(c).super) {
    chain.push_back(x.class_info(c).name);
  }
  EXPECT_EQ(chain,
            (std::vector<std::string>{"java.lang.ref.Finalizer", "java.lang.ref.FinalReference",
                                      "java.lang.ref.Reference", "java.lang.Object"}));
  EXPECT_EQ(x.class_info(cls(d_.c_object)).super_id, 0u);
  for (const auto& c : x.classes()) EXPECT_FALSE(c.synthetic) << c.name;

  // Statics are read with their raw values.
  const auto& node = x.class_info(cls(d_.c_node));
  ASSERT_EQ(node.statics.size(), 2u);
  EXPECT_EQ(x.utf8(node.statics[0].name_id), "COUNT");
  EXPECT_EQ(node.statics[0].value, 2u);
  EXPECT_EQ(node.statics[1].type, 2);
  EXPECT_EQ(node.statics[1].value, d_.node1);
  ASSERT_EQ(x.class_info(cls(d_.c_string)).statics.size(), 1u);
  EXPECT_EQ(static_cast<int64_t>(x.class_info(cls(d_.c_string)).statics[0].value),
            -6849794470754667710);
}

TEST_P(SmallDumpShapes, InstanceAndArrayData) {
  const auto& x = idx();
  const uint32_t I = d_.id_size;
  const auto n1 = x.instance_data(obj(d_.node1));
  ASSERT_EQ(n1.size(), I + 13u);
  EXPECT_EQ(be_id(n1.data(), I), d_.node2);
  EXPECT_EQ(be_u32(n1.data() + I), static_cast<uint32_t>(SmallDump::kNode1Value));
  EXPECT_EQ(be_u64(n1.data() + I + 4), static_cast<uint64_t>(SmallDump::kNode1Big));
  EXPECT_EQ(n1[I + 12], 1);
  const auto n2 = x.instance_data(obj(d_.node2));
  EXPECT_EQ(be_id(n2.data(), I), 0u);
  EXPECT_EQ(be_u64(n2.data() + I + 4), ~uint64_t{0});

  const auto arr = x.array_data(obj(d_.objarr));
  ASSERT_EQ(arr.size(), 3u * I);
  EXPECT_EQ(be_id(arr.data(), I), d_.node1);
  EXPECT_EQ(be_id(arr.data() + I, I), d_.str);
  EXPECT_EQ(be_id(arr.data() + 2 * I, I), 0u);
  const auto ints = x.array_data(obj(d_.ints));
  ASSERT_EQ(ints.size(), 12u);
  EXPECT_EQ(be_u32(ints.data() + 8), 3u);
  const auto chars = x.array_data(obj(d_.chars));
  ASSERT_EQ(chars.size(), 4u);
  EXPECT_EQ(chars[1], 'h');
  EXPECT_EQ(chars[3], 'i');
  // No array data for instances, no instance data for arrays.
  EXPECT_TRUE(x.array_data(obj(d_.node1)).empty());
  EXPECT_TRUE(x.instance_data(obj(d_.ints)).empty());
}

TEST_P(SmallDumpShapes, RootsThreadsTracesFrames) {
  const auto& x = idx();
  int frame_roots = 0, sticky = 0;
  for (const auto& r : x.roots()) {
    EXPECT_NE(r.object, kNoObject) << "root kind " << int(r.kind);
    EXPECT_EQ(x.object_id(r.object), r.object_id);
    if (r.kind == 0x03) {
      ++frame_roots;
      EXPECT_EQ(r.object_id, d_.node1);
      EXPECT_EQ(r.thread_serial, 1u);
      EXPECT_EQ(r.frame, 0);
    }
    if (r.kind == 0x05) ++sticky;
  }
  EXPECT_EQ(frame_roots, 1);
  EXPECT_EQ(sticky, 2);
  ASSERT_EQ(x.threads().size(), 1u);
  EXPECT_EQ(x.threads()[0].object_id, d_.thread);
  EXPECT_EQ(x.threads()[0].object, obj(d_.thread));
  EXPECT_EQ(x.threads()[0].serial, 1u);
  EXPECT_EQ(x.threads()[0].trace_serial, 2u);
  const auto* t = x.find_trace(2);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->thread_serial, 1u);
  ASSERT_EQ(t->frame_count, 1u);
  const auto* f = x.find_frame(x.trace_frame_ids()[t->first_frame]);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(x.utf8(f->method_name_id), "main");
  EXPECT_EQ(x.utf8(f->signature_id), "([Ljava/lang/String;)V");
  EXPECT_EQ(x.utf8(f->source_file_id), "Main.java");
  EXPECT_EQ(f->line, 42);
  EXPECT_EQ(x.class_name_by_serial(f->class_serial), "com.example.Node");
  EXPECT_EQ(x.find_trace(1)->frame_count, 0u);
  EXPECT_EQ(x.find_trace(3), nullptr);
  EXPECT_EQ(x.find_frame(12345), nullptr);
  EXPECT_EQ(x.utf8(999999), "");
}

INSTANTIATE_TEST_SUITE_P(AllShapes, SmallDumpShapes, ::testing::ValuesIn(all_shapes()), shape_name);

TEST(Index, ThreadsCanBeLimitedWithoutChangingTheResult) {
  const auto d = make_small_dump({.segments = true});
  for (uint32_t threads : {1u, 2u, 3u, 8u}) {
    auto p = parse(d.bytes, {.threads = threads});
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.idx().object_count(), SmallDump::kObjects) << threads;
    EXPECT_EQ(p.idx().roots().size(), SmallDump::kRoots) << threads;
  }
}

}  // namespace
}  // namespace heapscope::testing

namespace heapscope::testing {
namespace {

// Two heap dumps in one file (the hprof agent writes them): a HEAP_DUMP, then segments closed
// by HEAP_DUMP_END. IndexOptions::heap_dump_number picks one, like MAT's MAT_HPROF_DUMP_NR.
std::vector<uint8_t> two_heap_dumps() {
  HprofWriter w(4, "JAVA PROFILE 1.0.2");
  w.utf8(1, "java/lang/Object").utf8(2, "p/First").utf8(3, "p/Second");
  w.load_class(1, 0x100, 1, 1).load_class(2, 0x200, 1, 2).load_class(3, 0x300, 1, 3);
  w.begin_heap_dump().class_dump({.id = 0x100}).class_dump({.id = 0x200, .super_id = 0x100});
  for (uint64_t i = 0; i < 3; ++i) w.instance_dump(0x1000 + 8 * i, 0x200, {});
  w.root_sticky_class(0x100).end_record();
  w.begin_segment().class_dump({.id = 0x100}).class_dump({.id = 0x300, .super_id = 0x100});
  w.begin_segment();
  for (uint64_t i = 0; i < 5; ++i) w.instance_dump(0x2000 + 8 * i, 0x300, {});
  w.root_sticky_class(0x100).root_jni_global(0x2000, 1);
  w.heap_dump_end();
  return w.bytes();
}

TEST(Index, HeapDumpNumberSelectsOneOfSeveralDumps) {
  const auto bytes = two_heap_dumps();
  const auto first = parse(bytes, {.heap_dump_number = 0});
  const auto second = parse(bytes, {.heap_dump_number = 1});
  ASSERT_TRUE(first.ok() && second.ok());
  for (const auto* p : {&first, &second}) {
    EXPECT_EQ(p->idx().stats().heap_dumps_in_file, 2u);
    EXPECT_EQ(p->idx().stats().bytes_used, bytes.size()) << "the other dump is intact too";
    EXPECT_FALSE(p->idx().stats().truncated);
    EXPECT_EQ(p->idx().record_counts()[0x0C], 1u);
    EXPECT_EQ(p->idx().record_counts()[0x1C], 2u);
  }
  EXPECT_EQ(first.idx().instance_count(), 3u);
  EXPECT_EQ(first.idx().roots().size(), 1u);
  EXPECT_NE(first.idx().find(0x1000), kNoObject);
  EXPECT_EQ(first.idx().find(0x2000), kNoObject);
  EXPECT_EQ(first.idx().find_classes_by_name("p.Second").size(), 0u);
  EXPECT_EQ(second.idx().instance_count(), 5u);
  EXPECT_EQ(second.idx().roots().size(), 2u);
  EXPECT_EQ(second.idx().find(0x1000), kNoObject);
  ASSERT_NE(second.idx().find(0x2000), kNoObject);
  EXPECT_EQ(second.idx().class_info(second.idx().class_of(second.idx().find(0x2000))).name,
            "p.Second");
  const auto third = parse(bytes, {.heap_dump_number = 2});
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error->code, hprof::ErrorCode::kNoHeapDump);
}

}  // namespace
}  // namespace heapscope::testing

namespace heapscope::testing {
namespace {

// Array lengths of 64 Ki elements and more are the index's exceptions (short_table.h): every
// length, shallow size and array payload stays exact, the same after a trip through the cache.
TEST(Index, LongArraysKeepExactLengthsThroughTheCache) {
  HprofWriter w(8, "JAVA PROFILE 1.0.2");
  w.utf8(1, "java/lang/Object").utf8(2, "[B").utf8(3, "[Ljava/lang/Object;");
  w.load_class(1, 0x100, 1, 1).load_class(2, 0x200, 1, 2).load_class(3, 0x300, 1, 3);
  w.begin_heap_dump().class_dump({.id = 0x100});
  w.class_dump({.id = 0x200, .super_id = 0x100}).class_dump({.id = 0x300, .super_id = 0x100});
  const std::vector<uint32_t> lengths = {3, 65534, 65535, 65536, 70000, 0, 1, 200000};
  uint64_t id = 0x10000;
  std::vector<uint64_t> ids;
  for (size_t k = 0; k < lengths.size(); ++k) {
    ids.push_back(id);
    if (k % 2 == 0) {
      w.prim_array_dump(id, static_cast<uint8_t>(hprof::BasicType::kByte),
                        std::vector<uint64_t>(lengths[k], 7));
    } else {
      w.obj_array_dump(id, 0x300, std::vector<uint64_t>(lengths[k], 0x100));
    }
    id += 8 * (uint64_t{lengths[k]} + 4);
  }
  // Enough short arrays that the four long ones are rare (under one in 16: the 2-byte form).
  for (int k = 0; k < 200; ++k, id += 64) {
    w.prim_array_dump(id, static_cast<uint8_t>(hprof::BasicType::kByte), {1, 2, 3, 4, 5});
  }
  w.root_sticky_class(0x100).end_record();
  const auto path = std::filesystem::temp_directory_path() /
                    ("heapscope-long-arrays-" + std::to_string(::getpid()) + ".hprof");
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(w.bytes().data()),
              static_cast<std::streamsize>(w.bytes().size()));
  }
  auto p = parse_file(path);
  ASSERT_TRUE(p.ok());
  const auto& idx = p.idx();
  ASSERT_EQ(idx.object_count(), 211u);
  for (ObjectIndex o = 0; o < idx.object_count(); ++o) {
    if (idx.object_id(o) >= id - 200 * 64) EXPECT_EQ(idx.length(o), 5u) << o;
  }
  auto expect_lengths = [&](const hprof::Index& index) {
    for (size_t k = 0; k < lengths.size(); ++k) {
      const ObjectIndex o = index.find(ids[k]);
      ASSERT_NE(o, kNoObject) << k;
      EXPECT_EQ(index.length(o), lengths[k]) << k;
      const uint64_t element = k % 2 == 0 ? 1 : index.id_size();
      EXPECT_EQ(index.array_data(o).size(), uint64_t{lengths[k]} * element) << k;
      EXPECT_GE(index.shallow_size(o), uint64_t{lengths[k]} * (k % 2 == 0 ? 1 : 4)) << k;
    }
  };
  expect_lengths(idx);
  const auto cache = path.string() + ".hscache";
  auto identity = hprof::identify(*p.dump);
  ASSERT_TRUE(identity.ok());
  const hprof::CacheKey key{*identity, 0};
  {
    hprof::CacheWriter writer(key);
    idx.save(writer);
    ASSERT_TRUE(writer.write(cache).ok());
  }
  auto reader = hprof::CacheReader::open(cache, key);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto loaded = hprof::Index::load(*p.dump, *reader);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_EQ(loaded->object_count(), idx.object_count());
  for (ObjectIndex o = 0; o < idx.object_count(); ++o) {
    ASSERT_EQ(loaded->length(o), idx.length(o)) << o;
    ASSERT_EQ(loaded->class_of(o), idx.class_of(o)) << o;
  }
  expect_lengths(*loaded);
  std::filesystem::remove(cache);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace heapscope::testing
