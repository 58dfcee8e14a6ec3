// A non-decreasing sequence of 64-bit values (CSR edge offsets, sorted object ids) in about 2
// bytes per entry. Per block of kBlock consecutive entries one 64-bit base, the block's first
// value, and per entry a 16-bit delta from it. Neighbours are close on a heap: 64 objects by id
// span a few kilobytes of address space, 64 nodes a few hundred edges. A block whose values span
// 0xFFFF or more (it holds a large array, or straddles two address pieces; hostile ids) is wide:
// all its deltas read kWide and its base is where its values start in a side array of full
// 64-bit values, so any sequence stays exact and a table is never larger than 8 bytes per entry
// plus its bases. A read is two loads (the base and the delta); bases take 1/32 of the deltas.
// Frame-of-reference coding (Goldstein, Ramakrishnan, Shaft, "Compressing Relations and
// Indexes", ICDE 1998) with patched blocks, as LocationTable (after PFOR: Zukowski, Heman, Nes,
// Boncz, ICDE 2006). It replaced 32 low bits per entry and a list of high-word steps (the high
// half of Elias-Fano coding): docs/notes/memory-budget.md.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "heapscope/hprof/flat_array.h"

namespace heapscope::hprof::detail {

class AscendingTable {
 public:
  static constexpr unsigned kBlockBits = 6;
  static constexpr uint64_t kBlock = uint64_t{1} << kBlockBits;
  static constexpr uint16_t kWide = 0xFFFF;  // every delta of a wide block

  // Reserves room for `capacity` entries (FlatArray: a spill file under a SpillScope).
  void reserve(uint64_t capacity) {
    clear();
    deltas_.reserve(capacity);
    bases_.reserve((capacity + kBlock - 1) >> kBlockBits);
  }
  void clear() {
    deltas_.clear();
    bases_.clear();
    wide_.clear();
    wide_.shrink_to_fit();
  }
  // Appends v; the caller keeps v >= the last value (checked by is_consistent() where it can
  // come from outside, e.g. a cache file).
  void push_back(uint64_t v) {
    const uint64_t i = deltas_.size();
    if ((i & (kBlock - 1)) == 0) {
      bases_.push_back(v);
      deltas_.push_back(0);
      return;
    }
    const uint64_t b = i >> kBlockBits;
    if (deltas_[i - 1] == kWide) {  // a wide block goes on wide
      wide_.push_back(v);
      deltas_.push_back(kWide);
      return;
    }
    const uint64_t d = v - bases_[b];
    if (d < kWide) {
      deltas_.push_back(static_cast<uint16_t>(d));
      return;
    }
    // The block turns wide: its values so far move to the side array.
    const uint64_t first = b << kBlockBits;
    const uint64_t at = wide_.size();
    for (uint64_t j = first; j < i; ++j) {
      wide_.push_back(bases_[b] + deltas_[j]);
      deltas_[j] = kWide;
    }
    bases_[b] = at;
    wide_.push_back(v);
    deltas_.push_back(kWide);
  }
  void trim() {
    deltas_.trim();
    bases_.trim();
  }
  // Gives back the pages wholly inside entries [first, last) (FlatArray::discard); those entries
  // must not be read again. (The bases, 1/32 of the deltas, stay.)
  void discard(uint64_t first, uint64_t last) { deltas_.discard(first, last); }
  void set_aside() const {  // flat_array.h
    deltas_.set_aside();
    bases_.set_aside();
  }

  uint64_t size() const { return deltas_.size(); }
  bool empty() const { return deltas_.size() == 0; }
  uint64_t operator[](uint64_t i) const {
    const uint64_t base = bases_[i >> kBlockBits];
    const uint16_t d = deltas_[i];
    if (d == kWide) [[unlikely]] {
      return wide_[base + (i & (kBlock - 1))];
    }
    return base + d;
  }
  uint64_t back() const { return (*this)[size() - 1]; }
  uint64_t wide_blocks() const { return wide_.size() / kBlock + (wide_.size() % kBlock != 0); }

