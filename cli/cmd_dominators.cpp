// `heapscope dominators DUMP`: the biggest retainers, as a tree.
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "heapscope/analysis/dominators.h"
#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/render_views.h"
#include "heapscope/analysis/views.h"

namespace heapscope::cli {
namespace {

void print_text(const analysis::DominatorsView& v, int depth) {
  struct More {
    int level;  // of the node whose children were cut
    size_t count;
  };
  std::vector<More> pending;  // "... N more" lines, printed once the node's subtree is done
  auto flush = [&](int level) {
    while (!pending.empty() && pending.back().level >= level) {
      std::printf("%*s... %zu more\n", (pending.back().level + 1) * 2, "", pending.back().count);
      pending.pop_back();
    }
  };
  for (const auto& n : v.nodes) {
    flush(n.level);
    std::printf("%*s%-14s %12llu %10u  %s %s\n", n.level * 2, "",
                human_bytes(n.retained_bytes).c_str(),
                static_cast<unsigned long long>(n.shallow_bytes), n.retained_count, n.klass.c_str(),
                hex_id(n.object_id).c_str());
    if (n.level + 1 < depth && n.hidden_children > 0)
      pending.push_back({n.level, n.hidden_children});
  }
  flush(0);
}

}  // namespace

int run_dominators(const CommonOptions& options, const DominatorOptions& d) {
  ProgressBar progress(options.quiet);
  int rc = kExitOk;
  auto heap = open_heap(options, progress, rc);
  if (!heap) return rc;
  hprof::ObjectIndex of = analysis::kNoNode;
  if (!d.object.empty()) {
    const auto o = parse_object(heap->index(), d.object);
    if (!o) return kExitUsage;
    of = *o;
  }
  const auto filter =
      d.strong_only ? analysis::EdgeFilter::kStrongOnly : analysis::EdgeFilter::kAll;
  // Nothing after the tree follows an edge, and the view scans the tree instead of building
  // child lists: the graph goes as soon as the tree has its predecessor lists. No histogram:
  // no retained bytes per class.
  auto engine = build_engine(*heap, options, progress, filter, rc, {}, nullptr, false, false);
  if (!engine) return rc;
  engine->release_graph();  // when a cache file was written, the graph was kept for it
  progress.begin("dominators view", 0);
  const auto v = analysis::dominators_view(*engine, of, d.top, d.depth);
  if (options.format == "json") {
    std::cout << analysis::render_json(v);
    return kExitOk;
  }
  std::printf("retained size convention: %s; %u objects unreachable from GC roots (not shown)\n",
              filter == analysis::EdgeFilter::kAll
                  ? "Eclipse MAT (every reference retains, Reference.referent included)"
                  : "strong references only (Reference.referent does not retain)",
              v.unreachable_objects);
  if (v.of) {
    std::printf("dominated by %s %s\n", engine->class_name_of(of).c_str(), hex_id(*v.of).c_str());
  }
  std::printf("%-14s %12s %10s  %s\n", "retained", "shallow", "objects", "class / object id");
  print_text(v, d.depth);
  return kExitOk;
}

}  // namespace heapscope::cli
