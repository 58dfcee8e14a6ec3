// Shortest paths from the GC roots to an object, by breadth-first search over the graph with an
// explicit edge filter (paths shown to people skip Reference.referent: EdgeFilter::kStrongOnly).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "heapscope/analysis/engine.h"

namespace heapscope::analysis {

// One step of a path: `node`, reached from the previous step through `edge` (a position in the
// graph, kNoEdge for the first step, which is a GC root).
struct PathStep {
  NodeIndex node = kNoNode;
  uint64_t edge = ~uint64_t{0};
};
using Path = std::vector<PathStep>;  // root first, the target last

// Up to `max_paths` shortest paths to `target`, each through a different last referrer, shortest
// first. Empty when the target is unreachable under `filter`.
std::vector<Path> shortest_paths_to(const Engine& engine, NodeIndex target, size_t max_paths,
                                    EdgeFilter filter = EdgeFilter::kStrongOnly);

// How `from` refers to the target of `edge`: "field next", "[12]", "static INSTANCE",
// "<class>", "<super>", "<loader>", "local variable", "referent".
std::string describe_edge(const Engine& engine, NodeIndex from, uint64_t edge);

// Why a GC root is one: "ROOT_STICKY_CLASS", "ROOT_JNI_GLOBAL", or for a thread's local
// "local variable of thread \"main\" at com.acme.Foo.bar(Foo.java:42)".
std::vector<std::string> describe_root(const Engine& engine, NodeIndex root_object);

// "at com.acme.Foo.bar(Foo.java:42)" for a frame id; "" when unknown.
std::string describe_frame(const hprof::Index& index, uint64_t frame_id);

}  // namespace heapscope::analysis
