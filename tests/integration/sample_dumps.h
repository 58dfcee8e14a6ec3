// Shared by the integration tests: where the sample dumps are, their sidecars, opening a dump
// with its engine, and brute-force reachability (the oracle every retained-size check uses).
//
// The dumps are written by the samples/ Java programs (CMake target sample-dumps, run by the
// CTest fixture "sample_dumps"); each <Name>-jdk<major>.hprof has a <Name>-jdk<major>.json
// sidecar with the exact numbers the program built.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/heap.h"

namespace heapscope::itest {

using analysis::EdgeFilter;
using analysis::NodeIndex;
using hprof::ClassIndex;
using hprof::ObjectIndex;

// HEAPSCOPE_SAMPLE_DUMPS_DIR from the environment, else the directory configured at build time.
std::filesystem::path dumps_dir();
// JDK majors that get dumps (HEAPSCOPE_SAMPLE_DUMPS_JDKS at configure time).
std::vector<int> jdks();

// One sample dump file: "PgTimerLeak", 17, ".hprof" -> PgTimerLeak-jdk17.hprof.
struct Sample {
  Sample(std::string program_, int jdk_, std::string variant_ = "",
         std::string extension_ = ".hprof")
      : program(std::move(program_)),
        jdk(jdk_),
        variant(std::move(variant_)),
        extension(std::move(extension_)) {}

  std::string program;
  int jdk = 17;
  std::string variant;  // "" or "-chunked"
  std::string extension = ".hprof";

  std::filesystem::path dump() const;
  std::filesystem::path sidecar() const;
  // Test-name friendly: "PgTimerLeak_jdk17", "PgTimerLeak_chunked_jdk17".
  std::string name() const;
};
// For gtest messages ("where GetParam() = PgTimerLeak-jdk17.hprof").
inline void PrintTo(const Sample& s, std::ostream* os) {
  *os << s.dump().filename().string();
}

// Every plain dump of `programs` for every JDK; with_chunked adds the PgTimerLeak chunked dumps.
std::vector<Sample> samples(const std::vector<std::string>& programs, bool with_chunked = false);
std::vector<Sample> all_samples(bool with_chunked = true);

nlohmann::json read_sidecar(const Sample& s);

// A dump opened and indexed, with its engine (EdgeFilter::kAll unless told otherwise).
struct Opened {
  std::unique_ptr<analysis::Heap> heap;
  std::unique_ptr<analysis::Engine> engine;
  std::string error;  // non-empty when opening failed

  const hprof::Index& index() const { return heap->index(); }
  const analysis::Graph& graph() const { return engine->graph(); }
  const analysis::FieldLayouts& layouts() const { return engine->layouts(); }
};
Opened open_sample(const std::filesystem::path& path, EdgeFilter filter = EdgeFilter::kAll);

// Objects per exact class name, counted through Index::class_of (summed over classes sharing a
// name; class objects count as java.lang.Class, as in the histogram).
std::map<std::string, uint64_t> count_by_class_name(const hprof::Index& index);

// All objects whose class has this exact name.
std::vector<ObjectIndex> instances_of(const hprof::Index& index, std::string_view class_name);
// All instances of classes that are `ancestor` or extend it.
std::vector<ObjectIndex> instances_of_subclasses(const analysis::FieldLayouts& layouts,
                                                 std::string_view ancestor);

// Field `name` declared by `declaring` of instance `o`; nullopt when there is no such field.
std::optional<analysis::FieldValue> field(const analysis::FieldLayouts& layouts, ObjectIndex o,
                                          std::string_view declaring, std::string_view name);
// An object field as an object index (kNoObject when null or not in the dump).
ObjectIndex ref_field(const analysis::FieldLayouts& layouts, ObjectIndex o,
                      std::string_view declaring, std::string_view name);
// Static object field of the class named `class_name` (kNoObject when absent).
ObjectIndex static_ref(const hprof::Index& index, std::string_view class_name,
                       std::string_view name);
// Elements of an object array (kNoObject for null / absent ids).
std::vector<ObjectIndex> array_elements(const hprof::Index& index, ObjectIndex array);

// Nodes reachable from the virtual root through edges `filter` keeps, never entering a node
// with removed[n] != 0 (removed may be empty).
std::vector<uint8_t> reachable(const analysis::Graph& g, EdgeFilter filter,
                               const std::vector<uint8_t>& removed = {});
// The same with any edge predicate: follow(from, edge) == true follows the edge.
std::vector<uint8_t> reachable_through(
    const analysis::Graph& g, const std::function<bool(NodeIndex from, uint64_t edge)>& follow);
// Breadth-first search that records each node's BFS parent (kNoNode for the root / unseen).
std::vector<NodeIndex> bfs_parents(const analysis::Graph& g, EdgeFilter filter,
                                   const std::vector<uint8_t>& removed = {});
// The immediate dominator of `target` by definition: the strict dominators lie on any one
// root path; each is tested by removing it. Returns the one nearest `target` (or the root).
NodeIndex brute_force_idom(const analysis::Graph& g, EdgeFilter filter, NodeIndex target);

// Nodes the dominator tree puts under `top` (top included).
std::vector<uint8_t> dominator_subtree(const analysis::DominatorTree& tree, NodeIndex top);

// Thread object whose Thread.name is `name` (kNoObject when there is none, or several).
ObjectIndex find_thread(const analysis::Engine& engine, std::string_view name);

}  // namespace heapscope::itest
