// The analyzers' results beside the dump's cache file (DIR/<name>.hscache.analyzers): one
// section, encoded field by field, under the same key as the index cache. Anything wrong with
// the file makes load_cached_machinery return nothing: the caller runs the analyzers again.
#include <optional>

#include "heapscope/analysis/report_builder.h"
#include "heapscope/hprof/cache_file.h"

namespace heapscope::analysis {
namespace {

constexpr uint32_t kSection = 0x300;
constexpr uint32_t kEncoding = 3;  // bump with any change to what is written below

std::filesystem::path file_for(const Heap& heap, const std::filesystem::path& dir) {
  auto path = hprof::cache_file_path(dir, heap.dump(), heap.cache_key()->heap_dump_number);
  path += ".analyzers";
  return path;
}

void put_optional(hprof::ByteWriter& w, const std::optional<int64_t>& v) {
  w.put<uint8_t>(v.has_value());
  w.put<int64_t>(v.value_or(0));
}
std::optional<int64_t> get_optional(hprof::ByteReader& r) {
  const bool has = r.get<uint8_t>() != 0;
  const auto v = r.get<int64_t>();
  return has ? std::optional<int64_t>(v) : std::nullopt;
}
void put_bool(hprof::ByteWriter& w, const std::optional<bool>& v) {
  w.put<uint8_t>(v ? (*v ? 2 : 1) : 0);
}
std::optional<bool> get_bool(hprof::ByteReader& r) {
  const auto v = r.get<uint8_t>();
  return v == 0 ? std::nullopt : std::optional<bool>(v == 2);
}
void put_classes(hprof::ByteWriter& w, const std::vector<ClassCount>& rows) {
  w.put<uint64_t>(rows.size());
  for (const auto& c : rows) {
    w.put_string(c.klass);
    w.put(c.count);
    w.put(c.bytes);
  }
}

bool get_classes(hprof::ByteReader& r, std::span<const uint8_t> bytes,
                 std::vector<ClassCount>& rows) {
  // Every item takes at least one byte: a count beyond the section's size is damage (and no
  // allocation follows from a flipped count).
  const uint64_t n = r.get<uint64_t>();
  if (n > bytes.size()) return false;
  rows.resize(n);
  for (auto& c : rows) {
    c.klass = r.get_string();
    c.count = r.get<uint64_t>();
    c.bytes = r.get<uint64_t>();
  }
  return r.ok();
}

std::vector<uint8_t> encode(const MachineryReport& m) {
  hprof::ByteWriter w;
  w.put(kEncoding);
  const auto& f = m.finalizer;
  w.put<uint8_t>(f.machinery_present);
  w.put<uint8_t>(f.enabled);
  for (uint64_t v :
       {f.registered, f.pending, f.being_finalized, f.finalized_not_collected, f.longest_chain,
        f.held_only_count, f.held_only_bytes, f.bookkeeping_count, f.bookkeeping_bytes})
    w.put(v);
  put_optional(w, f.queue_length_field);
  const auto& t = f.thread;
  w.put<uint8_t>(t.present);
  for (const auto* s : {&t.name, &t.state, &t.verdict, &t.finalize_class, &t.blocked_on})
    w.put_string(*s);
  w.put(t.object_id);
  w.put<uint64_t>(t.frames.size());
  for (const auto& s : t.frames) w.put_string(s);
  const auto& wd = f.watchdog;
  w.put<uint8_t>(wd.present);
  for (const auto* s : {&wd.thread_name, &wd.thread_state, &wd.watched_class, &wd.verdict})
    w.put_string(*s);
  w.put(wd.thread_object_id);
  w.put(wd.watched_object_id);
  w.put<uint64_t>(f.by_class.size());
  for (const auto& c : f.by_class) {
    w.put_string(c.klass);
    for (uint64_t v : {c.registered, c.pending, c.being_finalized, c.finalized_not_collected,
                       c.shallow_bytes, c.held_only_count, c.held_only_bytes})
      w.put(v);
  }
  w.put<uint64_t>(m.timers.size());
  for (const auto& q : m.timers) {
    for (const auto* s : {&q.kind, &q.klass, &q.thread_name, &q.head_state, &q.library})
      w.put_string(*s);
    for (uint64_t v : {q.object_id, q.queue_id, q.queue_size, q.capacity, q.tasks.virgin,
                       q.tasks.scheduled, q.tasks.executed, q.tasks.cancelled, q.tasks.unknown,
                       q.held_only_count, q.held_only_bytes})
      w.put(v);
    w.put<uint8_t>(q.alive);
    put_bool(w, q.new_tasks_may_be_scheduled);
    put_bool(w, q.remove_on_cancel);
    put_optional(w, q.head_fires_in_ms);
    put_optional(w, q.last_cancelled_leaves_in_ms);
    put_classes(w, q.task_classes);
    put_classes(w, q.held_only_by_class);
  }
  return w.take();
}

std::optional<MachineryReport> decode(std::span<const uint8_t> bytes) {
  hprof::ByteReader r(bytes);
  if (r.get<uint32_t>() != kEncoding) return std::nullopt;
  MachineryReport m;
  auto& f = m.finalizer;
  f.machinery_present = r.get<uint8_t>() != 0;
  f.enabled = r.get<uint8_t>() != 0;
  for (uint64_t* v :
       {&f.registered, &f.pending, &f.being_finalized, &f.finalized_not_collected, &f.longest_chain,
        &f.held_only_count, &f.held_only_bytes, &f.bookkeeping_count, &f.bookkeeping_bytes})
    *v = r.get<uint64_t>();
  f.queue_length_field = get_optional(r);
  auto& t = f.thread;
  t.present = r.get<uint8_t>() != 0;
  for (auto* s : {&t.name, &t.state, &t.verdict, &t.finalize_class, &t.blocked_on})
    *s = r.get_string();
  t.object_id = r.get<uint64_t>();
  uint64_t n = r.get<uint64_t>();
  if (n > bytes.size()) return std::nullopt;
  for (uint64_t i = 0; i < n && r.ok(); ++i) t.frames.push_back(r.get_string());
  auto& wd = f.watchdog;
  wd.present = r.get<uint8_t>() != 0;
  for (auto* s : {&wd.thread_name, &wd.thread_state, &wd.watched_class, &wd.verdict})
    *s = r.get_string();
  wd.thread_object_id = r.get<uint64_t>();
  wd.watched_object_id = r.get<uint64_t>();
  n = r.get<uint64_t>();
  if (n > bytes.size()) return std::nullopt;
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    auto& c = f.by_class.emplace_back();
    c.klass = r.get_string();
    for (uint64_t* v : {&c.registered, &c.pending, &c.being_finalized, &c.finalized_not_collected,
                        &c.shallow_bytes, &c.held_only_count, &c.held_only_bytes})
      *v = r.get<uint64_t>();
  }
  n = r.get<uint64_t>();
  if (n > bytes.size()) return std::nullopt;
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    auto& q = m.timers.emplace_back();
    for (auto* s : {&q.kind, &q.klass, &q.thread_name, &q.head_state, &q.library})
      *s = r.get_string();
    for (uint64_t* v : {&q.object_id, &q.queue_id, &q.queue_size, &q.capacity, &q.tasks.virgin,
                        &q.tasks.scheduled, &q.tasks.executed, &q.tasks.cancelled, &q.tasks.unknown,
                        &q.held_only_count, &q.held_only_bytes})
      *v = r.get<uint64_t>();
    q.alive = r.get<uint8_t>() != 0;
    q.new_tasks_may_be_scheduled = get_bool(r);
    q.remove_on_cancel = get_bool(r);
    q.head_fires_in_ms = get_optional(r);
    q.last_cancelled_leaves_in_ms = get_optional(r);
    if (!get_classes(r, bytes, q.task_classes) || !get_classes(r, bytes, q.held_only_by_class))
      return std::nullopt;
  }
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return m;
}

}  // namespace

