// Instance field layouts, resolved once per class: where each field's value lies in an
// INSTANCE_DUMP payload (own fields first, then each superclass's), and look-ups by
// (declaring class, name) so that a shadowed field (Finalizer.next vs Reference.next) is never
// confused with the one it hides.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/hprof/index.h"

namespace heapscope::analysis {

struct FieldSlot {
  hprof::ClassIndex declaring = hprof::kNoClass;
  uint64_t name_id = 0;
  uint8_t type = 0;     // hprof::BasicType code
  uint32_t offset = 0;  // in the instance payload
};

// A field's value as read from the dump.
struct FieldValue {
  uint8_t type = 0;
  uint64_t bits = 0;  // raw, zero-extended; an object id for type 2
  int64_t as_int() const;
  double as_double() const;
};

class FieldLayouts {
 public:
  explicit FieldLayouts(const hprof::Index& index);

  // Every instance field of instances of `c`, in payload order.
  std::span<const FieldSlot> fields(hprof::ClassIndex c) const;
  // Offsets of the reference fields of `c` (payload order).
  std::span<const uint32_t> reference_offsets(hprof::ClassIndex c) const;
  // The field `name` declared by the class named `declaring` (searching `c`'s chain), if any.
  std::optional<FieldSlot> find(hprof::ClassIndex c, std::string_view declaring,
                                std::string_view name) const;
  // The most derived field called `name` in `c`'s chain (what Java source would see).
  std::optional<FieldSlot> find(hprof::ClassIndex c, std::string_view name) const;

  // Reads a field of object `o` (an instance); nullopt when the payload is too short.
  std::optional<FieldValue> read(hprof::ObjectIndex o, const FieldSlot& slot) const;

  // True when `c` is `ancestor` or extends it (by class name).
  bool is_subclass_of(hprof::ClassIndex c, std::string_view ancestor) const;

  const hprof::Index& index() const { return index_; }

 private:
  const hprof::Index& index_;
  std::vector<uint32_t> field_begin_;  // per class, into fields_ (size class_count + 1)
  std::vector<FieldSlot> fields_;
  std::vector<uint32_t> ref_begin_;
  std::vector<uint32_t> ref_offsets_;
};

}  // namespace heapscope::analysis
