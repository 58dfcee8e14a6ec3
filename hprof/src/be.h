// The reader's own name for the big-endian loads (heapscope/hprof/big_endian.h).
#pragma once

#include "heapscope/hprof/big_endian.h"

namespace heapscope::hprof::detail {

using hprof::load_id;
using hprof::load_u16;
using hprof::load_u32;
using hprof::load_u64;
using hprof::load_value;

}  // namespace heapscope::hprof::detail
