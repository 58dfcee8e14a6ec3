// `heapscope path DUMP --object 0xID`: shortest paths from GC roots to an object.
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "heapscope/analysis/render_views.h"
#include "heapscope/analysis/views.h"

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
  const auto v = analysis::paths_view(*engine, *target, p.max_paths, filter);
  if (options.format == "json") {
    std::cout << analysis::render_json(v);
    return kExitOk;
  }
  std::printf("%s %s\n", v.klass.c_str(), hex_id(v.object_id).c_str());
  if (v.paths.empty()) {
    std::printf("  no path from a GC root through %s: the object is unreachable%s\n",
                p.all_references ? "any reference" : "strong references",
                p.all_references ? "" : " (try --all-references: it may be held only weakly)");
    return kExitOk;
  }
  for (size_t k = 0; k < v.paths.size(); ++k) {
    const auto& path = v.paths[k];
    std::printf("path %zu (%zu steps):\n", k + 1, path.size());
    for (size_t i = 0; i < path.size(); ++i) {
      const auto& s = path[i];
      std::string how = s.via;
      if (i == 0) {
        how = "GC root";
        for (const auto& r : s.root) how += (how == "GC root" ? ": " : ", ") + r;
      }
      std::printf("  %*s%s %s  (%s)  %s\n", static_cast<int>(i) * 2, "", s.klass.c_str(),
                  hex_id(s.object_id).c_str(), human_bytes(s.retained_bytes).c_str(), how.c_str());
    }
  }
  return kExitOk;
}

}  // namespace heapscope::cli
