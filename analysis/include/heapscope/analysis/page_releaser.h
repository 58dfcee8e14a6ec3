// Reading objects in ascending index order (file order, piece by piece) while handing back the
// dump's pages behind the current stretch, so a pass over millions of objects does not leave the
// whole mapping resident.
#pragma once

#include <algorithm>
#include <cstdint>

#include "heapscope/hprof/index.h"

namespace heapscope::analysis {

class PageReleaser {
 public:
  explicit PageReleaser(const hprof::Index& index, bool enabled = true)
      : index_(index), enabled_(enabled) {}
  ~PageReleaser() { flush(); }
  PageReleaser(const PageReleaser&) = delete;
  PageReleaser& operator=(const PageReleaser&) = delete;

  // Call before reading object `o`.
  void visit(hprof::ObjectIndex o) {
    const uint64_t at = index_.offset(o);
    if (!started_ || at < lo_ || at > hi_ + (1u << 20)) {
      flush();
      lo_ = hi_ = at;
      started_ = true;
    } else if (at - lo_ > (32u << 20)) {
      if (enabled_) index_.dump().release(lo_, at);
      lo_ = at;
    }
    hi_ = std::max(hi_, at);
  }
  void flush() {
    if (started_ && enabled_) index_.dump().release(lo_, hi_);
  }

 private:
  const hprof::Index& index_;
  bool enabled_;
  bool started_ = false;
  uint64_t lo_ = 0, hi_ = 0;
};

}  // namespace heapscope::analysis
