// Helpers shared by the tests: parsing bytes into a Dump + Index that keep each other alive,
// the corpus directory, and scratch directories.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/index.h"

namespace heapscope::testing {

// The bytes, the Dump over them and the Index (or the Error from either). The Index points at
// the Dump, which points at the bytes; all three live on the heap so moving a Parsed is safe.
struct Parsed {
  std::shared_ptr<const std::vector<uint8_t>> bytes;
  std::unique_ptr<hprof::Dump> dump;
  std::unique_ptr<hprof::Index> index;
  std::optional<hprof::Error> error;

  bool ok() const { return index != nullptr; }
  const hprof::Index& idx() const { return *index; }
};

Parsed parse(std::vector<uint8_t> bytes, const hprof::IndexOptions& options = {});
// Opens a file (decompressing it if needed) and indexes it.
Parsed parse_file(const std::filesystem::path& path, const hprof::IndexOptions& options = {});

// HEAPSCOPE_CORPUS_DIR from the environment, else the directory configured at build time.
// Empty when neither exists.
std::filesystem::path corpus_dir();

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::vector<uint8_t>& bytes) const;

 private:
  std::filesystem::path path_;
};

std::vector<uint8_t> read_file(const std::filesystem::path& path);
// Runs a shell command; returns its exit status (-1 when it could not run).
int run(const std::string& command);
// True when `tool` is on PATH.
bool have_tool(const std::string& tool);

}  // namespace heapscope::testing
