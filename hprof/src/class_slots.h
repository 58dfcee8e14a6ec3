// An open-addressing map from class id to a small local slot number, used by each scanning
// thread so that objects store a u32 instead of a u64 class id (private).
#pragma once

#include <cstdint>
#include <vector>

namespace heapscope::hprof::detail {

class ClassSlots {
 public:
  // Slots below kFirstIdSlot are fixed: primitive-array types by type code, and the class of
  // class objects.
  static constexpr uint32_t kClassClassSlot = 1;
  static constexpr uint32_t kFirstIdSlot = 16;

  ClassSlots() : table_(1024, kEmpty) {}

  uint32_t slot_for(uint64_t class_id) {
    if (has_last_ && class_id == last_id_) return last_slot_;
    const uint64_t mask = table_.size() - 1;
    uint64_t h = (class_id * 0x9E3779B97F4A7C15ull) >> 20;
    while (true) {
      Entry& e = table_[h & mask];
      if (e.slot == kEmpty.slot) {
        e.id = class_id;
        e.slot = kFirstIdSlot + static_cast<uint32_t>(ids_.size());
        ids_.push_back(class_id);
        last_id_ = class_id;
        last_slot_ = e.slot;
        has_last_ = true;
        if (ids_.size() * 2 > table_.size()) grow();
        return last_slot_;
      }
      if (e.id == class_id) {
        last_id_ = class_id;
        last_slot_ = e.slot;
        has_last_ = true;
        return e.slot;
      }
      ++h;
    }
  }
  // Class id of slot `kFirstIdSlot + i`.
  const std::vector<uint64_t>& ids() const { return ids_; }

 private:
  struct Entry {
    uint64_t id;
    uint32_t slot;
  };
  static constexpr Entry kEmpty{0, 0xFFFFFFFFu};

  void grow() {
    std::vector<Entry> bigger(table_.size() * 2, kEmpty);
    const uint64_t mask = bigger.size() - 1;
    for (const Entry& e : table_) {
      if (e.slot == kEmpty.slot) continue;
      uint64_t h = (e.id * 0x9E3779B97F4A7C15ull) >> 20;
      while (bigger[h & mask].slot != kEmpty.slot) ++h;
      bigger[h & mask] = e;
    }
    table_.swap(bigger);
  }

  std::vector<Entry> table_;
  std::vector<uint64_t> ids_;
  // The last look-up, remembered (objects of one class come in runs). A flag, not a sentinel
  // id: every 64-bit value is a possible class id (an all-ones id once mapped to slot 0).
  bool has_last_ = false;
  uint64_t last_id_ = 0;
  uint32_t last_slot_ = 0;
};

}  // namespace heapscope::hprof::detail
