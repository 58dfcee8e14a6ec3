// Shallow sizes: the JVM layout a dump implies (private). The rule is Eclipse MAT's, so that our
// numbers match the tool people compare against (see docs/notes/shallow-size.md):
//   header      = id size (mark word) + reference size (class pointer)
//   instance    = align(align(header + fields of Object.., refsize) + fields of each subclass,
//                 refsize) ... then align to the object alignment; references count refsize
//   object[]    = align(header + 4 + length * refsize, alignment)
//   primitive[] = align(align(header + 4, refsize) + length * element size, alignment)
//   class       = align(sum of static field sizes, alignment)
// refsize is 4 when object-array addresses overlap what 8-byte references would need
// (compressed oops); alignment is the GCD of the gaps between object addresses, in [8, 256].
#pragma once

#include <vector>

#include "heapscope/hprof/index.h"

namespace heapscope::hprof::detail {

void compute_layout(LayoutAssumptions& layout, const Index& index);
void compute_instance_sizes(const LayoutAssumptions& layout, std::vector<ClassInfo>& classes);

inline uint64_t align_up(uint64_t n, uint64_t a) {
  return (n + a - 1) / a * a;
}

}  // namespace heapscope::hprof::detail
