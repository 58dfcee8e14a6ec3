// A file written through a buffer, plain or compressed (private to the hprof library): the
// redacted dump goes to a temporary file beside its final name and is renamed there on commit().
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "heapscope/hprof/error.h"
#include "heapscope/hprof/redact.h"

namespace heapscope::hprof::detail {

class OutputSink {
 public:
  // Creates the temporary file in the directory of `target`.
  static Result<std::unique_ptr<OutputSink>> create(const std::filesystem::path& target,
                                                    OutputCompression compression);
  virtual ~OutputSink();  // removes the temporary file unless committed

  // Appends; the bytes are copied into the buffer.
  Status write(const uint8_t* data, size_t n);
  Status write_zeros(uint64_t n);
  // The buffer's free space, to fill in place and then `commit_buffer(n)`.
  uint8_t* reserve(size_t n);
  Status commit_buffer(size_t n);

  // Flushes, ends the compressed stream, closes and renames the file onto its target.
  Status commit();
  uint64_t bytes_written() const { return written_; }

 protected:
  OutputSink(std::filesystem::path target, std::filesystem::path temp, int fd);
  // Hands `n` plain bytes to the encoder or the file; `end` ends the stream.
  virtual Status emit(const uint8_t* data, size_t n, bool end) = 0;
  Status write_fd(const uint8_t* data, size_t n);

 private:
  Status flush(bool end);
  std::filesystem::path target_, temp_;
  int fd_ = -1;
  bool committed_ = false;
  std::unique_ptr<uint8_t[]> buffer_;
  size_t used_ = 0;
  uint64_t written_ = 0;

 public:
  static constexpr size_t kBuffer = 1u << 20;
};

}  // namespace heapscope::hprof::detail
