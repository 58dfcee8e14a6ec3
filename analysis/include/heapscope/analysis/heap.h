// The indexed snapshot an analysis works on: the opened dump and its index, owned together.
#pragma once

#include <filesystem>
#include <memory>

#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/index.h"

namespace heapscope::analysis {

using hprof::ClassIndex;
using hprof::ObjectIndex;
using hprof::Result;

struct HeapOptions {
  hprof::OpenOptions open;
  hprof::IndexOptions index;
};

class Heap {
 public:
  // Opens (decompressing if needed) and indexes the dump at `path`.
  static Result<Heap> open(const std::filesystem::path& path, const HeapOptions& options = {});
  // Indexes a dump the caller has opened; the Heap takes it over.
  static Result<Heap> from_dump(hprof::Dump dump, const hprof::IndexOptions& options = {});

  const hprof::Dump& dump() const { return *dump_; }
  const hprof::Index& index() const { return *index_; }

 private:
  Heap() = default;
  std::unique_ptr<hprof::Dump> dump_;  // stable address: the index points at it
  std::unique_ptr<hprof::Index> index_;
};

}  // namespace heapscope::analysis
