// An Index to and from cache sections: the per-object tables as raw arrays (each its own zstd
// frames, decompressed in parallel; the ids and the locations as their three parts each,
// ascending_table.h and location_table.h),
// everything else in one field-by-field encoded section. The find() directory is rebuilt: it is
// derived from the ids and cheap to redo.
#include <thread>
#include <vector>

#include "heapscope/hprof/cache_file.h"
#include "heapscope/hprof/index.h"

namespace heapscope::hprof {

namespace {

enum Section : uint32_t {
  kTables = 0x100,
  kIds = 0x101,
  kLocations = 0x102,  // LocationTable words: kind << 14 | offset - block base
  kClassOf = 0x103,    // ShortTable words: 2 bytes per object, or 4 when exceptions are common
  kLengths = 0x104,    // the same
  kLocationBases = 0x105,
  kLocationWide = 0x106,
  kClassOfExceptionAt = 0x107,  // ShortTable exceptions: positions, then values
  kClassOfExceptionValue = 0x108,
  kLengthsExceptionAt = 0x109,
  kLengthsExceptionValue = 0x10A,
  kIdBases = 0x10B,  // AscendingTable: kIds holds the 2-byte deltas, these the block bases
  kIdWide = 0x10C,   // and the wide blocks' values
};

void add_short_table(CacheWriter& out, uint32_t words, const detail::ShortTable& t) {
  if (t.wide()) {
    out.add_array<uint32_t>(words, t.full_words());
  } else {
    out.add_array<uint16_t>(words, t.short_words());
  }
}
void add_exceptions(CacheWriter& out, uint32_t at, const detail::ShortTable& t) {
  out.add_array<uint32_t>(at, t.exception_positions());
  out.add_array<uint32_t>(at + 1, t.exception_values());
}
constexpr uint32_t kEndMark = 0x21444e45;  // "END!"

// The same traversal writes and reads (visit_tables below), so the two cannot drift apart.
struct Encode {
  ByteWriter& w;
  template <typename T>
  void operator()(const T& v) {
    w.put(v);
  }
  void operator()(const bool& v) { w.put<uint8_t>(v ? 1 : 0); }
  void operator()(const std::string& s) { w.put_string(s); }
  template <typename V, typename F>
  void list(const V& v, size_t /*min_item_bytes*/, F each) {
    w.put<uint64_t>(v.size());
    for (const auto& x : v) each(x);
  }
};

struct Decode {
  ByteReader& r;
  template <typename T>
  void operator()(T& v) {
    v = r.get<T>();
  }
  void operator()(bool& v) { v = r.get<uint8_t>() != 0; }
  void operator()(std::string& s) { s = r.get_string(); }
  template <typename V, typename F>
  void list(V& v, size_t min_item_bytes, F each) {
    v.resize(r.get_count(min_item_bytes));
    for (auto& x : v) each(x);
  }
};

template <typename IO, typename C>
void visit_class(IO& io, C& c) {
  io(c.id);
  io(c.super_id);
  io(c.loader_id);
  io(c.name_id);
  io(c.name);
  io(c.super);
  io(c.object);
  io(c.instance_size_in_dump);
  io(c.instance_data_size);
  io(c.shallow_instance_size);
  io(c.array_element_type);
  io(c.synthetic);
  io.list(c.fields, 9, [&](auto& f) {
    io(f.name_id);
    io(f.type);
  });
  io.list(c.statics, 17, [&](auto& f) {
    io(f.name_id);
    io(f.type);
    io(f.value);
  });
}

template <typename IO, typename S>
void visit_stats(IO& io, S& s) {
  io(s.bytes_total);
  io(s.bytes_used);
  io(s.unknown_records);
  io(s.unknown_sub_records);
  io(s.skipped_bytes);
  io(s.dangling_references);
  io(s.duplicate_objects);
  io(s.field_size_mismatches);
  io(s.missing_classes);
  io(s.truncated);
  io(s.heap_dumps_in_file);
  io.list(s.warnings, 8, [&](auto& w) { io(w); });
}

}  // namespace

// Every member but the per-object tables and the derived directory, in declaration order.
struct IndexTables {
  template <typename IO, typename I>
  static void visit(IO& io, I& x) {
    io(x.layout_.id_size);
    io(x.layout_.reference_size);
    io(x.layout_.object_alignment);
    io(x.layout_.compressed_oops);
    visit_stats(io, x.stats_);
    for (auto& n : x.record_counts_) io(n);
    for (auto& n : x.sub_record_counts_) io(n);
    for (auto& n : x.counts_) io(n);
    io.list(x.classes_, 80, [&](auto& c) { visit_class(io, c); });
    io.list(x.class_by_id_, 12, [&](auto& e) {
      io(e.first);
      io(e.second);
    });
    io(x.class_class_);
    io.list(x.utf8_, 20, [&](auto& u) {
      io(u.id);
      io(u.offset);
      io(u.length);
    });
    io.list(x.loaded_, 20, [&](auto& l) {
      io(l.serial);
      io(l.class_id);
      io(l.name_id);
    });
    io.list(x.roots_, 21, [&](auto& r) {
      io(r.object_id);
      io(r.object);
      io(r.kind);
      io(r.thread_serial);
      io(r.frame);
    });
    io.list(x.threads_, 20, [&](auto& t) {
      io(t.object_id);
      io(t.object);
      io(t.serial);
      io(t.trace_serial);
    });
    io.list(x.traces_, 16, [&](auto& t) {
      io(t.serial);
      io(t.thread_serial);
      io(t.first_frame);
      io(t.frame_count);
    });
    io.list(x.trace_frame_ids_, 8, [&](auto& f) { io(f); });
    io.list(x.frames_, 40, [&](auto& f) {
      io(f.id);
      io(f.method_name_id);
      io(f.signature_id);
      io(f.source_file_id);
      io(f.class_serial);
      io(f.line);
    });
  }
};

void Index::save(CacheWriter& out) const {
  ByteWriter w;
  Encode enc{w};
  IndexTables::visit(enc, *this);
  w.put(kEndMark);
  out.add(kTables, w.take());
  out.add_array<uint16_t>(kIds, ids_.deltas());
  // In ascending section order: the engine rewrites a file by copying its sections in that
  // order, and the copy must be the same file.
  out.add_array<uint16_t>(kLocations, locs_.words());
  add_short_table(out, kClassOf, class_of_);
  add_short_table(out, kLengths, lengths_);
  out.add_array<uint64_t>(kLocationBases, locs_.bases());
  out.add_array<uint64_t>(kLocationWide, locs_.wide());
  add_exceptions(out, kClassOfExceptionAt, class_of_);
  add_exceptions(out, kLengthsExceptionAt, lengths_);
  out.add_array<uint64_t>(kIdBases, ids_.bases());
  out.add_array<uint64_t>(kIdWide, ids_.wide());
}

Result<Index> Index::load(const Dump& dump, const CacheReader& in, const IndexOptions& options) {
  auto bad = [](const char* why) {
    return Error{ErrorCode::kCorrupt, 0, -1, std::string("index cache ignored: ") + why};
  };
  const uint64_t n = in.size(kIds) / sizeof(uint16_t);
  const uint64_t blocks = (n + detail::LocationTable::kBlock - 1) / detail::LocationTable::kBlock;
  const uint64_t wide = in.size(kLocationWide) / sizeof(uint64_t);
  const uint64_t id_blocks =
      (n + detail::AscendingTable::kBlock - 1) / detail::AscendingTable::kBlock;
  const uint64_t id_wide = in.size(kIdWide) / sizeof(uint64_t);
  if (!in.has(kTables) || in.size(kIds) % 2 != 0 || in.size(kLocations) != n * 2 ||
      in.size(kLocationBases) != blocks * 8 || !in.has(kLocationWide) ||
      in.size(kLocationWide) != wide * 8 || wide > n || n >= kNoObject || !in.has(kIdBases) ||
      in.size(kIdBases) != id_blocks * 8 || !in.has(kIdWide) || in.size(kIdWide) % 8 != 0 ||
      id_wide > n) {
    return bad("sections missing or of unequal length");
  }
  Index index;
  index.dump_ = &dump;
  std::vector<uint8_t> tables(in.size(kTables));
  // The wide ids are read into reserved, untouched memory first (a damaged file may claim a
  // section far larger than its data), then copied into the table's vector.
  detail::FlatArray<uint64_t> id_wide_read;
  auto as_bytes = []<typename T>(detail::FlatArray<T>& a, uint64_t size) {
    if (size) a.reserve(size);
    a.resize(size);
    return std::span<uint8_t>(reinterpret_cast<uint8_t*>(a.data()), size * sizeof(T));
  };
  std::vector<CacheReader::Target> targets = {
      {kTables, tables},
      {kIds, as_bytes(index.ids_.deltas(), n)},
      {kIdBases, as_bytes(index.ids_.bases(), id_blocks)},
      {kIdWide, as_bytes(id_wide_read, id_wide)},
      {kLocations, as_bytes(index.locs_.words(), n)},
      {kLocationBases, as_bytes(index.locs_.bases(), blocks)},
      {kLocationWide, as_bytes(index.locs_.wide(), wide)},
  };
  // A ShortTable's parts: its words in 2 bytes (with exceptions) or 4 (without), n of them.
  auto short_table = [&](detail::ShortTable& t, uint32_t words, uint32_t at) {
    const uint64_t exceptions = in.size(at) / 4;
    if (!in.has(words) || !in.has(at) || !in.has(at + 1) || in.size(at) % 4 != 0 ||
        in.size(at + 1) != in.size(at) || exceptions > n) {
      return false;
    }
    if (n > 0 && in.size(words) == n * 4 && exceptions == 0) {
      targets.push_back({words, as_bytes(t.full_words(), n)});
    } else if (in.size(words) == n * 2) {
      targets.push_back({words, as_bytes(t.short_words(), n)});
      targets.push_back({at, as_bytes(t.exception_positions(), exceptions)});
      targets.push_back({at + 1, as_bytes(t.exception_values(), exceptions)});
    } else {
      return false;
    }
    t.set_size(n);
    return true;
  };
  if (!short_table(index.class_of_, kClassOf, kClassOfExceptionAt) ||
      !short_table(index.lengths_, kLengths, kLengthsExceptionAt)) {
    return bad("sections missing or of unequal length");
  }
  auto st = in.read(targets, options.threads, options.progress);
  if (!st) return st.error();
  if (!index.class_of_.is_consistent() || !index.lengths_.is_consistent()) {
    return bad("object classes or lengths");
  }

  ByteReader r(tables);
  Decode dec{r};
  IndexTables::visit(dec, index);
  if (r.get<uint32_t>() != kEndMark || !r.ok() || !r.at_end()) return bad("tables do not decode");
  index.ids_.wide().assign(id_wide_read.begin(), id_wide_read.end());
  id_wide_read.clear();
  if (!index.ids_.is_consistent()) return bad("ids not sorted");
  if (!index.locs_.is_consistent()) return bad("object locations");
  // Cheap consistency checks on what later look-ups index with; the per-object tables are
  // covered by the frames' checksums.
  const uint64_t classes = index.classes_.size();
  if (index.class_class_ >= classes && index.class_class_ != kNoClass) return bad("class class");
  for (const auto& c : index.classes_) {
    if ((c.super >= classes && c.super != kNoClass) || (c.object >= n && c.object != kNoObject)) {
      return bad("class table");
    }
  }
  for (const auto& e : index.class_by_id_) {
    if (e.second >= classes) return bad("class directory");
  }
  for (const auto& root : index.roots_) {
    if (root.object >= n && root.object != kNoObject) return bad("roots");
  }
  for (const auto& t : index.threads_) {
    if (t.object >= n && t.object != kNoObject) return bad("threads");
  }
  for (const auto& t : index.traces_) {
    if (t.first_frame > index.trace_frame_ids_.size() ||
        t.frame_count > index.trace_frame_ids_.size() - t.first_frame) {
      return bad("traces");
    }
  }
  for (const auto& u : index.utf8_) {
    if (u.offset > dump.bytes().size() || u.length > dump.bytes().size() - u.offset) {
      return bad("names outside the dump");
    }
  }
  index.build_directory();
  return index;
}

}  // namespace heapscope::hprof
