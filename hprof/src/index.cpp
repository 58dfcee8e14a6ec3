// Index look-ups and the per-object views over the mapped dump.
#include <algorithm>

#include "be.h"
#include "heapscope/hprof/index.h"
#include "heapscope/hprof/tags.h"
#include "layout.h"

namespace heapscope::hprof {

ObjectIndex Index::find(uint64_t id) const {
  if (id < dir_base_ || dir_.empty()) return kNoObject;
  const uint64_t b = (id - dir_base_) >> dir_shift_;
  if (b + 1 >= dir_.size()) return kNoObject;
  const uint64_t first = dir_[b], last = dir_[b + 1];
  // Interpolation inside the bucket: a dense region's ids are spaced by object sizes, so the
  // position is about proportional to the id's offset in the bucket's id range.
  uint64_t guess = UINT64_MAX;
  if (last - first > 16 && dir_shift_ <= 31) {
    const uint64_t into = (id - dir_base_) & ((uint64_t{1} << dir_shift_) - 1);
    guess = first + (((last - first) * into) >> dir_shift_);
  }
  const uint64_t at = ids_.find(first, last, id, guess);
  return at == last ? kNoObject : static_cast<ObjectIndex>(at);
}

void Index::build_directory() {
  dir_.clear();
  const size_t n = ids_.size();
  if (n == 0) return;
  dir_base_ = ids_[0];
  const uint64_t span = ids_[n - 1] - dir_base_ + 1;
  // Eight to sixteen objects per bucket: a bucket look-up plus a binary search among as many
  // 4-byte ids (one or two cache lines). Two per bucket cost 1-2 bytes per object more (the
  // directory is resident through the whole run; figures in docs/notes/memory-budget.md).
  uint32_t shift = 0;
  while ((span >> shift) > std::max<uint64_t>(n / 8, 1)) ++shift;
  dir_shift_ = shift;
  const uint64_t buckets = (span >> shift) + 1;
  dir_.reserve(buckets + 1);
  dir_.resize(buckets + 1);
  size_t o = 0;
  for (uint64_t b = 0; b < buckets; ++b) {
    const uint64_t lo = dir_base_ + (b << shift);  // first id of bucket b
    while (o < n && ids_[o] < lo) ++o;
    dir_[b] = static_cast<uint32_t>(o);
  }
  // The end of the last bucket is the end of the table; computing its first id instead can
  // overflow 64 bits when the ids spread over the whole range (found by hprof_fuzz).
  dir_[buckets] = static_cast<uint32_t>(n);
}

ClassIndex Index::find_class(uint64_t class_id) const {
  auto it = std::lower_bound(class_by_id_.begin(), class_by_id_.end(), class_id,
                             [](const auto& e, uint64_t id) { return e.first < id; });
  if (it == class_by_id_.end() || it->first != class_id) return kNoClass;
  return it->second;
}

std::vector<ClassIndex> Index::find_classes_by_name(std::string_view name) const {
  std::vector<ClassIndex> out;
  for (ClassIndex c = 0; c < classes_.size(); ++c) {
    if (classes_[c].name == name) out.push_back(c);
  }
  return out;
}

std::string_view Index::utf8(uint64_t id) const {
  auto it = std::lower_bound(utf8_.begin(), utf8_.end(), id,
                             [](const detail::Utf8Ref& e, uint64_t v) { return e.id < v; });
  if (it == utf8_.end() || it->id != id) return {};
  return {reinterpret_cast<const char*>(dump_->bytes().data() + it->offset), it->length};
}

const StackTrace* Index::find_trace(uint32_t serial) const {
  auto it = std::lower_bound(traces_.begin(), traces_.end(), serial,
                             [](const StackTrace& t, uint32_t s) { return t.serial < s; });
  return it != traces_.end() && it->serial == serial ? &*it : nullptr;
}

const Frame* Index::find_frame(uint64_t frame_id) const {
  auto it = std::lower_bound(frames_.begin(), frames_.end(), frame_id,
                             [](const Frame& f, uint64_t id) { return f.id < id; });
  return it != frames_.end() && it->id == frame_id ? &*it : nullptr;
}

std::string_view Index::class_name_by_serial(uint32_t serial) const {
  auto it = std::lower_bound(loaded_.begin(), loaded_.end(), serial,
                             [](const detail::LoadedClass& l, uint32_t s) { return l.serial < s; });
  if (it == loaded_.end() || it->serial != serial) return {};
  const ClassIndex c = find_class(it->class_id);
  if (c != kNoClass) return classes_[c].name;
  return utf8(it->name_id);
}

uint64_t Index::shallow_size(ObjectIndex o) const {
  const uint64_t header = layout_.id_size + layout_.reference_size;
  switch (kind(o)) {
    case ObjectKind::kInstance:
      return classes_[class_of_[o]].shallow_instance_size;
    case ObjectKind::kObjectArray:
      return detail::align_up(header + 4 + uint64_t{lengths_[o]} * layout_.reference_size,
                              layout_.object_alignment);
    case ObjectKind::kPrimitiveArray: {
      const uint8_t type = classes_[class_of_[o]].array_element_type;
      return detail::align_up(detail::align_up(header + 4, layout_.reference_size) +
                                  uint64_t{lengths_[o]} * basic_type_size(type, layout_.id_size),
                              layout_.object_alignment);
    }
    case ObjectKind::kClass: {
      const ClassIndex c = find_class(ids_[o]);
      if (c == kNoClass) return 0;
      uint64_t n = 0;
      for (const auto& f : classes_[c].statics) {
        n += f.type == 2 ? layout_.reference_size : basic_type_size(f.type, layout_.id_size);
      }
      return detail::align_up(n, layout_.object_alignment);
    }
  }
  return 0;
}

std::span<const uint8_t> Index::instance_data(ObjectIndex o) const {
  if (kind(o) != ObjectKind::kInstance) return {};
  const uint64_t start = offset(o) + 1 + 2ull * layout_.id_size + 8;
  return dump_->bytes().subspan(start, lengths_[o]);
}

std::span<const uint8_t> Index::array_data(ObjectIndex o) const {
  const uint32_t I = layout_.id_size;
  if (kind(o) == ObjectKind::kObjectArray) {
    return dump_->bytes().subspan(offset(o) + 1 + 2ull * I + 8, uint64_t{lengths_[o]} * I);
  }
  if (kind(o) == ObjectKind::kPrimitiveArray) {
    const uint8_t type = dump_->bytes()[offset(o) + 1 + I + 8];
    return dump_->bytes().subspan(offset(o) + 1 + I + 9,
                                  uint64_t{lengths_[o]} * basic_type_size(type, I));
  }
  return {};
}

std::string java_class_name(std::string_view n) {
  if (n.empty()) return {};
  size_t dims = 0;
  while (dims < n.size() && n[dims] == '[') ++dims;
  std::string base;
  if (dims == 0) {
    base.assign(n);
  } else {
    std::string_view elem = n.substr(dims);
    if (elem.size() == 1) {
      switch (elem[0]) {
        case 'Z':
          base = "boolean";
          break;
        case 'C':
          base = "char";
          break;
        case 'F':
          base = "float";
          break;
        case 'D':
          base = "double";
          break;
        case 'B':
          base = "byte";
          break;
        case 'S':
          base = "short";
          break;
        case 'I':
          base = "int";
          break;
        case 'J':
          base = "long";
          break;
        default:
          base.assign(elem);
      }
    } else if (elem.size() >= 2 && elem.front() == 'L' && elem.back() == ';') {
      base.assign(elem.substr(1, elem.size() - 2));
    } else {
      base.assign(elem);
    }
  }
  std::replace(base.begin(), base.end(), '/', '.');
  for (size_t i = 0; i < dims; ++i) base += "[]";
  return base;
}

}  // namespace heapscope::hprof
