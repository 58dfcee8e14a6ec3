#include "cache_test_support.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>

#include "heapscope/analysis/render.h"
#include "heapscope/analysis/report_builder.h"
#include "heapscope/hprof/cache_file.h"

namespace heapscope::itest {

ScratchDir::ScratchDir() {
  static std::atomic<int> serial{0};
  // tmpfs when there is one: the damage tests write thousands of small files.
  std::error_code ec;
  const auto base = std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0
                        ? std::filesystem::path("/dev/shm")
                        : std::filesystem::temp_directory_path();
  path_ = base / ("heapscope-cache-test-" + std::to_string(::getpid()) + "-" +
                  std::to_string(serial.fetch_add(1)));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

size_t ScratchDir::count_files(const std::filesystem::path& dir) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

std::filesystem::path ScratchDir::only_file() const {
  std::filesystem::path found;
  for (const auto& e : std::filesystem::directory_iterator(path_)) {
    if (!e.is_regular_file()) continue;
    EXPECT_TRUE(found.empty()) << "more than one file in " << path_;
    found = e.path();
  }
  EXPECT_FALSE(found.empty()) << "no file in " << path_;
  return found;
}

CachedOpen open_with_cache(const std::filesystem::path& dump,
                           const std::filesystem::path& cache_dir, EdgeFilter filter,
                           uint32_t threads) {
  CachedOpen o;
  analysis::HeapOptions ho;
  ho.cache_dir = cache_dir;
  ho.index.threads = threads;
  auto heap = analysis::Heap::open(dump, ho);
  if (!heap) {
    o.error = dump.string() + ": " + heap.error().describe();
    return o;
  }
  o.heap = std::make_unique<analysis::Heap>(std::move(heap).value());
  analysis::EngineOptions eo;
  eo.filter = filter;
  eo.cache_dir = cache_dir;
  eo.threads = threads;
  auto engine = analysis::Engine::build(*o.heap, eo);
  if (!engine) {
    o.error = dump.string() + ": engine: " + engine.error().describe();
    return o;
  }
  o.engine = std::make_unique<analysis::Engine>(std::move(engine).value());
  return o;
}

namespace {

// The first index where two sequences differ, or -1; one EXPECT per table, not per element.
template <typename F>
int64_t first_difference(uint64_t n, F differs) {
  for (uint64_t i = 0; i < n; ++i) {
    if (differs(i)) return static_cast<int64_t>(i);
  }
  return -1;
}

void expect_same_class(const hprof::ClassInfo& x, const hprof::ClassInfo& y, uint32_t c) {
  SCOPED_TRACE("class " + std::to_string(c) + " " + x.name);
  EXPECT_EQ(x.id, y.id);
  EXPECT_EQ(x.super_id, y.super_id);
  EXPECT_EQ(x.loader_id, y.loader_id);
  EXPECT_EQ(x.name_id, y.name_id);
  EXPECT_EQ(x.name, y.name);
  EXPECT_EQ(x.super, y.super);
  EXPECT_EQ(x.object, y.object);
  EXPECT_EQ(x.instance_size_in_dump, y.instance_size_in_dump);
  EXPECT_EQ(x.instance_data_size, y.instance_data_size);
  EXPECT_EQ(x.shallow_instance_size, y.shallow_instance_size);
  EXPECT_EQ(x.array_element_type, y.array_element_type);
  EXPECT_EQ(x.synthetic, y.synthetic);
  ASSERT_EQ(x.fields.size(), y.fields.size());
  for (size_t i = 0; i < x.fields.size(); ++i) {
    EXPECT_EQ(x.fields[i].name_id, y.fields[i].name_id);
    EXPECT_EQ(x.fields[i].type, y.fields[i].type);
  }
  ASSERT_EQ(x.statics.size(), y.statics.size());
  for (size_t i = 0; i < x.statics.size(); ++i) {
    EXPECT_EQ(x.statics[i].name_id, y.statics[i].name_id);
    EXPECT_EQ(x.statics[i].type, y.statics[i].type);
    EXPECT_EQ(x.statics[i].value, y.statics[i].value);
  }
}

}  // namespace

void expect_same_index(const hprof::Index& a, const hprof::Index& b) {
  ASSERT_EQ(a.object_count(), b.object_count());
  const uint32_t n = a.object_count();
  EXPECT_EQ(a.layout().id_size, b.layout().id_size);
  EXPECT_EQ(a.layout().reference_size, b.layout().reference_size);
  EXPECT_EQ(a.layout().object_alignment, b.layout().object_alignment);
  EXPECT_EQ(a.layout().compressed_oops, b.layout().compressed_oops);
  const auto &sa = a.stats(), &sb = b.stats();
  EXPECT_EQ(sa.bytes_total, sb.bytes_total);
  EXPECT_EQ(sa.bytes_used, sb.bytes_used);
  EXPECT_EQ(sa.unknown_records, sb.unknown_records);
  EXPECT_EQ(sa.unknown_sub_records, sb.unknown_sub_records);
  EXPECT_EQ(sa.skipped_bytes, sb.skipped_bytes);
  EXPECT_EQ(sa.dangling_references, sb.dangling_references);
  EXPECT_EQ(sa.duplicate_objects, sb.duplicate_objects);
  EXPECT_EQ(sa.field_size_mismatches, sb.field_size_mismatches);
  EXPECT_EQ(sa.missing_classes, sb.missing_classes);
  EXPECT_EQ(sa.truncated, sb.truncated);
  EXPECT_EQ(sa.heap_dumps_in_file, sb.heap_dumps_in_file);
  EXPECT_EQ(sa.warnings, sb.warnings);
  EXPECT_EQ(a.record_counts(), b.record_counts());
  EXPECT_EQ(a.sub_record_counts(), b.sub_record_counts());
  EXPECT_EQ(a.instance_count(), b.instance_count());
  EXPECT_EQ(a.object_array_count(), b.object_array_count());
  EXPECT_EQ(a.primitive_array_count(), b.primitive_array_count());

  EXPECT_EQ(first_difference(n,
                             [&](uint64_t o) {
                               return a.object_id(o) != b.object_id(o) ||
                                      a.offset(o) != b.offset(o) || a.kind(o) != b.kind(o) ||
                                      a.class_of(o) != b.class_of(o) ||
                                      a.length(o) != b.length(o) ||
                                      a.shallow_size(o) != b.shallow_size(o);
                             }),
            -1)
      << "objects";
  EXPECT_EQ(first_difference(n,
                             [&](uint64_t o) {
                               const uint64_t id = a.object_id(o);
                               return b.find(id) != o || a.find(id + 1) != b.find(id + 1) ||
                                      a.find(id - 1) != b.find(id - 1);
                             }),
            -1)
      << "find()";

  ASSERT_EQ(a.class_count(), b.class_count());
  EXPECT_EQ(a.class_class(), b.class_class());
  for (uint32_t c = 0; c < a.class_count(); ++c) {
    const auto &x = a.class_info(c), &y = b.class_info(c);
    expect_same_class(x, y, c);
    EXPECT_EQ(a.find_class(x.id), b.find_class(x.id));
    EXPECT_EQ(a.find_classes_by_name(x.name), b.find_classes_by_name(x.name));
    EXPECT_EQ(a.utf8(x.name_id), b.utf8(x.name_id));
    for (const auto& f : x.fields) EXPECT_EQ(a.utf8(f.name_id), b.utf8(f.name_id));
    for (const auto& f : x.statics) EXPECT_EQ(a.utf8(f.name_id), b.utf8(f.name_id));
  }

  ASSERT_EQ(a.roots().size(), b.roots().size());
  for (size_t i = 0; i < a.roots().size(); ++i) {
    const auto &x = a.roots()[i], &y = b.roots()[i];
    EXPECT_TRUE(x.object_id == y.object_id && x.object == y.object && x.kind == y.kind &&
                x.thread_serial == y.thread_serial && x.frame == y.frame)
        << "root " << i;
  }
  ASSERT_EQ(a.threads().size(), b.threads().size());
  for (size_t i = 0; i < a.threads().size(); ++i) {
    const auto &x = a.threads()[i], &y = b.threads()[i];
    EXPECT_TRUE(x.object_id == y.object_id && x.object == y.object && x.serial == y.serial &&
                x.trace_serial == y.trace_serial)
        << "thread " << i;
  }
  ASSERT_EQ(a.traces().size(), b.traces().size());
  for (size_t i = 0; i < a.traces().size(); ++i) {
    const auto &x = a.traces()[i], &y = b.traces()[i];
    EXPECT_TRUE(x.serial == y.serial && x.thread_serial == y.thread_serial &&
                x.first_frame == y.first_frame && x.frame_count == y.frame_count)
        << "trace " << i;
    EXPECT_EQ(b.find_trace(x.serial), &y);
  }
  ASSERT_EQ(a.trace_frame_ids().size(), b.trace_frame_ids().size());
  for (size_t i = 0; i < a.trace_frame_ids().size(); ++i) {
    const uint64_t id = a.trace_frame_ids()[i];
    ASSERT_EQ(id, b.trace_frame_ids()[i]);
    const hprof::Frame *x = a.find_frame(id), *y = b.find_frame(id);
    ASSERT_EQ(x == nullptr, y == nullptr);
    if (!x) continue;
    EXPECT_TRUE(x->id == y->id && x->method_name_id == y->method_name_id &&
                x->signature_id == y->signature_id && x->source_file_id == y->source_file_id &&
                x->class_serial == y->class_serial && x->line == y->line)
        << "frame " << id;
    EXPECT_EQ(a.utf8(x->method_name_id), b.utf8(y->method_name_id));
    EXPECT_EQ(a.class_name_by_serial(x->class_serial), b.class_name_by_serial(y->class_serial));
  }
}

void expect_same_engine(const analysis::Engine& a, const analysis::Engine& b) {
  const auto &ga = a.graph(), &gb = b.graph();
  ASSERT_EQ(ga.node_count(), gb.node_count());
  ASSERT_EQ(ga.edge_count(), gb.edge_count());
  EXPECT_EQ(ga.dangling_references(), gb.dangling_references());
  const uint32_t n = ga.node_count();
  EXPECT_EQ(first_difference(n,
                             [&](uint64_t v) {
                               return ga.edge_begin(v) != gb.edge_begin(v) ||
                                      ga.edge_end(v) != gb.edge_end(v);
                             }),
            -1)
      << "edge ranges";
  EXPECT_EQ(first_difference(ga.edge_count(),
                             [&](uint64_t e) {
                               return ga.target(e) != gb.target(e) ||
                                      ga.is_referent(e) != gb.is_referent(e);
                             }),
            -1)
      << "edges";
  const auto &ta = a.tree(), &tb = b.tree();
  EXPECT_EQ(ta.filter(), tb.filter());
  EXPECT_EQ(ta.root(), tb.root());
  ASSERT_EQ(ta.reachable_count(), tb.reachable_count());
  EXPECT_EQ(first_difference(n, [&](uint64_t v) { return ta.idom(v) != tb.idom(v); }), -1)
      << "idom";
  EXPECT_EQ(first_difference(ta.reachable_count(),
                             [&](uint64_t i) { return ta.preorder()[i] != tb.preorder()[i]; }),
            -1)
      << "preorder";
  const auto &ra = a.retained(), &rb = b.retained();
  ASSERT_EQ(ra.bytes.size(), rb.bytes.size());
  ASSERT_EQ(ra.count.size(), rb.count.size());
  EXPECT_EQ(
      first_difference(
          n, [&](uint64_t v) { return ra.bytes[v] != rb.bytes[v] || ra.count[v] != rb.count[v]; }),
      -1)
      << "retained";
  for (uint32_t c = 0; c < a.index().class_count(); ++c) {
    EXPECT_EQ(a.layouts().reference_offsets(c).size(), b.layouts().reference_offsets(c).size());
  }
}

std::string fingerprint(const analysis::Heap& heap, const analysis::Engine& engine) {
  const auto& index = heap.index();
  std::vector<uint64_t> v;
  for (uint32_t o = 0; o < index.object_count(); ++o) {
    v.push_back(index.object_id(o) ^ (uint64_t{index.class_of(o)} << 40));
    v.push_back(index.offset(o) ^ (uint64_t{index.length(o)} << 32));
  }
  for (const auto& c : index.classes()) v.push_back(c.id ^ c.shallow_instance_size);
  for (const auto& r : index.roots()) v.push_back(r.object_id ^ r.kind);
  const auto& g = engine.graph();
  for (uint32_t n = 0; n < g.node_count(); ++n) {
    v.push_back(g.edge_end(n));
    v.push_back(engine.tree().idom(n));
    v.push_back(engine.retained().bytes[n] ^ (uint64_t{engine.retained().count[n]} << 40));
  }
  for (uint64_t e = 0; e < g.edge_count(); ++e) v.push_back(g.target(e) ^ g.is_referent(e));
  const uint64_t h =
      hprof::hash_bytes({reinterpret_cast<const uint8_t*>(v.data()), v.size() * sizeof(uint64_t)});
  return std::to_string(v.size()) + ":" + std::to_string(h);
}

std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

std::string report_json(const analysis::Heap& heap, const analysis::Engine& engine,
                        const std::string& path) {
  analysis::ReportOptions ro;
  ro.dump_path = path;
  return analysis::render_json(analysis::build_report(heap, engine, ro));
}

}  // namespace heapscope::itest
