// heapscope_retained_query: retained sizes of chosen objects, for comparing conventions and peers
// (docs/notes/retained-size.md). Not part of the CLI: a measuring tool.
//
//   heapscope_retained_query DUMP [--strong-only | --visualvm] [--class-objects-zero] [--referrers]
//                            [--ignore-unreachable-referrers] [--top N] [ID...]
//
// Prints one tab-separated line per object: the N objects with the largest retained sizes over
// the whole dominator tree (not only the root's children, which is what `heapscope dominators`
// lists; VisualVM's getBiggestObjectsByRetainedSize ranks this way), then each ID given (hex with
// 0x, else decimal as VisualVM prints them). Columns: id (hex), id (decimal), class, shallow,
// retained bytes, retained objects, immediate dominator (hex id or "root" / "unreachable"),
// class of the dominator, depth in the dominator tree.
//
// --visualvm models the VisualVM heap library (org.graalvm.visualvm.lib.jfluid.heap 2.1): its
// NearestGCRoot search does not follow Reference.referent of Weak/Soft/Final/PhantomReference,
// so only strongly reachable objects get a dominator; but DominatorTree then intersects the
// dominators of every referrer of an object, referents included, and referrers it never reached
// (unreachable objects) included, which make the root the dominator. So: the dominator tree over
// all edges between strongly reachable objects, plus a root edge to every strongly reachable
// object that an unreachable one references (--ignore-unreachable-referrers leaves that out, to
// show its share). --class-objects-zero counts
// class objects as 0 bytes in retained sizes (VisualVM's retained sizes leave them out).
// --referrers lists, after each ID, every object with an edge to it ("<-" lines: referrer,
// class, whether the edge is a Reference.referent, whether the referrer is reachable).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/heap.h"

