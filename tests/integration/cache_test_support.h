// Shared by the cache tests: a scratch directory, opening a dump with or without a cache dir,
// and table-by-table comparisons of indexes and engines.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sample_dumps.h"

namespace heapscope::itest {

// A fresh directory in /dev/shm (else $TMPDIR), removed with everything in it at the end of the
// test.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  size_t files() const { return count_files(path_); }
  std::filesystem::path only_file() const;  // the one regular file (fails the test otherwise)
  static size_t count_files(const std::filesystem::path& dir);  // regular files, not recursive

 private:
  std::filesystem::path path_;
};

struct CachedOpen {
  std::unique_ptr<analysis::Heap> heap;
  std::unique_ptr<analysis::Engine> engine;
  std::string error;
};
// Heap::open + Engine::build with this cache dir (empty = no cache).
CachedOpen open_with_cache(const std::filesystem::path& dump,
                           const std::filesystem::path& cache_dir,
                           EdgeFilter filter = EdgeFilter::kAll, uint32_t threads = 0);

// Every table of the index (objects, classes, names, roots, threads, traces, frames, stats).
void expect_same_index(const hprof::Index& a, const hprof::Index& b);
// Graph edges and referent marks, idom and preorder, retained bytes and counts of every node.
void expect_same_engine(const analysis::Engine& a, const analysis::Engine& b);
// A hash of all of the above, for loops that compare many opens.
std::string fingerprint(const analysis::Heap& heap, const analysis::Engine& engine);

// The analyze report of an opened dump as JSON (what `heapscope analyze --format json` prints).
std::string report_json(const analysis::Heap& heap, const analysis::Engine& engine,
                        const std::string& path);

std::vector<uint8_t> read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes);

}  // namespace heapscope::itest
