// Shallow sizes by Eclipse MAT's rule (hprof/src/layout.h, format A.12), field layouts
// (format A.8) and class-name normalisation (format A.10).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "be_values.h"
#include "heapscope/hprof/index.h"
#include "hprof_writer.h"
#include "small_dump.h"
#include "test_env.h"

namespace heapscope::testing {
namespace {

using hprof::ClassIndex;
using hprof::java_class_name;
using hprof::kNoClass;

class ShallowSizes : public ::testing::TestWithParam<RefModel> {};

TEST_P(ShallowSizes, FollowMatsRule) {
  const SmallDump d = make_small_dump({.model = GetParam()});
  const auto p = parse(d.bytes);
  ASSERT_TRUE(p.ok());
  const auto& x = p.idx();
  EXPECT_EQ(x.layout().id_size, d.id_size);
  EXPECT_EQ(x.layout().reference_size, d.reference_size);
  EXPECT_EQ(x.layout().compressed_oops, d.compressed_oops);
  EXPECT_EQ(x.layout().object_alignment, 8u);
  const std::pair<uint64_t, uint64_t> expected[] = {
      {d.node1, d.size_node},
      {d.node2, d.size_node},
      {d.str, d.size_string},
      {d.chars, d.size_chars},
      {d.ints, d.size_ints},
      {d.objarr, d.size_objarr},
      {d.int2d, d.size_int2d},
      {d.thread, d.size_thread},
      {d.fin, d.size_finalizer},
      {d.c_node, d.size_node_class},
      {d.c_string, d.size_string_class},
      {d.c_object, 0},
  };
  for (auto [id, size] : expected) {
    EXPECT_EQ(x.shallow_size(x.find(id)), size) << std::hex << "id 0x" << id;
  }
  EXPECT_EQ(x.class_info(x.find_class(d.c_node)).shallow_instance_size, d.size_node);
  // The object table was laid out with these sizes: each object ends where the next begins.
  EXPECT_EQ(d.node2 - d.node1, x.shallow_size(x.find(d.node1)));
  EXPECT_EQ(d.int2d - d.objarr, x.shallow_size(x.find(d.objarr)));
}

TEST_P(ShallowSizes, InstanceDataSizeCountsOwnAndInheritedFieldsWithIdSize) {
  const SmallDump d = make_small_dump({.model = GetParam()});
  const auto p = parse(d.bytes);
  ASSERT_TRUE(p.ok());
  const auto& x = p.idx();
  const uint32_t I = d.id_size;
  auto data_size = [&](uint64_t class_id) {
    return x.class_info(x.find_class(class_id)).instance_data_size;
  };
  EXPECT_EQ(data_size(d.c_object), 0u);
  EXPECT_EQ(data_size(d.c_node), I + 4 + 8 + 1);
  EXPECT_EQ(data_size(d.c_reference), 4 * I);
  EXPECT_EQ(data_size(d.c_final_reference), 4 * I);
  EXPECT_EQ(data_size(d.c_finalizer), 6 * I);
  // HotSpot's "instance size" in CLASS_DUMP is the class's own field bytes.
  EXPECT_EQ(x.class_info(x.find_class(d.c_finalizer)).instance_size_in_dump, 2 * I);
}

INSTANTIATE_TEST_SUITE_P(Models, ShallowSizes,
                         ::testing::Values(RefModel::kIds4, RefModel::kIds8,
                                           RefModel::kIds8Compressed),
                         [](const auto& info) {
                           return info.param == RefModel::kIds4   ? std::string("ids4")
                                  : info.param == RefModel::kIds8 ? std::string("ids8")
                                                                  : std::string("ids8compressed");
                         });

// Fields of an instance in INSTANCE_DUMP order: (declaring class, field name, type).
std::vector<std::tuple<std::string, std::string, uint8_t>> instance_layout(const hprof::Index& x,
                                                                           ClassIndex c) {
  std::vector<std::tuple<std::string, std::string, uint8_t>> out;
  for (ClassIndex k = c; k != kNoClass; k = x.class_info(k).super) {
    for (const auto& f : x.class_info(k).fields) {
      out.emplace_back(x.class_info(k).name, std::string(x.utf8(f.name_id)), f.type);
    }
  }
  return out;
}

TEST(FieldLayout, SubclassFieldShadowsSuperclassFieldAndBothAreInTheInstance) {
  for (auto model : {RefModel::kIds4, RefModel::kIds8}) {
    const SmallDump d = make_small_dump({.model = model});
    const auto p = parse(d.bytes);
    ASSERT_TRUE(p.ok());
    const auto& x = p.idx();
    const auto layout = instance_layout(x, x.find_class(d.c_finalizer));
    using F = std::tuple<std::string, std::string, uint8_t>;
    EXPECT_EQ(layout, (std::vector<F>{{"java.lang.ref.Finalizer", "next", 2},
                                      {"java.lang.ref.Finalizer", "prev", 2},
                                      {"java.lang.ref.Reference", "referent", 2},
                                      {"java.lang.ref.Reference", "queue", 2},
                                      {"java.lang.ref.Reference", "next", 2},
                                      {"java.lang.ref.Reference", "discovered", 2}}));
    // The values sit at those positions: Finalizer.next = null, Reference.next = fin itself.
    const uint32_t I = d.id_size;
    const auto data = x.instance_data(x.find(d.fin));
    ASSERT_EQ(data.size(), 6u * I);
    EXPECT_EQ(be_id(data.data() + 0 * I, I), 0u);
    EXPECT_EQ(be_id(data.data() + 2 * I, I), d.node2);
    EXPECT_EQ(be_id(data.data() + 4 * I, I), d.fin);
  }
}

TEST(Layout, AlignmentIsTheGcdOfAddressGaps) {
  // 8-byte ids, every object 16-aligned: alignment 16. One int field: MAT gives
  // align(16 + 4, 8) = 24, then align(24, 16) = 32.
  HprofWriter w(8);
  w.utf8(1, "java/lang/Object").utf8(2, "p/A").utf8(3, "x").utf8(4, "[I");
  w.load_class(1, 0x10000, 1, 1).load_class(2, 0x10100, 1, 2).load_class(3, 0x10200, 1, 4);
  w.begin_heap_dump();
  w.class_dump({.id = 0x10000});
  w.class_dump({.id = 0x10100, .super_id = 0x10000, .fields = {{3, type::kInt}}});
  w.class_dump({.id = 0x10200, .super_id = 0x10000});
  w.instance_dump(0x20000, 0x10100, {Value::i32(1)});
  w.instance_dump(0x20020, 0x10100, {Value::i32(2)});
  w.prim_array_dump(0x20040, type::kInt, {1});  // align(24 + 4, 16) = 32
  w.instance_dump(0x20060, 0x10100, {Value::i32(3)});
  w.instance_dump(0x20070, 0x10000, {});  // 16 bytes on: the GCD drops from 32 to 16
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  const auto& x = p.idx();
  EXPECT_EQ(x.layout().object_alignment, 16u);
  EXPECT_FALSE(x.layout().compressed_oops);
  EXPECT_EQ(x.shallow_size(x.find(0x20000)), 32u);
  EXPECT_EQ(x.shallow_size(x.find(0x20040)), 32u);
}

TEST(Layout, IdsThatAreNotAddressesGiveAlignmentEight) {
  // The hprof agent numbers objects 1, 2, 3...: the GCD is 1, clamped to MAT's minimum of 8.
  HprofWriter w(4, "JAVA PROFILE 1.0.1");
  w.utf8(100, "java/lang/Object").load_class(1, 1, 1, 100);
  w.begin_heap_dump().class_dump({.id = 1});
  for (uint64_t id = 2; id < 10; ++id) w.instance_dump(id, 1, {});
  const auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.idx().layout().object_alignment, 8u);
  EXPECT_EQ(p.idx().shallow_size(p.idx().find(5)), 8u);  // header 4 + 4
}

TEST(Layout, OnlyOverlappingObjectArraysMeanCompressedOops) {
  // Two instances 16 bytes apart prove nothing about references: still 8-byte references.
  HprofWriter w(8);
  w.utf8(1, "java/lang/Object").utf8(2, "[Ljava/lang/Object;");
  w.load_class(1, 0x10000, 1, 1).load_class(2, 0x10100, 1, 2);
  w.begin_heap_dump().class_dump({.id = 0x10000}).class_dump({.id = 0x10100, .super_id = 0x10000});
  w.instance_dump(0x20000, 0x10000, {}).instance_dump(0x20010, 0x10000, {});
  // An Object[2] followed 40 bytes later: 16 + 4 + 2 * 8 = 36 fits, no overlap.
  w.obj_array_dump(0x20020, 0x10100, {0, 0}).instance_dump(0x20048, 0x10000, {});
  auto p = parse(w.bytes());
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p.idx().layout().compressed_oops);
  EXPECT_EQ(p.idx().layout().reference_size, 8u);
  EXPECT_EQ(p.idx().shallow_size(p.idx().find(0x20020)), 40u);  // align(16 + 4 + 16, 8)
  // The same array with the next object 24 bytes on: it cannot hold two 8-byte references.
  HprofWriter c(8);
  c.utf8(1, "java/lang/Object").utf8(2, "[Ljava/lang/Object;");
  c.load_class(1, 0x10000, 1, 1).load_class(2, 0x10100, 1, 2);
  c.begin_heap_dump().class_dump({.id = 0x10000}).class_dump({.id = 0x10100, .super_id = 0x10000});
  c.obj_array_dump(0x20020, 0x10100, {0, 0}).instance_dump(0x20038, 0x10000, {});
  p = parse(c.bytes());
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p.idx().layout().compressed_oops);
  EXPECT_EQ(p.idx().layout().reference_size, 4u);
  EXPECT_EQ(p.idx().shallow_size(p.idx().find(0x20020)), 24u);  // align(12 + 4 + 8, 8)
  EXPECT_EQ(p.idx().shallow_size(p.idx().find(0x20038)), 16u);  // align(12, 8)
}

