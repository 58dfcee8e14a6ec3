// The passes that build an Index (private to the hprof library).
//   1. scan_records: the top-level records, sequentially (names, classes, frames, traces) and the
//      byte ranges of the chosen heap dump's segments;
//   2. scan_heap: the heap sub-records, in parallel over groups of segments;
//   3. IndexBuilder::finish: merge, sort objects by id, resolve classes, layouts, roots.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "class_slots.h"
#include "heapscope/hprof/index.h"

namespace heapscope::hprof::detail {

struct Segment {
  uint64_t begin = 0;  // first sub-record byte
  uint64_t end = 0;    // one past the last
  uint8_t tag = 0;     // HEAP_DUMP or HEAP_DUMP_SEGMENT
  uint64_t record_offset = 0;
};

// Survivable problems, kept per pass and merged.
struct Anomalies {
  uint64_t unknown_records = 0;
  uint64_t unknown_sub_records = 0;
  uint64_t skipped_bytes = 0;
  uint64_t missing_class_data = 0;
  bool truncated = false;
  std::vector<std::string> warnings;
  void warn(std::string w) {
    if (warnings.size() < 20) warnings.push_back(std::move(w));
  }
};

struct RawClass {
  ClassInfo info;
  uint64_t offset = 0;
};

// Where one thread writes its objects: a window of the shared object tables, sized by the
// smallest possible object sub-record so it cannot overflow.
struct ObjectWindow {
  uint64_t* ids = nullptr;
  uint64_t* locs = nullptr;
  uint32_t* slots = nullptr;
  uint32_t* lengths = nullptr;
  size_t count = 0;
  size_t capacity = 0;
};
// Bytes of the smallest sub-record that defines an object (an empty primitive array, 4-byte ids).
inline constexpr uint64_t kMinObjectRecord = 14;

// What one thread found in its segments; objects in the order met.
struct HeapPart {
  ObjectWindow objects;
  std::vector<RawClass> classes;
  std::vector<GcRoot> roots;
  std::array<uint64_t, 256> sub_counts{};
  std::array<uint64_t, 3> kind_counts{};
  uint64_t bytes_used = 0;
  uint32_t primitive_types_seen = 0;  // bit t set when a primitive array of type t was met
  ClassSlots class_slots;
  Anomalies anomalies;
  bool cancelled = false;
};

// Shared by the scanning threads: bytes scanned so far; one thread (the reporter) forwards it.
// Progress::cancelled() is polled from every thread.
struct ScanProgress {
  std::atomic<uint64_t>* scanned = nullptr;
  Progress* progress = nullptr;
  bool reporter = false;
  uint64_t base = 0;  // added to the bytes scanned when reporting
};

// Walks the sub-records of `segments` (all inside `data`) into `out`.
void scan_heap(std::span<const uint8_t> data, uint32_t id_size, std::span<const Segment> segments,
               const Dump* dump, bool release_pages, const ScanProgress& progress, HeapPart& out);

// The four parallel object columns, and the filled stretch of each scanning thread's window.
struct ObjectColumns {
  FlatArray<uint64_t>& ids;
  FlatArray<uint64_t>& locs;
  FlatArray<uint32_t>& slots;
  FlatArray<uint32_t>& lengths;
};
struct Stretch {
  size_t begin = 0;  // first position in the columns
  size_t count = 0;
};

// Sorts the objects of `stretches` (disjoint, ascending ranges of the columns) by id into
// positions [0, total) of the columns and sets their size to total. Dumps hold a few to a few
// hundred ascending runs covering disjoint address ranges (a heap walk region by region, one
// per dumping thread): those are copied as blocks, one column per thread, straight out of the
// windows. Anything else is compacted and sorted in place (MSD radix, American flag sort).
void sort_objects_by_id(const ObjectColumns& columns, std::span<const Stretch> stretches,
                        unsigned threads);

}  // namespace heapscope::hprof::detail
