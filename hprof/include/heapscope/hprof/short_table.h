// A table of 32-bit values kept in 2 bytes per entry where they fit (per object: its class index,
// its array length or field bytes). A value of 0xFFFF or more is an exception: its entry holds
// 0xFFFF and the value sits in a side list of (position, value) pairs sorted by position, found by
// binary search. Exceptions are rare on a heap (arrays of 64 Ki elements or more; class indices
// past 65,534), and a table where they are not (over one entry in 16) keeps all values in 4 bytes
// instead, so no table takes more than it did as a plain 32-bit array.
// Frame-of-reference with patched exceptions (PFOR: Zukowski, Heman, Nes, Boncz, "Super-Scalar
// RAM-CPU Cache Compression", ICDE 2006), the exceptions found by search rather than chained.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>

#include "heapscope/hprof/flat_array.h"

namespace heapscope::hprof::detail {

class ShortTable {
 public:
  static constexpr uint16_t kEscape = 0xFFFF;

  // Fills the table from `values` in one pass. Every array is a FlatArray, so under a
  // SpillScope a big table goes to a spill file like the others.
  void assign(std::span<const uint32_t> values) {
    fill(values, [](uint64_t) {});
  }
  // The same, taking the values over: their pages are given back behind the pass, so the two
  // forms are never both whole; `values` is empty afterwards.
  void take(FlatArray<uint32_t>& values) {
    GiveBackBehind behind(values);
    fill(std::span<const uint32_t>(values), [&](uint64_t done) { behind.passed(done); });
    values.clear();
  }
  void clear() {
    short_.clear();
    full_.clear();
    at_.clear();
    value_.clear();
    size_ = 0;
  }

  uint64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool wide() const { return !full_.empty(); }
  uint32_t operator[](uint64_t i) const {
    if (wide()) [[unlikely]] {
      return full_[i];
    }
    const uint16_t v = short_[i];
    return v != kEscape ? v : exception(i);
  }
  // Where entry i lies, for a pass that prefetches.
  const void* address(uint64_t i) const {
    return wide() ? static_cast<const void*>(full_.data() + i) : short_.data() + i;
  }
  uint64_t exceptions() const { return at_.size(); }

  void set_aside() const {  // flat_array.h
    short_.set_aside();
    full_.set_aside();
  }

  // The parts, for the cache: either the 2-byte words and the exceptions (positions and values),
  // or the 4-byte values. A reader sizes and fills them, calls set_size(), then checks
  // is_consistent().
  FlatArray<uint16_t>& short_words() { return short_; }
  const FlatArray<uint16_t>& short_words() const { return short_; }
  FlatArray<uint32_t>& full_words() { return full_; }
  const FlatArray<uint32_t>& full_words() const { return full_; }
  FlatArray<uint32_t>& exception_positions() { return at_; }
  const FlatArray<uint32_t>& exception_positions() const { return at_; }
  FlatArray<uint32_t>& exception_values() { return value_; }
  const FlatArray<uint32_t>& exception_values() const { return value_; }
  void set_size(uint64_t n) { size_ = n; }

  // The parts agree (a table read from a file may not): one form only, covering size()
  // entries; the exceptions strictly ascending, inside the table, each at an escape word and
  // each escape word listed, their values >= kEscape. Reads after this never leave the arrays.
  bool is_consistent() const {
    if (wide()) return full_.size() == size_ && short_.empty() && at_.empty() && value_.empty();
    if (short_.size() != size_ || at_.size() != value_.size()) return false;
    uint64_t k = 0;
    for (uint64_t i = 0; i < size_; ++i) {
      if (short_[i] != kEscape) continue;
      if (k == at_.size() || at_[k] != i || value_[k] < kEscape) return false;
      ++k;
    }
    return k == at_.size();
  }

 private:
  // One pass; when the exceptions turn out common, the entries so far are widened from the
  // 2-byte form (the values behind the pass may be gone) and the rest read on in 4 bytes.
  // behind(i) hears that the values below i are read for the last time.
  template <typename Behind>
  void fill(std::span<const uint32_t> values, Behind behind) {
    clear();
    const uint64_t n = values.size();
    const uint64_t most = n / 16;  // exceptions the 2-byte form takes
    if (n) short_.reserve(n);
    if (most) {  // reserved address space: pages are taken as exceptions come
      at_.reserve(most);
      value_.reserve(most);
    }
    uint64_t i = 0;
    for (; i < n; ++i) {
      const uint32_t v = values[i];
      if (v < kEscape) {
        short_.push_back(static_cast<uint16_t>(v));
      } else if (at_.size() == most) {  // one too many: all in 4 bytes
        break;
      } else {
        short_.push_back(kEscape);
        at_.push_back(static_cast<uint32_t>(i));
        value_.push_back(v);
      }
      if ((i & 0xFFFF) == 0xFFFF) behind(i + 1);
    }
    if (i < n) {
      full_.reserve(n);
      for (uint64_t k = 0, e = 0; k < i; ++k) {
        full_.push_back(short_[k] != kEscape ? short_[k] : value_[e++]);
      }
      short_.clear();
      at_.clear();
      value_.clear();
      for (; i < n; ++i) {
        full_.push_back(values[i]);
        if ((i & 0xFFFF) == 0xFFFF) behind(i + 1);
      }
    }
    size_ = n;
  }

  uint32_t exception(uint64_t i) const {
    const uint32_t* first = at_.data();
    const uint32_t* it = std::lower_bound(first, first + at_.size(), static_cast<uint32_t>(i));
    return value_[static_cast<uint64_t>(it - first)];
  }

  FlatArray<uint16_t> short_;  // the values, kEscape for an exception
  FlatArray<uint32_t> full_;   // or all of them, when exceptions are common
  FlatArray<uint32_t> at_;     // the exceptions' positions, ascending
  FlatArray<uint32_t> value_;  // and their values
  uint64_t size_ = 0;
};

}  // namespace heapscope::hprof::detail
