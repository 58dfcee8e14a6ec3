// The on-disk cache of an analysis: one file per dump holding the index (and, when built, the
// engine's graph, dominator tree and retained sizes) so that opening the same dump again skips
// the work. docs/notes/index-cache.md has the format and the numbers behind it.
//
// A cache file is keyed by the dump's identity (decoded size, file size, mtime, a hash of the
// first and last 64 KiB), the heap dump number, the heapscope version and the format version.
// Every section is one or more zstd frames (level 1, with content checksums), so sections are
// decompressed on several threads at once. Anything wrong with a file (missing, cut short, a
// flipped byte, another key) makes CacheReader::open fail: callers treat that as "no cache",
// rebuild and overwrite it; it is never an error for the user.
#pragma once

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/error.h"
#include "heapscope/hprof/progress.h"

namespace heapscope::hprof {

// Bump whenever what the index or the engine computes, or how it is stored, changes: files of
// another format version are ignored.
// 2: the object ids and the graph's edge offsets are 32-bit low words, the high words' steps in
//    the tables' and the graph's meta sections (ascending_table.h).
// 3: the object locations in 4 bytes each, a 32-bit word per object and a base per block of 256
//    (location_table.h): three sections instead of one of 64-bit words.
// 4: the objects' classes and lengths in 2 bytes each with exceptions (short_table.h): a words
//    section each (2 or 4 bytes per object) and two exception sections each.
// 5: the object ids and the edge offsets in 2-byte deltas from a base per block of 64, wide
//    blocks in a side array (ascending_table.h): three sections each, no steps in the meta; the
//    locations' words in 2 bytes, a base per block of 64 (location_table.h).
inline constexpr uint32_t kCacheFormatVersion = 5;

// What identifies a dump without reading all of it. For a compressed dump, the file on disk.
struct DumpIdentity {
  uint64_t decoded_size = 0;
  uint64_t file_size = 0;
  int64_t mtime_ns = 0;
  uint64_t edge_hash = 0;  // of the first and last 64 KiB of the file
  bool operator==(const DumpIdentity&) const = default;
};
// Fails for dumps that have no file (Dump::from_bytes) or when the file cannot be read.
Result<DumpIdentity> identify(const Dump& dump);

// Everything a cached result depends on besides the code.
struct CacheKey {
  DumpIdentity identity;
  uint32_t heap_dump_number = 0;
  bool operator==(const CacheKey&) const = default;
};

// $XDG_CACHE_HOME/heapscope, else $HOME/.cache/heapscope; empty when neither is set.
std::filesystem::path default_cache_dir();
// DIR/<16 hex digits>.hscache, named from the dump's absolute path and heap dump number: one
// file per dump, replaced in place when the dump changes (instead of piling up).
std::filesystem::path cache_file_path(const std::filesystem::path& dir, const Dump& dump,
                                      uint32_t heap_dump_number);

// A 64-bit hash (multiply-mix over 8-byte words); not cryptographic.
uint64_t hash_bytes(std::span<const uint8_t> bytes, uint64_t seed = 0);

// Small sections are encoded field by field (no padding bytes, the same bytes on every run).
class ByteWriter {
 public:
  template <typename T>
  void put(T v) {
    static_assert(std::is_arithmetic_v<T> || std::is_enum_v<T>);
    const size_t at = buf_.size();
    buf_.resize(at + sizeof(T));
    std::memcpy(buf_.data() + at, &v, sizeof(T));
  }
  void put_string(std::string_view s) {
    put<uint64_t>(s.size());
    buf_.insert(buf_.end(), s.begin(), s.end());
  }
  std::vector<uint8_t> take() { return std::move(buf_); }

 private:
  std::vector<uint8_t> buf_;
};

// Reads what ByteWriter wrote; past the end it returns zeros and ok() turns false for good.
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  template <typename T>
  T get() {
    static_assert(std::is_arithmetic_v<T> || std::is_enum_v<T>);
    T v{};
    if (!ok_ || bytes_.size() - at_ < sizeof(T)) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return v;
  }
  std::string get_string();
  // A count of items that take at least `min_item_bytes` each: 0 (and !ok()) when the rest of
  // the input cannot hold that many, so a damaged count never makes a huge allocation.
  size_t get_count(size_t min_item_bytes);
  bool ok() const { return ok_; }
  bool at_end() const { return at_ == bytes_.size(); }

 private:
  std::span<const uint8_t> bytes_;
  size_t at_ = 0;
  bool ok_ = true;
};

class CacheReader;

// Collects sections, then writes them compressed to a temporary file next to the target and
// renames it over the target (readers see the old file or the new one, never half of one).
class CacheWriter {
 public:
  explicit CacheWriter(const CacheKey& key, uint32_t threads = 0);
  ~CacheWriter();
  CacheWriter(CacheWriter&&) noexcept;
  CacheWriter& operator=(CacheWriter&&) noexcept;

  // A section of raw bytes that stay alive until write(); split into chunks compressed in
  // parallel.
  void add(uint32_t section, std::span<const uint8_t> bytes);
  template <typename T>
  void add_array(uint32_t section, std::span<const T> values) {
    static_assert(std::is_arithmetic_v<T>);
    add(section, {reinterpret_cast<const uint8_t*>(values.data()), values.size_bytes()});
  }
  // A small encoded section; the writer keeps it.
  void add(uint32_t section, std::vector<uint8_t> owned);
  // A section of `from` as stored there (no recompression); `from` must outlive write().
  void copy(const CacheReader& from, uint32_t section);

  Status write(const std::filesystem::path& path, Progress* progress = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A validated cache file, memory-mapped.
class CacheReader {
 public:
  // Opens `path` and checks the magic, versions, key, the chunk table and its hashes. Any
  // mismatch is an Error (kIo, kCorrupt): the caller ignores the file.
  static Result<CacheReader> open(const std::filesystem::path& path, const CacheKey& key);
  ~CacheReader();
  CacheReader(CacheReader&&) noexcept;
  CacheReader& operator=(CacheReader&&) noexcept;

  std::vector<uint32_t> sections() const;
  bool has(uint32_t section) const;
  uint64_t size(uint32_t section) const;  // decompressed bytes; 0 when absent
  uint64_t stored_size() const;           // bytes of the file

  // One section into memory the caller provides.
  struct Target {
    uint32_t section;
    std::span<uint8_t> out;  // exactly size(section) bytes
  };
  // Decompresses every target, their chunks spread over `threads` threads (0 = all cores).
  // Fails when a section is absent, the size differs or a frame does not decode (checksum).
  Status read(std::span<const Target> targets, uint32_t threads = 0,
              Progress* progress = nullptr) const;
  Result<std::vector<uint8_t>> read(uint32_t section) const;

 private:
  friend class CacheWriter;
  CacheReader();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace heapscope::hprof
