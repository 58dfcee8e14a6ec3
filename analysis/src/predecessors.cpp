#include "predecessors.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <exception>
#include <mutex>
#include <thread>

#include "heapscope/hprof/spill.h"

namespace heapscope::analysis::detail {

using hprof::detail::FlatArray;

namespace {

// A bucket spans 2^shift target numbers: about 256 buckets for the graph, between 2^6 and 2^16
// numbers each (the offset within a bucket is 16 bits). On a 48 M-object heap that is 742
// buckets of 65,536 numbers; a bucket's counting sort then touches ~1 MB.
uint32_t bucket_shift(uint32_t nodes) {
  return std::clamp<uint32_t>(static_cast<uint32_t>(std::bit_width(nodes / 256)), 6, 16);
}

// Runs body(k) for k in [0, count) on `threads` threads (k handed out in order, one at a time).
template <typename F>
void on_threads(unsigned threads, unsigned count, F body) {
  if (threads < 2 || count < 2) {
    for (unsigned k = 0; k < count; ++k) body(k);
    return;
  }
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < std::min(threads, count); ++t) workers.emplace_back(body, t);
  body(0);
  for (auto& w : workers) w.join();
}

}  // namespace

EdgeBuckets::EdgeBuckets(const Graph& g, unsigned threads) {
  const uint32_t n = g.node_count();
  shift_ = bucket_shift(n);
  buckets_ = (n >> shift_) + 1;
  const unsigned parts = threads > 1 && n >= (1u << 16) ? threads : 1;
  for (unsigned p = 0; p < parts; ++p)
    cuts_.push_back(static_cast<NodeIndex>(uint64_t{n} * p / parts));
  cuts_.push_back(n);
  counts_.assign(uint64_t{parts} * buckets_, 0);
  const uint64_t words = (g.edge_count() + 63) / 64;
  tree_.reserve(words + 1);
  tree_.resize(words + 1);
  rooted_.assign((uint64_t{n} + 63) / 64, 0);
}

