// A non-decreasing sequence of 64-bit values (CSR edge offsets, sorted object ids) in 4 bytes per
// entry: the low words in a flat array, and the high words as a short sorted list of the
// positions where the high word steps up (a position appears k times when it steps by k). Entry i
// is low[i] | (base_high + number of steps at positions <= i) << 32. Offsets below 2^32 and ids of
// a heap inside one 4 GiB window have no steps at all; a 2^32-edge graph has one per 2^32 edges.
// This is the "high bits in a small side table" half of Elias-Fano coding (Elias, JACM 21(2),
// 1974; Vigna, WSDM 2013), with 32 low bits so that reads stay one load.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "heapscope/hprof/flat_array.h"

namespace heapscope::hprof::detail {

class AscendingTable {
 public:
  // Reserves room for `capacity` entries (FlatArray: a spill file under a SpillScope).
  void reserve(uint64_t capacity) {
    low_.reserve(capacity);
    steps_.clear();
    base_high_ = 0;
    last_ = 0;
  }
  void clear() {
    low_.clear();
    steps_.clear();
    base_high_ = 0;
    last_ = 0;
  }
  // Appends v; the caller keeps v >= the last value (checked by is_ascending() where it can
  // come from outside, e.g. a cache file).
  void push_back(uint64_t v) {
    const uint64_t pos = low_.size();
    if (pos == 0) {
      base_high_ = static_cast<uint32_t>(v >> 32);
    } else {
      for (uint64_t h = last_ >> 32; h < v >> 32; ++h) steps_.push_back(pos);
    }
    last_ = v;
    low_.push_back(static_cast<uint32_t>(v));
  }
  void trim() { low_.trim(); }

  uint64_t size() const { return low_.size(); }
  bool empty() const { return low_.size() == 0; }
  uint64_t operator[](uint64_t i) const {
    const uint64_t lo = low_[i];
    if (steps_.empty()) return lo | uint64_t{base_high_} << 32;
    return lo | uint64_t{high_word(i)} << 32;
  }
  uint64_t back() const { return (*this)[size() - 1]; }
  uint32_t high_word(uint64_t i) const {
    return base_high_ + static_cast<uint32_t>(std::upper_bound(steps_.begin(), steps_.end(), i) -
                                              steps_.begin());
  }

  // The first position in [first, last) whose value is >= v, else last: a binary search over
  // 32-bit words inside the run of positions that share v's high word.
  uint64_t lower_bound(uint64_t first, uint64_t last, uint64_t v) const {
    const uint64_t h = v >> 32;
    if (h < base_high_) return first;
    const uint64_t k = h - base_high_;  // positions with high word h: [run_lo, run_hi)
    if (k > steps_.size()) return last;
    const uint64_t run_lo = k == 0 ? 0 : steps_[k - 1];
    const uint64_t run_hi = k < steps_.size() ? steps_[k] : size();
    const uint64_t lo = std::max(first, run_lo), hi = std::min(last, run_hi);
    if (lo >= hi) return std::clamp(run_lo, first, last);  // v falls between runs
    const uint32_t* p =
        std::lower_bound(low_.data() + lo, low_.data() + hi, static_cast<uint32_t>(v));
    return static_cast<uint64_t>(p - low_.data());
  }

  // Every value >= the one before (the pushes kept the order; a table read from a file may not).
  bool is_ascending() const {
    if (!std::is_sorted(steps_.begin(), steps_.end())) return false;
    if (!steps_.empty() && steps_.back() >= size()) return false;
    if (!steps_.empty() && steps_.front() == 0) return false;
    if (uint64_t{base_high_} + steps_.size() > UINT32_MAX) return false;
    uint64_t prev = 0;
    for (uint64_t i = 0; i < size(); ++i) {
      const uint64_t v = (*this)[i];
      if (i > 0 && v < prev) return false;
      prev = v;
    }
    return true;
  }

  // The parts, for the cache: the low words (sized by the caller before a read), the step
  // positions and the first high word.
  FlatArray<uint32_t>& low_words() { return low_; }
  const FlatArray<uint32_t>& low_words() const { return low_; }
  const std::vector<uint64_t>& steps() const { return steps_; }
  uint32_t base_high() const { return base_high_; }
  void set_high_words(uint32_t base_high, std::vector<uint64_t> steps) {
    base_high_ = base_high;
    steps_ = std::move(steps);
    last_ = empty() ? 0 : back();
  }

 private:
  FlatArray<uint32_t> low_;
  std::vector<uint64_t> steps_;  // sorted positions where the high word steps up by one
  uint32_t base_high_ = 0;       // high word of entry 0
  uint64_t last_ = 0;            // the last value pushed
};

}  // namespace heapscope::hprof::detail
