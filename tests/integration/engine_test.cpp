// The engine on every sample dump, under both edge filters: the dominator tree passes the
// LLVM-style verifier on a sample of nodes (the root's biggest children and nodes spread over
// the preorder), reachability adds up, and retained sizes of sampled nodes equal what becomes
// unreachable when the node is removed (the definition, by brute force).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "class_retained.h"
#include "heapscope/analysis/histogram.h"
#include "heapscope/analysis/render_views.h"
#include "heapscope/analysis/views.h"
#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

struct Case {
  Sample sample;
  EdgeFilter filter;
};
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.sample.dump().filename().string() << " " << analysis::to_string(c.filter);
}

class EngineOnSample : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    opened_ = open_sample(GetParam().sample.dump(), EdgeFilter::kAll);
    ASSERT_TRUE(opened_.error.empty()) << opened_.error;
    if (GetParam().filter == EdgeFilter::kAll) {
      tree_ = &opened_.engine->tree();
      retained_ = &opened_.engine->retained();
    } else {
      own_tree_ = analysis::DominatorTree::compute(opened_.graph(), GetParam().filter);
      own_retained_ = analysis::compute_retained(own_tree_, opened_.index());
      tree_ = &own_tree_;
      retained_ = &own_retained_;
    }
  }

  // ~200 nodes: the root's 24 biggest children, then nodes evenly spread over the preorder.
  std::vector<NodeIndex> sample_nodes() const {
    analysis::DominatorChildren children(*tree_, *retained_);
    const auto top = children.of(tree_->root());
    std::vector<NodeIndex> out(top.begin(), top.begin() + std::min<size_t>(24, top.size()));
    const auto pre = tree_->preorder();
    const size_t step = std::max<size_t>(1, pre.size() / 176);
    for (size_t i = 1; i < pre.size(); i += step) out.push_back(pre[i]);
    return out;
  }

  Opened opened_;
  analysis::DominatorTree own_tree_;
  analysis::Retained own_retained_;
  const analysis::DominatorTree* tree_ = nullptr;
  const analysis::Retained* retained_ = nullptr;
};

TEST_P(EngineOnSample, VerifierAcceptsTheTree) {
  const auto nodes = sample_nodes();
  ASSERT_GE(nodes.size(), 150u);
  EXPECT_EQ(tree_->filter(), GetParam().filter);
  EXPECT_EQ(analysis::verify_dominators(opened_.graph(), *tree_, nodes), "");
}

TEST_P(EngineOnSample, ReachableAndUnreachableAddUp) {
  const auto& idx = opened_.index();
  const auto& g = opened_.graph();
  ASSERT_EQ(g.node_count(), idx.object_count() + 1);
  ASSERT_EQ(tree_->root(), g.root());
  const auto seen = reachable(g, GetParam().filter);
  uint32_t unreachable = 0;
  uint64_t reachable_bytes = 0;
  for (ObjectIndex o = 0; o < idx.object_count(); ++o) {
    ASSERT_EQ(tree_->reachable(o), seen[o] != 0) << "object " << o;
    if (tree_->reachable(o)) {
      reachable_bytes += idx.shallow_size(o);
    } else {
      ++unreachable;
      EXPECT_EQ(retained_->bytes[o], 0u);
    }
  }
  EXPECT_EQ(tree_->reachable_count() - 1 + unreachable, idx.object_count());
  EXPECT_GT(tree_->reachable_count(), idx.object_count() / 2);
  // The virtual root keeps every reachable object and counts nothing of its own.
  EXPECT_EQ(retained_->count[g.root()], tree_->reachable_count() - 1);
  EXPECT_EQ(retained_->bytes[g.root()], reachable_bytes);
}

TEST_P(EngineOnSample, StrongReachabilityIsASubsetOfAll) {
  const auto& g = opened_.graph();
  const auto all = reachable(g, EdgeFilter::kAll);
  const auto strong = reachable(g, EdgeFilter::kStrongOnly);
  for (NodeIndex v = 0; v < g.node_count(); ++v) {
    if (strong[v]) {
      ASSERT_TRUE(all[v]) << "node " << v;
    }
  }
}

