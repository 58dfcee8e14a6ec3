// The index of one heap dump: one pass over the records builds flat tables of everything an
// analysis needs to find again — objects by dense 32-bit index, classes with their field
// layouts and statics, UTF8 names, GC roots, threads, stack traces and frames.
//
// Objects are numbered 0..N-1 in ascending id order (ids are addresses in HotSpot dumps), so an
// id is found by binary search and everything after the index works on u32 indices. N is at
// most 2^32 - 2 (kNoObject is reserved).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/hprof/ascending_table.h"
#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/error.h"
#include "heapscope/hprof/flat_array.h"
#include "heapscope/hprof/location_table.h"
#include "heapscope/hprof/progress.h"
#include "heapscope/hprof/short_table.h"

namespace heapscope::hprof {

class CacheReader;
class CacheWriter;

using ObjectIndex = uint32_t;
using ClassIndex = uint32_t;
inline constexpr ObjectIndex kNoObject = 0xFFFFFFFFu;
inline constexpr ClassIndex kNoClass = 0xFFFFFFFFu;

namespace detail {
struct Utf8Ref {
  uint64_t id;
  uint64_t offset;
  uint32_t length;
};
struct LoadedClass {
  uint32_t serial;
  uint64_t class_id;
  uint64_t name_id;
};
}  // namespace detail

enum class ObjectKind : uint8_t { kInstance, kObjectArray, kPrimitiveArray, kClass };

struct FieldDesc {
  uint64_t name_id = 0;  // UTF8 record id
  uint8_t type = 0;      // BasicType code
};

struct StaticField {
  uint64_t name_id = 0;
  uint8_t type = 0;
  uint64_t value = 0;  // raw bits, zero-extended; an object id for type 2
};

struct ClassInfo {
  uint64_t id = 0;
  uint64_t super_id = 0;
  uint64_t loader_id = 0;
  uint64_t name_id = 0;  // from LOAD_CLASS; 0 when the dump names no class
  std::string name;      // Java binary name with dots; arrays as "int[]", "java.lang.Object[]"
  ClassIndex super = kNoClass;         // resolved superclass
  ObjectIndex object = kNoObject;      // the class object in the object table
  uint32_t instance_size_in_dump = 0;  // as written (HotSpot: own field bytes)
  uint32_t instance_data_size = 0;     // bytes of INSTANCE_DUMP payload: own + inherited fields
  uint64_t shallow_instance_size = 0;  // heap size of one instance, by the shallow-size rule
  uint8_t array_element_type = 0;      // BasicType for primitive-array classes, 2 for object arrays
  bool synthetic = false;              // made up by the reader (no CLASS_DUMP in the dump)
  std::vector<FieldDesc> fields;       // declared by this class only, in dump order
  std::vector<StaticField> statics;
};

struct GcRoot {
  uint64_t object_id = 0;
  ObjectIndex object = kNoObject;  // kNoObject when the id is not in the dump
  uint8_t kind = 0;                // SubTag code of the root record
  uint32_t thread_serial = 0;      // for frame/JNI-local/thread roots
  int32_t frame = -1;              // depth in the thread's trace for frame roots, -1 if none
};

struct Frame {
  uint64_t id = 0;
  uint64_t method_name_id = 0;
  uint64_t signature_id = 0;
  uint64_t source_file_id = 0;
  uint32_t class_serial = 0;
  int32_t line = 0;  // >0 line, -1 unknown, -2 compiled, -3 native
};

struct StackTrace {
  uint32_t serial = 0;
  uint32_t thread_serial = 0;
  uint32_t first_frame = 0;  // into Index::trace_frame_ids()
  uint32_t frame_count = 0;
};

struct ThreadInfo {
  uint64_t object_id = 0;
  ObjectIndex object = kNoObject;
  uint32_t serial = 0;
  uint32_t trace_serial = 0;
};

// What the reader met that it could survive; appears in every report.
struct ParseStats {
  uint64_t bytes_total = 0;            // decoded HPROF bytes
  uint64_t bytes_used = 0;             // bytes of records that were read
  uint64_t unknown_records = 0;        // top-level tags skipped
  uint64_t unknown_sub_records = 0;    // sub-tags that made the rest of a segment unreadable
  uint64_t skipped_bytes = 0;          // bytes of heap segments that could not be read
  uint64_t dangling_references = 0;    // references to ids absent from the dump (roots, classes)
  uint64_t duplicate_objects = 0;      // ids dumped twice (the first wins)
  uint64_t field_size_mismatches = 0;  // instances whose payload disagrees with their class layout
  uint64_t missing_classes = 0;        // classes referenced but never dumped (made synthetic)
  bool truncated = false;              // the data ended inside a record
  uint32_t heap_dumps_in_file = 0;
  std::vector<std::string> warnings;  // first few survivable problems, with byte offsets
};

// How shallow sizes are estimated; the dump records none of it. Defaults follow Eclipse MAT:
// header = id size (mark word) + reference size (class pointer), references 4 bytes when the
// object-array addresses show compressed oops, alignment = GCD of address gaps in [8, 256].
struct LayoutAssumptions {
  uint32_t id_size = 8;
  uint32_t reference_size = 8;
  uint32_t object_alignment = 8;
  bool compressed_oops = false;
};

struct IndexOptions {
  uint32_t heap_dump_number = 0;  // which heap dump of the file (0 = the first)
  uint32_t threads = 0;           // 0 = all hardware threads
  bool release_pages = true;      // madvise away pages behind the scan to keep RSS low
  Progress* progress = nullptr;
};

class Index {
 public:
  // Reads every record of `dump` once. Fails only when nothing usable is left (no header, no
  // heap dump, cancelled, corrupt class hierarchy); damage at the tail is a warning in stats().
  static Result<Index> build(const Dump& dump, const IndexOptions& options = {});

