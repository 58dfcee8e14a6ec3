// Opens a heap dump through the public API and prints how many objects it holds.
#include <cstdio>

#include "heapscope/analysis/heap.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DUMP\n", argv[0]);
    return 2;
  }
  auto heap = heapscope::analysis::Heap::open(argv[1]);
  if (!heap) {
    std::fprintf(stderr, "%s: %s\n", argv[1], heap.error().describe().c_str());
    return 3;
  }
  std::printf("%u\n", heap->index().object_count());
  return 0;
}
