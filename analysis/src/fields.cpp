#include "heapscope/analysis/fields.h"

#include <bit>
#include <cstring>

#include "heapscope/hprof/big_endian.h"
#include "heapscope/hprof/tags.h"

namespace heapscope::analysis {

int64_t FieldValue::as_int() const {
  switch (type) {
    case 4:
    case 8:
      return static_cast<int8_t>(bits);
    case 5:
      return static_cast<uint16_t>(bits);
    case 9:
      return static_cast<int16_t>(bits);
    case 10:
      return static_cast<int32_t>(bits);
    default:
      return static_cast<int64_t>(bits);
  }
}

double FieldValue::as_double() const {
  if (type == 6) return std::bit_cast<float>(static_cast<uint32_t>(bits));
  if (type == 7) return std::bit_cast<double>(bits);
  return static_cast<double>(as_int());
}

FieldLayouts::FieldLayouts(const hprof::Index& index) : index_(index) {
  const uint32_t n = index.class_count();
  const uint32_t I = index.id_size();
  field_begin_.reserve(n + 1);
  ref_begin_.reserve(n + 1);
  for (hprof::ClassIndex c = 0; c < n; ++c) {
    field_begin_.push_back(static_cast<uint32_t>(fields_.size()));
    ref_begin_.push_back(static_cast<uint32_t>(ref_offsets_.size()));
    uint32_t offset = 0;
    size_t steps = 0;
    for (hprof::ClassIndex k = c; k != hprof::kNoClass && steps <= n;
         k = index.class_info(k).super, ++steps) {
      for (const auto& f : index.class_info(k).fields) {
        fields_.push_back({k, f.name_id, f.type, offset});
        if (f.type == 2) ref_offsets_.push_back(offset);
        offset += hprof::basic_type_size(f.type, I);
      }
    }
  }
  field_begin_.push_back(static_cast<uint32_t>(fields_.size()));
  ref_begin_.push_back(static_cast<uint32_t>(ref_offsets_.size()));
}

std::span<const FieldSlot> FieldLayouts::fields(hprof::ClassIndex c) const {
  return {fields_.data() + field_begin_[c], field_begin_[c + 1] - field_begin_[c]};
}

std::span<const uint32_t> FieldLayouts::reference_offsets(hprof::ClassIndex c) const {
  return {ref_offsets_.data() + ref_begin_[c], ref_begin_[c + 1] - ref_begin_[c]};
}

std::optional<FieldSlot> FieldLayouts::find(hprof::ClassIndex c, std::string_view declaring,
                                            std::string_view name) const {
  for (const auto& f : fields(c)) {
    if (index_.class_info(f.declaring).name == declaring && index_.utf8(f.name_id) == name)
      return f;
  }
  return std::nullopt;
}

std::optional<FieldSlot> FieldLayouts::find(hprof::ClassIndex c, std::string_view name) const {
  for (const auto& f : fields(c)) {
    if (index_.utf8(f.name_id) == name) return f;
  }
  return std::nullopt;
}

std::optional<FieldValue> FieldLayouts::read(hprof::ObjectIndex o, const FieldSlot& slot) const {
  const auto data = index_.instance_data(o);
  const uint32_t size = hprof::basic_type_size(slot.type, index_.id_size());
  if (uint64_t{slot.offset} + size > data.size()) return std::nullopt;
  return FieldValue{slot.type, hprof::load_value(data.data() + slot.offset, size)};
}

bool FieldLayouts::is_subclass_of(hprof::ClassIndex c, std::string_view ancestor) const {
  size_t steps = 0;
  for (hprof::ClassIndex k = c; k != hprof::kNoClass && steps <= index_.class_count();
       k = index_.class_info(k).super, ++steps) {
    if (index_.class_info(k).name == ancestor) return true;
  }
  return false;
}

}  // namespace heapscope::analysis
