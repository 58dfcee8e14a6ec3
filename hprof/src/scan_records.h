// Pass 1 over the top-level records (private to the hprof library).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "heapscope/hprof/header.h"
#include "heapscope/hprof/index.h"
#include "index_builder.h"

namespace heapscope::hprof::detail {

struct TopLevel {
  std::array<uint64_t, 256> record_counts{};
  std::vector<Utf8Ref> utf8;        // sorted by id
  std::vector<LoadedClass> loaded;  // sorted by serial
  std::vector<Frame> frames;        // sorted by id
  std::vector<StackTrace> traces;   // sorted by serial
  std::vector<uint64_t> trace_frame_ids;
  std::vector<Segment> segments;  // of the chosen heap dump, in file order
  uint32_t heap_dumps = 0;
  uint64_t bytes_used = 0;  // non-heap records plus heap record headers
  Anomalies anomalies;
};

// With `release_behind`, pages already read are handed back as the scan moves on: the page
// cache may hold the dump in huge folios, and touching one header per segment would otherwise
// map the whole file.
Result<TopLevel> scan_records(std::span<const uint8_t> data, const Header& header,
                              uint32_t dump_number, Progress& progress, const Dump* release_behind);

}  // namespace heapscope::hprof::detail