// retained(v) = shallow bytes of v and of all it alone keeps reachable (removal oracle).
TEST_P(EngineOnSample, RetainedSizesOfSampledNodesMatchRemoval) {
  const auto& idx = opened_.index();
  const auto& g = opened_.graph();
  const auto filter = GetParam().filter;
  const auto base = reachable(g, filter);
  auto nodes = sample_nodes();
  nodes.resize(std::min<size_t>(nodes.size(), 40));  // the big ones and a spread of others
  std::vector<uint8_t> removed(g.node_count(), 0);
  for (NodeIndex v : nodes) {
    removed[v] = 1;
    const auto without = reachable(g, filter, removed);
    removed[v] = 0;
    uint64_t bytes = 0;
    uint32_t count = 0;
    for (ObjectIndex o = 0; o < idx.object_count(); ++o) {
      if (base[o] && !without[o]) {
        bytes += idx.shallow_size(o);
        ++count;
      }
    }
    EXPECT_EQ(retained_->bytes[v], bytes) << opened_.engine->class_name_of(v) << " node " << v;
    EXPECT_EQ(retained_->count[v], count) << opened_.engine->class_name_of(v) << " node " << v;
  }
}

// add_retained: a class retains the union of its instances' dominator subtrees (MAT's class
// retained heap), here computed per class by one pass over the preorder; the ordered passes
// used under a memory limit give the same number for every class.
TEST_P(EngineOnSample, ClassRetainedIsTheUnionOfInstanceSubtrees) {
  const auto filter = GetParam().filter;
  Opened o = filter == EdgeFilter::kAll ? std::move(opened_)
                                        : open_sample(GetParam().sample.dump(), filter);
  ASSERT_TRUE(o.error.empty()) << o.error;
  const auto& idx = o.index();
  const auto& tree = o.engine->tree();
  auto rows = analysis::class_histogram(idx, analysis::HistogramSort::kShallow);
  analysis::add_retained(rows, *o.engine);
  analysis::sort_histogram(rows, idx, analysis::HistogramSort::kRetained);
  ASSERT_GT(rows.size(), 12u);
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_GE(rows[i - 1].retained_bytes, rows[i].retained_bytes);
  }
  // The 12 biggest and a spread of the others.
  std::vector<size_t> picks;
  for (size_t i = 0; i < 12; ++i) picks.push_back(i);
  for (size_t i = 12; i < rows.size(); i += std::max<size_t>(1, rows.size() / 20)) {
    picks.push_back(i);
  }
  std::vector<uint8_t> under(tree.root() + 1, 0);
  for (size_t i : picks) {
    const auto klass = rows[i].klass;
    uint64_t bytes = 0;
    for (NodeIndex v : tree.preorder()) {
      if (v == tree.root()) continue;
      under[v] = idx.class_of(v) == klass || under[tree.idom(v)];
      if (under[v]) bytes += idx.shallow_size(v);
    }
    EXPECT_EQ(rows[i].retained_bytes, bytes) << idx.class_info(klass).name;
  }
  // In memory the tree gives its dominators' numbers back: the ordered passes rebuild them here
  // (spill_test checks the same passes in number space, Retained::by_class).
  EXPECT_TRUE(o.engine->tree().idom_numbers().empty());
  const auto placed =
      analysis::class_retained_bytes(*o.engine, analysis::ClassRetainedWalk::kPlacement);
  const auto passes =
      analysis::class_retained_bytes(*o.engine, analysis::ClassRetainedWalk::kOrderedPasses);
  EXPECT_EQ(passes, placed);
  for (const auto& r : rows) EXPECT_EQ(placed[r.klass], r.retained_bytes);
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const auto& s : all_samples(true)) {
    out.push_back({s, EdgeFilter::kAll});
    out.push_back({s, EdgeFilter::kStrongOnly});
  }
  return out;
}