  // The first position in [first, last) whose value is >= v, else last.
  uint64_t lower_bound(uint64_t first, uint64_t last, uint64_t v) const {
    return search(first, last, v).first;
  }
  // The position in [first, last) that holds v, else last. `guess` (optional) is where v is
  // expected, e.g. by interpolation: the search starts with the 16 positions around it.
  uint64_t find(uint64_t first, uint64_t last, uint64_t v, uint64_t guess = UINT64_MAX) const {
    const auto [at, exact] = search(first, last, v, guess);
    return exact ? at : last;
  }

  // The parts agree (a table read from a file may not): one base per block; a wide block's
  // deltas all kWide, its values at the next place in the side array, which they fill exactly;
  // no kWide in another block, whose first delta is 0; and every value >= the one before.
  // Reads after this never leave the arrays.
  bool is_consistent() const {
    const uint64_t n = size();
    if (bases_.size() != (n + kBlock - 1) >> kBlockBits) return false;
    uint64_t wide_at = 0;
    for (uint64_t b = 0; b < bases_.size(); ++b) {
      const uint64_t first = b << kBlockBits, last = std::min(n, first + kBlock);
      const bool wide = deltas_[first] == kWide;
      if (!wide && deltas_[first] != 0) return false;
      for (uint64_t j = first; j < last; ++j) {
        if ((deltas_[j] == kWide) != wide) return false;
      }
      if (wide) {
        if (bases_[b] != wide_at || wide_.size() - wide_at < last - first) return false;
        wide_at += last - first;
      }
    }
    if (wide_at != wide_.size()) return false;
    for (uint64_t i = 1; i < n; ++i) {
      if ((*this)[i] < (*this)[i - 1]) return false;
    }
    return true;
  }

  // The parts, for the cache: a reader sizes the deltas (size() entries), the bases (one per
  // block) and the side array, fills them, then checks is_consistent().
  FlatArray<uint16_t>& deltas() { return deltas_; }
  const FlatArray<uint16_t>& deltas() const { return deltas_; }
  FlatArray<uint64_t>& bases() { return bases_; }
  const FlatArray<uint64_t>& bases() const { return bases_; }
  std::vector<uint64_t>& wide() { return wide_; }
  const std::vector<uint64_t>& wide() const { return wide_; }

 private:
  // lower_bound, and whether the position holds v. Up to 17 values are counted without
  // branches on the comparisons (those of a search over random ids are unpredictable), more
  // are bisected with conditional moves (Khuong and Morin, "Array Layouts for Comparison-Based
  // Searching", 2017, branch-free binary search).
  std::pair<uint64_t, bool> search(uint64_t first, uint64_t last, uint64_t v,
                                   uint64_t guess = UINT64_MAX) const {
    uint64_t lo = first, hi = last;
    if (lo >= hi) return {first, false};
    if (hi - lo > 16 && guess != UINT64_MAX) {
      // Narrow [lo, hi) to the window around the guess when v lies inside it.
      const uint64_t w_lo = std::clamp(guess, lo + 8, hi - 8) - 8, w_hi = w_lo + 16;
      const bool after_lo = w_lo == lo || (*this)[w_lo - 1] < v;
      const bool before_hi = w_hi == hi || (*this)[w_hi] >= v;
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
      for (uint64_t j = lo; j < hi; ++j) below += (*this)[j] < v;
      at = lo + below;
    } else {  // branch-free bisection (the step is a conditional move)
      uint64_t base = lo;
      for (uint64_t len = hi - lo; len > 1;) {
        const uint64_t half = len / 2;
        base = (*this)[base + half - 1] < v ? base + half : base;
        len -= half;
      }
      at = base + ((*this)[base] < v ? 1 : 0);
    }
    return {at, at < hi && (*this)[at] == v};
  }

  FlatArray<uint16_t> deltas_;  // value - block base, or kWide throughout a wide block
  FlatArray<uint64_t> bases_;   // per block: its first value, or where its values start in wide_
  std::vector<uint64_t> wide_;  // the values of the wide blocks, block after block
};

}  // namespace heapscope::hprof::detail
