// A dump cut at every byte (format A.16: "truncated mid-record ... keep everything up to the
// last complete sub-record and mark the dump incomplete"). Each cut must give a clean Error or a
// partial Index that says it is truncated, and whatever the partial Index hands out must lie
// inside the bytes that are there.
#include <gtest/gtest.h>

#include <string>

#include "heapscope/hprof/index.h"
#include "small_dump.h"
#include "test_env.h"

namespace heapscope::testing {
namespace {

using hprof::ErrorCode;
using hprof::ObjectIndex;

// Everything an analysis would touch on a partial index, checked against the cut.
void check_partial_index(const hprof::Index& x, size_t cut) {
  const auto& s = x.stats();
  EXPECT_EQ(s.bytes_total, cut);
  EXPECT_LE(s.bytes_used, s.bytes_total);
  const uint8_t* begin = x.dump().bytes().data();
  for (ObjectIndex o = 0; o < x.object_count(); ++o) {
    EXPECT_LT(x.offset(o), cut);
    ASSERT_NE(x.class_of(o), hprof::kNoClass);
    (void)x.shallow_size(o);
    for (auto span : {x.instance_data(o), x.array_data(o)}) {
      if (span.empty()) continue;
      EXPECT_GE(span.data(), begin);
      EXPECT_LE(span.data() + span.size(), begin + cut) << "object " << o << " cut " << cut;
    }
  }
  for (const auto& r : x.roots()) {
    if (r.object != hprof::kNoObject) {
      EXPECT_EQ(x.object_id(r.object), r.object_id);
    }
  }
}

struct CutShape {
  const char* name;
  SmallDumpOptions options;
};

class EveryCut : public ::testing::TestWithParam<CutShape> {};

TEST_P(EveryCut, IsAnErrorOrATruncatedPartialIndex) {
  const SmallDump d = make_small_dump(GetParam().options);
  const auto full = parse(d.bytes);
  ASSERT_TRUE(full.ok());
  const size_t header = 19 + 12;
  uint32_t previous_objects = 0;
  size_t partial = 0, errors = 0;
  for (size_t cut = 0; cut < d.bytes.size(); ++cut) {
    SCOPED_TRACE("cut at byte " + std::to_string(cut) + " of " + std::to_string(d.bytes.size()));
    const auto p = parse({d.bytes.begin(), d.bytes.begin() + static_cast<long>(cut)});
    if (!p.ok()) {
      ++errors;
      const ErrorCode code = p.error->code;
      if (cut == 0) {
        EXPECT_EQ(code, ErrorCode::kEmpty);
      } else if (cut < header) {
        EXPECT_EQ(code, ErrorCode::kTruncated);
      } else {
        // Cut before the heap dump started: a valid start of a file with no heap in it.
        EXPECT_EQ(code, ErrorCode::kNoHeapDump) << p.error->describe();
      }
      EXPECT_EQ(previous_objects, 0u) << "an error after a cut that had objects";
      continue;
    }
    ++partial;
    const auto& x = p.idx();
    EXPECT_TRUE(x.stats().truncated) << "a cut file must say it is incomplete";
    EXPECT_LT(x.stats().bytes_used, d.bytes.size());
    EXPECT_LE(x.object_count(), full.idx().object_count());
    EXPECT_GE(x.object_count(), previous_objects) << "more bytes never mean fewer objects";
    previous_objects = x.object_count();
    check_partial_index(x, cut);
  }
  EXPECT_GT(partial, 0u);
  EXPECT_GT(errors, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    SmallDump, EveryCut,
    ::testing::Values(CutShape{"ids8_heapdump", {.model = RefModel::kIds8}},
                      CutShape{"ids4_segments", {.model = RefModel::kIds4, .segments = true}},
                      CutShape{"ids8compressed_segments_instancesFirst_rootsFirst",
                               {.model = RefModel::kIds8Compressed,
                                .segments = true,
                                .instances_before_classes = true,
                                .roots_first = true}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Truncation, CutAtTheEndOfASegmentBeforeHeapDumpEndIsTruncated) {
  const SmallDump d = make_small_dump({.segments = true});
  // The last 9 bytes are HEAP_DUMP_END: without it every segment is complete, the dump is not.
  ASSERT_EQ(d.bytes[d.bytes.size() - 9], 0x2C);
  const auto p = parse({d.bytes.begin(), d.bytes.end() - 9});
  ASSERT_TRUE(p.ok()) << p.error->describe();
  EXPECT_TRUE(p.idx().stats().truncated);
  EXPECT_EQ(p.idx().object_count(), SmallDump::kObjects);
  EXPECT_EQ(p.idx().stats().heap_dumps_in_file, 1u);
  ASSERT_FALSE(p.idx().stats().warnings.empty());
  EXPECT_NE(p.idx().stats().warnings.back().find("HEAP_DUMP_END"), std::string::npos);
}

TEST(Truncation, ObjectCutInItsBodyIsNotIndexed) {
  const SmallDump d = make_small_dump({.model = RefModel::kIds8});
  const auto full = parse(d.bytes);
  ASSERT_TRUE(full.ok());
  // Cut one byte before the end of the int[] {1, 2, 3}: its header is there, its data is not.
  const ObjectIndex ints = full.idx().find(d.ints);
  const size_t end_of_ints = full.idx().offset(ints) + 1 + 8 + 4 + 4 + 1 + 12;
  const auto p = parse({d.bytes.begin(), d.bytes.begin() + static_cast<long>(end_of_ints - 1)});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p.idx().stats().truncated);
  EXPECT_EQ(p.idx().find(d.ints), hprof::kNoObject);
  EXPECT_NE(p.idx().find(d.chars), hprof::kNoObject);
  EXPECT_EQ(p.idx().primitive_array_count(), 1u);
  EXPECT_EQ(p.idx().sub_record_counts()[0x23], 1u);
  // Cut exactly after it: now it is there.
  const auto q = parse({d.bytes.begin(), d.bytes.begin() + static_cast<long>(end_of_ints)});
  ASSERT_TRUE(q.ok());
  EXPECT_NE(q.idx().find(d.ints), hprof::kNoObject);
  EXPECT_EQ(q.idx().array_data(q.idx().find(d.ints)).size(), 12u);
}

}  // namespace
}  // namespace heapscope::testing
