// A non-decreasing sequence of 64-bit values (CSR edge offsets, sorted object ids) in 4 bytes per
// entry: the low words in a flat array, and the high words as a short sorted list of steps, the
// positions where the high word changes and its new value. Entry i is low[i] | high << 32, with
// the high word of the last step at or before i (base_high before the first step). Offsets below
// 2^32 and ids of a heap inside one 4 GiB window have no steps at all; a 2^32-edge graph has one
// per 2^32 edges; ids spread over the whole 64-bit range one per distinct high word.
// This is the "high bits in a small side table" half of Elias-Fano coding (Elias, JACM 21(2),
// 1974; Vigna, WSDM 2013), with 32 low bits so that reads stay one load.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "heapscope/hprof/flat_array.h"

namespace heapscope::hprof::detail {

class AscendingTable {
 public:
  // Where the high word changes to what.
  struct Step {
    uint64_t pos;
    uint32_t high;
    bool operator==(const Step&) const = default;
  };

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
    } else if (v >> 32 != last_ >> 32) {
      steps_.push_back({pos, static_cast<uint32_t>(v >> 32)});
    }
    last_ = v;
    low_.push_back(static_cast<uint32_t>(v));
  }
  void trim() { low_.trim(); }
  // Gives back the pages wholly inside entries [first, last) (FlatArray::discard); those entries
  // must not be read again.
  void discard(uint64_t first, uint64_t last) { low_.discard(first, last); }
  void set_aside() const { low_.set_aside(); }  // flat_array.h

  uint64_t size() const { return low_.size(); }
  bool empty() const { return low_.size() == 0; }
  uint64_t operator[](uint64_t i) const {
    const uint64_t lo = low_[i];
    if (steps_.empty()) return lo | uint64_t{base_high_} << 32;
    return lo | uint64_t{high_word(i)} << 32;
  }
  uint64_t back() const { return (*this)[size() - 1]; }
  uint32_t high_word(uint64_t i) const {
    const auto it = std::upper_bound(steps_.begin(), steps_.end(), i,
                                     [](uint64_t at, const Step& s) { return at < s.pos; });
    return it == steps_.begin() ? base_high_ : (it - 1)->high;
  }

  // The first position in [first, last) whose value is >= v, else last: a binary search over
  // 32-bit words inside the run of positions that share v's high word.
  uint64_t lower_bound(uint64_t first, uint64_t last, uint64_t v) const {
    return search(first, last, v).first;
  }
  // The position in [first, last) that holds v, else last. `guess` (optional) is where v is
  // expected, e.g. by interpolation: the search starts with the 16 positions around it.
  uint64_t find(uint64_t first, uint64_t last, uint64_t v, uint64_t guess = UINT64_MAX) const {
    const auto [at, exact] = search(first, last, v, guess);
    return exact ? at : last;
  }

 private:
  // lower_bound, and whether the position holds v. Inside a run of one high word, without
  // branches on the comparisons (those of a binary search over random ids are unpredictable):
  // up to 17 ids are counted, more are bisected with conditional moves (Khuong and Morin,
  // "Array Layouts for Comparison-Based Searching", 2017, branch-free binary search).
  std::pair<uint64_t, bool> search(uint64_t first, uint64_t last, uint64_t v,
                                   uint64_t guess = UINT64_MAX) const {
    const uint64_t h = v >> 32;
    if (h < base_high_) return {first, false};
    // Run k (0: before the first step) holds the positions [run_start(k), run_start(k + 1)).
    auto run_start = [&](size_t k) -> uint64_t {
      return k == 0 ? 0 : k > steps_.size() ? size() : steps_[k - 1].pos;
    };
    size_t k = 0;  // the first run whose high word is >= h
    if (h > base_high_) {
      const auto it = std::lower_bound(steps_.begin(), steps_.end(), h,
                                       [](const Step& s, uint64_t x) { return s.high < x; });
      k = 1 + static_cast<size_t>(it - steps_.begin());
    }
    const uint64_t run_lo = run_start(k);
    const bool has_run = k <= steps_.size() && (k == 0 ? base_high_ : steps_[k - 1].high) == h;
    if (!has_run) return {std::clamp(run_lo, first, last), false};  // v falls between runs
    const uint64_t run_hi = run_start(k + 1);
    uint64_t lo = std::max(first, run_lo), hi = std::min(last, run_hi);
    if (lo >= hi) return {std::clamp(run_lo, first, last), false};
    const uint32_t key = static_cast<uint32_t>(v);
    if (hi - lo > 16 && guess != UINT64_MAX) {
      // Narrow [lo, hi) to the window around the guess when v lies inside it.
      const uint64_t w_lo = std::clamp(guess, lo + 8, hi - 8) - 8, w_hi = w_lo + 16;
      const bool after_lo = w_lo == lo || low_[w_lo - 1] < key;
      const bool before_hi = w_hi == hi || low_[w_hi] >= key;
      if (after_lo && before_hi) {  // the answer is in [w_lo, w_hi], w_hi included
        lo = w_lo;
        hi = std::min(w_hi + 1, hi);
      } else if (after_lo) {
        lo = w_hi;
      } else {
        hi = w_lo;
      }
    }
    uint64_t at;
    if (hi - lo <= 17) {
      uint64_t below = 0;
      for (uint64_t j = lo; j < hi; ++j) below += low_[j] < key;
      at = lo + below;
    } else {  // branch-free bisection (the step is a conditional move)
      const uint32_t* base = low_.data() + lo;
      for (uint64_t len = hi - lo; len > 1;) {
        const uint64_t half = len / 2;
        base = base[half - 1] < key ? base + half : base;
        len -= half;
      }
      at = static_cast<uint64_t>(base - low_.data()) + (*base < key ? 1 : 0);
    }
    return {at, at < hi && low_[at] == key};
  }

 public:
  // Every value >= the one before (the pushes kept the order; a table read from a file may not).
  bool is_ascending() const {
    uint64_t at = 0;
    uint32_t high = base_high_;
    for (const Step& s : steps_) {  // positions and high words both strictly rise
      if (s.pos <= at || s.pos >= size() || s.high <= high) return false;
      at = s.pos;
      high = s.high;
    }
    uint64_t prev = 0;
    for (uint64_t i = 0; i < size(); ++i) {
      const uint64_t v = (*this)[i];
      if (i > 0 && v < prev) return false;
      prev = v;
    }
    return true;
  }

  // The parts, for the cache: the low words (sized by the caller before a read), the steps and
  // the first high word.
  FlatArray<uint32_t>& low_words() { return low_; }
  const FlatArray<uint32_t>& low_words() const { return low_; }
  const std::vector<Step>& steps() const { return steps_; }
  uint32_t base_high() const { return base_high_; }
  void set_high_words(uint32_t base_high, std::vector<Step> steps) {
    base_high_ = base_high;
    steps_ = std::move(steps);
    last_ = empty() ? 0 : back();
  }

 private:
  FlatArray<uint32_t> low_;
  std::vector<Step> steps_;  // by position; the high words rise too
  uint32_t base_high_ = 0;   // high word of entry 0
  uint64_t last_ = 0;        // the last value pushed
};

}  // namespace heapscope::hprof::detail
