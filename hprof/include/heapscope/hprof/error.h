// Errors as values: every expected failure of reading a dump is an Error inside a Result<T>.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace heapscope::hprof {

enum class ErrorCode : uint8_t {
  kIo,        // the file could not be opened, read or mapped
  kEmpty,     // a 0-byte file
  kNotHprof,  // no "JAVA PROFILE 1.0.x\0" header
  kUnsupportedVersion,
  kBadIdSize,     // identifier size other than 4 or 8
  kTruncated,     // a record or sub-record runs past the end of the data
  kCorrupt,       // a value that cannot be right (bad type code, overflowing length, loop)
  kNoHeapDump,    // a valid file without any HEAP_DUMP / HEAP_DUMP_SEGMENT
  kCompression,   // a compressed container that could not be decoded
  kCancelled,     // the Progress asked to stop
  kTooLarge,      // beyond what the index can address (more than 2^32-1 objects)
  kMemoryBudget,  // the analysis would need more memory than it may use
};

const char* to_string(ErrorCode code);

// Where and why reading failed. `byte_offset` is in the decoded HPROF stream (for a compressed
// dump, the offset after decompression); `record_tag` is the top-level tag being read, or -1.
struct Error {
  ErrorCode code = ErrorCode::kCorrupt;
  uint64_t byte_offset = 0;
  int record_tag = -1;
  std::string message;

  // One line for people: "truncated at byte 125406 in HEAP_DUMP (0x0c): ...".
  std::string describe() const;
};

// A value or an Error. Small on purpose: C++20 has no std::expected.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// For functions that produce nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace heapscope::hprof
