#include "sample_dumps.h"

#include "heapscope/analysis/strings.h"
#include "heapscope/hprof/big_endian.h"

#include <cstdlib>
#include <deque>
#include <fstream>
#include <sstream>

namespace heapscope::itest {

std::filesystem::path dumps_dir() {
  if (const char* env = std::getenv("HEAPSCOPE_SAMPLE_DUMPS_DIR"); env && *env) return env;
  return HEAPSCOPE_ITEST_DUMPS_DIR;
}

std::vector<int> jdks() {
  std::vector<int> out;
  std::stringstream in(HEAPSCOPE_ITEST_JDKS);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(std::stoi(item));
  }
  return out;
}

std::filesystem::path Sample::dump() const {
  return dumps_dir() / (program + "-jdk" + std::to_string(jdk) + variant + extension);
}

std::filesystem::path Sample::sidecar() const {
  return dumps_dir() / (program + "-jdk" + std::to_string(jdk) + variant + ".json");
}

std::string Sample::name() const {
  std::string v = variant.empty() ? "" : "_" + variant.substr(1);
  return program + v + "_jdk" + std::to_string(jdk);
}

std::vector<Sample> samples(const std::vector<std::string>& programs, bool with_chunked) {
  std::vector<Sample> out;
  for (int jdk : jdks()) {
    for (const auto& p : programs) out.push_back({p, jdk});
    if (with_chunked) out.push_back({"PgTimerLeak", jdk, "-chunked", ".hprof.gz"});
  }
  return out;
}

std::vector<Sample> all_samples(bool with_chunked) {
  return samples({"PgTimerLeak", "FinalizerBacklog", "CleanControl", "ScheduledExecutorLeak"},
                 with_chunked);
}

nlohmann::json read_sidecar(const Sample& s) {
  std::ifstream in(s.sidecar());
  if (!in) return nullptr;
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

Opened open_sample(const std::filesystem::path& path, EdgeFilter filter) {
  Opened o;
  auto heap = analysis::Heap::open(path);
  if (!heap) {
    o.error = path.string() + ": " + heap.error().describe();
    return o;
  }
  o.heap = std::make_unique<analysis::Heap>(std::move(heap).value());
  analysis::EngineOptions eo;
  eo.filter = filter;
  auto engine = analysis::Engine::build(*o.heap, eo);
  if (!engine) {
    o.error = path.string() + ": engine: " + engine.error().describe();
    return o;
  }
  o.engine = std::make_unique<analysis::Engine>(std::move(engine).value());
  return o;
}

std::map<std::string, uint64_t> count_by_class_name(const hprof::Index& index) {
  std::vector<uint64_t> per_class(index.class_count(), 0);
  for (ObjectIndex o = 0; o < index.object_count(); ++o) ++per_class[index.class_of(o)];
  std::map<std::string, uint64_t> out;
  for (ClassIndex c = 0; c < index.class_count(); ++c) {
    if (per_class[c]) out[index.class_info(c).name] += per_class[c];
  }
  return out;
}

std::vector<ObjectIndex> instances_of(const hprof::Index& index, std::string_view class_name) {
  std::vector<uint8_t> match(index.class_count(), 0);
  for (ClassIndex c : index.find_classes_by_name(class_name)) match[c] = 1;
  std::vector<ObjectIndex> out;
  for (ObjectIndex o = 0; o < index.object_count(); ++o) {
    if (index.kind(o) != hprof::ObjectKind::kClass && match[index.class_of(o)]) out.push_back(o);
  }
  return out;
}

std::vector<ObjectIndex> instances_of_subclasses(const analysis::FieldLayouts& layouts,
                                                 std::string_view ancestor) {
  const auto& index = layouts.index();
  std::vector<uint8_t> match(index.class_count(), 0);
  for (ClassIndex c = 0; c < index.class_count(); ++c) {
    match[c] = layouts.is_subclass_of(c, ancestor);
  }
  std::vector<ObjectIndex> out;
  for (ObjectIndex o = 0; o < index.object_count(); ++o) {
    if (index.kind(o) == hprof::ObjectKind::kInstance && match[index.class_of(o)]) out.push_back(o);
  }
  return out;
}

std::optional<analysis::FieldValue> field(const analysis::FieldLayouts& layouts, ObjectIndex o,
                                          std::string_view declaring, std::string_view name) {
  const auto slot = layouts.find(layouts.index().class_of(o), declaring, name);
  if (!slot) return std::nullopt;
  return layouts.read(o, *slot);
}

ObjectIndex ref_field(const analysis::FieldLayouts& layouts, ObjectIndex o,
                      std::string_view declaring, std::string_view name) {
  const auto v = field(layouts, o, declaring, name);
  if (!v || v->type != 2) return hprof::kNoObject;
  return layouts.index().find(v->bits);
}

ObjectIndex static_ref(const hprof::Index& index, std::string_view class_name,
                       std::string_view name) {
  for (ClassIndex c : index.find_classes_by_name(class_name)) {
    for (const auto& s : index.class_info(c).statics) {
      if (s.type == 2 && index.utf8(s.name_id) == name) return index.find(s.value);
    }
  }
  return hprof::kNoObject;
}

std::vector<ObjectIndex> array_elements(const hprof::Index& index, ObjectIndex array) {
  std::vector<ObjectIndex> out;
  if (index.kind(array) != hprof::ObjectKind::kObjectArray) return out;
  const auto data = index.array_data(array);
  const uint32_t id_size = index.id_size();
  for (uint32_t i = 0; i < index.length(array); ++i) {
    out.push_back(index.find(hprof::load_id(data.data() + uint64_t{i} * id_size, id_size)));
  }
  return out;
}

std::vector<uint8_t> reachable_through(
    const analysis::Graph& g, const std::function<bool(NodeIndex from, uint64_t edge)>& follow) {
  std::vector<uint8_t> seen(g.node_count(), 0);
  std::vector<NodeIndex> work{g.root()};
  seen[g.root()] = 1;
  while (!work.empty()) {
    const NodeIndex v = work.back();
    work.pop_back();
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      const NodeIndex t = g.target(e);
      if (seen[t] || !follow(v, e)) continue;
      seen[t] = 1;
      work.push_back(t);
    }
  }
  return seen;
}

