// Writes the hand-built fuzzing seeds (the small reference dump in several shapes, an Android
// dump, and a few damaged ones) into a directory: `hprof_seed_writer DIR`.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "hprof_writer.h"
#include "small_dump.h"

using namespace heapscope::testing;

namespace {

void write(const std::filesystem::path& dir, const std::string& name,
           const std::vector<uint8_t>& bytes) {
  std::ofstream out(dir / name, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

std::vector<uint8_t> android() {
  HprofWriter w(4, "JAVA PROFILE 1.0.3");
  w.utf8(0x400001, "java.lang.Object").utf8(0x400002, "com.example.Leak").utf8(0x400003, "app");
  w.utf8(0x400004, "count").load_class(1, 0x70000000, 0, 0x400001);
  w.load_class(2, 0x70000100, 0, 0x400002).trace(0xFFFFFFFF, 0, {});
  w.begin_segment().heap_dump_info('A', 0x400003);
  w.root_interned_string(0x12C00010).root_finalizing(0x12C00020).root_debugger(0x12C00020);
  w.root_reference_cleanup(0x12C00020).root_vm_internal(0x70000000);
  w.root_jni_monitor(0x12C00020, 1, 0xFFFFFFFF).unreachable(0x12C00030);
  w.root_thread_obj(0x12C00020, 1, 0xFFFFFFFF).root_java_frame(0x12C00020, 1, 0xFFFFFFFF);
  w.instance_dump(0x12C00020, 0x70000100, {Value::i32(7)});
  w.prim_array_nodata(0x12C00050, 0, 1000, type::kByte);
  w.begin_segment().heap_dump_info('Z', 0x400003);
  w.class_dump({.id = 0x70000000, .instance_size = 8});
  w.class_dump({.id = 0x70000100, .super_id = 0x70000000, .fields = {{0x400004, type::kInt}}});
  w.prim_array_dump(0x12C00060, type::kByte, {1, 2, 3});
  w.root_unknown(1).root_native_stack(0x12C00020, 1).root_thread_block(0x12C00020, 1);
  w.heap_dump_end();
  return w.bytes();
}

// Two heap dumps in one file, like the hprof agent's.
std::vector<uint8_t> two_dumps() {
  HprofWriter w(4, "JAVA PROFILE 1.0.2");
  w.utf8(1, "java/lang/Object").load_class(1, 0x100, 1, 1);
  for (int d = 0; d < 2; ++d) {
    w.begin_segment().class_dump({.id = 0x100});
    w.instance_dump(0x1000 + 8 * d, 0x100, {}).root_sticky_class(0x100);
    w.heap_dump_end();
  }
  return w.bytes();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  int k = 0;
  for (auto model : {RefModel::kIds4, RefModel::kIds8, RefModel::kIds8Compressed}) {
    for (bool segments : {false, true}) {
      const auto d = make_small_dump({.model = model,
                                      .segments = segments,
                                      .instances_before_classes = (k & 1) != 0,
                                      .roots_first = (k & 2) != 0});
      write(dir, "small-" + std::to_string(k++) + ".hprof", d.bytes);
    }
  }
  write(dir, "android.hprof", android());
  write(dir, "two-dumps.hprof", two_dumps());
  // A HEAP_DUMP whose length was never patched (0: read to the end).
  HprofWriter w(8, "JAVA PROFILE 1.0.1");
  w.utf8(1, "java/lang/Object").utf8(2, "[J").load_class(1, 0x100, 1, 1).load_class(2, 0x200, 1, 2);
  w.begin_heap_dump().class_dump({.id = 0x100}).class_dump({.id = 0x200, .super_id = 0x100});
  w.prim_array_dump(0x1000, type::kLong, {1, 2}).obj_array_dump(0x1020, 0x200, {0x1000});
  w.end_record(0);
  write(dir, "heap-dump-length-zero.hprof", w.bytes());
  return 0;
}
