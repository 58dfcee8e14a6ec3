#include "hprof_writer.h"

#include <cassert>
#include <cstring>
#include <stdexcept>

namespace heapscope::testing {

uint32_t type_size(uint8_t t, uint32_t id_size) {
  switch (t) {
    case type::kObject:
      return id_size;
    case type::kBoolean:
    case type::kByte:
      return 1;
    case type::kChar:
    case type::kShort:
      return 2;
    case type::kFloat:
    case type::kInt:
      return 4;
    case type::kDouble:
    case type::kLong:
      return 8;
    default:
      return 0;
  }
}

Value Value::f32(float v) {
  uint32_t b;
  std::memcpy(&b, &v, 4);
  return {type::kFloat, b};
}

Value Value::f64(double v) {
  uint64_t b;
  std::memcpy(&b, &v, 8);
  return {type::kDouble, b};
}

// ---- ByteWriter ----

ByteWriter& ByteWriter::u1(uint8_t v) {
  bytes_.push_back(v);
  return *this;
}
ByteWriter& ByteWriter::u2(uint16_t v) {
  return u1(v >> 8).u1(v & 0xFF);
}
ByteWriter& ByteWriter::u4(uint32_t v) {
  return u2(v >> 16).u2(v & 0xFFFF);
}
ByteWriter& ByteWriter::u8(uint64_t v) {
  return u4(static_cast<uint32_t>(v >> 32)).u4(static_cast<uint32_t>(v));
}
ByteWriter& ByteWriter::id(uint64_t v) {
  return id_size_ == 8 ? u8(v) : u4(static_cast<uint32_t>(v));
}

ByteWriter& ByteWriter::value(const Value& v) {
  switch (type_size(v.type, id_size_)) {
    case 1:
      return u1(static_cast<uint8_t>(v.bits));
    case 2:
      return u2(static_cast<uint16_t>(v.bits));
    case 4:
      return u4(static_cast<uint32_t>(v.bits));
    case 8:
      return u8(v.bits);
    // An invalid type code writes no value: tests use it to make corrupt records.
    default:
      return *this;
  }
}

ByteWriter& ByteWriter::text(std::string_view s) {
  bytes_.insert(bytes_.end(), s.begin(), s.end());
  return *this;
}

ByteWriter& ByteWriter::append(const std::vector<uint8_t>& b) {
  bytes_.insert(bytes_.end(), b.begin(), b.end());
  return *this;
}

void ByteWriter::patch_u4(size_t offset, uint32_t v) {
  assert(offset + 4 <= bytes_.size());
  for (int i = 0; i < 4; ++i) bytes_[offset + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

// ---- HprofWriter: header and top-level records ----

HprofWriter::HprofWriter(uint32_t id_size, std::string_view version, uint64_t timestamp_ms)
    : out_(id_size) {
  out_.text(version).u1(0).u4(id_size).u8(timestamp_ms);
}

std::vector<uint8_t> HprofWriter::bytes() {
  if (heap_open_) end_record();
  return out_.bytes();
}

HprofWriter& HprofWriter::record(uint8_t tag, const std::vector<uint8_t>& body,
                                 std::optional<uint32_t> length) {
  if (heap_open_) end_record();
  out_.u1(tag).u4(time_).u4(length.value_or(static_cast<uint32_t>(body.size()))).append(body);
  return *this;
}

HprofWriter& HprofWriter::utf8(uint64_t id, std::string_view text) {
  return record(0x01, scratch().id(id).text(text).bytes());
}

HprofWriter& HprofWriter::load_class(uint32_t serial, uint64_t class_id, uint32_t trace_serial,
                                     uint64_t name_id) {
  return record(0x02, scratch().u4(serial).id(class_id).u4(trace_serial).id(name_id).bytes());
}

HprofWriter& HprofWriter::unload_class(uint32_t serial) {
  return record(0x03, scratch().u4(serial).bytes());
}

HprofWriter& HprofWriter::frame(uint64_t id, uint64_t method_name_id, uint64_t signature_id,
                                uint64_t source_file_id, uint32_t class_serial, int32_t line) {
  return record(0x04, scratch()
                          .id(id)
                          .id(method_name_id)
                          .id(signature_id)
                          .id(source_file_id)
                          .u4(class_serial)
                          .u4(static_cast<uint32_t>(line))
                          .bytes());
}

HprofWriter& HprofWriter::trace(uint32_t serial, uint32_t thread_serial,
                                const std::vector<uint64_t>& frame_ids) {
  ByteWriter b = scratch();
  b.u4(serial).u4(thread_serial).u4(static_cast<uint32_t>(frame_ids.size()));
  for (uint64_t f : frame_ids) b.id(f);
  return record(0x05, b.bytes());
}

HprofWriter& HprofWriter::start_thread(uint32_t serial, uint64_t object_id, uint32_t trace_serial,
                                       uint64_t name_id, uint64_t group_id,
                                       uint64_t parent_group_id) {
  return record(0x0A, scratch()
                          .u4(serial)
                          .id(object_id)
                          .u4(trace_serial)
                          .id(name_id)
                          .id(group_id)
                          .id(parent_group_id)
                          .bytes());
}

HprofWriter& HprofWriter::end_thread(uint32_t serial) {
  return record(0x0B, scratch().u4(serial).bytes());
}

HprofWriter& HprofWriter::heap_summary(uint32_t live_bytes, uint32_t live_instances,
                                       uint64_t bytes_allocated, uint64_t instances_allocated) {
  return record(0x07, scratch()
                          .u4(live_bytes)
                          .u4(live_instances)
                          .u8(bytes_allocated)
                          .u8(instances_allocated)
                          .bytes());
}

HprofWriter& HprofWriter::raw(const std::vector<uint8_t>& bytes) {
  out_.append(bytes);
  return *this;
}

// ---- heap-dump records ----

HprofWriter& HprofWriter::begin_heap_record(uint8_t tag) {
  if (heap_open_) end_record();
  out_.u1(tag).u4(time_);
  heap_length_at_ = out_.size();
  out_.u4(0);
  heap_open_ = true;
  heap_tag_ = tag;
  return *this;
}

HprofWriter& HprofWriter::end_record(std::optional<uint32_t> length) {
  if (!heap_open_) throw std::logic_error("end_record without an open heap-dump record");
  const size_t body = out_.size() - heap_length_at_ - 4;
  out_.patch_u4(heap_length_at_, length.value_or(static_cast<uint32_t>(body)));
  heap_open_ = false;
  return *this;
}

HprofWriter& HprofWriter::heap_dump_end() {
  if (heap_open_) end_record();
  return record(0x2C, {});
}

ByteWriter& HprofWriter::sub() {
  if (!heap_open_) throw std::logic_error("a heap sub-record needs an open heap-dump record");
  return out_;
}

// ---- sub-records ----

HprofWriter& HprofWriter::simple_root(uint8_t sub_tag, uint64_t id) {
  sub().u1(sub_tag).id(id);
  return *this;
}

HprofWriter& HprofWriter::root_jni_global(uint64_t id, uint64_t jni_ref) {
  sub().u1(0x01).id(id).id(jni_ref);
  return *this;
}

HprofWriter& HprofWriter::root_jni_local(uint64_t id, uint32_t thread_serial, uint32_t frame) {
  sub().u1(0x02).id(id).u4(thread_serial).u4(frame);
  return *this;
}

HprofWriter& HprofWriter::root_java_frame(uint64_t id, uint32_t thread_serial, uint32_t frame) {
  sub().u1(0x03).id(id).u4(thread_serial).u4(frame);
  return *this;
}

HprofWriter& HprofWriter::root_native_stack(uint64_t id, uint32_t thread_serial) {
  sub().u1(0x04).id(id).u4(thread_serial);
  return *this;
}

HprofWriter& HprofWriter::root_thread_block(uint64_t id, uint32_t thread_serial) {
  sub().u1(0x06).id(id).u4(thread_serial);
  return *this;
}

HprofWriter& HprofWriter::root_thread_obj(uint64_t id, uint32_t thread_serial,
                                          uint32_t trace_serial) {
  sub().u1(0x08).id(id).u4(thread_serial).u4(trace_serial);
  return *this;
}

HprofWriter& HprofWriter::heap_dump_info(uint32_t heap_id, uint64_t name_id) {
  sub().u1(0xFE).u4(heap_id).id(name_id);
  return *this;
}

HprofWriter& HprofWriter::root_jni_monitor(uint64_t id, uint32_t thread_serial, uint32_t frame) {
  sub().u1(0x8E).id(id).u4(thread_serial).u4(frame);
  return *this;
}

HprofWriter& HprofWriter::prim_array_nodata(uint64_t id, uint32_t trace_serial, uint32_t length,
                                            uint8_t element_type) {
  sub().u1(0xC3).id(id).u4(trace_serial).u4(length).u1(element_type);
  return *this;
}

HprofWriter& HprofWriter::class_dump(const ClassDef& c) {
  ByteWriter& b = sub();
  uint32_t own = 0;
  for (const auto& f : c.fields) own += type_size(f.type, id_size());
  b.u1(0x20).id(c.id).u4(c.trace_serial).id(c.super_id).id(c.loader_id);
  b.id(c.signers_id).id(c.protection_domain_id).id(0).id(0);
  b.u4(c.instance_size.value_or(own));
  b.u2(static_cast<uint16_t>(c.constants.size()));
  for (const auto& k : c.constants) b.u2(k.index).u1(k.value.type).value(k.value);
  b.u2(static_cast<uint16_t>(c.statics.size()));
  for (const auto& s : c.statics) b.id(s.name_id).u1(s.value.type).value(s.value);
  b.u2(static_cast<uint16_t>(c.fields.size()));
  for (const auto& f : c.fields) b.id(f.name_id).u1(f.type);
  return *this;
}

HprofWriter& HprofWriter::instance_dump(uint64_t id, uint64_t class_id,
                                        std::initializer_list<Value> values, uint32_t trace_serial,
                                        std::optional<uint32_t> data_length) {
  return instance_dump(id, class_id, std::vector<Value>(values), trace_serial, data_length);
}

HprofWriter& HprofWriter::instance_dump(uint64_t id, uint64_t class_id,
                                        const std::vector<Value>& values, uint32_t trace_serial,
                                        std::optional<uint32_t> data_length) {
  ByteWriter data = scratch();
  for (const auto& v : values) data.value(v);
  sub().u1(0x21).id(id).u4(trace_serial).id(class_id);
  sub().u4(data_length.value_or(static_cast<uint32_t>(data.size()))).append(data.bytes());
  return *this;
}

HprofWriter& HprofWriter::obj_array_dump(uint64_t id, uint64_t array_class_id,
                                         const std::vector<uint64_t>& elements,
                                         uint32_t trace_serial, std::optional<uint32_t> length) {
  ByteWriter& b = sub();
  b.u1(0x22).id(id).u4(trace_serial);
  b.u4(length.value_or(static_cast<uint32_t>(elements.size()))).id(array_class_id);
  for (uint64_t e : elements) b.id(e);
  return *this;
}

HprofWriter& HprofWriter::prim_array_dump(uint64_t id, uint8_t element_type,
                                          const std::vector<uint64_t>& elements,
                                          uint32_t trace_serial, std::optional<uint32_t> length) {
  ByteWriter& b = sub();
  b.u1(0x23).id(id).u4(trace_serial);
  b.u4(length.value_or(static_cast<uint32_t>(elements.size()))).u1(element_type);
  for (uint64_t e : elements) b.value({element_type, e});
  return *this;
}

}  // namespace heapscope::testing