  const Dump& dump() const { return *dump_; }
  uint32_t id_size() const { return layout_.id_size; }
  const LayoutAssumptions& layout() const { return layout_; }
  const ParseStats& stats() const { return stats_; }

  // Counts of every top-level record and heap sub-record kind, by tag code.
  const std::array<uint64_t, 256>& record_counts() const { return record_counts_; }
  const std::array<uint64_t, 256>& sub_record_counts() const { return sub_record_counts_; }

  // ---- objects ----
  uint32_t object_count() const { return static_cast<uint32_t>(ids_.size()); }
  uint64_t object_id(ObjectIndex o) const { return ids_[o]; }
  ObjectIndex find(uint64_t id) const;  // kNoObject when absent or 0
  ObjectKind kind(ObjectIndex o) const { return static_cast<ObjectKind>(locs_.kind(o)); }
  // Offset of the object's sub-record tag byte in the dump.
  uint64_t offset(ObjectIndex o) const { return locs_.offset(o); }
  ClassIndex class_of(ObjectIndex o) const { return class_of_[o]; }
  // For passes that read classes in an order known ahead: asks for class_of(o) to be fetched.
  void prefetch_class_of(ObjectIndex o) const { __builtin_prefetch(class_of_.address(o)); }
  // Array length, or byte length of an instance's field payload.
  uint32_t length(ObjectIndex o) const { return lengths_[o]; }
  uint64_t shallow_size(ObjectIndex o) const;
  // Tells the kernel the per-object tables will not be read for a while, when they are spilled
  // (FlatArray::set_aside): a phase that works on other tables keeps those resident instead.
  void set_aside() const {
    ids_.set_aside();
    locs_.set_aside();
    class_of_.set_aside();
    lengths_.set_aside();
    dir_.set_aside();
  }
  // Bytes of an instance's field values (own class first, then superclasses).
  std::span<const uint8_t> instance_data(ObjectIndex o) const;
  // Bytes of an array's elements (ids for object arrays, big-endian values for primitives).
  std::span<const uint8_t> array_data(ObjectIndex o) const;

