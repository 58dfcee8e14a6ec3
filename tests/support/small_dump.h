// One small, fully known heap dump in several shapes (id size, segments, record order,
// compressed-oops addresses), built with HprofWriter. Tests assert exact counts and sizes
// against the hand-computed numbers below; the fuzzer uses it as a seed.
//
// Content: 12 classes (Object, Class, String, Node, Thread, Reference, FinalReference,
// Finalizer, [C, [I, [Ljava/lang/Object;, [[I), 5 instances (node1 -> node2, str, thread, fin),
// 2 object arrays (objarr = {node1, str, null}, int2d = {ints}), 2 primitive arrays
// (chars = "hi", ints = {1, 2, 3}), 7 GC roots, 1 thread with a one-frame trace.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace heapscope::testing {

enum class RefModel {
  kIds4,            // 32-bit VM: 4-byte ids, header 8, references 4
  kIds8,            // 64-bit VM without compressed oops: header 16, references 8
  kIds8Compressed,  // 64-bit VM with compressed oops: 8-byte ids, header 12, references 4
};

struct SmallDumpOptions {
  RefModel model = RefModel::kIds8;
  bool segments = false;                  // HEAP_DUMP_SEGMENTs + HEAP_DUMP_END, not one HEAP_DUMP
  bool instances_before_classes = false;  // like the hprof agent and Android
  bool roots_first = false;               // like JDK 21+ (HotSpot <= 17 writes roots last)
  std::string_view version = "JAVA PROFILE 1.0.2";
};

// Ids of everything in the dump and the shallow sizes MAT's rule gives them (hand-computed).
struct SmallDump {
  std::vector<uint8_t> bytes;
  uint32_t id_size = 8;

  // classes
  uint64_t c_object = 0, c_class = 0, c_string = 0, c_node = 0, c_thread = 0, c_reference = 0,
           c_final_reference = 0, c_finalizer = 0, c_char_array = 0, c_int_array = 0,
           c_object_array = 0, c_int_2d = 0;
  // objects
  uint64_t node1 = 0, node2 = 0, str = 0, chars = 0, ints = 0, objarr = 0, int2d = 0, thread = 0,
           fin = 0;
  // names (UTF8 ids) used in field lookups
  uint64_t n_next = 0, n_value = 0, n_prev = 0, n_referent = 0;

  // MAT shallow sizes
  uint64_t size_node = 0, size_string = 0, size_chars = 0, size_ints = 0, size_objarr = 0,
           size_int2d = 0, size_thread = 0, size_finalizer = 0, size_node_class = 0,
           size_string_class = 0;
  uint32_t reference_size = 8;
  bool compressed_oops = false;

  // Values written into the instances.
  static constexpr int32_t kNode1Value = 1, kNode2Value = 2;
  static constexpr int64_t kNode1Big = 0x1122334455667788;
  static constexpr int64_t kNode2Big = -1;

  // Counts
  static constexpr uint32_t kClasses = 12, kInstances = 5, kObjectArrays = 2, kPrimitiveArrays = 2,
                            kObjects = 21, kRoots = 7, kUtf8 = 30, kTraces = 2, kFrames = 1,
                            kThreads = 1;
};

SmallDump make_small_dump(const SmallDumpOptions& options = {});

}  // namespace heapscope::testing
