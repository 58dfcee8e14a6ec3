#include "heapscope/analysis/reachability.h"

#include <algorithm>

namespace heapscope::analysis {

NodeSet mark_reachable(const Graph& g, EdgeFilter filter,
                       const std::function<bool(NodeIndex, uint64_t)>& cut) {
  NodeSet seen(g.node_count());
  std::vector<NodeIndex> work{g.root()};
  seen.add(g.root());
  while (!work.empty()) {
    const NodeIndex v = work.back();
    work.pop_back();
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      if (!g.follows(e, filter)) continue;
      const NodeIndex t = g.target(e);
      if (seen.has(t) || (cut && cut(v, e))) continue;
      seen.add(t);
      work.push_back(t);
    }
  }
  return seen;
}

CutReachability::CutReachability(const Graph& graph, EdgeFilter filter,
                                 const hprof::Progress* progress)
    : graph_(graph), filter_(filter), progress_(progress), special_(graph.node_count()) {}

size_t CutReachability::add_group(std::vector<NodeIndex> sources, Member member) {
  Group g{std::move(sources), NodeSet(graph_.node_count()), std::move(member)};
  for (NodeIndex v : g.sources) {
    if (v >= graph_.node_count()) continue;
    g.source_set.add(v);
    special_.add(v);
  }
  groups_.push_back(std::move(g));
  return groups_.size() - 1;
}

int CutReachability::group_of(NodeIndex from, uint64_t edge) const {
  for (size_t i = 0; i < groups_.size(); ++i) {
    if (groups_[i].source_set.has(from) && groups_[i].member(from, edge))
      return static_cast<int>(i);
  }
  return -1;
}

bool CutReachability::follows(NodeIndex from, uint64_t edge, const std::vector<bool>& keep) const {
  if (special_.has(from)) {
    const int g = group_of(from, edge);
    if (g >= 0) return keep[static_cast<size_t>(g)];
  }
  return graph_.follows(edge, filter_);
}

void CutReachability::mark_from(NodeSet& seen, std::vector<NodeIndex>& work,
                                const std::vector<bool>& keep) const {
  const Graph& g = graph_;
  for (uint32_t popped = 1; !work.empty(); ++popped) {
    if ((popped & 0xFFFFF) == 0 && progress_ && progress_->cancelled()) {
      work.clear();
      return;
    }
    const NodeIndex v = work.back();
    work.pop_back();
    const bool special = special_.has(v);
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      const NodeIndex t = g.target(e);
      if (seen.has(t)) continue;
      if (special ? !follows(v, e, keep) : !g.follows(e, filter_)) continue;
      seen.add(t);
      work.push_back(t);
    }
  }
}

void CutReachability::prepare() {
  base_ = NodeSet(graph_.node_count());
  base_.add(graph_.root());
  std::vector<NodeIndex> work{graph_.root()};
  mark_from(base_, work, std::vector<bool>(groups_.size(), false));
}

NodeSet CutReachability::extend(NodeSet seen, const std::vector<bool>& keep) const {
  std::vector<NodeIndex> work;
  for (size_t i = 0; i < groups_.size(); ++i) {
    if (!keep[i]) continue;
    for (NodeIndex s : groups_[i].sources) {
      if (s >= graph_.node_count() || !seen.has(s)) continue;
      work.push_back(s);
      mark_from(seen, work, keep);  // re-scans s: its kept edges are followed now
    }
  }
  return seen;
}

HeldOnly held_only(const Engine& engine, const NodeSet& base, const NodeSet& reduced) {
  const auto& index = engine.index();
  HeldOnly h;
  h.nodes = NodeSet(engine.graph().node_count());
  std::vector<ClassCount> per_class(index.class_count());
  for (hprof::ObjectIndex o = 0; o < index.object_count(); ++o) {
    if (!base.has(o) || reduced.has(o)) continue;
    h.nodes.add(o);
    const uint64_t size = index.shallow_size(o);
    ++h.count;
    h.bytes += size;
    auto& row = per_class[index.class_of(o)];
    ++row.count;
    row.bytes += size;
  }
  for (hprof::ClassIndex c = 0; c < per_class.size(); ++c) {
    if (per_class[c].count == 0) continue;
    per_class[c].klass = index.class_info(c).name;
    h.by_class.push_back(std::move(per_class[c]));
  }
  std::sort(h.by_class.begin(), h.by_class.end(), [](const ClassCount& a, const ClassCount& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.klass < b.klass;
  });
  return h;
}

}  // namespace heapscope::analysis
