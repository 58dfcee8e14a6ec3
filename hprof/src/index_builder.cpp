// Index::build: runs the passes of index_builder.h and assembles the tables.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "be.h"
#include "heapscope/hprof/index.h"
#include "heapscope/hprof/spill.h"
#include "heapscope/hprof/tags.h"
#include "index_builder.h"
#include "layout.h"
#include "scan_records.h"

namespace heapscope::hprof {

class IndexBuilder {
 public:
  IndexBuilder(const Dump& dump, const IndexOptions& options)
      : dump_(dump),
        options_(options),
        progress_(options.progress ? *options.progress : null_progress()) {}

  Result<Index> build();

 private:
  void scan_heap_parallel(const std::vector<detail::Segment>& segments);
  Status merge_objects();
  void merge_classes();
  std::vector<ClassIndex> slot_map(const detail::HeapPart& part);
  ClassIndex add_synthetic_class(std::string name, uint8_t element_type);
  Status resolve_hierarchy();
  void resolve_roots_and_threads();
  void check_instance_lengths();
  void merge_anomalies(const detail::Anomalies& a);
  unsigned scan_threads() const {
    const unsigned t = options_.threads ? options_.threads : std::thread::hardware_concurrency();
    return std::max(1u, std::min(t, 64u));
  }

