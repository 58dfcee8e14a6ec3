// What the process has mapped: the spill tests check that no file of a directory stays mapped.
#pragma once

#include <filesystem>

namespace heapscope::testing {

// Mappings of files in `dir` (nameless spill files show as "dir/#123 (deleted)").
int mappings_in(const std::filesystem::path& dir);

}  // namespace heapscope::testing
