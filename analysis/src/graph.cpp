// Building the object graph: upper-bound degrees from the index alone, a parallel fill that
// decodes fields straight from the mapped dump, then one compaction pass that drops nulls.
#include "heapscope/analysis/graph.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>
#include <unordered_map>

#include "heapscope/hprof/big_endian.h"
#include "heapscope/hprof/tags.h"

namespace heapscope::analysis {

const char* to_string(EdgeFilter f) {
  return f == EdgeFilter::kAll ? "mat" : "strong-only";
}

namespace {
using hprof::load_id;
constexpr NodeIndex kNull = kNoNode;
}  // namespace

class GraphBuilder {
 public:
  GraphBuilder(const hprof::Index& index, const FieldLayouts& layouts, const GraphOptions& o)
      : index_(index),
        layouts_(layouts),
        options_(o),
        progress_(o.progress ? *o.progress : hprof::null_progress()) {}

  hprof::Result<Graph> build();

 private:
  void collect_roots_and_locals();
  void fill_range(hprof::ObjectIndex lo, hprof::ObjectIndex hi, uint64_t first_slot,
                  uint64_t& dangling, std::atomic<uint64_t>& done);
  // Slots of object o before compaction (upper-bound degree); `big` is a cursor into big_slots_
  // that the caller advances in object order.
  uint64_t slots(hprof::ObjectIndex o, size_t& big) const {
    const uint8_t s = slots_[o];
    return s != kBigSlots ? s : big_slots_[big++].second;
  }
  NodeIndex resolve(uint64_t id, uint64_t& dangling) const {
    if (id == 0) return kNull;
    const NodeIndex n = index_.find(id);
    if (n == hprof::kNoObject) ++dangling;
    return n;
  }

