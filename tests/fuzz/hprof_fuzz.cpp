// libFuzzer target for the reader: Dump::from_bytes + Index::build on arbitrary bytes, then the
// per-object views an analysis would use. Besides crashes, hangs and leaks (the sanitizers), it
// checks the promises the index makes: every span it hands out lies inside the input, every
// object is found again by its id, every class index is valid.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/index.h"

namespace {

using namespace heapscope::hprof;

// Names the broken promise before aborting, so a crash report says what went wrong.
#define CHECK(cond)                                                                      \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "hprof_fuzz: check failed: %s (line %d)\n", #cond, __LINE__); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

void inside(std::span<const uint8_t> s, const uint8_t* begin, size_t size) {
  if (s.empty()) return;
  CHECK(s.data() >= begin && s.data() + s.size() <= begin + size);
}

uint64_t touch_object(const Index& x, ObjectIndex o, const uint8_t* data, size_t size) {
  uint64_t sum = x.shallow_size(o);
  CHECK(x.find(x.object_id(o)) == o);
  CHECK(x.offset(o) < size);
  const ClassIndex c = x.class_of(o);
  CHECK(c < x.class_count());
  sum += x.class_info(c).name.size();
  for (auto span : {x.instance_data(o), x.array_data(o)}) {
    inside(span, data, size);
    for (uint8_t b : span.first(std::min<size_t>(span.size(), 16))) sum += b;
  }
  return sum;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto dump = Dump::from_bytes({data, size});
  if (!dump) {
    CHECK(!dump.error().describe().empty());
    return 0;
  }
  // The last byte picks one of a few option sets, so the parallel scan and the second heap dump
  // of a file are exercised too.
  const uint8_t knob = size ? data[size - 1] : 0;
  IndexOptions options;
  options.threads = (knob & 1) ? 3 : 1;
  options.heap_dump_number = (knob & 6) == 6 ? 1 : 0;
  options.release_pages = false;
  auto index = Index::build(*dump, options);
  if (!index) {
    CHECK(!index.error().describe().empty());
    return 0;
  }
  const Index& x = *index;
  const auto& s = x.stats();
  CHECK(s.bytes_used <= s.bytes_total && s.bytes_total == size);
  volatile uint64_t sink = 0;
  const uint32_t n = x.object_count();
  for (ObjectIndex o = 0; o < n && o < 64; ++o) sink = sink + touch_object(x, o, data, size);
  for (ObjectIndex o = n > 64 ? n - 16 : n; o < n; ++o)
    sink = sink + touch_object(x, o, data, size);
  for (ObjectIndex o = 1; o < n; ++o) CHECK(x.object_id(o - 1) < x.object_id(o));
  for (const auto& c : x.classes()) {
    CHECK(c.super == kNoClass || c.super < x.class_count());
    CHECK(c.object == kNoObject || c.object < n);
    sink = sink + x.utf8(c.name_id).size() + c.fields.size() + c.statics.size();
  }
  for (const auto& r : x.roots())
    CHECK(r.object == kNoObject || x.object_id(r.object) == r.object_id);
  for (const auto& t : x.threads()) {
    if (const StackTrace* trace = x.find_trace(t.trace_serial)) {
      CHECK(uint64_t{trace->first_frame} + trace->frame_count <= x.trace_frame_ids().size());
      for (uint32_t i = 0; i < trace->frame_count && i < 8; ++i) {
        if (const Frame* f = x.find_frame(x.trace_frame_ids()[trace->first_frame + i])) {
          sink = sink + x.utf8(f->method_name_id).size() +
                 x.class_name_by_serial(f->class_serial).size();
        }
      }
    }
  }
  return 0;
}
