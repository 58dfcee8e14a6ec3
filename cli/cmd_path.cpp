// `heapscope path DUMP --object 0xID`: shortest paths from GC roots to an object.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "heapscope/analysis/paths.h"

namespace heapscope::cli {

int run_path(const CommonOptions& options, const PathOptions& p) {
  ProgressBar progress(options.quiet);
  int rc = kExitOk;
  auto heap = open_heap(options, progress, rc);
  if (!heap) return rc;
  const auto target = parse_object(heap->index(), p.object);
  if (!target) return kExitUsage;
  const auto filter =
      p.all_references ? analysis::EdgeFilter::kAll : analysis::EdgeFilter::kStrongOnly;
  auto engine = build_engine(*heap, options, progress, analysis::EdgeFilter::kAll, rc);
  if (!engine) return rc;
  const auto paths = analysis::shortest_paths_to(*engine, *target, p.max_paths, filter);
  const auto& idx = heap->index();

  auto step_json = [&](const analysis::Path& path, size_t i) {
    const auto& s = path[i];
    nlohmann::ordered_json j;
    j["object_id"] = hex_id(idx.object_id(s.node));
    j["class"] = engine->class_name_of(s.node);
    j["retained_bytes"] = engine->retained().bytes[s.node];
    if (i == 0) {
      j["root"] = analysis::describe_root(*engine, s.node);
    } else {
      j["via"] = analysis::describe_edge(*engine, path[i - 1].node, s.edge);
    }
    return j;
  };
  if (options.format == "json") {
    nlohmann::ordered_json j;
    j["object_id"] = hex_id(idx.object_id(*target));
    j["class"] = engine->class_name_of(*target);
    j["edges"] = p.all_references ? "all references" : "strong references (no Reference.referent)";
    auto arr = nlohmann::ordered_json::array();
    for (const auto& path : paths) {
      auto steps = nlohmann::ordered_json::array();
      for (size_t i = 0; i < path.size(); ++i) steps.push_back(step_json(path, i));
      arr.push_back({{"length", path.size()}, {"steps", steps}});
    }
    j["paths"] = arr;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("%s %s\n", engine->class_name_of(*target).c_str(),
              hex_id(idx.object_id(*target)).c_str());
  if (paths.empty()) {
    std::printf("  no path from a GC root through %s: the object is unreachable%s\n",
                p.all_references ? "any reference" : "strong references",
                p.all_references ? "" : " (try --all-references: it may be held only weakly)");
    return kExitOk;
  }
  for (size_t k = 0; k < paths.size(); ++k) {
    const auto& path = paths[k];
    std::printf("path %zu (%zu steps):\n", k + 1, path.size());
    for (size_t i = 0; i < path.size(); ++i) {
      const auto& s = path[i];
      std::string how;
      if (i == 0) {
        const auto roots = analysis::describe_root(*engine, s.node);
        how = "GC root";
        for (const auto& r : roots) how += (how == "GC root" ? ": " : ", ") + r;
      } else {
        how = analysis::describe_edge(*engine, path[i - 1].node, s.edge);
      }
      std::printf("  %*s%s %s  (%s)  %s\n", static_cast<int>(i) * 2, "",
                  engine->class_name_of(s.node).c_str(), hex_id(idx.object_id(s.node)).c_str(),
                  human_bytes(engine->retained().bytes[s.node]).c_str(), how.c_str());
    }
  }
  return kExitOk;
}

}  // namespace heapscope::cli