namespace {

using namespace heapscope;

uint64_t parse_id(const char* s) {
  if (std::strncmp(s, "0x", 2) == 0 || std::strncmp(s, "0X", 2) == 0)
    return std::strtoull(s + 2, nullptr, 16);
  return std::strtoull(s, nullptr, 10);
}

struct View {
  const analysis::Engine& e;
  const analysis::DominatorTree& tree;
  const analysis::Retained& retained;
};

void print(const View& view, analysis::NodeIndex v) {
  const auto& e = view.e;
  const auto& idx = e.index();
  const auto& tree = view.tree;
  std::string dom = "unreachable", dom_class = "-";
  uint32_t depth = 0;
  if (tree.reachable(v)) {
    const auto d = tree.idom(v);
    if (d == tree.root()) {
      dom = "root";
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(idx.object_id(d)));
      dom = buf;
      dom_class = e.class_name_of(d);
    }
    for (auto u = v; u != tree.root(); u = tree.idom(u)) ++depth;
  }
  std::printf("0x%llx\t%llu\t%s\t%llu\t%llu\t%u\t%s\t%s\t%u\n",
              static_cast<unsigned long long>(idx.object_id(v)),
              static_cast<unsigned long long>(idx.object_id(v)), e.class_name_of(v).c_str(),
              static_cast<unsigned long long>(idx.shallow_size(v)),
              static_cast<unsigned long long>(view.retained.bytes[v]), view.retained.count[v],
              dom.c_str(), dom_class.c_str(), depth);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DUMP [--strong-only] [--top N] [ID...]\n", argv[0]);
    return 2;
  }
  analysis::EngineOptions options;
  size_t top = 20;
  bool visualvm = false, class_objects_zero = false, referrers = false,
       unreachable_referrers = true;
  std::vector<uint64_t> ids;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--strong-only") == 0) {
      options.filter = analysis::EdgeFilter::kStrongOnly;
    } else if (std::strcmp(argv[i], "--visualvm") == 0) {
      options.filter = analysis::EdgeFilter::kStrongOnly;
      visualvm = true;
    } else if (std::strcmp(argv[i], "--ignore-unreachable-referrers") == 0) {
      unreachable_referrers = false;
    } else if (std::strcmp(argv[i], "--referrers") == 0) {
      referrers = true;
    } else if (std::strcmp(argv[i], "--class-objects-zero") == 0) {
      class_objects_zero = true;
    } else if (std::strcmp(argv[i], "--top") == 0 && i + 1 < argc) {
      top = std::strtoull(argv[++i], nullptr, 10);
    } else {
      ids.push_back(parse_id(argv[i]));
    }
  }
  auto heap = analysis::Heap::open(argv[1]);
  if (!heap) {
    std::fprintf(stderr, "%s\n", heap.error().describe().c_str());
    return 3;
  }
  auto engine = analysis::Engine::build(*heap, options);
  if (!engine) {
    std::fprintf(stderr, "%s\n", engine.error().describe().c_str());
    return 3;
  }
  const auto& idx = engine->index();
  const analysis::DominatorTree* tree = &engine->tree();
  analysis::DominatorTree vv_tree;
  if (visualvm) {
    // Every edge between strongly reachable objects, referents included.
    const auto& g = engine->graph();
    std::vector<std::pair<analysis::NodeIndex, analysis::NodeIndex>> edges;
    std::vector<analysis::NodeIndex> roots;
    for (analysis::NodeIndex u = 0; u < g.node_count(); ++u) {
      for (const auto t : g.successors(u)) {
        if (!tree->reachable(t) || t == g.root()) continue;
        // A referrer the search did not reach (garbage in a live=false dump, or an object
        // reachable only through referents) makes VisualVM's intersection give up: the
        // object hangs off the root.
        if (u == g.root()) {
          roots.push_back(t);
        } else if (!tree->reachable(u)) {
          if (unreachable_referrers) roots.push_back(t);
        } else {
          edges.emplace_back(u, t);
        }
      }
    }
    const auto vg = analysis::Graph::from_edges(idx.object_count(), edges, roots);
    vv_tree = analysis::DominatorTree::compute(vg, analysis::EdgeFilter::kAll);
    tree = &vv_tree;
  }
  std::vector<uint64_t> shallow(uint64_t{idx.object_count()} + 1, 0);
  for (analysis::NodeIndex o = 0; o < idx.object_count(); ++o) {
    if (!(class_objects_zero && idx.kind(o) == hprof::ObjectKind::kClass))
      shallow[o] = idx.shallow_size(o);
  }
  const auto retained = analysis::compute_retained(*tree, shallow);
  const View view{*engine, *tree, retained};
  std::printf("# convention %s%s; %u objects, %u reachable\n",
              visualvm ? "visualvm (strong reachability, dominance over all edges)"
                       : analysis::to_string(options.filter),
              class_objects_zero ? ", class objects 0 bytes" : "", idx.object_count(),
              tree->reachable_count() - 1);
  std::vector<analysis::NodeIndex> order(idx.object_count());
  std::iota(order.begin(), order.end(), 0);
  top = std::min(top, order.size());
  const auto& bytes = retained.bytes;
  std::partial_sort(
      order.begin(), order.begin() + static_cast<long>(top), order.end(),
      [&](auto a, auto b) { return bytes[a] != bytes[b] ? bytes[a] > bytes[b] : a < b; });
  for (size_t i = 0; i < top; ++i) print(view, order[i]);
  for (uint64_t id : ids) {
    const auto o = idx.find(id);
    if (o == hprof::kNoObject) {
      std::printf("0x%llx\t%llu\tnot in the dump\n", static_cast<unsigned long long>(id),
                  static_cast<unsigned long long>(id));
      continue;
    }
    print(view, o);
    if (!referrers) continue;
    const auto& g = engine->graph();
    for (analysis::NodeIndex u = 0; u < g.node_count(); ++u) {
      for (uint64_t e = g.edge_begin(u); e < g.edge_end(u); ++e) {
        if (g.target(e) != o) continue;
        std::printf("  <-\t%s\t%s\t%s\t%s\n",
                    u == g.root()
                        ? "root"
                        : ("0x" +
                           [&] {
                             char buf[24];
                             std::snprintf(buf, sizeof buf, "%llx",
                                           static_cast<unsigned long long>(idx.object_id(u)));
                             return std::string(buf);
                           }())
                              .c_str(),
                    engine->class_name_of(u).c_str(), g.is_referent(e) ? "referent" : "strong",
                    tree->reachable(u) ? "reachable" : "unreachable");
      }
    }
  }
  return 0;
}
