// Decoding compressed dumps into a temporary file (private to the hprof library).
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

#include "heapscope/hprof/dump.h"

namespace heapscope::hprof::detail {

// The container the first bytes announce.
Compression detect_compression(std::span<const uint8_t> head);

struct Decoded {
  std::filesystem::path path;  // the decoded file; the caller removes it
  uint64_t bytes = 0;
  bool truncated = false;  // the compressed stream ended early; `path` holds what decoded
};

// Streams `source` through the decoder for `kind` into a new file in `temp_dir`. Gzip members
// and zstd frames are decoded on `threads` threads (0 = one per core) where their ends are known
// (decompress_parallel.h); the output is the same as on one thread.
Result<Decoded> decompress_to_temp(const std::filesystem::path& source, Compression kind,
                                   const std::filesystem::path& temp_dir, Progress& progress,
                                   unsigned threads = 0);

}  // namespace heapscope::hprof::detail
