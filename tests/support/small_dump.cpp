#include "small_dump.h"

#include "hprof_writer.h"

namespace heapscope::testing {
namespace {

// Shallow sizes by MAT's rule (hprof/src/layout.h), worked out by hand per model:
//   instance = align(align(header, ref) + own fields, ref) ..., then align(8)
//   object[] = align(header + 4 + n*ref, 8); primitive[] = align(align(header + 4, ref) + n*e, 8)
struct Sizes {
  uint64_t node, string, chars, ints, objarr, int2d, thread, finalizer, node_class;
};
// 4-byte ids: header 8, ref 4. Node = align(8 + 4+4+8+1 = 25, 4) = 28 -> 32.
constexpr Sizes kSizes4{32, 16, 16, 24, 24, 16, 16, 32, 8};
// 8-byte ids, no compressed oops: header 16, ref 8. Node = align(16 + 8+4+8+1 = 37, 8) = 40.
// Finalizer = Reference(16 + 4*8 = 48) + 2*8 = 64. Node statics: int + ref = 12 -> 16.
constexpr Sizes kSizes8{40, 32, 32, 40, 48, 32, 24, 64, 16};
// 8-byte ids, compressed oops: header 12, ref 4. Node = align(12 + 4+4+8+1 = 29, 4) = 32.
// String = align(12 + 4 + 4, 4) = 20 -> 24. Finalizer = align(28 + 8, 4) = 36 -> 40.
constexpr Sizes kSizes8c{32, 24, 24, 32, 32, 24, 16, 40, 8};

}  // namespace

SmallDump make_small_dump(const SmallDumpOptions& o) {
  SmallDump d;
  const bool ids4 = o.model == RefModel::kIds4;
  d.id_size = ids4 ? 4 : 8;
  const Sizes& s = ids4 ? kSizes4 : o.model == RefModel::kIds8 ? kSizes8 : kSizes8c;
  d.reference_size = o.model == RefModel::kIds8 ? 8 : 4;
  d.compressed_oops = o.model == RefModel::kIds8Compressed;
  d.size_node = s.node;
  d.size_string = s.string;
  d.size_chars = s.chars;
  d.size_ints = s.ints;
  d.size_objarr = s.objarr;
  d.size_int2d = s.int2d;
  d.size_thread = s.thread;
  d.size_finalizer = s.finalizer;
  d.size_node_class = s.node_class;
  d.size_string_class = 8;  // one long static

  // Name ids look like Symbol addresses on 64-bit VMs, small numbers on the hprof agent.
  const uint64_t name_base = ids4 ? 0x1000 : 0x7f1200000000;
  const uint64_t name_step = ids4 ? 1 : 16;
  uint64_t next_name = 0;
  HprofWriter w(d.id_size, o.version);
  auto name = [&](std::string_view text) {
    const uint64_t id = name_base + name_step * ++next_name;
    w.utf8(id, text);
    return id;
  };

  // Classes sit in their own region, 0x100 apart; objects are packed by their shallow sizes so
  // that address gaps imply alignment 8 and, for kIds8Compressed, 4-byte references.
  const uint64_t class_base = ids4 ? 0x01000000 : 0x700000000;
  uint64_t* const classes[] = {
      &d.c_object,     &d.c_class,     &d.c_string,          &d.c_node,
      &d.c_thread,     &d.c_reference, &d.c_final_reference, &d.c_finalizer,
      &d.c_char_array, &d.c_int_array, &d.c_object_array,    &d.c_int_2d};
  const char* const class_names[] = {"java/lang/Object",
                                     "java/lang/Class",
                                     "java/lang/String",
                                     "com/example/Node",
                                     "java/lang/Thread",
                                     "java/lang/ref/Reference",
                                     "java/lang/ref/FinalReference",
                                     "java/lang/ref/Finalizer",
                                     "[C",
                                     "[I",
                                     "[Ljava/lang/Object;",
                                     "[[I"};
  uint32_t serial = 0;
  for (size_t i = 0; i < std::size(classes); ++i) {
    *classes[i] = class_base + 0x100 * i;
    w.load_class(++serial, *classes[i], 1, name(class_names[i]));
  }
  const uint32_t node_serial = 4;
  uint64_t addr = ids4 ? 0x02000000 : 0x710000000;
  auto place = [&](uint64_t& id, uint64_t size) {
    id = addr;
    addr += size;
  };
  place(d.node1, s.node);
  place(d.node2, s.node);
  place(d.str, s.string);
  place(d.chars, s.chars);
  place(d.ints, s.ints);
  place(d.objarr, s.objarr);
  place(d.int2d, s.int2d);
  place(d.thread, s.thread);
  place(d.fin, s.finalizer);

  d.n_value = name("value");
  const uint64_t n_hash = name("hash");
  d.n_next = name("next");
  const uint64_t n_big = name("big");
  const uint64_t n_flag = name("flag");
  const uint64_t n_count = name("COUNT");
  const uint64_t n_root = name("ROOT");
  const uint64_t n_uid = name("serialVersionUID");
  const uint64_t n_name = name("name");
  d.n_referent = name("referent");
  const uint64_t n_queue = name("queue");
  const uint64_t n_discovered = name("discovered");
  d.n_prev = name("prev");
  const uint64_t n_unfinalized = name("unfinalized");
  const uint64_t n_main = name("main");
  const uint64_t n_sig = name("([Ljava/lang/String;)V");
  const uint64_t n_file = name("Main.java");
  name("main-thread");

  const uint64_t frame_id = ids4 ? 0x500 : 0x7f5500000001;
  w.frame(frame_id, n_main, n_sig, n_file, node_serial, 42);
  w.trace(1, 0, {});
  w.trace(2, 1, {frame_id});

  using V = Value;
  auto write_classes = [&] {
    w.class_dump({.id = d.c_object});
    w.class_dump({.id = d.c_class, .super_id = d.c_object});
    w.class_dump({.id = d.c_string,
                  .super_id = d.c_object,
                  .statics = {{n_uid, V::i64(-6849794470754667710)}},
                  .fields = {{d.n_value, type::kObject}, {n_hash, type::kInt}}});
    w.class_dump({.id = d.c_node,
                  .super_id = d.c_object,
                  .statics = {{n_count, V::i32(2)}, {n_root, V::object(d.node1)}},
                  .fields = {{d.n_next, type::kObject},
                             {d.n_value, type::kInt},
                             {n_big, type::kLong},
                             {n_flag, type::kBoolean}}});
    w.class_dump({.id = d.c_thread, .super_id = d.c_object, .fields = {{n_name, type::kObject}}});
    w.class_dump({.id = d.c_reference,
                  .super_id = d.c_object,
                  .fields = {{d.n_referent, type::kObject},
                             {n_queue, type::kObject},
                             {d.n_next, type::kObject},
                             {n_discovered, type::kObject}}});
    w.class_dump({.id = d.c_final_reference, .super_id = d.c_reference});
    // Finalizer.next shadows Reference.next: both are in an instance, Finalizer's first.
    w.class_dump({.id = d.c_finalizer,
                  .super_id = d.c_final_reference,
                  .statics = {{n_unfinalized, V::object(d.fin)}},
                  .fields = {{d.n_next, type::kObject}, {d.n_prev, type::kObject}}});
    for (uint64_t array_class : {d.c_char_array, d.c_int_array, d.c_object_array, d.c_int_2d}) {
      w.class_dump({.id = array_class, .super_id = d.c_object});
    }
  };
  auto write_objects = [&] {
    w.instance_dump(d.node1, d.c_node,
                    {V::object(d.node2), V::i32(SmallDump::kNode1Value),
                     V::i64(SmallDump::kNode1Big), V::boolean(true)});
    w.instance_dump(d.node2, d.c_node,
                    {V::object(0), V::i32(SmallDump::kNode2Value), V::i64(SmallDump::kNode2Big),
                     V::boolean(false)});
    w.instance_dump(d.str, d.c_string, {V::object(d.chars), V::i32(0)});
    w.prim_array_dump(d.chars, type::kChar, {'h', 'i'});
    w.prim_array_dump(d.ints, type::kInt, {1, 2, 3});
    w.obj_array_dump(d.objarr, d.c_object_array, {d.node1, d.str, 0});
    w.obj_array_dump(d.int2d, d.c_int_2d, {d.ints});
    w.instance_dump(d.thread, d.c_thread, {V::object(d.str)});
    // Finalizer: next, prev; then Reference: referent, queue, next, discovered.
    w.instance_dump(d.fin, d.c_finalizer,
                    {V::object(0), V::object(0), V::object(d.node2), V::object(0), V::object(d.fin),
                     V::object(0)});
  };
  auto write_roots = [&] {
    w.root_thread_obj(d.thread, 1, 2);
    w.root_java_frame(d.node1, 1, 0);
    w.root_jni_local(d.str, 1, 0);
    w.root_jni_global(d.objarr, ids4 ? 0xABC : 0x7f00deadbeef);
    w.root_sticky_class(d.c_object);
    w.root_sticky_class(d.c_string);
    w.root_monitor_used(d.fin);
  };

  // One record, or three segments (classes | objects | roots, in the chosen order).
  auto open = [&] {
    if (o.segments) w.begin_segment();
  };
  if (!o.segments) w.begin_heap_dump();
  if (o.roots_first) open(), write_roots();
  if (o.instances_before_classes) {
    open(), write_objects();
    open(), write_classes();
  } else {
    open(), write_classes();
    open(), write_objects();
  }
  if (!o.roots_first) open(), write_roots();
  if (o.segments) {
    w.heap_dump_end();
  } else {
    w.end_record();
  }
  d.bytes = w.bytes();
  return d;
}

}  // namespace heapscope::testing