  const hprof::Index& index_;
  const FieldLayouts& layouts_;
  GraphOptions options_;
  hprof::Progress& progress_;
  Graph g_;
  std::vector<NodeIndex> root_nodes_;
  std::unordered_map<hprof::ObjectIndex, std::vector<NodeIndex>> locals_;  // thread -> locals
  std::vector<uint32_t> referent_offset_;  // per class: payload offset of referent, or ~0
  // Each object's slots before compaction (upper-bound degrees), 1 byte per object while the
  // graph is built: the fill and the compaction walk the objects in order and add them up.
  // kBigSlots stands for a count held in big_slots_ (arrays of 255 elements and more), in
  // object order.
  static constexpr uint8_t kBigSlots = 255;
  hprof::detail::FlatArray<uint8_t> slots_;
  std::vector<std::pair<hprof::ObjectIndex, uint64_t>> big_slots_;
};

void GraphBuilder::collect_roots_and_locals() {
  std::unordered_map<uint32_t, hprof::ObjectIndex> thread_by_serial;
  for (const auto& t : index_.threads()) {
    if (t.object != hprof::kNoObject) thread_by_serial[t.serial] = t.object;
  }
  for (const auto& r : index_.roots()) {
    if (r.object == hprof::kNoObject) continue;
    const bool local = r.kind == 0x03 || r.kind == 0x02;  // Java frame, JNI local
    if (local) {
      auto it = thread_by_serial.find(r.thread_serial);
      if (it != thread_by_serial.end()) {
        locals_[it->second].push_back(r.object);
        continue;
      }
    }
    root_nodes_.push_back(r.object);
  }
  std::sort(root_nodes_.begin(), root_nodes_.end());
  root_nodes_.erase(std::unique(root_nodes_.begin(), root_nodes_.end()), root_nodes_.end());
}

void GraphBuilder::fill_range(hprof::ObjectIndex lo, hprof::ObjectIndex hi, uint64_t first_slot,
                              uint64_t& dangling, std::atomic<uint64_t>& done) {
  const uint32_t I = index_.id_size();
  const auto& classes = index_.classes();
  NodeIndex* out = g_.targets_.data();
  const hprof::ClassIndex class_class = index_.class_class();
  // Pages of the dump behind the current stretch of records are handed back as we go (objects
  // in id order are file order piece by piece), so resident memory does not grow with the dump.
  uint64_t stretch_lo = hi > lo ? index_.offset(lo) : 0, stretch_hi = stretch_lo;
  size_t big = static_cast<size_t>(
      std::lower_bound(big_slots_.begin(), big_slots_.end(), std::pair{lo, uint64_t{0}}) -
      big_slots_.begin());
  uint64_t next = first_slot;  // where object o's slots start
  for (hprof::ObjectIndex o = lo; o < hi; ++o) {
    const uint64_t at = index_.offset(o);
    if (at < stretch_lo || at > stretch_hi + (1u << 20)) {  // a jump: the stretch is done
      if (options_.release_pages) index_.dump().release(stretch_lo, stretch_hi);
      stretch_lo = stretch_hi = at;
    } else if (at - stretch_lo > (32u << 20)) {  // a long stretch: give back what lies behind
      if (options_.release_pages) index_.dump().release(stretch_lo, at);
      stretch_lo = at;
    }
    stretch_hi = std::max(stretch_hi, at);
    uint64_t e = next;
    next += slots(o, big);
    const hprof::ClassIndex c = index_.class_of(o);
    const NodeIndex class_node = classes[c].object;
    out[e++] = class_node;  // object -> its class
    switch (index_.kind(o)) {
      case hprof::ObjectKind::kInstance: {
        const auto data = index_.instance_data(o);
        const uint32_t referent = referent_offset_[c];
        for (uint32_t off : layouts_.reference_offsets(c)) {
          if (off + I > data.size()) {
            out[e++] = kNull;
            continue;
          }
          if (off == referent) {
            auto word = std::atomic_ref<uint64_t>(g_.referent_bits_[e >> 6]);
            word.fetch_or(uint64_t{1} << (e & 63), std::memory_order_relaxed);
          }
          out[e++] = resolve(load_id(data.data() + off, I), dangling);
        }
        break;
      }
      case hprof::ObjectKind::kObjectArray: {
        const auto data = index_.array_data(o);
        const uint32_t n = index_.length(o);
        for (uint32_t i = 0; i < n; ++i)
          out[e++] = resolve(load_id(data.data() + uint64_t{i} * I, I), dangling);
        break;
      }
      case hprof::ObjectKind::kPrimitiveArray:
        break;
      case hprof::ObjectKind::kClass: {
        out[e - 1] = class_class != hprof::kNoClass ? classes[class_class].object : kNull;
        const hprof::ClassIndex self = index_.find_class(index_.object_id(o));
        if (self == hprof::kNoClass) break;
        const auto& info = classes[self];
        out[e++] = info.super != hprof::kNoClass ? classes[info.super].object : kNull;
        out[e++] = resolve(info.loader_id, dangling);
        for (const auto& s : info.statics) {
          if (s.type == 2) out[e++] = resolve(s.value, dangling);
        }
        break;
      }
    }
    if (!locals_.empty()) {  // a thread's locals follow its fields (whatever the thread's kind)
      if (auto it = locals_.find(o); it != locals_.end()) {
        for (NodeIndex l : it->second) out[e++] = l;
      }
    }
    while (e < next) out[e++] = kNull;  // slots counted but not filled: none, as a safeguard
    if ((o & 0xFFFF) == 0) {
      done.fetch_add(0x10000, std::memory_order_relaxed);
    }
  }
  if (options_.release_pages) index_.dump().release(stretch_lo, stretch_hi);
}

hprof::Result<Graph> GraphBuilder::build() {
  const uint32_t n = index_.object_count();
  collect_roots_and_locals();
  const auto& classes = index_.classes();
  referent_offset_.assign(classes.size(), ~0u);
  for (hprof::ClassIndex c = 0; c < classes.size(); ++c) {
    if (auto f = layouts_.find(c, "java.lang.ref.Reference", "referent"))
      referent_offset_[c] = f->offset;
  }
  // Upper bounds of the out-degrees, from the index alone.
  progress_.begin("build graph", n);
  unsigned threads = options_.threads ? options_.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, std::min(threads, 64u));
  auto cut = [&](unsigned t) { return static_cast<uint32_t>(uint64_t{n} * t / threads); };
  std::vector<uint64_t> first_slot(threads + 1, 0);  // of each thread's range, then the root's
  // A thread's locals follow its fields.
  std::vector<std::pair<hprof::ObjectIndex, size_t>> extra;
  for (const auto& [t, l] : locals_) extra.emplace_back(t, l.size());
  std::sort(extra.begin(), extra.end());
  slots_.reserve(n);
  slots_.resize(n);
  uint64_t total = 0;
  size_t k = 0;
  unsigned next_cut = 1;
  for (hprof::ObjectIndex o = 0; o < n; ++o) {
    while (next_cut < threads && o == cut(next_cut)) first_slot[next_cut++] = total;
    uint64_t d = 1;
    switch (index_.kind(o)) {
      case hprof::ObjectKind::kInstance:
        d += layouts_.reference_offsets(index_.class_of(o)).size();
        break;
      case hprof::ObjectKind::kObjectArray:
        d += index_.length(o);
        break;
      case hprof::ObjectKind::kPrimitiveArray:
        break;
      case hprof::ObjectKind::kClass: {
        const hprof::ClassIndex self = index_.find_class(index_.object_id(o));
        if (self == hprof::kNoClass) break;
        d += 2;
        for (const auto& s : classes[self].statics) d += s.type == 2;
        break;
      }
    }
    if (k < extra.size() && extra[k].first == o) d += extra[k++].second;
    if (d < kBigSlots) {
      slots_[o] = static_cast<uint8_t>(d);
    } else {
      slots_[o] = kBigSlots;
      big_slots_.emplace_back(o, d);
    }
    total += d;
  }
  while (next_cut < threads) first_slot[next_cut++] = total;
  const uint64_t root_slot = total;  // the virtual root's edges
  total += root_nodes_.size();
  g_.targets_.reserve(total);
  g_.targets_.resize(total);
  g_.referent_bits_.assign(total / 64 + 1, 0);

