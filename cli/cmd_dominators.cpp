// `heapscope dominators DUMP`: the biggest retainers, as a tree.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "heapscope/analysis/dominators.h"
#include "heapscope/analysis/engine.h"

namespace heapscope::cli {
namespace {

struct Printer {
  const analysis::Engine& engine;
  analysis::DominatorChildren& children;
  size_t top;
  int depth;

  nlohmann::ordered_json node_json(analysis::NodeIndex v, int level) const {
    const auto& idx = engine.index();
    nlohmann::ordered_json j;
    j["object_id"] = hex_id(idx.object_id(v));
    j["class"] = engine.class_name_of(v);
    j["shallow_bytes"] = idx.shallow_size(v);
    j["retained_bytes"] = engine.retained().bytes[v];
    j["retained_count"] = engine.retained().count[v];
    auto kids = nlohmann::ordered_json::array();
    if (level + 1 < depth) {
      const auto c = children.of(v);
      for (size_t i = 0; i < c.size() && i < top; ++i) kids.push_back(node_json(c[i], level + 1));
    }
    j["children"] = kids;
    return j;
  }

  void print_text(analysis::NodeIndex v, int level) const {
    const auto& idx = engine.index();
    std::printf("%*s%-14s %12llu %10u  %s %s\n", level * 2, "",
                human_bytes(engine.retained().bytes[v]).c_str(),
                static_cast<unsigned long long>(idx.shallow_size(v)), engine.retained().count[v],
                engine.class_name_of(v).c_str(), hex_id(idx.object_id(v)).c_str());
    if (level + 1 >= depth) return;
    const auto c = children.of(v);
    for (size_t i = 0; i < c.size() && i < top; ++i) print_text(c[i], level + 1);
    if (c.size() > top) std::printf("%*s... %zu more\n", (level + 1) * 2, "", c.size() - top);
  }
};

}  // namespace

int run_dominators(const CommonOptions& options, const DominatorOptions& d) {
  ProgressBar progress(options.quiet);
  int rc = kExitOk;
  auto heap = open_heap(options, progress, rc);
  if (!heap) return rc;
  const auto filter =
      d.strong_only ? analysis::EdgeFilter::kStrongOnly : analysis::EdgeFilter::kAll;
  auto engine = build_engine(*heap, options, progress, filter, rc);
  if (!engine) return rc;
  analysis::DominatorChildren children(engine->tree(), engine->retained());
  const auto top_level = children.of(engine->tree().root());
  Printer printer{*engine, children, d.top, d.depth};
  const uint32_t unreachable =
      heap->index().object_count() - (engine->tree().reachable_count() - 1);
  if (options.format == "json") {
    nlohmann::ordered_json j;
    j["convention"] = analysis::to_string(filter);
    auto arr = nlohmann::ordered_json::array();
    for (size_t i = 0; i < top_level.size() && i < d.top; ++i)
      arr.push_back(printer.node_json(top_level[i], 0));
    j["dominators"] = arr;
    j["unreachable_objects"] = unreachable;
    j["reachable_objects"] = engine->tree().reachable_count() - 1;
    j["dangling_references"] = engine->graph().dangling_references();
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("retained size convention: %s; %u objects unreachable from GC roots (not shown)\n",
              filter == analysis::EdgeFilter::kAll
                  ? "Eclipse MAT (every reference retains, Reference.referent included)"
                  : "strong references only (Reference.referent does not retain)",
              unreachable);
  std::printf("%-14s %12s %10s  %s\n", "retained", "shallow", "objects", "class / object id");
  for (size_t i = 0; i < top_level.size() && i < d.top; ++i) printer.print_text(top_level[i], 0);
  return kExitOk;
}

}  // namespace heapscope::cli