// Notes when the engine begins `phase` (read from any thread) and, with `cancel`, cancels from
// there on.
class PhaseWatch final : public hprof::Progress {
 public:
  PhaseWatch(std::string phase, bool cancel) : phase_(std::move(phase)), cancel_(cancel) {}
  void begin(std::string_view phase, uint64_t) override {
    if (phase == phase_) reached_ = true;
  }
  void advance(uint64_t) override {}
  bool cancelled() const override { return cancel_ && reached_; }
  bool reached() const { return reached_; }

 private:
  std::string phase_;
  bool cancel_;
  std::atomic<bool> reached_ = false;
};

// The `dominators` command's view, by passes over the tree, equals the view from child lists
// (what the GUI and the C API browse), at the top and below a node, at several depths.
TEST_P(EngineOnSample, ScanningDominatorsViewEqualsTheListView) {
  analysis::EngineOptions eo;
  eo.filter = GetParam().filter;
  auto built = analysis::Engine::build(*opened_.heap, eo);
  ASSERT_TRUE(built) << built.error().describe();
  const auto& engine = *built;
  analysis::DominatorChildren children(engine.tree(), engine.retained());
  const auto top = children.of(engine.tree().root());
  ASSERT_FALSE(top.empty());
  const NodeIndex below = top[0];
  struct Ask {
    NodeIndex of;
    size_t top;
    int depth;
  };
  for (const Ask a : {Ask{analysis::kNoNode, 20, 1}, Ask{analysis::kNoNode, 5, 3},
                      Ask{analysis::kNoNode, 1000, 2}, Ask{below, 3, 4}, Ask{below, 0, 2}}) {
    const auto lists = analysis::dominators_view(engine, children, a.of, a.top, a.depth);
    const auto scanned = analysis::dominators_view(engine, a.of, a.top, a.depth);
    ASSERT_FALSE(lists.nodes.empty() && a.top > 0);
    EXPECT_EQ(analysis::render_json(scanned), analysis::render_json(lists))
        << "top " << a.top << " depth " << a.depth;
  }
}

// keep_graph = false (the `dominators` command): the edges go before SEMI-NCA, and the tree and
// retained sizes are the ones of an engine that kept them; node_count() still answers.
TEST_P(EngineOnSample, GivingTheGraphBackEarlyKeepsTreeAndRetained) {
  analysis::EngineOptions eo;
  eo.filter = GetParam().filter;
  eo.keep_graph = false;
  auto lean = analysis::Engine::build(*opened_.heap, eo);
  ASSERT_TRUE(lean) << lean.error().describe();
  const uint32_t n = opened_.graph().node_count();
  EXPECT_FALSE(lean->graph().has_edges());
  EXPECT_TRUE(opened_.graph().has_edges());
  EXPECT_EQ(lean->graph().node_count(), n);
  EXPECT_EQ(lean->graph().dangling_references(), opened_.graph().dangling_references());
  ASSERT_EQ(lean->tree().reachable_count(), tree_->reachable_count());
  for (NodeIndex v = 0; v < n; ++v) {
    ASSERT_EQ(lean->tree().idom(v), tree_->idom(v)) << v;
    ASSERT_EQ(lean->retained().bytes[v], retained_->bytes[v]) << v;
    ASSERT_EQ(lean->retained().count[v], retained_->count[v]) << v;
  }
}

// The retained bytes per class come beside the retained sizes unless the face asks for none
// (`dominators`); add_retained then walks the tree for them, to the same figures.
TEST_P(EngineOnSample, ClassRetainedBesideTheSizesOrOnRequest) {
  analysis::EngineOptions eo;
  eo.filter = GetParam().filter;
  eo.keep_graph = false;
  eo.class_retained = false;
  auto lean = analysis::Engine::build(*opened_.heap, eo);
  ASSERT_TRUE(lean) << lean.error().describe();
  EXPECT_TRUE(lean->retained().by_class.empty());
  eo.class_retained = true;
  auto full = analysis::Engine::build(*opened_.heap, eo);
  ASSERT_TRUE(full) << full.error().describe();
  const auto& by_class = full->retained().by_class;
  ASSERT_EQ(by_class.size(), opened_.index().class_count());
  EXPECT_EQ(by_class,
            analysis::class_retained_bytes(*lean, analysis::ClassRetainedWalk::kOrderedPasses));
  uint64_t sum = 0;
  for (uint64_t b : by_class) sum += b;
  EXPECT_GT(sum, 0u);
  const uint32_t n = opened_.graph().node_count();
  for (NodeIndex v = 0; v < n; ++v) {
    ASSERT_EQ(full->retained().bytes[v], lean->retained().bytes[v]) << v;
    ASSERT_EQ(full->retained().count[v], lean->retained().count[v]) << v;
  }
}