std::vector<uint8_t> reachable(const analysis::Graph& g, EdgeFilter filter,
                               const std::vector<uint8_t>& removed) {
  return reachable_through(g, [&](NodeIndex, uint64_t e) {
    return g.follows(e, filter) && (removed.empty() || !removed[g.target(e)]);
  });
}

std::vector<NodeIndex> bfs_parents(const analysis::Graph& g, EdgeFilter filter,
                                   const std::vector<uint8_t>& removed) {
  std::vector<NodeIndex> parent(g.node_count(), analysis::kNoNode);
  std::vector<uint8_t> seen(g.node_count(), 0);
  std::deque<NodeIndex> queue{g.root()};
  seen[g.root()] = 1;
  while (!queue.empty()) {
    const NodeIndex v = queue.front();
    queue.pop_front();
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      const NodeIndex t = g.target(e);
      if (!g.follows(e, filter) || seen[t] || (!removed.empty() && removed[t])) continue;
      seen[t] = 1;
      parent[t] = v;
      queue.push_back(t);
    }
  }
  return parent;
}

NodeIndex brute_force_idom(const analysis::Graph& g, EdgeFilter filter, NodeIndex target) {
  const auto parent = bfs_parents(g, filter);
  if (target == g.root() || parent[target] == analysis::kNoNode) return analysis::kNoNode;
  // Every strict dominator lies on this path; the nearest one to the target is the idom.
  std::vector<uint8_t> removed(g.node_count(), 0);
  for (NodeIndex v = parent[target]; v != g.root(); v = parent[v]) {
    removed[v] = 1;
    const bool cut = !reachable(g, filter, removed)[target];
    removed[v] = 0;
    if (cut) return v;
  }
  return g.root();
}

std::vector<uint8_t> dominator_subtree(const analysis::DominatorTree& tree, NodeIndex top) {
  std::vector<uint8_t> in(tree.preorder().empty() ? 0 : tree.root() + 1, 0);
  // A dominator precedes what it dominates in preorder: one pass decides membership.
  for (NodeIndex v : tree.preorder()) {
    in[v] = v == top || (v != tree.root() && in[tree.idom(v)]);
  }
  return in;
}

ObjectIndex find_thread(const analysis::Engine& engine, std::string_view name) {
  ObjectIndex found = hprof::kNoObject;
  for (const auto& t : engine.index().threads()) {
    if (t.object == hprof::kNoObject || analysis::thread_name(engine, t.object) != name) continue;
    if (found != hprof::kNoObject) return hprof::kNoObject;
    found = t.object;
  }
  return found;
}

}  // namespace heapscope::itest
