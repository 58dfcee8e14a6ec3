// Pass 2: the heap-dump sub-records. No sub-record carries its own length, so an unknown tag
// or a record running past its segment ends that segment; the next segment is read as usual.
#include <cstdio>
#include <string>

#include "be.h"
#include "heapscope/hprof/tags.h"
#include "index_builder.h"
#include "root_sizes.h"

namespace heapscope::hprof::detail {
namespace {

constexpr uint64_t kReleaseStep = 16ull << 20;  // give pages back every 16 MiB scanned

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

class SegmentScanner {
 public:
  SegmentScanner(std::span<const uint8_t> data, uint32_t id_size, HeapPart& out)
      : d_(data.data()), size_(data.size()), I_(id_size), out_(out) {}

  // Returns the offset where reading stopped (== seg.end when the segment was read whole).
  uint64_t scan(const Segment& seg) {
    uint64_t p = seg.begin;
    const uint64_t e = seg.end;
    while (p < e) {
      const uint8_t t = d_[p];
      const uint64_t q = p + 1;
      uint64_t next = 0;
      if (uint64_t rs = root_body_size(t, I_)) {
        if (q + rs > e) return stop_truncated(seg, p, t);
        add_root(t, q);
        next = q + rs;
      } else {
        switch (t) {
          case 0x21:
            next = instance(q, p, e);
            break;
          case 0x22:
            next = object_array(q, p, e);
            break;
          case 0x23:
            next = primitive_array(q, p, e, true);
            break;
          case 0xC3:
            next = primitive_array(q, p, e, false);
            break;
          case 0x20:
            next = class_dump(q, p, e);
            break;
          case 0xFE:
            next = q + 4 + I_;
            break;
          default: {
            ++out_.anomalies.unknown_sub_records;
            out_.anomalies.skipped_bytes += e - p;
            out_.anomalies.warn("unknown heap sub-record tag " + hex(t) + " at byte " +
                                std::to_string(p) + "; skipped the rest of the segment (" +
                                std::to_string(e - p) + " bytes)");
            return p;
          }
        }
        if (next == 0) return stop_bad(seg, p, t);
        if (next > e) return stop_truncated(seg, p, t);
      }
      ++out_.sub_counts[t];
      p = next;
    }
    return p;
  }

 private:
  uint64_t stop_truncated(const Segment& seg, uint64_t p, uint8_t t) {
    out_.anomalies.skipped_bytes += seg.end - p;
    const auto name = sub_tag_name(t);
    if (seg.end >= size_) {
      out_.anomalies.truncated = true;
      out_.anomalies.warn("the data ends inside " + std::string(name ? *name : "a sub-record") +
                          " at byte " + std::to_string(p));
    } else {
      out_.anomalies.warn(std::string(name ? *name : "a sub-record") + " at byte " +
                          std::to_string(p) + " runs past the end of its segment at byte " +
                          std::to_string(seg.end) + "; skipped " + std::to_string(seg.end - p) +
                          " bytes");
    }
    return p;
  }
  uint64_t stop_bad(const Segment& seg, uint64_t p, uint8_t t) {
    out_.anomalies.skipped_bytes += seg.end - p;
    ++out_.anomalies.unknown_sub_records;
    out_.anomalies.warn("corrupt " + std::string(sub_tag_name(t).value_or("sub-record")) +
                        " at byte " + std::to_string(p) + " (" + bad_reason_ +
                        "); skipped the rest of the segment");
    return p;
  }

  void add_root(uint8_t t, uint64_t q) {
    GcRoot r;
    r.kind = t;
    r.object_id = load_id(d_ + q, I_);
    if (t == 0x02 || t == 0x03 || t == 0x8E) {
      r.thread_serial = load_u32(d_ + q + I_);
      r.frame = static_cast<int32_t>(load_u32(d_ + q + I_ + 4));
    } else if (t == 0x08) {
      r.thread_serial = load_u32(d_ + q + I_);
      r.frame = static_cast<int32_t>(load_u32(d_ + q + I_ + 4));  // the trace serial
    } else if (t == 0x04 || t == 0x06) {
      r.thread_serial = load_u32(d_ + q + I_);
    }
    out_.roots.push_back(r);
  }

  void add_object(uint64_t id, ObjectKind kind, uint64_t p, uint32_t slot, uint32_t length) {
    ObjectWindow& w = out_.objects;
    if (w.count == w.capacity) return;  // cannot happen: the window fits the smallest records
    w.ids[w.count] = id;
    w.locs[w.count] = static_cast<uint64_t>(kind) << 62 | p;
    w.slots[w.count] = slot;
    w.lengths[w.count] = length;
    ++w.count;
  }

  // Returns the end of the sub-record, 0 when it is corrupt; a value > e means truncated.
  // An object is indexed only when all of its bytes are inside the segment: the index hands
  // out spans of them (instance_data, array_data).
  uint64_t instance(uint64_t q, uint64_t p, uint64_t e) {
    const uint64_t head = 2ull * I_ + 8;
    if (q + head > e) return e + 1;
    const uint64_t id = load_id(d_ + q, I_);
    const uint64_t cls = load_id(d_ + q + I_ + 4, I_);
    const uint32_t n = load_u32(d_ + q + 2 * I_ + 4);
    const uint64_t end = q + head + n;
    if (end > e) return end;
    add_object(id, ObjectKind::kInstance, p, out_.class_slots.slot_for(cls), n);
    ++out_.kind_counts[0];
    return end;
  }