template <typename Off>
Predecessors<Off> build_predecessors(const Graph& g, EdgeFilter filter,
                                     const FlatArray<uint32_t>& num, uint32_t reached,
                                     EdgeBuckets buckets, unsigned threads,
                                     hprof::Progress& progress, const EdgeUse& edges) {
  const uint32_t nb = buckets.bucket_count();
  const uint32_t shift = buckets.shift();
  const uint32_t mask = (1u << shift) - 1;
  // The edges steps 1 and 2 see, part p's in node order: reached source, edge the filter keeps,
  // not a tree edge, target not a root child; edge(i, j) gets the source's and the target's
  // numbers. `done(first, last)`, when given, hears every 2^20 edges or so which nodes are behind.
  using Report = std::function<void(NodeIndex, NodeIndex)>;
  auto for_each_edge = [&](unsigned p, auto&& edge, const Report* done) {
    NodeIndex behind = buckets.cut(p);
    uint64_t next_report = g.edge_begin(behind) + (uint64_t{1} << 20);
    for (NodeIndex v = buckets.cut(p), last = buckets.cut(p + 1); v < last; ++v) {
      const uint32_t i = num[v];
      const uint64_t end = g.edge_end(v);
      if (i != 0) {
        for (uint64_t e = g.edge_begin(v); e < end; ++e) {
          if (!g.follows(e, filter) || buckets.is_tree_edge(e)) continue;
          const NodeIndex t = g.target(e);
          if (!buckets.is_root_child(t)) edge(i, num[t]);
        }
      }
      if (done && end >= next_report) {
        (*done)(behind, v + 1);
        behind = v + 1;
        next_report = end + (uint64_t{1} << 20);
      }
    }
    if (done && behind < buckets.cut(p + 1)) (*done)(behind, buckets.cut(p + 1));
  };
  // Step 1 (the rest): count them, each part on its own thread.
  on_threads(buckets.parts(), buckets.parts(), [&](unsigned p) {
    for_each_edge(
        p, [&](uint32_t, uint32_t j) { buckets.count(p, j); }, nullptr);
  });
  if (progress.cancelled()) return {};
  // Where each bucket's stretch starts in the list table.
  std::vector<uint64_t> stretch(uint64_t{nb} + 1);
  uint64_t total = 0;
  for (uint32_t b = 0; b < nb; ++b) {
    stretch[b] = total;
    for (unsigned p = 0; p < buckets.parts(); ++p) total += buckets.counted(p, b);
  }
  stretch[nb] = total;

  // Step 2: partition. Part p's edges of bucket b go after those of parts < p.
  Predecessors<Off> out;
  out.list.reserve(total + 1);
  out.list.resize(total);
  FlatArray<uint16_t> low(total + 1);
  low.resize(total);
  std::vector<std::vector<uint64_t>> cursors(buckets.parts());
  for (unsigned p = 0; p < buckets.parts(); ++p) {
    cursors[p].resize(nb);
    for (uint32_t b = 0; b < nb; ++b) {
      cursors[p][b] = p == 0 ? stretch[b] : cursors[p - 1][b] + buckets.counted(p - 1, b);
    }
  }
  // The lists and offsets written here are the tree's largest tables; the edges read for the
  // last time behind the pass go back to the caller as it goes, so the two are not both whole.
  const Report* report = edges.nodes_done ? &edges.nodes_done : nullptr;
  on_threads(buckets.parts(), buckets.parts(), [&](unsigned p) {
    uint64_t* cursor = cursors[p].data();
    for_each_edge(
        p,
        [&](uint32_t i, uint32_t j) {
          const uint64_t k = cursor[j >> shift]++;
          out.list[k] = i;
          low[k] = static_cast<uint16_t>(j & mask);
        },
        report);
  });
  if (edges.all_done) edges.all_done();  // `g` is not read again
  if (progress.cancelled()) return {};
  progress.advance(reached / 2);

  // Step 3: a counting sort of each bucket's stretch on the target's offset.
  out.begin.reserve(uint64_t{reached} + 2);
  out.begin.resize(uint64_t{reached} + 2);
  const uint32_t used = (reached >> shift) + 1;  // buckets holding numbers 0..reached
  const unsigned workers = std::max(1u, std::min(threads, used));
  std::atomic<uint32_t> next{0};
  std::mutex failed_lock;
  std::exception_ptr failed;  // a spill file that could not be made, rethrown on this thread
  on_threads(workers, workers, [&, spill = hprof::SpillScope::current()](unsigned) {
    try {
      // A copy of the stretch being sorted, grown to the widest this worker meets (a class with
      // millions of instances makes one bucket far wider than the rest), spilled like the tables.
      hprof::SpillScope scope(spill);
      FlatArray<uint32_t> copy;
      std::vector<Off> at(uint64_t{mask} + 2);
      for (uint32_t b; (b = next.fetch_add(1, std::memory_order_relaxed)) < used;) {
        const uint64_t first = stretch[b], last = stretch[b + 1];
        if (copy.capacity() < last - first) {
          copy.reserve(std::max<uint64_t>(last - first, copy.capacity() * 2));
        }
        const uint32_t lo = b << shift;
        const uint32_t width = std::min<uint64_t>(mask + 1, uint64_t{reached} + 1 - lo);
        std::fill(at.begin(), at.begin() + width + 1, Off{0});
        for (uint64_t k = first; k < last; ++k) ++at[low[k] + 1];
        for (uint32_t x = 1; x <= width; ++x) at[x] += at[x - 1];
        for (uint32_t x = 0; x < width; ++x) out.begin[lo + x] = static_cast<Off>(first + at[x]);
        std::copy(out.list.data() + first, out.list.data() + last, copy.data());
        for (uint64_t k = first; k < last; ++k) out.list[first + at[low[k]]++] = copy[k - first];
      }
    } catch (...) {
      next.store(used);  // the other workers stop too
      const std::lock_guard hold(failed_lock);
      failed = std::current_exception();
    }
  });
  if (failed) std::rethrow_exception(failed);
  out.begin[uint64_t{reached} + 1] = static_cast<Off>(total);
  return out;
}

template Predecessors<uint32_t> build_predecessors<uint32_t>(const Graph&, EdgeFilter,
                                                             const FlatArray<uint32_t>&, uint32_t,
                                                             EdgeBuckets, unsigned,
                                                             hprof::Progress&, const EdgeUse&);
template Predecessors<uint64_t> build_predecessors<uint64_t>(const Graph&, EdgeFilter,
                                                             const FlatArray<uint32_t>&, uint32_t,
                                                             EdgeBuckets, unsigned,
                                                             hprof::Progress&, const EdgeUse&);

}  // namespace heapscope::analysis::detail
