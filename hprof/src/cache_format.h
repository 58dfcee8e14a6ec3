// The layout of cache files, shared by cache_reader.cpp and cache_writer.cpp (private to hprof).
// A fixed header, then zstd frames (a section is split into chunks of at most
// kChunkBytes, each its own frame), then the chunk table. The header is written last, so a file
// cut anywhere fails the size checks; hashes cover the header, the table and each stored chunk,
// zstd's content checksum what each frame decodes to.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <thread>
#include <vector>

#include "heapscope/hprof/cache_file.h"

#ifndef HEAPSCOPE_VERSION
#define HEAPSCOPE_VERSION "unknown"
#endif

namespace heapscope::hprof::detail {

inline constexpr char kMagic[8] = {'H', 'S', 'C', 'A', 'C', 'H', 'E', '\0'};
inline constexpr uint32_t kByteOrder = 0x01020304;
inline constexpr uint64_t kChunkBytes = 8u << 20;
// Level 1: the cache exists to save time; higher levels compress little better here and
// write several times slower (docs/notes/index-cache.md).
inline constexpr int kLevel = 1;

struct FileHeader {
  char magic[8];
  uint32_t format_version;
  uint32_t byte_order;
  char version[16];
  uint64_t decoded_size;
  uint64_t file_size;
  int64_t mtime_ns;
  uint64_t edge_hash;
  uint32_t heap_dump_number;
  uint32_t chunk_count;
  uint64_t table_offset;
  uint64_t table_hash;
  uint64_t header_hash;  // of the bytes above
};
static_assert(sizeof(FileHeader) == 96);

struct ChunkEntry {
  uint32_t section;
  uint32_t reserved;
  uint64_t raw_offset;  // in the section
  uint64_t raw_size;
  uint64_t file_offset;
  uint64_t stored_size;
  // Of the stored (compressed) bytes. zstd's content checksum misses damage that decodes to the
  // same bytes (a redundant bit of a Huffman table); this one makes every flipped byte count.
  uint64_t stored_hash;
};
static_assert(sizeof(ChunkEntry) == 48);

inline FileHeader make_header(const CacheKey& key) {
  FileHeader h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.format_version = kCacheFormatVersion;
  h.byte_order = kByteOrder;
  std::strncpy(h.version, HEAPSCOPE_VERSION, sizeof h.version - 1);
  h.decoded_size = key.identity.decoded_size;
  h.file_size = key.identity.file_size;
  h.mtime_ns = key.identity.mtime_ns;
  h.edge_hash = key.identity.edge_hash;
  h.heap_dump_number = key.heap_dump_number;
  return h;
}

inline uint64_t hash_header(const FileHeader& h) {
  return hash_bytes({reinterpret_cast<const uint8_t*>(&h), offsetof(FileHeader, header_hash)});
}

inline uint32_t thread_count(uint32_t wanted) {
  return wanted ? wanted : std::max(1u, std::thread::hardware_concurrency());
}

// Runs job(i) for i in [0, n) on up to `threads` threads (the caller's included).
template <typename Job>
void run_parallel(size_t n, uint32_t threads, Job job) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) job(i);
  };
  std::vector<std::thread> pool;
  const size_t extra = std::min<size_t>(threads, n) - (n ? 1 : 0);
  for (size_t t = 0; t < extra; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

}  // namespace heapscope::hprof::detail

namespace heapscope::hprof {

struct CacheReader::Impl {
  const uint8_t* data = nullptr;
  size_t size = 0;
  std::vector<detail::ChunkEntry> chunks;         // as in the file
  std::map<uint32_t, std::vector<size_t>> by_id;  // section -> its chunks, in raw order
  std::map<uint32_t, uint64_t> raw_size;
  ~Impl() {
    if (data) ::munmap(const_cast<uint8_t*>(data), size);
  }
};

}  // namespace heapscope::hprof
