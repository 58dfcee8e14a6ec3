#include "proc_maps.h"

#include <fstream>
#include <string>

namespace heapscope::testing {

int mappings_in(const std::filesystem::path& dir) {
  std::ifstream maps("/proc/self/maps");
  int n = 0;
  for (std::string line; std::getline(maps, line);) {
    if (line.find(dir.string() + "/") != std::string::npos) ++n;
  }
  return n;
}

}  // namespace heapscope::testing