  uint64_t object_array(uint64_t q, uint64_t p, uint64_t e) {
    const uint64_t head = 2ull * I_ + 8;
    if (q + head > e) return e + 1;
    const uint64_t id = load_id(d_ + q, I_);
    const uint32_t n = load_u32(d_ + q + I_ + 4);
    const uint64_t cls = load_id(d_ + q + I_ + 8, I_);
    const uint64_t end = q + head + static_cast<uint64_t>(n) * I_;
    if (end > e) return end;
    add_object(id, ObjectKind::kObjectArray, p, out_.class_slots.slot_for(cls), n);
    ++out_.kind_counts[1];
    return end;
  }

  uint64_t primitive_array(uint64_t q, uint64_t p, uint64_t e, bool with_data) {
    const uint64_t head = I_ + 9ull;
    if (q + head > e) return e + 1;
    const uint64_t id = load_id(d_ + q, I_);
    const uint32_t n = load_u32(d_ + q + I_ + 4);
    const uint8_t type = d_[q + I_ + 8];
    const uint32_t es = basic_type_size(type, I_);
    if (es == 0 || type == 2) {
      bad_reason_ = "element type " + std::to_string(type) + " is not a primitive type";
      return 0;
    }
    const uint64_t end = q + head + (with_data ? static_cast<uint64_t>(n) * es : 0);
    if (end > e) return end;
    add_object(id, ObjectKind::kPrimitiveArray, p, type, with_data ? n : 0);
    out_.primitive_types_seen |= 1u << type;
    ++out_.kind_counts[2];
    if (!with_data) ++out_.anomalies.missing_class_data;
    return end;
  }

  uint64_t class_dump(uint64_t q, uint64_t p, uint64_t e) {
    uint64_t r = q;
    auto need = [&](uint64_t n) { return r + n <= e; };
    if (!need(7ull * I_ + 8)) return e + 1;
    RawClass rc;
    rc.offset = p;
    ClassInfo& c = rc.info;
    c.id = load_id(d_ + r, I_);
    r += I_ + 4;
    c.super_id = load_id(d_ + r, I_);
    r += I_;
    c.loader_id = load_id(d_ + r, I_);
    r += 5ull * I_;  // loader, signers, protection domain, 2 reserved
    c.instance_size_in_dump = load_u32(d_ + r);
    r += 4;
    if (!need(2)) return e + 1;
    const uint16_t cp = load_u16(d_ + r);
    r += 2;
    for (uint32_t i = 0; i < cp; ++i) {
      if (!need(3)) return e + 1;
      const uint8_t type = d_[r + 2];
      const uint32_t s = basic_type_size(type, I_);
      if (s == 0) {
        bad_reason_ = "constant pool entry of type " + std::to_string(type);
        return 0;
      }
      r += 3 + s;
    }
    if (!need(2)) return e + 1;
    const uint16_t ns = load_u16(d_ + r);
    r += 2;
    // Reserve only what the bytes present can hold (a static takes at least id + 2 bytes).
    if (!need(static_cast<uint64_t>(ns) * (I_ + 2))) return e + 1;
    c.statics.reserve(ns);
    for (uint32_t i = 0; i < ns; ++i) {
      if (!need(I_ + 1ull)) return e + 1;
      StaticField f;
      f.name_id = load_id(d_ + r, I_);
      f.type = d_[r + I_];
      const uint32_t s = basic_type_size(f.type, I_);
      if (s == 0) {
        bad_reason_ = "static field of type " + std::to_string(f.type);
        return 0;
      }
      r += I_ + 1;
      if (!need(s)) return e + 1;
      f.value = load_value(d_ + r, s);
      r += s;
      c.statics.push_back(f);
    }
    if (!need(2)) return e + 1;
    const uint16_t nf = load_u16(d_ + r);
    r += 2;
    if (!need(static_cast<uint64_t>(nf) * (I_ + 1))) return e + 1;
    c.fields.reserve(nf);
    for (uint32_t i = 0; i < nf; ++i) {
      FieldDesc f;
      f.name_id = load_id(d_ + r, I_);
      f.type = d_[r + I_];
      if (basic_type_size(f.type, I_) == 0) {
        bad_reason_ = "instance field of type " + std::to_string(f.type);
        return 0;
      }
      r += I_ + 1;
      c.fields.push_back(f);
    }
    add_object(c.id, ObjectKind::kClass, p, ClassSlots::kClassClassSlot, 0);
    out_.classes.push_back(std::move(rc));
    return r;
  }

  const uint8_t* d_;
  uint64_t size_;
  uint32_t I_;
  HeapPart& out_;
  std::string bad_reason_;
};

}  // namespace

void scan_heap(std::span<const uint8_t> data, uint32_t id_size, std::span<const Segment> segments,
               const Dump* dump, bool release_pages, const ScanProgress& sp, HeapPart& out) {
  SegmentScanner scanner(data, id_size, out);
  uint64_t released_up_to = segments.empty() ? 0 : segments.front().begin;
  uint64_t since_report = 0;
  for (const Segment& seg : segments) {
    if (sp.progress && sp.progress->cancelled()) {
      out.cancelled = true;
      return;
    }
    const uint64_t stop = scanner.scan(seg);
    out.bytes_used += stop - seg.begin;
    since_report += seg.end - seg.begin;
    if (since_report >= (4u << 20)) {
      const uint64_t total = sp.scanned->fetch_add(since_report) + since_report;
      if (sp.reporter && sp.progress) sp.progress->advance(sp.base + total);
      since_report = 0;
    }
    if (release_pages && dump && seg.end - released_up_to >= kReleaseStep) {
      dump->release(released_up_to, seg.end);
      released_up_to = seg.end;
    }
  }
  sp.scanned->fetch_add(since_report);
  if (release_pages && dump && !segments.empty())
    dump->release(released_up_to, segments.back().end);
}

}  // namespace heapscope::hprof::detail
