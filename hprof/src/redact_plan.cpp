// The read-only passes of redaction (redact_plan.h): pass 0 reads the symbols, class layouts and
// everything that refers to a symbol; pass 1 finds the java.lang.Thread objects and the Strings
// that name them; pass 2, only when a name String came before its Thread, finds those Strings.
#include "redact_plan.h"

#include <algorithm>

#include "be.h"
#include "heapscope/hprof/tags.h"
#include "root_sizes.h"

namespace heapscope::hprof::detail {
namespace {

constexpr uint64_t kStep = 8ull << 20;  // progress, cancellation and page release

Error damaged(ErrorCode code, uint64_t offset, int tag, std::string message) {
  return Error{code, offset, tag, std::move(message)};
}

}  // namespace

Result<uint64_t> sub_record_body_size(const uint8_t* d, uint64_t p, uint64_t end, uint8_t t,
                                      uint32_t I) {
  auto need = [&](uint64_t n) { return end - p >= n; };
  auto cut = [&] {
    return damaged(ErrorCode::kTruncated, p, -1,
                   "heap sub-record 0x" + std::to_string(t) + " runs past its record");
  };
  if (const uint64_t r = root_body_size(t, I)) {
    if (!need(r)) return cut();
    return r;
  }
  switch (static_cast<SubTag>(t)) {
    case SubTag::kHeapDumpInfo:
      if (!need(4ull + I)) return cut();
      return 4ull + I;
    case SubTag::kInstanceDump: {
      if (!need(2ull * I + 8)) return cut();
      const uint64_t n = load_u32(d + p + 2ull * I + 4);
      if (!need(2ull * I + 8 + n)) return cut();
      return 2ull * I + 8 + n;
    }
    case SubTag::kObjArrayDump: {
      if (!need(2ull * I + 8)) return cut();
      const uint64_t n = load_u32(d + p + I + 4);
      const uint64_t body = 2ull * I + 8 + n * I;
      if (!need(body)) return cut();
      return body;
    }
    case SubTag::kPrimArrayDump:
    case SubTag::kPrimArrayNoData: {
      if (!need(I + 9ull)) return cut();
      const uint64_t n = load_u32(d + p + I + 4);
      const uint8_t type = d[p + I + 8];
      const uint32_t es = basic_type_size(type, I);
      if (es == 0 || type == 2) {
        return damaged(ErrorCode::kCorrupt, p + I + 8, -1, "bad primitive array element type");
      }
      const uint64_t body = I + 9ull + (t == 0x23 ? n * es : 0);
      if (!need(body)) return cut();
      return body;
    }
    case SubTag::kClassDump: {
      uint64_t q = p + 7ull * I + 8;
      if (q > end) return cut();
      auto entries = [&](bool with_name, bool with_value) -> bool {
        if (end - q < 2) return false;
        const uint32_t n = load_u16(d + q);
        q += 2;
        for (uint32_t i = 0; i < n; ++i) {
          const uint64_t head = with_name ? I + 1ull : 3ull;
          if (end - q < head) return false;
          const uint8_t type = d[q + head - 1];
          const uint32_t vs = basic_type_size(type, I);
          if (vs == 0) return false;
          q += head + (with_value ? vs : 0);
          if (q > end) return false;
        }
        return true;
      };
      if (!entries(false, true) || !entries(true, true) || !entries(true, false)) {
        return damaged(ErrorCode::kCorrupt, p, -1,
                       "CLASS_DUMP runs past its record or has a bad type");
      }
      return q - p;
    }
    default:
      return damaged(
          ErrorCode::kCorrupt, p - 1, -1,
          "unknown heap sub-record tag " + std::to_string(t) + ": cannot redact past it");
  }
}

RedactPlan::RedactPlan(std::span<const uint8_t> bytes, uint32_t id_size, uint64_t header_size,
                       const RedactRules& rules)
    : d_(bytes.data()), size_(bytes.size()), I_(id_size), header_size_(header_size), rules_(rules) {
  for (const auto& f : rules.keep_fields) keep_.insert(f.klass + "#" + f.field);
  for (const auto& f : rules.keep_static_strings) keep_statics_.insert(f.klass + "#" + f.field);
}

std::string_view RedactPlan::utf8(uint64_t id) const {
  auto it = std::lower_bound(utf8_.begin(), utf8_.end(), id,
                             [](const Utf8Ref& r, uint64_t v) { return r.id < v; });
  if (it == utf8_.end() || it->id != id) return {};
  return {reinterpret_cast<const char*>(d_ + it->offset), it->length};
}

std::string RedactPlan::dotted_class_name(uint64_t class_id) const {
  auto it = classes_.find(class_id);
  if (it == classes_.end()) return {};
  std::string s(utf8(it->second.name_id));
  std::replace(s.begin(), s.end(), '/', '.');
  return s;
}

bool RedactPlan::utf8_referenced(uint64_t id) const {
  return std::binary_search(referenced_.begin(), referenced_.end(), id);
}

const std::string* RedactPlan::renamed(uint64_t id) const {
  auto it = renamed_.find(id);
  return it == renamed_.end() ? nullptr : &it->second;
}

const ThreadNameArray* RedactPlan::thread_name_array(uint64_t array_id) const {
  if (name_arrays_.empty()) return nullptr;
  auto it = name_arrays_.find(array_id);
  return it == name_arrays_.end() ? nullptr : &it->second;
}

bool RedactPlan::keep_static(uint64_t class_id, uint64_t field_name_id) const {
  if (keep_.empty()) return false;
  return keep_.count(dotted_class_name(class_id) + "#" + std::string(utf8(field_name_id))) != 0;
}

void RedactPlan::flatten(uint64_t class_id, ClassLayout& c) {
  c.flat = true;
  uint32_t offset = 0;
  const ClassLayout* k = &c;
  uint64_t kid = class_id;
  for (int depth = 0; k != nullptr; ++depth) {
    if (depth > 4096) return;  // a loop in the superclass chain
    const std::string cls = dotted_class_name(kid);
    if (cls == "java.lang.Thread") c.is_thread = true;
    for (const auto& [name_id, type] : k->fields) {
      const uint32_t size = basic_type_size(type, I_);
      if (size == 0) return;
      if (type != 2) {
        const std::string_view name = utf8(name_id);
        const bool keep = !keep_.empty() && keep_.count(cls + "#" + std::string(name)) != 0;
        if (!keep) {
          if (!c.zero_runs.empty() &&
              c.zero_runs.back().first + c.zero_runs.back().second == offset)
            c.zero_runs.back().second += size;
          else
            c.zero_runs.emplace_back(offset, size);
        }
      } else if (cls == "java.lang.Thread" && utf8(name_id) == "name") {
        c.name_offset = offset;
      }
      offset += size;
    }
    if (k->super == 0) {
      c.valid = true;
      c.payload_size = offset;
      return;
    }
    auto it = classes_.find(k->super);
    if (it == classes_.end()) return;
    kid = k->super;
    k = &it->second;
  }
}

const ClassLayout* RedactPlan::layout(uint64_t class_id) {
  auto it = classes_.find(class_id);
  if (it == classes_.end()) return nullptr;
  if (!it->second.flat) flatten(class_id, it->second);
  return it->second.valid ? &it->second : nullptr;
}

std::optional<std::pair<uint32_t, uint8_t>> RedactPlan::field_offset(uint64_t class_id,
                                                                     std::string_view declaring,
                                                                     std::string_view name) const {
  uint32_t offset = 0;
  uint64_t kid = class_id;
  for (int depth = 0; depth < 4096 && kid != 0; ++depth) {
    auto it = classes_.find(kid);
    if (it == classes_.end()) return std::nullopt;
    const bool here = dotted_class_name(kid) == declaring;
    for (const auto& [name_id, type] : it->second.fields) {
      if (here && utf8(name_id) == name) return std::make_pair(offset, type);
      offset += basic_type_size(type, I_);
    }
    kid = it->second.super;
  }
  return std::nullopt;
}

void RedactPlan::keep_static_strings(uint64_t s) {
  const uint32_t I = I_;
  const std::string cls = dotted_class_name(load_id(d_ + s, I)) + "#";
  if (std::none_of(keep_statics_.begin(), keep_statics_.end(),
                   [&](const std::string& k) { return k.compare(0, cls.size(), cls) == 0; })) {
    return;
  }
  uint64_t r = s + 7ull * I + 8;
  const uint32_t cp = load_u16(d_ + r);
  r += 2;
  for (uint32_t i = 0; i < cp; ++i) r += 3 + basic_type_size(d_[r + 2], I);
  const uint32_t statics = load_u16(d_ + r);
  r += 2;
  for (uint32_t i = 0; i < statics; ++i) {
    const uint8_t type = d_[r + I];
    if (type == 2 && keep_statics_.count(cls + std::string(utf8(load_id(d_ + r, I))))) {
      const uint64_t value = load_id(d_ + r + I + 1, I);
      if (value != 0) kept_strings_.emplace(value, false);
    }
    r += I + 1 + basic_type_size(type, I);
  }
}

Status RedactPlan::scan(Progress& progress, const std::function<void(uint64_t)>& release,
                        int pass) {
  const uint32_t I = I_;
  uint64_t p = header_size_;
  uint64_t next_step = p + kStep;
  std::unordered_set<uint64_t> dumped;  // pass 0: classes whose CLASS_DUMP was read
  std::optional<std::pair<uint32_t, uint8_t>> value_slot, coder_slot;
  if (pass > 0 && string_class_ != 0) {
    value_slot = field_offset(string_class_, "java.lang.String", "value");
    coder_slot = field_offset(string_class_, "java.lang.String", "coder");
  }
  uint64_t last_class = 0;
  const ClassLayout* last_layout = nullptr;
  auto refer = [&](uint64_t id) {
    if (id != 0) referenced_.push_back(id);
  };
  while (p < size_) {
    if (p >= next_step) {
      if (progress.cancelled()) return Error{ErrorCode::kCancelled, p, -1, "cancelled"};
      progress.advance(p);
      release(p);
      next_step = p + kStep;
    }
    if (size_ - p < 9) return damaged(ErrorCode::kTruncated, p, -1, "record header cut short");
    const uint8_t tag = d_[p];
    const uint64_t len = load_u32(d_ + p + 5);
    const uint64_t b = p + 9;
    if (size_ - b < len) {
      return damaged(ErrorCode::kTruncated, p, tag, "record runs past the end of the file");
    }
    const uint64_t e = b + len;
    const auto t = static_cast<Tag>(tag);
    if (pass == 0) {
      if (t == Tag::kUtf8 && len >= I) {
        utf8_.push_back({load_id(d_ + b, I), b + I, static_cast<uint32_t>(len - I)});
      } else if (t == Tag::kLoadClass && len >= 8ull + 2 * I) {
        const uint64_t cid = load_id(d_ + b + 4, I);
        const uint64_t name = load_id(d_ + b + 8 + I, I);
        auto& c = classes_[cid];
        if (c.name_id == 0) class_order_.push_back(cid);
        class_serials_[load_u32(d_ + b)] = cid;
        c.name_id = name;
        refer(name);
      } else if (t == Tag::kFrame && len >= 4ull * I) {
        for (int k = 1; k < 4; ++k) refer(load_id(d_ + b + k * I, I));
        if (rules_.level == RedactLevel::kNames && len >= 4ull * I + 4) {
          frames_.push_back({load_id(d_ + b + I, I), load_id(d_ + b + 2 * I, I),
                             load_id(d_ + b + 3 * I, I), load_u32(d_ + b + 4 * I)});
        }
      } else if (t == Tag::kStartThread && len >= 8ull + 4 * I) {
        for (int k = 0; k < 3; ++k) refer(load_id(d_ + b + 8 + I + k * I, I));
      }
    }
    if (t != Tag::kHeapDump && t != Tag::kHeapDumpSegment) {
      p = e;
      continue;
    }
    uint64_t q = b;
    while (q < e) {
      const uint8_t st = d_[q];
      auto body = sub_record_body_size(d_, q + 1, e, st, I);
      if (!body) {
        Error err = body.error();
        err.record_tag = tag;
        return err;
      }
      const uint64_t s = q + 1;
      if (pass == 0 && st == 0x20) {
        const uint64_t cid = load_id(d_ + s, I);
        auto& c = classes_[cid];
        c.super = load_id(d_ + s + I + 4, I);
        dumped.insert(cid);
        uint64_t r = s + 7ull * I + 8;
        const uint32_t cp = load_u16(d_ + r);
        r += 2;
        for (uint32_t i = 0; i < cp; ++i) r += 3 + basic_type_size(d_[r + 2], I);
        const uint32_t statics = load_u16(d_ + r);
        r += 2;
        c.statics.clear();
        for (uint32_t i = 0; i < statics; ++i) {
          refer(load_id(d_ + r, I));
          c.statics.push_back(load_id(d_ + r, I));
          r += I + 1 + basic_type_size(d_[r + I], I);
        }
        const uint32_t fields = load_u16(d_ + r);
        r += 2;
        c.fields.clear();
        for (uint32_t i = 0; i < fields; ++i) {
          const uint64_t name = load_id(d_ + r, I);
          refer(name);
          c.fields.emplace_back(name, d_[r + I]);
          r += I + 1;
        }
      } else if (pass == 1 && st == 0x20 && !keep_statics_.empty()) {
        keep_static_strings(s);
      } else if (pass == 0 && st == 0xFE) {
        refer(load_id(d_ + s + 4, I));
      } else if (st == 0x21) {
        const uint64_t oid = load_id(d_ + s, I);
        const uint64_t cid = load_id(d_ + s + I + 4, I);
        const uint8_t* payload = d_ + s + 2ull * I + 8;
        const uint64_t n = load_u32(d_ + s + 2ull * I + 4);
        if (pass == 0) {
          if (!dumped.count(cid)) late_classes_ = true;
        } else if (cid == string_class_ && value_slot && kept_strings_.count(oid)) {
          if (value_slot->first + I <= n) {
            const uint64_t array = load_id(payload + value_slot->first, I);
            uint8_t coder = 0;
            if (coder_slot && coder_slot->first < n) coder = payload[coder_slot->first];
            if (array != 0) name_arrays_[array] = ThreadNameArray{oid, coder, kept_strings_[oid]};
          }
        } else if (pass == 1) {
          if (cid != last_class) {  // instances of one class often come in runs
            last_class = cid;
            last_layout = layout(cid);
          }
          const ClassLayout* c = last_layout;
          if (c != nullptr && c->is_thread && c->name_offset >= 0 &&
              static_cast<uint64_t>(c->name_offset) + I <= n) {
            const uint64_t name = load_id(payload + c->name_offset, I);
            if (name != 0) kept_strings_[name] = true;
          }
        }
      }
      q = s + *body;
    }
    p = e;
  }
  progress.advance(size_);
  return Ok{};
}

Status RedactPlan::build(Progress& progress, const std::function<void(uint64_t)>& release) {
  progress.begin("redact: reading classes", size_);
  if (auto s = scan(progress, release, 0); !s) return s;
  std::sort(utf8_.begin(), utf8_.end(),
            [](const Utf8Ref& a, const Utf8Ref& b) { return a.id < b.id; });
  std::sort(referenced_.begin(), referenced_.end());
  referenced_.erase(std::unique(referenced_.begin(), referenced_.end()), referenced_.end());
  for (const auto& [id, c] : classes_) {
    const std::string n = dotted_class_name(id);
    if (n == "java.lang.String") string_class_ = id;
  }
  progress.begin("redact: finding thread names", size_);
  if (auto s = scan(progress, release, 1); !s) return s;
  if (name_arrays_.size() < kept_strings_.size()) {
    // Some name Strings came before their Thread: read them again, Strings only.
    progress.begin("redact: finding thread names (again)", size_);
    if (auto s = scan(progress, release, 2); !s) return s;
  }
  if (rules_.level == RedactLevel::kNames) plan_names();
  return Ok{};
}

}  // namespace heapscope::hprof::detail