// keep_graph = false with work beside the tree (`analyze`): the edges go back only when both the
// tree and that work are done with them, whichever ends last, and that work sees every edge.
TEST(EngineRelease, EdgesGoBackAfterTheLastReader) {
  const Sample sample("PgTimerLeak", jdks().front());
  auto heap = analysis::Heap::open(sample.dump().string());
  ASSERT_TRUE(heap) << heap.error().describe();
  uint64_t all_edges = 0;
  {
    auto kept = analysis::Engine::build(*heap, {});
    ASSERT_TRUE(kept) << kept.error().describe();
    all_edges = kept->graph().edge_count();
    ASSERT_GT(all_edges, 0u);
  }
  for (const bool beside_ends_last : {false, true}) {
    PhaseWatch progress("dominators: semi-nca", /*cancel=*/false);
    analysis::EngineOptions options;
    options.progress = &progress;
    options.keep_graph = false;
    uint64_t seen = 0;
    bool had_edges = false;
    options.alongside_dominators = [&](const analysis::Engine& e) {
      // Ends after the tree has given up its share of the edges (it is in SEMI-NCA).
      while (beside_ends_last && !progress.reached()) std::this_thread::yield();
      had_edges = e.graph().has_edges();
      const uint32_t n = e.graph().node_count();
      for (analysis::NodeIndex v = 0; v < n; ++v) seen += e.graph().successors(v).size();
    };
    auto engine = analysis::Engine::build(*heap, options);
    ASSERT_TRUE(engine) << engine.error().describe();
    EXPECT_TRUE(had_edges) << beside_ends_last;
    EXPECT_EQ(seen, all_edges) << beside_ends_last;
    EXPECT_FALSE(engine->graph().has_edges()) << beside_ends_last;
  }
}

// Cancelling in any phase of the engine ends Engine::build with kCancelled (the GUI's Cancel);
// the analyzers beside the dominator tree stop too.
TEST(EngineCancel, EveryPhaseStopsWithCancelled) {
  const Sample sample("PgTimerLeak", jdks().front());
  auto heap = analysis::Heap::open(sample.dump().string());
  ASSERT_TRUE(heap) << heap.error().describe();
  for (const char* phase :
       {"build graph", "dominators: dfs", "dominators: predecessors", "dominators: semi-nca"}) {
    PhaseWatch progress(phase, /*cancel=*/true);
    analysis::EngineOptions options;
    options.progress = &progress;
    bool beside_ran = false;
    options.alongside_dominators = [&](const analysis::Engine&) { beside_ran = true; };
    auto engine = analysis::Engine::build(*heap, options);
    ASSERT_TRUE(progress.reached()) << phase;
    ASSERT_FALSE(engine) << phase;
    EXPECT_EQ(engine.error().code, hprof::ErrorCode::kCancelled) << phase;
    // Cancelled before the graph is done: nothing runs beside the tree.
    EXPECT_EQ(beside_ran, std::string_view(phase) != "build graph") << phase;
  }
  // Not cancelled: the same options build the engine.
  PhaseWatch never("no such phase", /*cancel=*/true);
  analysis::EngineOptions options;
  options.progress = &never;
  EXPECT_TRUE(analysis::Engine::build(*heap, options));
}

INSTANTIATE_TEST_SUITE_P(Samples, EngineOnSample, ::testing::ValuesIn(cases()),
                         [](const auto& info) {
                           return info.param.sample.name() +
                                  (info.param.filter == EdgeFilter::kAll ? "_all" : "_strong");
                         });

}  // namespace
}  // namespace heapscope::itest