TEST(ClassNames, InternalFormsAreNormalised) {
  const std::pair<const char*, const char*> cases[] = {
      {"java/lang/String", "java.lang.String"},
      {"[[I", "int[][]"},
      {"[Ljava/lang/Object;", "java.lang.Object[]"},
      {"[[Ljava/lang/String;", "java.lang.String[][]"},
      {"[Z", "boolean[]"},
      {"[B", "byte[]"},
      {"[C", "char[]"},
      {"[S", "short[]"},
      {"[F", "float[]"},
      {"[D", "double[]"},
      {"[[[J", "long[][][]"},
      {"com/example/Outer$Inner", "com.example.Outer$Inner"},
      {"java/lang/invoke/LambdaForm$MH+0x00007fa345003800",
       "java.lang.invoke.LambdaForm$MH+0x00007fa345003800"},
      // Android and the hprof agent already write Java source form: unchanged.
      {"java.lang.String", "java.lang.String"},
      {"int[][]", "int[][]"},
      {"java.lang.Object[]", "java.lang.Object[]"},
      {"byte[]", "byte[]"},
      {"", ""},
  };
  for (auto [in, out] : cases) EXPECT_EQ(java_class_name(in), out) << in;
  // Odd input does not crash.
  for (const char* odd : {"[", "[[", "[L", "[L;", "[Q", "L;", "/"}) (void)java_class_name(odd);
}

}  // namespace
}  // namespace heapscope::testing