  // ---- classes ----
  uint32_t class_count() const { return static_cast<uint32_t>(classes_.size()); }
  const ClassInfo& class_info(ClassIndex c) const { return classes_[c]; }
  std::span<const ClassInfo> classes() const { return classes_; }
  ClassIndex find_class(uint64_t class_id) const;
  // Every class with that binary name (names are not unique: loaders, hidden classes).
  std::vector<ClassIndex> find_classes_by_name(std::string_view name) const;
  // The class of java.lang.Class mirrors, or kNoClass.
  ClassIndex class_class() const { return class_class_; }

  // ---- names, roots, threads ----
  // Text of a UTF8 record ("" when unknown), as modified UTF-8 bytes.
  std::string_view utf8(uint64_t id) const;
  std::span<const GcRoot> roots() const { return roots_; }
  std::span<const ThreadInfo> threads() const { return threads_; }
  std::span<const StackTrace> traces() const { return traces_; }
  std::span<const uint64_t> trace_frame_ids() const { return trace_frame_ids_; }
  const StackTrace* find_trace(uint32_t serial) const;
  const Frame* find_frame(uint64_t frame_id) const;
  // Class name for a LOAD_CLASS serial (frames name their method's class this way).
  std::string_view class_name_by_serial(uint32_t serial) const;
  uint64_t instance_count() const { return counts_[0]; }
  uint64_t object_array_count() const { return counts_[1]; }
  uint64_t primitive_array_count() const { return counts_[2]; }

  // The on-disk cache (index_cache.cpp, cache_file.h): every table as sections of `out` (ids in
  // [0x100, 0x200)), and an index read back from them over the same dump, equal in every answer.
  // Fails (kCorrupt) when the sections are missing or do not decode.
  void save(CacheWriter& out) const;
  static Result<Index> load(const Dump& dump, const CacheReader& in,
                            const IndexOptions& options = {});

  Index(Index&&) noexcept = default;
  Index& operator=(Index&&) noexcept = default;

 private:
  Index() = default;
  void build_directory();
  friend class IndexBuilder;
  friend struct IndexTables;  // the cache (index_cache.cpp)

  const Dump* dump_ = nullptr;
  LayoutAssumptions layout_;
  ParseStats stats_;
  std::array<uint64_t, 256> record_counts_{};
  std::array<uint64_t, 256> sub_record_counts_{};
  std::array<uint64_t, 3> counts_{};

  detail::AscendingTable ids_;   // sorted: ~2 bytes per id (ascending_table.h)
  detail::LocationTable locs_;   // kind and offset: ~2 bytes per object (location_table.h)
  detail::ShortTable class_of_;  // 2 bytes per object (short_table.h)
  detail::ShortTable lengths_;
  // find(): bucket b = (id - dir_base_) >> dir_shift_ holds objects [dir_[b], dir_[b + 1]).
  detail::FlatArray<uint32_t> dir_;
  uint64_t dir_base_ = 0;
  uint32_t dir_shift_ = 0;

  std::vector<ClassInfo> classes_;
  std::vector<std::pair<uint64_t, ClassIndex>> class_by_id_;  // sorted by id
  ClassIndex class_class_ = kNoClass;

  std::vector<detail::Utf8Ref> utf8_;        // sorted by id
  std::vector<detail::LoadedClass> loaded_;  // sorted by serial

  std::vector<GcRoot> roots_;
  std::vector<ThreadInfo> threads_;
  std::vector<StackTrace> traces_;  // sorted by serial
  std::vector<uint64_t> trace_frame_ids_;
  std::vector<Frame> frames_;  // sorted by id
};

// "java/lang/String" -> "java.lang.String", "[[I" -> "int[][]",
// "[Ljava/lang/Object;" -> "java.lang.Object[]"; dotted names (Android, agent) pass unchanged.
std::string java_class_name(std::string_view dump_name);

}  // namespace heapscope::hprof
