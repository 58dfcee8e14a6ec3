// File-backed storage for the per-object tables when they do not fit the memory budget.
//
// A table (detail::FlatArray) reserved while a SpillScope is active on the thread lives in a
// shared mapping of its own file in the spill directory instead of anonymous memory. The file is
// created without a name (O_TMPFILE; else created and unlinked at once) and its descriptor closed
// after mapping, so it disappears when the table is freed, when the process exits and when it
// crashes. Its pages are page cache: under a cgroup's memory limit the kernel writes dirty pages
// back and drops them instead of OOM-killing the process (anonymous memory has nowhere to go
// without swap). The algorithms run in the same order of passes either way; what a phase does
// not touch is what the kernel evicts (docs/notes/memory-budget.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <new>
#include <optional>
#include <string>

#include "heapscope/hprof/error.h"

namespace heapscope::hprof {

// Thrown by a table's reservation when its spill file cannot be made (disk full, no such
// directory): a std::bad_alloc that says why.
class SpillError : public std::bad_alloc {
 public:
  explicit SpillError(std::string why) : why_(std::move(why)) {}
  const char* what() const noexcept override { return why_.c_str(); }

 private:
  std::string why_;
};

class SpillStorage {
 public:
  // Files go to `dir`; empty = $TMPDIR, else /tmp.
  explicit SpillStorage(std::filesystem::path dir = {});
  SpillStorage(const SpillStorage&) = delete;
  SpillStorage& operator=(const SpillStorage&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  // Free bytes of the spill directory's file system for an unprivileged writer; nullopt when
  // statvfs fails (no such directory).
  std::optional<uint64_t> free_disk() const;
  // True when the directory is in memory (tmpfs, ramfs): spilling there saves nothing.
  bool in_memory() const;

  // A shared read-write mapping of `bytes` (zero-filled) backed by a new nameless file; throws
  // SpillError when the file cannot be created or mapped. Thread-safe.
  void* map(size_t bytes);
  // Bytes mapped so far (capacity reserved, not pages written), for messages.
  uint64_t bytes_mapped() const { return mapped_.load(std::memory_order_relaxed); }

  // The directory spill files go to by default.
  static std::filesystem::path default_dir();

 private:
  std::filesystem::path dir_;
  std::atomic<uint64_t> mapped_{0};
};

// While alive, tables of at least kMinSpillBytes reserved on this thread go to `storage`
// (nullptr: anonymous memory). Scopes nest; the previous one is restored on destruction.
class SpillScope {
 public:
  explicit SpillScope(SpillStorage* storage);
  ~SpillScope();
  SpillScope(const SpillScope&) = delete;
  SpillScope& operator=(const SpillScope&) = delete;

  static SpillStorage* current();
  static constexpr size_t kMinSpillBytes = size_t{64} << 10;

 private:
  SpillStorage* previous_;
};

}  // namespace heapscope::hprof
