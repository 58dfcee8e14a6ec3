// follow() and array_elements() (references by edge position, analysis/src/analyzers/follow.h)
// against looking every id up, on every reference field and array element of a sample dump.
#include <gtest/gtest.h>

#include "analyzers/follow.h"
#include "heapscope/hprof/big_endian.h"
#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

using hprof::load_id;

TEST(Follow, EveryReferenceMatchesTheIdLookup) {
  for (const auto& sample : samples({"PgTimerLeak", "FinalizerBacklog"})) {
    const Opened opened = open_sample(sample.dump());
    ASSERT_TRUE(opened.error.empty()) << opened.error;
    const auto& index = opened.index();
    const uint32_t I = index.id_size();
    uint64_t fields = 0, elements = 0;
    for (ObjectIndex o = 0; o < index.object_count(); ++o) {
      if (index.kind(o) == hprof::ObjectKind::kInstance) {
        const auto data = index.instance_data(o);
        for (const auto& slot : opened.layouts().fields(index.class_of(o))) {
          if (slot.type != 2 || slot.offset + I > data.size()) continue;
          const uint64_t id = load_id(data.data() + slot.offset, I);
          ASSERT_EQ(analysis::detail::follow(*opened.engine, o, slot),
                    id == 0 ? hprof::kNoObject : index.find(id))
              << sample.dump() << " object " << o << " field at " << slot.offset;
          ++fields;
        }
      } else if (index.kind(o) == hprof::ObjectKind::kObjectArray) {
        const auto data = index.array_data(o);
        const uint32_t n = index.length(o);
        const uint32_t first = n / 3;  // from the middle too: the edges before are skipped
        const auto got = analysis::detail::array_elements(*opened.engine, o, first, n);
        ASSERT_EQ(got.size(), n - first);
        for (uint32_t i = first; i < n; ++i) {
          const uint64_t id = load_id(data.data() + uint64_t{i} * I, I);
          ASSERT_EQ(got[i - first], id == 0 ? hprof::kNoObject : index.find(id))
              << sample.dump() << " array " << o << " element " << i;
          ++elements;
        }
      }
    }
    EXPECT_GT(fields, 50'000u);
    EXPECT_GT(elements, 20'000u);
  }
}

}  // namespace
}  // namespace heapscope::itest
