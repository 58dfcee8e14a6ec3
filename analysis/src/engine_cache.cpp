// Graph, dominator tree and retained sizes to and from cache sections: the big arrays raw (their
// chunks decompressed in parallel with each other), a few numbers in a small meta section each.
#include "engine_cache.h"

#include <vector>

namespace heapscope::analysis {

namespace {

enum GraphSection : uint32_t {
  kGraphMeta = 0x200,
  kOffsets = 0x201,
  kTargets = 0x202,
  kReferentBits = 0x203,
  kOffsetBases = 0x204,  // AscendingTable: kOffsets holds the 2-byte deltas, these the bases
  kOffsetWide = 0x205,   // and the wide blocks' values
};
// Per filter f, 0x210 + 0x10 * f + one of these.
enum TreePart : uint32_t { kTreeMeta, kIdom, kPreorder, kRetainedBytes, kRetainedCount, kParts };
constexpr uint32_t kEndMark = 0x21444e45;

uint32_t tree_section(EdgeFilter f, TreePart part) {
  return 0x210 + 0x10 * static_cast<uint32_t>(f) + part;
}

template <typename T>
std::span<uint8_t> bytes_of(T* data, uint64_t count) {
  return {reinterpret_cast<uint8_t*>(data), count * sizeof(T)};
}

// Sizes a flat array for `bytes` of section data; false when that is not a whole number of T.
template <typename T>
bool size_for(hprof::detail::FlatArray<T>& a, uint64_t bytes) {
  if (bytes % sizeof(T) != 0) return false;
  const uint64_t n = bytes / sizeof(T);
  if (n) a.reserve(n);
  a.resize(n);
  return true;
}

hprof::Error bad(const char* why) {
  return hprof::Error{hprof::ErrorCode::kCorrupt, 0, -1,
                      std::string("engine cache ignored: ") + why};
}

}  // namespace

bool EngineCache::has_graph(const hprof::CacheReader& in) {
  return in.has(kGraphMeta) && in.has(kOffsets) && in.has(kTargets) && in.has(kReferentBits);
}

bool EngineCache::has_tree(const hprof::CacheReader& in, EdgeFilter filter) {
  for (uint32_t p = 0; p < kParts; ++p) {
    if (!in.has(tree_section(filter, static_cast<TreePart>(p)))) return false;
  }
  return true;
}

bool EngineCache::is_graph_section(uint32_t section) {
  return section >= kGraphMeta && section <= kReferentBits;
}

bool EngineCache::is_tree_section(uint32_t section, EdgeFilter filter) {
  return section >= tree_section(filter, kTreeMeta) && section < tree_section(filter, kParts);
}

void EngineCache::save_graph(hprof::CacheWriter& out, const Graph& g) {
  hprof::ByteWriter w;
  w.put<uint64_t>(g.dangling_);
  w.put(kEndMark);
  out.add(kGraphMeta, w.take());
  out.add_array<uint16_t>(kOffsets, g.offsets_.deltas());
  out.add_array<NodeIndex>(kTargets, g.targets_);
  out.add_array<uint64_t>(kReferentBits, g.referent_bits_);
  out.add_array<uint64_t>(kOffsetBases, g.offsets_.bases());
  out.add_array<uint64_t>(kOffsetWide, g.offsets_.wide());
}

void EngineCache::save_tree(hprof::CacheWriter& out, const DominatorTree& t, const Retained& r) {
  hprof::ByteWriter w;
  w.put<uint8_t>(static_cast<uint8_t>(t.filter_));
  w.put<uint32_t>(t.root_);
  w.put(kEndMark);
  out.add(tree_section(t.filter_, kTreeMeta), w.take());
  out.add_array<NodeIndex>(tree_section(t.filter_, kIdom), t.idom_);
  out.add_array<NodeIndex>(tree_section(t.filter_, kPreorder), t.preorder_);
  out.add_array<uint64_t>(tree_section(t.filter_, kRetainedBytes), r.bytes);
  out.add_array<uint32_t>(tree_section(t.filter_, kRetainedCount), r.count);
}

hprof::Result<Graph> EngineCache::load_graph(const hprof::CacheReader& in, uint32_t objects,
                                             uint32_t threads, hprof::Progress* progress) {
  if (!has_graph(in)) return bad("no graph");
  Graph g;
  std::vector<uint8_t> meta(in.size(kGraphMeta));
  const uint64_t bits_bytes = in.size(kReferentBits);
  auto& deltas = g.offsets_.deltas();
  auto& bases = g.offsets_.bases();
  auto& wide = g.offsets_.wide();
  const uint64_t wide_bytes = in.size(kOffsetWide);
  if (!in.has(kOffsetBases) || !in.has(kOffsetWide) || !size_for(deltas, in.size(kOffsets)) ||
      !size_for(bases, in.size(kOffsetBases)) || !size_for(g.targets_, in.size(kTargets)) ||
      bits_bytes % 8 != 0 || deltas.size() != uint64_t{objects} + 2 ||
      bases.size() != (deltas.size() + hprof::detail::AscendingTable::kBlock - 1) /
                          hprof::detail::AscendingTable::kBlock ||
      wide_bytes % 8 != 0 || wide_bytes / 8 > deltas.size() ||
      bits_bytes / 8 != g.targets_.size() / 64 + 1) {
    return bad("graph sizes");
  }
  // The wide offsets are read into reserved, untouched memory first (a damaged file may claim a
  // section far larger than its data), then copied into the table's vector.
  hprof::detail::FlatArray<uint64_t> wide_read;
  size_for(wide_read, wide_bytes);
  g.referent_bits_.resize(bits_bytes / 8);
  const hprof::CacheReader::Target targets[] = {
      {kGraphMeta, meta},
      {kOffsets, bytes_of(deltas.data(), deltas.size())},
      {kTargets, bytes_of(g.targets_.data(), g.targets_.size())},
      {kReferentBits, bytes_of(g.referent_bits_.data(), g.referent_bits_.size())},
      {kOffsetBases, bytes_of(bases.data(), bases.size())},
      {kOffsetWide, bytes_of(wide_read.data(), wide_read.size())},
  };
  auto st = in.read(targets, threads, progress);
  if (!st) return st.error();
  hprof::ByteReader r(meta);
  g.dangling_ = r.get<uint64_t>();
  if (r.get<uint32_t>() != kEndMark || !r.ok() || !r.at_end()) return bad("graph meta");
  wide.assign(wide_read.begin(), wide_read.end());
  // Edge ranges index the targets: they must rise and end at the last target.
  if (!g.offsets_.is_consistent() || g.offsets_[0] != 0 || g.offsets_.back() != g.targets_.size())
    return bad("graph offsets");
  return g;
}

hprof::Status EngineCache::load_tree(const hprof::CacheReader& in, EdgeFilter filter,
                                     const Graph& graph, uint32_t threads,
                                     hprof::Progress* progress, DominatorTree& tree,
                                     Retained& retained) {
  if (!has_tree(in, filter)) return bad("no dominator tree");
  const uint64_t n = graph.node_count();
  std::vector<uint8_t> meta(in.size(tree_section(filter, kTreeMeta)));
  if (!size_for(tree.idom_, in.size(tree_section(filter, kIdom))) ||
      !size_for(tree.preorder_, in.size(tree_section(filter, kPreorder))) ||
      !size_for(retained.bytes, in.size(tree_section(filter, kRetainedBytes))) ||
      !size_for(retained.count, in.size(tree_section(filter, kRetainedCount))) ||
      tree.idom_.size() != n || tree.preorder_.size() > n || tree.preorder_.empty() ||
      retained.bytes.size() != n || retained.count.size() != n) {
    return bad("tree sizes");
  }
  const hprof::CacheReader::Target targets[] = {
      {tree_section(filter, kTreeMeta), meta},
      {tree_section(filter, kIdom), bytes_of(tree.idom_.data(), n)},
      {tree_section(filter, kPreorder), bytes_of(tree.preorder_.data(), tree.preorder_.size())},
      {tree_section(filter, kRetainedBytes), bytes_of(retained.bytes.data(), n)},
      {tree_section(filter, kRetainedCount), bytes_of(retained.count.data(), n)},
  };
  auto st = in.read(targets, threads, progress);
  if (!st) return st.error();
  hprof::ByteReader r(meta);
  const auto stored_filter = r.get<uint8_t>();
  tree.root_ = r.get<uint32_t>();
  tree.filter_ = filter;
  if (r.get<uint32_t>() != kEndMark || !r.ok() || !r.at_end() ||
      stored_filter != static_cast<uint8_t>(filter) || tree.root_ != graph.root() ||
      tree.preorder_[0] != tree.root_) {
    return bad("tree meta");
  }
  return hprof::Ok{};
}

}  // namespace heapscope::analysis
