#include "heapscope/analysis/paths.h"

#include <algorithm>
#include <deque>

#include "heapscope/analysis/strings.h"
#include "heapscope/hprof/big_endian.h"
#include "heapscope/hprof/tags.h"

namespace heapscope::analysis {
namespace {
constexpr uint32_t kUnseen = 0xFFFFFFFFu;
}

std::vector<Path> shortest_paths_to(const Engine& engine, NodeIndex target, size_t max_paths,
                                    EdgeFilter filter) {
  const Graph& g = engine.graph();
  const uint32_t n = g.node_count();
  if (target >= n || max_paths == 0) return {};
  // BFS from the virtual root: distance and the edge each node was first reached by.
  std::vector<uint32_t> dist(n, kUnseen);
  std::vector<uint64_t> via(n, ~uint64_t{0});
  std::vector<NodeIndex> from(n, kNoNode);
  std::deque<NodeIndex> queue{g.root()};
  dist[g.root()] = 0;
  while (!queue.empty()) {
    const NodeIndex v = queue.front();
    queue.pop_front();
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      const NodeIndex t = g.target(e);
      if (!g.follows(e, filter) || dist[t] != kUnseen) continue;
      dist[t] = dist[v] + 1;
      via[t] = e;
      from[t] = v;
      queue.push_back(t);
    }
  }
  if (dist[target] == kUnseen) return {};
  // Referrers of the target, nearest first; each gives one path through its own BFS chain.
  struct Referrer {
    NodeIndex node;
    uint64_t edge;
  };
  std::vector<Referrer> referrers;
  for (NodeIndex v = 0; v < n; ++v) {
    if (dist[v] == kUnseen) continue;
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      if (g.target(e) == target && g.follows(e, filter) && v != target) {
        referrers.push_back({v, e});
        break;
      }
    }
  }
  std::stable_sort(referrers.begin(), referrers.end(), [&](const Referrer& a, const Referrer& b) {
    return dist[a.node] < dist[b.node];
  });
  std::vector<Path> paths;
  for (const Referrer& r : referrers) {
    if (paths.size() >= max_paths) break;
    Path p{{target, r.edge}};
    for (NodeIndex v = r.node; v != g.root() && v != kNoNode; v = from[v]) {
      p.push_back({v, from[v] == g.root() ? ~uint64_t{0} : via[v]});
    }
    std::reverse(p.begin(), p.end());
    if (p.front().node == target) p.front().edge = ~uint64_t{0};  // the target is itself a root
    paths.push_back(std::move(p));
  }
  return paths;
}

std::string describe_edge(const Engine& engine, NodeIndex from, uint64_t edge) {
  const auto& index = engine.index();
  const Graph& g = engine.graph();
  if (from >= index.object_count()) return "gc root";
  const NodeIndex to = g.target(edge);
  const uint64_t to_id = index.object_id(to);
  const uint64_t first = g.edge_begin(from);
  const auto& klass = index.class_info(index.class_of(from));
  if (edge == first && klass.object == to && index.kind(from) != hprof::ObjectKind::kClass) {
    return "<class>";
  }
  switch (index.kind(from)) {
    case hprof::ObjectKind::kInstance: {
      for (const auto& f : engine.layouts().fields(index.class_of(from))) {
        if (f.type != 2) continue;
        auto v = engine.layouts().read(from, f);
        if (v && v->bits == to_id) {
          return "field " + std::string(index.utf8(f.name_id));
        }
      }
      // Not a field: a local of this thread's frames (see Graph).
      for (const auto& root : describe_root(engine, to)) {
        if (root.find("of thread") != std::string::npos) return "local variable, " + root;
      }
      return "local variable";
    }
    case hprof::ObjectKind::kObjectArray: {
      const auto data = index.array_data(from);
      const uint32_t I = index.id_size();
      for (uint32_t i = 0; i < index.length(from); ++i) {
        if (hprof::load_id(data.data() + uint64_t{i} * I, I) == to_id)
          return "[" + std::to_string(i) + "]";
      }
      return "element";
    }
    case hprof::ObjectKind::kClass: {
      const auto c = index.find_class(index.object_id(from));
      if (c == hprof::kNoClass) return "reference";
      const auto& info = index.class_info(c);
      for (const auto& s : info.statics) {
        if (s.type == 2 && s.value == to_id) return "static " + std::string(index.utf8(s.name_id));
      }
      if (info.super != hprof::kNoClass && index.class_info(info.super).object == to)
        return "<super>";
      if (info.loader_id == to_id) return "<loader>";
      return "<class>";
    }
    case hprof::ObjectKind::kPrimitiveArray:
      break;
  }
  return "reference";
}

std::string describe_frame(const hprof::Index& index, uint64_t frame_id) {
  const hprof::Frame* f = index.find_frame(frame_id);
  if (!f) return {};
  std::string s = "at ";
  s += index.class_name_by_serial(f->class_serial);
  s += ".";
  s += index.utf8(f->method_name_id);
  s += "(";
  const auto file = index.utf8(f->source_file_id);
  if (f->line == -3) {
    s += "Native Method";
  } else if (file.empty()) {
    s += "Unknown Source";
  } else {
    s += file;
    if (f->line > 0) s += ":" + std::to_string(f->line);
  }
  s += ")";
  return s;
}

std::vector<std::string> describe_root(const Engine& engine, NodeIndex object) {
  const auto& index = engine.index();
  std::vector<std::string> out;
  for (const auto& r : index.roots()) {
    if (r.object != object) continue;
    std::string kind(hprof::sub_tag_name(r.kind).value_or("ROOT"));
    if (r.kind == 0x03 || r.kind == 0x02) {  // Java frame, JNI local: name the thread and frame
      for (const auto& t : index.threads()) {
        if (t.serial != r.thread_serial) continue;
        kind += " of thread \"" + thread_name(engine, t.object) + "\"";
        if (const auto* trace = index.find_trace(t.trace_serial);
            trace && r.frame >= 0 && static_cast<uint32_t>(r.frame) < trace->frame_count) {
          kind +=
              " " + describe_frame(index, index.trace_frame_ids()[trace->first_frame + r.frame]);
        }
      }
    }
    if (std::find(out.begin(), out.end(), kind) == out.end()) out.push_back(kind);
  }
  return out;
}

}  // namespace heapscope::analysis
