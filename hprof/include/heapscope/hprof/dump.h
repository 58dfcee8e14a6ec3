// An opened heap dump: the decoded HPROF bytes, memory-mapped, plus its header.
//
// Compression is recognised by magic bytes, never by file name: gzip (one member or the chunked
// multi-member files that `jcmd GC.heap_dump -gz=N` writes), zstd and bzip2 are decompressed once,
// streaming, into an unlinked temporary file that is then mapped. The dump is never read into the
// process heap.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "heapscope/hprof/error.h"
#include "heapscope/hprof/header.h"
#include "heapscope/hprof/progress.h"

namespace heapscope::hprof {

enum class Compression : uint8_t { kNone, kGzip, kChunkedGzip, kZstd, kBzip2 };
const char* to_string(Compression c);  // "none", "gzip", "gzip-chunked", "zstd", "bzip2"

struct OpenOptions {
  // Where decompressed copies go; empty means $TMPDIR or /tmp.
  std::filesystem::path temp_dir;
  Progress* progress = nullptr;
  // Threads that decompress gzip members and zstd frames (0 = one per core, 1 = no helper
  // threads). The decoded bytes are the same either way.
  unsigned threads = 0;
};

class Dump {
 public:
  // Opens and maps `path`; decompresses it first when it is compressed.
  static Result<Dump> open(const std::filesystem::path& path, const OpenOptions& options = {});
  // A dump over bytes the caller owns and keeps alive (tests, fuzzing). Never compressed.
  static Result<Dump> from_bytes(std::span<const uint8_t> bytes);

  Dump(Dump&&) noexcept;
  Dump& operator=(Dump&&) noexcept;
  ~Dump();

  std::span<const uint8_t> bytes() const { return bytes_; }
  const Header& header() const { return header_; }
  Compression compression() const { return compression_; }
  const std::filesystem::path& path() const { return path_; }
  uint64_t file_size() const { return file_size_; }  // on disk, compressed or not
  // True when the compressed stream was cut short or damaged: bytes() holds what decoded before
  // that point (every complete gzip member, zstd frame, bzip2 block), the rest is lost.
  bool truncated() const { return truncated_; }

  // Tells the kernel the process no longer needs the pages of [begin, end) (whole pages inside
  // the range). They stay in the page cache; resident memory drops. No effect on borrowed bytes.
  void release(uint64_t begin, uint64_t end) const;
  // Tells the kernel [begin, end) will be read in order soon.
  void will_need(uint64_t begin, uint64_t end) const;

 private:
  Dump();
  struct Mapping;
  std::unique_ptr<Mapping> mapping_;
  std::span<const uint8_t> bytes_;
  Header header_;
  Compression compression_ = Compression::kNone;
  std::filesystem::path path_;
  uint64_t file_size_ = 0;
  bool truncated_ = false;
};

}  // namespace heapscope::hprof