  std::vector<uint64_t> dangling(threads, 0);
  std::atomic<uint64_t> done{0};
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) {
    workers.emplace_back(
        [&, t] { fill_range(cut(t), cut(t + 1), first_slot[t], dangling[t], done); });
  }
  fill_range(0, cut(1), 0, dangling[0], done);
  for (auto& w : workers) w.join();
  for (uint64_t d : dangling) g_.dangling_ += d;
  std::copy(root_nodes_.begin(), root_nodes_.end(), g_.targets_.data() + root_slot);

  // Compaction: drop null and dangling slots, keep the referent marks with their edges.
  uint64_t w = 0;
  std::vector<uint64_t> bits(total / 64 + 1, 0);
  g_.offsets_.reserve(uint64_t{n} + 2);
  uint64_t e = 0;
  size_t big = 0;
  for (uint32_t v = 0; v <= n; ++v) {
    const uint64_t b = e;
    e += v < n ? slots(v, big) : root_nodes_.size();
    g_.offsets_.push_back(w);
    for (uint64_t i = b; i < e; ++i) {
      const NodeIndex t = g_.targets_[i];
      if (t == kNull) continue;
      if (g_.referent_bits_[i >> 6] >> (i & 63) & 1) bits[w >> 6] |= uint64_t{1} << (w & 63);
      g_.targets_[w++] = t;
    }
    if ((v & 0xFFFFF) == 0) progress_.advance(v);
  }
  g_.offsets_.push_back(w);
  slots_.clear();
  big_slots_ = {};
  g_.targets_.resize(w);
  g_.targets_.trim();
  bits.resize(w / 64 + 1);
  bits.shrink_to_fit();
  g_.referent_bits_ = std::move(bits);
  progress_.advance(n);
  return std::move(g_);
}

hprof::Result<Graph> Graph::build(const hprof::Index& index, const FieldLayouts& layouts,
                                  const GraphOptions& options) {
  GraphBuilder b(index, layouts, options);
  return b.build();
}

void Graph::release_edges() {
  if (released_nodes_) return;
  released_nodes_ = node_count();
  offsets_.clear();
  targets_.clear();
  referent_bits_ = {};
}

void Graph::discard_edges(NodeIndex first, NodeIndex last) {
  if (released_nodes_ || last <= first + 1) return;
  targets_.discard(offsets_[first], offsets_[last]);
  offsets_.discard(uint64_t{first} + 1, last);  // entries first and last stay
}

Graph Graph::from_edges(uint32_t n, std::span<const std::pair<NodeIndex, NodeIndex>> edges,
                        std::span<const NodeIndex> roots, std::span<const uint8_t> referents) {
  Graph g;
  g.offsets_.reserve(uint64_t{n} + 2);
  std::vector<uint64_t> degree(uint64_t{n} + 1, 0);
  for (const auto& [a, b] : edges) ++degree[a];
  degree[n] = roots.size();
  std::vector<uint64_t> fill(uint64_t{n} + 1);
  uint64_t total = 0;
  for (uint32_t v = 0; v <= n; ++v) {
    g.offsets_.push_back(total);
    fill[v] = total;
    total += degree[v];
  }
  g.offsets_.push_back(total);
  g.targets_.reserve(total + 1);
  g.targets_.resize(total);
  g.referent_bits_.assign(total / 64 + 1, 0);
  for (size_t i = 0; i < edges.size(); ++i) {
    const uint64_t at = fill[edges[i].first]++;
    g.targets_[at] = edges[i].second;
    if (i < referents.size() && referents[i]) g.referent_bits_[at >> 6] |= uint64_t{1} << (at & 63);
  }
  for (NodeIndex r : roots) g.targets_[fill[n]++] = r;
  return g;
}

}  // namespace heapscope::analysis
