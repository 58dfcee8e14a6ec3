// A builder for byte-exact HPROF files, so tests can make the dumps they need (4- or 8-byte
// ids, segments, every root kind, Android 1.0.3 records) and damage them on purpose (raw bytes,
// wrong lengths). Layouts follow hprof-format.md, Part A.
//
//   HprofWriter w(8);
//   w.utf8(1, "java/lang/Object").load_class(1, 0x1000, 1, 1);
//   w.begin_segment().class_dump({.id = 0x1000}).instance_dump(0x2000, 0x1000, {}).end_record();
//   w.heap_dump_end();
//   std::vector<uint8_t> bytes = w.bytes();
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace heapscope::testing {

// HPROF basic type codes (format A.9).
namespace type {
inline constexpr uint8_t kObject = 2, kBoolean = 4, kChar = 5, kFloat = 6, kDouble = 7, kByte = 8,
                         kShort = 9, kInt = 10, kLong = 11;
}  // namespace type

// Size in bytes of a value of `type`, 0 for an invalid code; objects take `id_size`.
uint32_t type_size(uint8_t type, uint32_t id_size);

// One typed value: a field value, a static, a constant-pool entry.
struct Value {
  uint8_t type = type::kInt;
  uint64_t bits = 0;  // the low type_size() bytes are written, big-endian

  static Value object(uint64_t id) { return {type::kObject, id}; }
  static Value boolean(bool v) { return {type::kBoolean, v ? 1u : 0u}; }
  static Value byte(int8_t v) { return {type::kByte, static_cast<uint8_t>(v)}; }
  static Value character(uint16_t v) { return {type::kChar, v}; }
  static Value i16(int16_t v) { return {type::kShort, static_cast<uint16_t>(v)}; }
  static Value i32(int32_t v) { return {type::kInt, static_cast<uint32_t>(v)}; }
  static Value i64(int64_t v) { return {type::kLong, static_cast<uint64_t>(v)}; }
  static Value f32(float v);
  static Value f64(double v);
};

// Big-endian bytes with a given id size; the HprofWriter uses it and tests use it directly to
// build corrupt records.
class ByteWriter {
 public:
  explicit ByteWriter(uint32_t id_size = 8) : id_size_(id_size) {}

  ByteWriter& u1(uint8_t v);
  ByteWriter& u2(uint16_t v);
  ByteWriter& u4(uint32_t v);
  ByteWriter& u8(uint64_t v);
  ByteWriter& id(uint64_t v);  // id_size bytes
  ByteWriter& value(const Value& v);
  ByteWriter& text(std::string_view s);  // the characters, no terminator
  ByteWriter& append(const std::vector<uint8_t>& b);

  uint32_t id_size() const { return id_size_; }
  size_t size() const { return bytes_.size(); }
  std::vector<uint8_t>& bytes() { return bytes_; }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  // Overwrites a u4 already written at `offset` (for lengths known only later).
  void patch_u4(size_t offset, uint32_t v);

 private:
  uint32_t id_size_;
  std::vector<uint8_t> bytes_;
};

struct ConstantDef {
  uint16_t index = 0;
  Value value;
};
struct StaticDef {
  uint64_t name_id = 0;
  Value value;
};
struct FieldDef {
  uint64_t name_id = 0;
  uint8_t type = type::kInt;
};

// The body of a CLASS_DUMP (format A.7). `instance_size` defaults to HotSpot's convention: the
// bytes of this class's own fields in an INSTANCE_DUMP.
struct ClassDef {
  uint64_t id = 0;
  uint32_t trace_serial = 1;
  uint64_t super_id = 0;
  uint64_t loader_id = 0;
  uint64_t signers_id = 0;
  uint64_t protection_domain_id = 0;
  std::optional<uint32_t> instance_size;
  std::vector<ConstantDef> constants;
  std::vector<StaticDef> statics;
  std::vector<FieldDef> fields;
};

class HprofWriter {
 public:
  // Writes the header: "<version>\0", u4 id size, u8 timestamp.
  explicit HprofWriter(uint32_t id_size = 8, std::string_view version = "JAVA PROFILE 1.0.2",
                       uint64_t timestamp_ms = 1700000000000ull);

  uint32_t id_size() const { return out_.id_size(); }
  // Bytes written so far (a record left open has its length patched only by end_record()).
  size_t size() const { return out_.size(); }
  // The file; closes a heap-dump record left open.
  std::vector<uint8_t> bytes();
  // A ByteWriter with this file's id size, for building raw records.
  ByteWriter scratch() const { return ByteWriter(out_.id_size()); }

  // ---- top-level records (format A.3, A.4) ----
  HprofWriter& set_record_time(uint32_t micros) {
    time_ = micros;
    return *this;
  }
  // Any record: tag, time, length (the body's size unless overridden), body.
  HprofWriter& record(uint8_t tag, const std::vector<uint8_t>& body,
                      std::optional<uint32_t> length = std::nullopt);
  HprofWriter& utf8(uint64_t id, std::string_view text);
  HprofWriter& load_class(uint32_t serial, uint64_t class_id, uint32_t trace_serial,
                          uint64_t name_id);
  HprofWriter& unload_class(uint32_t serial);
  HprofWriter& frame(uint64_t id, uint64_t method_name_id, uint64_t signature_id,
                     uint64_t source_file_id, uint32_t class_serial, int32_t line);
  HprofWriter& trace(uint32_t serial, uint32_t thread_serial,
                     const std::vector<uint64_t>& frame_ids);
  HprofWriter& start_thread(uint32_t serial, uint64_t object_id, uint32_t trace_serial,
                            uint64_t name_id, uint64_t group_id, uint64_t parent_group_id);
  HprofWriter& end_thread(uint32_t serial);
  HprofWriter& heap_summary(uint32_t live_bytes, uint32_t live_instances, uint64_t bytes_allocated,
                            uint64_t instances_allocated);
  // Bytes appended as they are (between records, or inside an open heap-dump record).
  HprofWriter& raw(const std::vector<uint8_t>& bytes);
  HprofWriter& raw(const ByteWriter& bytes) { return raw(bytes.bytes()); }

  // ---- heap dumps: HEAP_DUMP (0x0C), or HEAP_DUMP_SEGMENTs (0x1C) closed by HEAP_DUMP_END ----
  HprofWriter& begin_heap_dump() { return begin_heap_record(0x0C); }
  HprofWriter& begin_segment() { return begin_heap_record(0x1C); }
  // Closes the open heap record, patching its length (or writing `length` instead: 0 like an
  // unfinished writer, a value past the end, ...).
  HprofWriter& end_record(std::optional<uint32_t> length = std::nullopt);
  // HEAP_DUMP_END; closes an open segment first.
  HprofWriter& heap_dump_end();

  // ---- sub-records (format A.5, A.6); a heap record must be open ----
  HprofWriter& root_unknown(uint64_t id) { return simple_root(0xFF, id); }
  HprofWriter& root_jni_global(uint64_t id, uint64_t jni_ref);
  HprofWriter& root_jni_local(uint64_t id, uint32_t thread_serial, uint32_t frame);
  HprofWriter& root_java_frame(uint64_t id, uint32_t thread_serial, uint32_t frame);
  HprofWriter& root_native_stack(uint64_t id, uint32_t thread_serial);
  HprofWriter& root_sticky_class(uint64_t id) { return simple_root(0x05, id); }
  HprofWriter& root_thread_block(uint64_t id, uint32_t thread_serial);
  HprofWriter& root_monitor_used(uint64_t id) { return simple_root(0x07, id); }
  HprofWriter& root_thread_obj(uint64_t id, uint32_t thread_serial, uint32_t trace_serial);
  // Android (1.0.3)
  HprofWriter& heap_dump_info(uint32_t heap_id, uint64_t name_id);
  HprofWriter& root_interned_string(uint64_t id) { return simple_root(0x89, id); }
  HprofWriter& root_finalizing(uint64_t id) { return simple_root(0x8A, id); }
  HprofWriter& root_debugger(uint64_t id) { return simple_root(0x8B, id); }
  HprofWriter& root_reference_cleanup(uint64_t id) { return simple_root(0x8C, id); }
  HprofWriter& root_vm_internal(uint64_t id) { return simple_root(0x8D, id); }
  HprofWriter& root_jni_monitor(uint64_t id, uint32_t thread_serial, uint32_t frame);
  HprofWriter& unreachable(uint64_t id) { return simple_root(0x90, id); }
  HprofWriter& prim_array_nodata(uint64_t id, uint32_t trace_serial, uint32_t length,
                                 uint8_t element_type);
  // A root whose body is just an id (0xFF, 0x05, 0x07, 0x89..0x8D, 0x90).
  HprofWriter& simple_root(uint8_t sub_tag, uint64_t id);

  HprofWriter& class_dump(const ClassDef& c);
  // Field values in INSTANCE_DUMP order: own class first, then superclasses. `data_length`
  // overrides the byte count written before them.
  HprofWriter& instance_dump(uint64_t id, uint64_t class_id, std::initializer_list<Value> values,
                             uint32_t trace_serial = 1,
                             std::optional<uint32_t> data_length = std::nullopt);
  HprofWriter& instance_dump(uint64_t id, uint64_t class_id, const std::vector<Value>& values,
                             uint32_t trace_serial = 1,
                             std::optional<uint32_t> data_length = std::nullopt);
  // `length` overrides the element count written (the elements written stay `elements`).
  HprofWriter& obj_array_dump(uint64_t id, uint64_t array_class_id,
                              const std::vector<uint64_t>& elements, uint32_t trace_serial = 1,
                              std::optional<uint32_t> length = std::nullopt);
  // Elements as values of `element_type` (each `bits` written with the type's size).
  HprofWriter& prim_array_dump(uint64_t id, uint8_t element_type,
                               const std::vector<uint64_t>& elements, uint32_t trace_serial = 1,
                               std::optional<uint32_t> length = std::nullopt);

 private:
  HprofWriter& begin_heap_record(uint8_t tag);
  ByteWriter& sub();  // the open heap record's body

  ByteWriter out_;
  uint32_t time_ = 0;
  bool heap_open_ = false;
  size_t heap_length_at_ = 0;  // offset of the open heap record's length field
  uint8_t heap_tag_ = 0;
};

}  // namespace heapscope::testing