  const Dump& dump_;
  IndexOptions options_;
  Progress& progress_;
  Index index_;
  // The ids and the locations (kind << 62 | offset) at 8 bytes each while the scan writes them
  // and the sort orders them; the index keeps them at ~2 (AscendingTable, LocationTable) from
  // then on.
  detail::FlatArray<uint64_t> ids_;
  detail::FlatArray<uint64_t> locs_;
  detail::FlatArray<uint32_t> object_classes_;  // per object, until the index takes them in 2 bytes
  detail::FlatArray<uint32_t> lengths_;
  std::vector<detail::HeapPart> parts_;
  std::vector<uint64_t> class_offsets_;  // CLASS_DUMP offset per class, for error messages
};

namespace {

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

// Contiguous groups of segments of about equal bytes, one per thread.
std::vector<std::span<const detail::Segment>> partition(const std::vector<detail::Segment>& segs,
                                                        unsigned groups) {
  uint64_t total = 0;
  for (const auto& s : segs) total += s.end - s.begin;
  std::vector<std::span<const detail::Segment>> out;
  size_t start = 0;
  uint64_t acc = 0;
  for (size_t i = 0; i < segs.size(); ++i) {
    acc += segs[i].end - segs[i].begin;
    if (out.size() + 1 < groups && acc * groups >= total * (out.size() + 1)) {
      out.emplace_back(segs.data() + start, i + 1 - start);
      start = i + 1;
    }
  }
  if (start < segs.size()) out.emplace_back(segs.data() + start, segs.size() - start);
  return out;
}

}  // namespace

void IndexBuilder::merge_anomalies(const detail::Anomalies& a) {
  auto& s = index_.stats_;
  s.unknown_records += a.unknown_records;
  s.unknown_sub_records += a.unknown_sub_records;
  s.skipped_bytes += a.skipped_bytes;
  s.truncated = s.truncated || a.truncated;
  for (const auto& w : a.warnings) {
    if (s.warnings.size() < 50) s.warnings.push_back(w);
  }
}

void IndexBuilder::scan_heap_parallel(const std::vector<detail::Segment>& segments) {
  auto groups = partition(segments, scan_threads());
  parts_.resize(std::max<size_t>(groups.size(), 1));
  uint64_t heap_bytes = 0;
  for (const auto& s : segments) heap_bytes += s.end - s.begin;

  // Each group writes into its own window of the object tables; windows are compacted after.
  size_t capacity = 0;
  std::vector<size_t> base(groups.size());
  for (size_t g = 0; g < groups.size(); ++g) {
    uint64_t bytes = 0;
    for (const auto& s : groups[g]) bytes += s.end - s.begin;
    base[g] = capacity;
    capacity += bytes / detail::kMinObjectRecord + 1;
  }
  ids_.reserve(capacity);
  locs_.reserve(capacity);
  object_classes_.reserve(capacity);
  lengths_.reserve(capacity);
  for (size_t g = 0; g < groups.size(); ++g) {
    auto& w = parts_[g].objects;
    w.ids = ids_.data() + base[g];
    w.locs = locs_.data() + base[g];
    w.slots = object_classes_.data() + base[g];
    w.lengths = lengths_.data() + base[g];
    w.capacity = (g + 1 < groups.size() ? base[g + 1] : capacity) - base[g];
  }

  progress_.begin("index objects", heap_bytes);
  std::atomic<uint64_t> scanned{0};
  std::vector<std::thread> workers;
  for (size_t g = 1; g < groups.size(); ++g) {
    workers.emplace_back([&, g] {
      detail::ScanProgress sp{&scanned, &progress_, false, 0};
      detail::scan_heap(dump_.bytes(), index_.layout_.id_size, groups[g], &dump_,
                        options_.release_pages, sp, parts_[g]);
    });
  }
  if (!groups.empty()) {
    detail::ScanProgress sp{&scanned, &progress_, true, 0};
    detail::scan_heap(dump_.bytes(), index_.layout_.id_size, groups[0], &dump_,
                      options_.release_pages, sp, parts_[0]);
  }
  for (auto& w : workers) w.join();
  progress_.advance(heap_bytes);
}

ClassIndex IndexBuilder::add_synthetic_class(std::string name, uint8_t element_type) {
  ClassInfo c;
  c.name = std::move(name);
  c.synthetic = true;
  c.array_element_type = element_type;
  index_.classes_.push_back(std::move(c));
  class_offsets_.push_back(0);
  return static_cast<ClassIndex>(index_.classes_.size() - 1);
}

void IndexBuilder::merge_classes() {
  // Class names come from LOAD_CLASS (several serials may name one class id).
  std::unordered_map<uint64_t, uint64_t> name_of;
  for (const auto& l : index_.loaded_) name_of.emplace(l.class_id, l.name_id);
  for (auto& part : parts_) {
    for (auto& rc : part.classes) {
      if (auto it = name_of.find(rc.info.id); it != name_of.end()) rc.info.name_id = it->second;
      rc.info.name = rc.info.name_id ? java_class_name(index_.utf8(rc.info.name_id))
                                     : "unknown-class-" + hex(rc.info.id);
      index_.classes_.push_back(std::move(rc.info));
      class_offsets_.push_back(rc.offset);
    }
    part.classes.clear();
    part.classes.shrink_to_fit();
  }
  // Array element types from the names ("int[]" -> 10, "x.Y[]" -> 2).
  for (auto& c : index_.classes_) {
    if (c.name.size() > 2 && c.name.ends_with("[]")) {
      std::string_view elem(c.name.data(), c.name.size() - 2);
      c.array_element_type = 2;
      static constexpr std::pair<std::string_view, uint8_t> kPrims[] = {
          {"boolean", 4}, {"char", 5},  {"float", 6}, {"double", 7},
          {"byte", 8},    {"short", 9}, {"int", 10},  {"long", 11}};
      for (auto [n, t] : kPrims) {
        if (elem == n) c.array_element_type = t;
      }
    }
  }
  index_.class_by_id_.reserve(index_.classes_.size());
  for (ClassIndex i = 0; i < index_.classes_.size(); ++i) {
    index_.class_by_id_.emplace_back(index_.classes_[i].id, i);
  }
  std::stable_sort(index_.class_by_id_.begin(), index_.class_by_id_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  // A class dumped twice: the first CLASS_DUMP wins.
  auto last = std::unique(index_.class_by_id_.begin(), index_.class_by_id_.end(),
                          [](const auto& a, const auto& b) { return a.first == b.first; });
  index_.class_by_id_.erase(last, index_.class_by_id_.end());
  auto by_name = [&](std::string_view n) {
    auto v = index_.find_classes_by_name(n);
    return v.empty() ? kNoClass : v.front();
  };
  index_.class_class_ = by_name("java.lang.Class");
}

// Maps a scanning thread's local class slots to class indices, inventing classes the dump
// references but never describes.
std::vector<ClassIndex> IndexBuilder::slot_map(const detail::HeapPart& part) {
  using detail::ClassSlots;
  std::vector<ClassIndex> map(ClassSlots::kFirstIdSlot + part.class_slots.ids().size(), kNoClass);
  for (uint8_t t = 4; t <= 11; ++t) {
    std::string name = std::string(basic_type_name(t)) + "[]";
    auto found = index_.find_classes_by_name(name);
    map[t] = found.empty() ? kNoClass : found.front();
  }
  if (index_.class_class_ == kNoClass) {
    index_.class_class_ = add_synthetic_class("java.lang.Class", 0);
  }
  map[ClassSlots::kClassClassSlot] = index_.class_class_;
  // Classes made up here join the sorted id table in one merge at the end: inserting each one
  // was quadratic when a (hostile) dump names many undumped classes (4 s of CPU for 100000).
  auto& by_id = index_.class_by_id_;
  const size_t known = by_id.size();
  for (size_t i = 0; i < part.class_slots.ids().size(); ++i) {
    const uint64_t id = part.class_slots.ids()[i];
    // Search the sorted part only: the tail is unsorted, and slot ids are unique in a part.
    const auto end = by_id.begin() + static_cast<long>(known);
    const auto it = std::lower_bound(by_id.begin(), end, std::make_pair(id, ClassIndex{0}));
    ClassIndex c = it != end && it->first == id ? it->second : kNoClass;
    if (c == kNoClass) {
      ++index_.stats_.missing_classes;
      c = add_synthetic_class("unknown-class-" + hex(id), 0);
      index_.classes_[c].id = id;
      by_id.emplace_back(id, c);
    }
    map[ClassSlots::kFirstIdSlot + i] = c;
  }
  std::sort(by_id.begin() + static_cast<long>(known), by_id.end());
  std::inplace_merge(by_id.begin(), by_id.begin() + static_cast<long>(known), by_id.end());
  return map;
}

namespace {

// Runs `first` here and `second` on a second thread meanwhile when `parallel`, else one after
// the other; either way `second` under this thread's SpillScope, and its exception rethrown
// here once both are done.
template <typename F, typename G>
void side_by_side(bool parallel, F first, G second) {
  std::exception_ptr failed;
  auto guarded = [&, spill = SpillScope::current()] {
    SpillScope scope(spill);
    try {
      second();
    } catch (...) {
      failed = std::current_exception();
    }
  };
  {
    std::jthread beside;
    if (parallel) beside = std::jthread(guarded);
    first();
    if (!beside.joinable()) guarded();
  }
  if (failed) std::rethrow_exception(failed);
}

}  // namespace

Status IndexBuilder::merge_objects() {
  uint64_t total = 0;
  for (const auto& p : parts_) total += p.objects.count;
  if (total >= kNoObject) {
    return Error{ErrorCode::kTooLarge, 0, -1,
                 "the dump holds " + std::to_string(total) +
                     " objects; Heapscope addresses at most 4,294,967,294"};
  }
  progress_.begin("sort objects", total);
  // Primitive-array classes a dump may lack (hprof agent, Android) are made up once, here.
  for (uint8_t t = 4; t <= 11; ++t) {
    bool used = false;
    for (const auto& p : parts_) used = used || (p.primitive_types_seen >> t & 1);
    std::string name = std::string(basic_type_name(t)) + "[]";
    if (used && index_.find_classes_by_name(name).empty()) add_synthetic_class(name, t);
  }
  auto& ids = ids_;
  auto& locs = locs_;
  auto& cls = object_classes_;
  auto& lens = lengths_;
  // Slots become class indices in place; the sort then gathers the windows into [0, n).
  std::vector<detail::Stretch> stretches;
  for (auto& p : parts_) {
    const auto map = slot_map(p);
    const auto& w = p.objects;
    for (size_t i = 0; i < w.count; ++i) w.slots[i] = map[w.slots[i]];
    stretches.push_back({static_cast<size_t>(w.ids - ids.data()), w.count});
    for (size_t k = 0; k < 3; ++k) index_.counts_[k] += p.kind_counts[k];
    for (size_t t = 0; t < 256; ++t) index_.sub_record_counts_[t] += p.sub_counts[t];
    index_.stats_.bytes_used += p.bytes_used;
    merge_anomalies(p.anomalies);
    index_.roots_.insert(index_.roots_.end(), p.roots.begin(), p.roots.end());
    p = detail::HeapPart{};  // free as we go
  }
  const size_t n = total;
  detail::sort_objects_by_id({ids, locs, cls, lens}, stretches, scan_threads());
  for (auto* a : {&ids, &locs}) a->trim();
  for (auto* a : {&cls, &lens}) a->trim();
  // Verifier for the sort's fast path: cheap, so always on.
  if (!std::is_sorted(ids.begin(), ids.end())) {
    return Error{ErrorCode::kCorrupt, 0, -1, "internal error: the object table is not sorted"};
  }
  // Ids dumped twice: keep the first record in the file (and id 0, which is null, never).
  // The sort is not stable, so "first" is the smaller offset, not the earlier position.
  constexpr uint64_t kOffsetMask = (uint64_t{1} << 62) - 1;
  size_t w = 0;
  for (size_t r = 0; r < n; ++r) {
    if (ids[r] == 0) {
      ++index_.stats_.duplicate_objects;
      continue;
    }
    if (w > 0 && ids[w - 1] == ids[r]) {
      ++index_.stats_.duplicate_objects;
      if ((locs[r] & kOffsetMask) < (locs[w - 1] & kOffsetMask)) {
        locs[w - 1] = locs[r];
        cls[w - 1] = cls[r];
        lens[w - 1] = lens[r];
      }
      continue;
    }
    if (w != r) {
      ids[w] = ids[r];
      locs[w] = locs[r];
      cls[w] = cls[r];
      lens[w] = lens[r];
    }
    ++w;
  }
  ids.resize(w);
  locs.resize(w);
  cls.resize(w);
  lens.resize(w);
  // The compact tables are independent of each other. Without a memory limit two are converted
  // at a time, on two threads; with tables in spill files, one after the other. The classes and
  // lengths go first (2 bytes per object, short_table.h), then the ids and locations. Each old
  // array is given back behind its conversion, so the old and the new form of a column are
  // never both whole (this was the phase's peak: 253 MiB of arrays + 84 on the 867 MB AppHeap).
  const bool parallel = scan_threads() > 1 && !SpillScope::current();
  side_by_side(
      parallel, [&] { index_.class_of_.take(cls); }, [&] { index_.lengths_.take(lens); });
  side_by_side(
      parallel,
      [&] {
        index_.ids_.reserve(w + 1);
        detail::GiveBackBehind behind(ids);  // the 8-byte ids go back behind the copy
        for (size_t i = 0; i < w; ++i) {
          index_.ids_.push_back(ids[i]);
          if ((i & 0xFFFF) == 0xFFFF) behind.passed(i + 1);
        }
        index_.ids_.trim();
        ids.clear();
        index_.build_directory();
      },
      [&] { index_.locs_.take(locs); });
  progress_.advance(total);
  return Ok{};
}

Status IndexBuilder::resolve_hierarchy() {
  auto& classes = index_.classes_;
  for (ClassIndex c = 0; c < classes.size(); ++c) {
    auto& info = classes[c];
    info.object = index_.find(info.id);
    if (info.super_id != 0) {
      info.super = index_.find_class(info.super_id);
      if (info.super == kNoClass) {
        ++index_.stats_.missing_classes;
        if (index_.stats_.warnings.size() < 50) {
          index_.stats_.warnings.push_back("class " + info.name + " names superclass " +
                                           hex(info.super_id) + ", which the dump lacks");
        }
      }
    }
  }
  // Instance data size = own fields + the superclass's, each class computed once: walk up to a
  // class already done, then fill in downwards. Meeting a class still on the walk is a loop.
  // (Walking every chain to its root instead is quadratic in the depth: 5 s for 40000 classes.)
  enum : uint8_t { kNew, kOnWalk, kDone };
  std::vector<uint8_t> state(classes.size(), kNew);
  std::vector<uint64_t> data(classes.size(), 0);
  std::vector<ClassIndex> walk;
  for (ClassIndex c = 0; c < classes.size(); ++c) {
    walk.clear();
    ClassIndex k = c;
    for (; k != kNoClass && state[k] == kNew; k = classes[k].super) {
      state[k] = kOnWalk;
      walk.push_back(k);
    }
    if (k != kNoClass && state[k] == kOnWalk) {
      return Error{ErrorCode::kCorrupt, class_offsets_[c], -1,
                   "the superclass chain of class " + classes[c].name + " (" + hex(classes[c].id) +
                       ") loops"};
    }
    uint64_t below = k == kNoClass ? 0 : data[k];
    for (auto it = walk.rbegin(); it != walk.rend(); ++it) {
      for (const auto& f : classes[*it].fields) {
        below += basic_type_size(f.type, index_.layout_.id_size);
      }
      data[*it] = below;
      state[*it] = kDone;
      classes[*it].instance_data_size =
          static_cast<uint32_t>(std::min<uint64_t>(below, UINT32_MAX));
    }
  }
  return Ok{};
}

void IndexBuilder::resolve_roots_and_threads() {
  for (auto& r : index_.roots_) {
    r.object = index_.find(r.object_id);
    if (r.object == kNoObject && r.object_id != 0) ++index_.stats_.dangling_references;
    if (r.kind == 0x08) {
      ThreadInfo t;
      t.object_id = r.object_id;
      t.object = r.object;
      t.serial = r.thread_serial;
      t.trace_serial = static_cast<uint32_t>(r.frame);
      r.frame = -1;
      index_.threads_.push_back(t);
    }
  }
}

void IndexBuilder::check_instance_lengths() {
  const auto& classes = index_.classes_;
  for (ObjectIndex o = 0; o < index_.object_count(); ++o) {
    if (index_.kind(o) != ObjectKind::kInstance) continue;
    const ClassIndex c = index_.class_of_[o];
    if (!classes[c].synthetic && index_.lengths_[o] != classes[c].instance_data_size) {
      ++index_.stats_.field_size_mismatches;
    }
  }
}

Result<Index> IndexBuilder::build() {
  const auto data = dump_.bytes();
  index_.dump_ = &dump_;
  index_.layout_.id_size = dump_.header().id_size;
  index_.stats_.bytes_total = data.size();

  auto top = detail::scan_records(data, dump_.header(), options_.heap_dump_number, progress_,
                                  options_.release_pages ? &dump_ : nullptr);
  if (!top) return top.error();
  index_.record_counts_ = top->record_counts;
  index_.utf8_ = std::move(top->utf8);
  index_.loaded_ = std::move(top->loaded);
  index_.frames_ = std::move(top->frames);
  index_.traces_ = std::move(top->traces);
  index_.trace_frame_ids_ = std::move(top->trace_frame_ids);
  index_.stats_.heap_dumps_in_file = top->heap_dumps;
  index_.stats_.bytes_used = dump_.header().size + top->bytes_used;
  merge_anomalies(top->anomalies);
  if (dump_.truncated()) {
    // The data may end on a record boundary, where the record scan sees nothing wrong.
    index_.stats_.truncated = true;
    index_.stats_.warnings.insert(
        index_.stats_.warnings.begin(),
        std::string("the ") + to_string(dump_.compression()) + " stream is cut short or damaged; " +
            std::to_string(data.size()) + " bytes decoded before that point");
  }

  scan_heap_parallel(top->segments);
  for (const auto& p : parts_) {
    if (p.cancelled) return Error{ErrorCode::kCancelled, 0, -1, "cancelled"};
  }
  merge_classes();
  if (auto s = merge_objects(); !s) return s.error();
  progress_.begin("resolve classes", 0);
  if (auto s = resolve_hierarchy(); !s) return s.error();
  resolve_roots_and_threads();
  detail::compute_layout(index_.layout_, index_);
  detail::compute_instance_sizes(index_.layout_, index_.classes_);
  check_instance_lengths();
  if (index_.stats_.bytes_used > index_.stats_.bytes_total) {
    index_.stats_.bytes_used = index_.stats_.bytes_total;
  }
  return std::move(index_);
}

Result<Index> Index::build(const Dump& dump, const IndexOptions& options) {
  IndexBuilder builder(dump, options);
  return builder.build();
}

}  // namespace heapscope::hprof
