// Where each object's sub-record is (its file offset) and what kind it is, in ~2 bytes per
// object instead of 8. Objects are numbered by id, and a dump is a few dozen ascending address
// pieces written in order, so neighbours by id lie close together in the file: per block of
// kBlock (64) consecutive objects one 64-bit base (the block's smallest offset), and per object
// a 16-bit word of kind << 14 | (offset - base). A block whose offsets span 2^14 bytes or more
// (it holds an object of over ~16 KiB, or straddles two pieces apart in the file) is "wide": its
// base word says so and points into a side array of full 64-bit offsets, so any dump stays exact.
// On the 867 MB AppHeap 1,263 blocks of 172,586 are wide (with 256 objects per block and 30-bit
// deltas, 4 bytes per object, none were). The kind is in every object's word either way, so
// kind() is always one load.
// This is frame-of-reference coding (Goldstein, Ramakrishnan, Shaft, "Compressing Relations and
// Indexes", ICDE 1998) with exceptions patched in per block rather than per value, after PFOR
// (Zukowski, Heman, Nes, Boncz, "Super-Scalar RAM-CPU Cache Compression", ICDE 2006).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>

#include "heapscope/hprof/flat_array.h"

namespace heapscope::hprof::detail {

class LocationTable {
 public:
  static constexpr unsigned kBlockBits = 6;
  static constexpr uint64_t kBlock = uint64_t{1} << kBlockBits;  // objects per base
  static constexpr unsigned kDeltaBits = 14;                     // the kind takes the top 2
  static constexpr uint64_t kDeltaMask = (uint64_t{1} << kDeltaBits) - 1;
  static constexpr uint64_t kOffsetMask = (uint64_t{1} << 62) - 1;  // of a packed location
  // A base word with this bit set: the block is wide, its offsets start at wide[base & ~kWide].
  static constexpr uint64_t kWide = uint64_t{1} << 63;

  // Fills the table from packed locations, kind << 62 | offset (as the index scan writes them).
  // Every array is a FlatArray, so under a SpillScope a big table goes to a spill file like the
  // others.
  void assign(std::span<const uint64_t> locs) {
    fill(locs, [](uint64_t) {});
  }
  // The same, taking the locations over: their pages are given back behind the pass, so the
  // 8-byte and the 2-byte forms are never both whole; `locs` is empty afterwards.
  void take(FlatArray<uint64_t>& locs) {
    GiveBackBehind behind(locs);
    fill(std::span<const uint64_t>(locs), [&](uint64_t done) { behind.passed(done); });
    locs.clear();
  }
  void clear() {
    words_.clear();
    bases_.clear();
    wide_.clear();
  }

  uint64_t size() const { return words_.size(); }
  bool empty() const { return words_.empty(); }
  // The kind code (0..3) of entry i.
  uint32_t kind(uint64_t i) const { return static_cast<uint32_t>(words_[i] >> kDeltaBits); }
  uint64_t offset(uint64_t i) const {
    const uint64_t base = bases_[i >> kBlockBits];
    if (base & kWide) [[unlikely]] {
      return wide_[(base & ~kWide) + (i & (kBlock - 1))];
    }
    return base + (words_[i] & kDeltaMask);
  }
  // The packed form assign() took.
  uint64_t operator[](uint64_t i) const { return uint64_t{kind(i)} << 62 | offset(i); }
  uint64_t wide_blocks() const {
    uint64_t k = 0;
    for (uint64_t b : bases_) k += b >> 63;
    return k;
  }

  void set_aside() const {  // flat_array.h
    words_.set_aside();
    bases_.set_aside();
    wide_.set_aside();
  }

  // The parts, for the cache: a reader sizes them (size() entries, (size() + kBlock - 1) /
  // kBlock bases, any number of wide offsets), fills them, then checks is_consistent().
  FlatArray<uint16_t>& words() { return words_; }
  const FlatArray<uint16_t>& words() const { return words_; }
  FlatArray<uint64_t>& bases() { return bases_; }
  const FlatArray<uint64_t>& bases() const { return bases_; }
  FlatArray<uint64_t>& wide() { return wide_; }
  const FlatArray<uint64_t>& wide() const { return wide_; }

  // The parts agree (a table read from a file may not): one base per block, the wide blocks'
  // offsets laid out one after the other covering the side array exactly, bases and wide
  // offsets below 2^62. Reads after this never leave the arrays.
  bool is_consistent() const {
    const uint64_t n = size();
    if (bases_.size() != (n + kBlock - 1) >> kBlockBits) return false;
    uint64_t wide_at = 0;
    for (uint64_t b = 0; b < bases_.size(); ++b) {
      const uint64_t count = std::min(kBlock, n - (b << kBlockBits));
      if (bases_[b] & kWide) {
        if ((bases_[b] & ~kWide) != wide_at) return false;
        wide_at += count;
      } else if (bases_[b] > kOffsetMask) {
        return false;
      }
    }
    if (wide_at != wide_.size()) return false;
    for (uint64_t v : wide_) {
      if (v > kOffsetMask) return false;
    }
    return true;
  }

 private:
  // Two passes: the bases (and the size of the side array), then the words; behind(i) hears
  // that the entries below i are read for the last time.
  template <typename Behind>
  void fill(std::span<const uint64_t> locs, Behind behind) {
    clear();
    const uint64_t n = locs.size();
    const uint64_t blocks = (n + kBlock - 1) >> kBlockBits;
    if (blocks) bases_.reserve(blocks);
    uint64_t wide_count = 0;
    for (uint64_t b = 0; b < blocks; ++b) {
      const auto block = locs.subspan(b << kBlockBits, std::min(kBlock, n - (b << kBlockBits)));
      uint64_t lo = kOffsetMask, hi = 0;
      for (uint64_t v : block) {
        lo = std::min(lo, v & kOffsetMask);
        hi = std::max(hi, v & kOffsetMask);
      }
      if (hi - lo > kDeltaMask) {
        bases_.push_back(kWide | wide_count);
        wide_count += block.size();
      } else {
        bases_.push_back(lo);
      }
    }
    if (n) words_.reserve(n);
    if (wide_count) wide_.reserve(wide_count);
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t base = bases_[i >> kBlockBits];
      const uint64_t off = locs[i] & kOffsetMask;
      const auto kind = static_cast<uint16_t>(locs[i] >> 62 << kDeltaBits);
      if (base & kWide) {
        wide_.push_back(off);
        words_.push_back(kind);
      } else {
        words_.push_back(static_cast<uint16_t>(kind | (off - base)));
      }
      if ((i & 0xFFFF) == 0xFFFF) behind(i + 1);
    }
  }

  FlatArray<uint16_t> words_;  // kind << 14 | offset - base (the delta 0 in a wide block)
  FlatArray<uint64_t> bases_;  // per block: the smallest offset, or kWide | start in wide_
  FlatArray<uint64_t> wide_;   // the offsets of the wide blocks' objects, block after block
};

}  // namespace heapscope::hprof::detail