std::optional<MachineryReport> load_cached_machinery(const Heap& heap,
                                                     const std::filesystem::path& cache_dir) {
  if (cache_dir.empty() || !heap.cache_key()) return std::nullopt;
  auto file = hprof::CacheReader::open(file_for(heap, cache_dir), *heap.cache_key());
  if (!file || !file->has(kSection)) return std::nullopt;
  auto bytes = file->read(kSection);
  if (!bytes) return std::nullopt;
  return decode(*bytes);
}

MachineryReport machinery_with_cache(const Heap& heap, const Engine& engine,
                                     const std::filesystem::path& cache_dir,
                                     const hprof::Progress* progress) {
  if (auto cached = load_cached_machinery(heap, cache_dir)) return std::move(*cached);
  // Beside the dominator tree one thread is free; after a cache load, both are.
  auto computed = analyze_machinery(engine, heap.dump().header().timestamp_ms,
                                    engine.cache_use().loaded ? 2 : 1, progress);
  if (!(progress && progress->cancelled())) save_cached_machinery(heap, cache_dir, computed);
  return computed;
}

bool save_cached_machinery(const Heap& heap, const std::filesystem::path& cache_dir,
                           const MachineryReport& machinery) {
  if (cache_dir.empty() || !heap.cache_key()) return false;
  hprof::CacheWriter writer(*heap.cache_key(), 1);
  writer.add(kSection, encode(machinery));
  return writer.write(file_for(heap, cache_dir)).ok();
}

}  // namespace heapscope::analysis
