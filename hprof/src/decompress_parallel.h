// Decoding many-member gzip and many-frame zstd on several threads (private to the hprof library).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "heapscope/hprof/dump.h"

namespace heapscope::hprof::detail {

struct ParallelOutcome {
  // Offset in the compressed bytes where the one-thread decoder continues: the start of the first
  // piece not decoded here (the last member or frame, one that failed to decode whole, or the end).
  uint64_t resume = 0;
  bool cancelled = false;
  bool write_failed = false;
};

// Decodes the JVM's chunked gzip (`jcmd GC.heap_dump -gz=N`: one gzip member per block, often
// hundreds) and multi-frame zstd (pzstd, concatenated frames) on `threads` worker threads while
// the calling thread writes the decoded pieces in order through `write`.
//
// Pieces are whole members (gzip) or frames (zstd) whose end is known before decoding: a zstd
// frame's size comes from its header and block headers (ZSTD_findFrameCompressedSize); a gzip
// member ends where the next member header starts (found by its fixed 10-byte header), which is
// only a guess until the decoder reaches the member's end exactly there. The decoder is the
// verifier: a piece counts only when every member or frame in it ends exactly at its known end
// with a valid checksum. At the first piece that does not (a guess was wrong, damage, a member
// the output limit does not allow) this stops and returns its offset; the caller's one-thread
// decoder continues from there, so output, truncation and errors are those of the one-thread
// decoder, byte for byte. The last member or frame is always left to it.
ParallelOutcome decode_parallel(std::span<const uint8_t> data, Compression kind, unsigned threads,
                                const std::function<bool(const char*, size_t)>& write,
                                Progress& progress);

}  // namespace heapscope::hprof::detail
