// Instance counts of the sample programs' own classes against the sidecar ("classes": exact
// class, not subclasses), through class_histogram and through a direct count of class_of.
#include <gtest/gtest.h>

#include "heapscope/analysis/histogram.h"
#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

class ClassCounts : public ::testing::TestWithParam<Sample> {};

TEST_P(ClassCounts, OwnClassesMatchSidecar) {
  const Sample& s = GetParam();
  const auto sidecar = read_sidecar(s);
  ASSERT_TRUE(sidecar.is_object()) << "no sidecar " << s.sidecar();
  ASSERT_TRUE(sidecar.contains("classes"));
  auto heap = analysis::Heap::open(s.dump());
  ASSERT_TRUE(heap) << heap.error().describe();
  const auto& idx = heap->index();

  std::map<std::string, uint64_t> from_histogram;
  for (const auto& row : analysis::class_histogram(idx, analysis::HistogramSort::kCount)) {
    from_histogram[idx.class_info(row.klass).name] += row.count;
  }
  const auto counted = count_by_class_name(idx);
  for (const auto& [name, expected] : sidecar["classes"].items()) {
    // A 0 in the sidecar (an abstract class) must still name a class the dump holds.
    EXPECT_FALSE(idx.find_classes_by_name(name).empty()) << name << " is not in the dump";
    const auto h = from_histogram.find(name);
    EXPECT_EQ(h == from_histogram.end() ? 0 : h->second, expected.get<uint64_t>())
        << "class_histogram: " << name;
    const auto c = counted.find(name);
    EXPECT_EQ(c == counted.end() ? 0 : c->second, expected.get<uint64_t>()) << "class_of: " << name;
  }
}

// The histogram and a direct count of class_of agree on every class, and cover every object.
TEST_P(ClassCounts, HistogramAgreesWithDirectCount) {
  const Sample& s = GetParam();
  auto heap = analysis::Heap::open(s.dump());
  ASSERT_TRUE(heap) << heap.error().describe();
  const auto& idx = heap->index();
  const auto rows = analysis::class_histogram(idx, analysis::HistogramSort::kShallow);
  std::map<std::string, uint64_t> from_histogram;
  uint64_t objects = 0;
  uint64_t bytes = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    from_histogram[idx.class_info(rows[i].klass).name] += rows[i].count;
    objects += rows[i].count;
    bytes += rows[i].shallow_bytes;
    if (i > 0) {
      EXPECT_GE(rows[i - 1].shallow_bytes, rows[i].shallow_bytes) << "sorted by shallow";
    }
  }
  EXPECT_EQ(from_histogram, count_by_class_name(idx));
  EXPECT_EQ(objects, idx.object_count());
  uint64_t shallow = 0;
  for (ObjectIndex o = 0; o < idx.object_count(); ++o) shallow += idx.shallow_size(o);
  EXPECT_EQ(bytes, shallow);
  EXPECT_EQ(idx.instance_count() + idx.object_array_count() + idx.primitive_array_count() +
                idx.class_count(),
            idx.object_count())
      << "every class of a HotSpot dump has a CLASS_DUMP";
}

// The sidecar describes the dump it sits beside.
TEST_P(ClassCounts, SidecarDescribesThisDump) {
  const Sample& s = GetParam();
  const auto sidecar = read_sidecar(s);
  ASSERT_TRUE(sidecar.is_object());
  EXPECT_EQ(sidecar["program"], s.program);
  EXPECT_EQ(sidecar["jdk_major"].get<int>(), s.jdk);
  EXPECT_EQ(sidecar["live"].get<bool>(), s.variant == "-chunked");
}

INSTANTIATE_TEST_SUITE_P(Samples, ClassCounts, ::testing::ValuesIn(all_samples(true)),
                         [](const auto& info) { return info.param.name(); });

}  // namespace
}  // namespace heapscope::itest
