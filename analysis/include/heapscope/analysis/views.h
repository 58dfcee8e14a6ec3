// What every face shows besides the report: the file (info), the class histogram, the top of the
// dominator tree or the children of one object, paths from GC roots, and one object with its
// fields, array elements and referrers. Plain structs, collected from the engine here once; the
// CLI, the GUI and the C ABI render them (render_views.h for the JSON every face shares) and
// never decode fields or walk the graph themselves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/histogram.h"

namespace heapscope::analysis {

// ---- info: the file, its records and how well it parsed ----
struct InfoView {
  std::string version;  // "1.0.2"
  uint32_t id_size = 0;
  uint64_t timestamp_ms = 0;
  std::string compression;
  uint64_t file_bytes = 0;
  std::vector<std::pair<std::string, uint64_t>> records;      // by tag code
  std::vector<std::pair<std::string, uint64_t>> sub_records;  // by tag code
  std::vector<std::pair<std::string, uint64_t>> gc_roots;     // by name
  uint64_t gc_roots_total = 0;
  uint64_t classes = 0, instances = 0, object_arrays = 0, primitive_arrays = 0, objects = 0;
  uint64_t threads = 0, stack_traces = 0;
  uint64_t shallow_bytes = 0;
  hprof::LayoutAssumptions layout;
  hprof::ParseStats stats;
  double percent_used() const;
};
InfoView info_view(const Heap& heap);

// ---- histogram: instances and bytes per class ----
struct HistogramView {
  struct Row {
    std::string klass;
    uint64_t count = 0;
    uint64_t shallow_bytes = 0;
    uint64_t retained_bytes = 0;
  };
  HistogramSort sort = HistogramSort::kShallow;
  std::optional<EdgeFilter> convention;  // set when retained bytes were computed
  size_t total_classes = 0;
  uint64_t total_count = 0;          // over every class, shown or not
  uint64_t total_shallow_bytes = 0;  // over every class, shown or not
  std::vector<Row> rows;             // the first `top`, in `sort` order
};
// `engine` (may be null unless sort is kRetained) gives the retained bytes; top 0 = every class.
HistogramView histogram_view(const hprof::Index& index, HistogramSort sort, size_t top,
                             const Engine* engine);
const char* to_string(HistogramSort sort);  // "count", "shallow", "retained"

// ---- dominators: the biggest retainers, or the children of one object ----
struct DominatorsView {
  struct Node {
    int level = 0;  // 0 = a child of `of` (or of the GC roots); pre-order
    uint64_t object_id = 0;
    std::string klass;
    uint64_t shallow_bytes = 0;
    uint64_t retained_bytes = 0;
    uint32_t retained_count = 0;
    size_t hidden_children = 0;  // children beyond `top` (at the last level: all of them)
  };
  EdgeFilter convention = EdgeFilter::kAll;
  std::optional<uint64_t> of;  // the object whose children these are; nullopt = the GC roots
  std::vector<Node> nodes;
  uint32_t unreachable_objects = 0;
  uint32_t reachable_objects = 0;
  uint64_t dangling_references = 0;
};
// Up to `top` children per node, biggest retained first, `depth` levels (>= 1). `children` is
// the engine's (lazily sorted) child lists; `of` = kNoNode for the top of the tree.
DominatorsView dominators_view(const Engine& engine, DominatorChildren& children, NodeIndex of,
                               size_t top, int depth);
// The same view without child lists: `depth` + 1 passes over the tree, for a face that shows it
// once (the `dominators` command) and needs neither the lists' memory (~9 B per object) nor
// their construction. The graph may have been released (Engine::release_graph).
DominatorsView dominators_view(const Engine& engine, NodeIndex of, size_t top, int depth);

// ---- paths from GC roots ----
struct PathsView {
  struct Step {
    uint64_t object_id = 0;
    std::string klass;
    uint64_t retained_bytes = 0;
    std::vector<std::string> root;  // the first step: why it is a GC root
    std::string via;                // the other steps: how the previous one refers to it
  };
  uint64_t object_id = 0;
  std::string klass;
  EdgeFilter edges = EdgeFilter::kStrongOnly;
  std::vector<std::vector<Step>> paths;  // GC root first, shortest first
};
PathsView paths_view(const Engine& engine, NodeIndex target, size_t max_paths, EdgeFilter edges);

// ---- one object: class, sizes, fields or elements, referrers ----
struct ValueView {
  enum class Kind : uint8_t { kMissing, kNull, kReference, kBoolean, kChar, kInteger, kFloat };
  Kind kind = Kind::kMissing;
  int64_t integer = 0;                     // kInteger, kChar (the UTF-16 unit), kBoolean (0/1)
  double real = 0;                         // kFloat
  uint64_t object_id = 0;                  // kReference
  std::optional<std::string> klass;        // kReference: nullopt when the id is not in the dump
  std::optional<std::string> java_string;  // kReference to a java.lang.String: its text
};
struct FieldView {
  std::string name;         // "count", "[3]" for array elements
  std::string declared_by;  // instance fields only
  std::string type;         // "int", "object" (the JSON leaves it out for array elements)
  bool is_static = false;
  bool is_element = false;
  ValueView value;
};
struct ObjectView {
  struct Referrer {
    uint64_t object_id = 0;
    std::string klass;
    std::string via;  // "field next", "[12]"
  };
  uint64_t object_id = 0;
  std::string klass;
  hprof::ObjectKind kind = hprof::ObjectKind::kInstance;
  uint64_t shallow_bytes = 0;
  uint64_t retained_bytes = 0;
  uint32_t retained_count = 0;
  EdgeFilter convention = EdgeFilter::kAll;
  uint64_t immediate_dominator = 0;  // 0: the GC roots, or unreachable
  bool reachable = false;
  std::optional<std::string> java_string;  // a java.lang.String's text
  std::optional<uint32_t> length;          // arrays
  std::vector<FieldView> fields;           // instance fields, array elements or statics
  bool fields_cut = false;                 // more elements than max_elements
  std::vector<Referrer> referrers;         // the first max_referrers
  uint64_t referrer_count = 0;
  std::vector<std::string> gc_root;  // why it is a GC root, if it is one
};
struct ObjectViewLimits {
  size_t max_elements = 20;
  size_t max_referrers = 20;
  size_t max_string = 1000;  // characters of the object's own text
};
ObjectView object_view(const Engine& engine, NodeIndex o, const ObjectViewLimits& limits = {});
const char* to_string(hprof::ObjectKind kind);  // "instance", "object array", ...

// "0x7ffd023d0" or a decimal id -> the id; nullopt when the text is not a number.
std::optional<uint64_t> parse_object_id(const std::string& text);

}  // namespace heapscope::analysis
