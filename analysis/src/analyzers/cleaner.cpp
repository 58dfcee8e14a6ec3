#include "heapscope/analysis/analyzers/cleaner.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "cleaner_lists.h"
#include "heapscope/analysis/paths.h"
#include "heapscope/analysis/threads.h"

namespace heapscope::analysis {
namespace {

using detail::CleanerLists;

bool holds(const ThreadView& t, hprof::ObjectIndex o) {
  for (const auto& frame : t.locals) {
    if (std::find(frame.begin(), frame.end(), o) != frame.end()) return true;
  }
  return false;
}

// The thread running a CleanerImpl: a CleanerImpl.run frame whose thread holds the CleanerImpl
// (its `this`), or, for the static lists, the thread with the known name.
const ThreadView* cleaner_thread(const std::vector<ThreadView>& threads, const CleanerLists& c) {
  for (const auto& t : threads) {
    if (!c.thread_name.empty()) {
      if (t.name == c.thread_name) return &t;
      continue;
    }
    for (const auto& f : t.frames) {
      if (f.klass == "jdk.internal.ref.CleanerImpl" && f.method == "run" && holds(t, c.impl))
        return &t;
    }
  }
  return nullptr;
}

// Thread, state, the action on its stack and the verdict (as for the Finalizer thread).
void describe_thread(const ThreadView* t, CleanerReport& r) {
  if (t == nullptr) {
    r.verdict = "absent";
    return;
  }
  r.thread_name = t->name;
  r.thread_state = t->state;
  for (const auto& f : t->frames)
    r.frames.push_back(f.text.empty() ? f.klass + "." + f.method : f.text);
  // The action runs inside PhantomCleanable.clean (java.lang.ref.Cleaner) or Cleaner.clean
  // (static lists): the frame inside performCleanup / clean is the action's run().
  for (size_t i = 0; i < t->frames.size(); ++i) {
    const auto& f = t->frames[i];
    const bool clean = f.method == "clean" &&
                       (f.klass == "jdk.internal.ref.PhantomCleanable" ||
                        f.klass == "jdk.internal.ref.Cleaner" || f.klass == "sun.misc.Cleaner");
    if (!clean || i == 0) continue;
    size_t a = i - 1;
    if (t->frames[a].method == "performCleanup" && a > 0) --a;
    r.running_action_class = t->frames[a].klass;
    r.being_cleaned = 1;
    break;
  }
  // The Reference Handler waits for the VM's pending list in native code, as RUNNABLE.
  const bool waits_for_gc =
      !t->frames.empty() && t->frames.front().method == "waitForReferencePendingList";
  if (r.running_action_class.empty()) {
    r.verdict = t->state == "RUNNABLE" && !waits_for_gc ? "running" : "idle";
  } else if (t->state == "BLOCKED") {
    r.verdict = "blocked";
  } else if (t->state == "WAITING" || t->state == "TIMED_WAITING") {
    r.verdict = !t->frames.empty() && t->frames.front().method == "sleep" ? "sleeping" : "waiting";
  } else {
    r.verdict = "running";
  }
}

using ByClass = std::unordered_map<hprof::ClassIndex, CleanerClassStats>;

// Rows by class name (classes of one name from several loaders are summed), most first.
std::vector<CleanerClassStats> sorted(const hprof::Index& index, const ByClass& m) {
  std::map<std::string, CleanerClassStats> by_name;
  for (const auto& [c, s] : m) {
    auto& row = by_name[c == hprof::kNoClass ? "(referent cleared)" : index.class_info(c).name];
    row.registered += s.registered;
    row.pending += s.pending;
    row.never_cleanable += s.never_cleanable;
    row.native_bytes += s.native_bytes;
  }
  std::vector<CleanerClassStats> v;
  for (auto& [k, s] : by_name) {
    s.klass = k;
    v.push_back(s);
  }
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.registered + a.pending > b.registered + b.pending;
  });
  return v;
}

NeverCleanableExample example(const Engine& engine, const detail::CleanerEntry& e,
                              const Capture& cap) {
  const auto& index = engine.index();
  const Graph& g = engine.graph();
  NeverCleanableExample x;
  x.cleanable_id = index.object_id(e.cleanable);
  x.action_id = index.object_id(e.action);
  x.referent_id = index.object_id(e.referent);
  x.action_class = engine.class_name_of(e.action);
  x.referent_class = engine.class_name_of(e.referent);
  NodeIndex v = e.action;
  for (uint64_t edge : cap.edges) {
    x.path.push_back({index.object_id(v), engine.class_name_of(v), describe_edge(engine, v, edge)});
    v = g.target(edge);
  }
  x.path.push_back({index.object_id(v), engine.class_name_of(v), ""});
  return x;
}

struct Classified {
  CleanerReport report;
  std::vector<hprof::ObjectIndex> never;  // never-cleanable cleanables
};

Classified classify(const Engine& engine, const CleanerLists& c, const NodeSet& machinery,
                    const CleanerOptions& options, uint64_t& budget_left) {
  Classified out;
  CleanerReport& r = out.report;
  r.kind = c.kind;
  const auto& index = engine.index();
  const auto owner = c.cleaner != hprof::kNoObject ? c.cleaner : c.impl;
  r.object_id = owner == hprof::kNoObject ? 0 : index.object_id(owner);
  ByClass by_referent, by_action;
  std::unordered_map<hprof::ClassIndex, size_t> examples_of;  // per referent class
  std::map<hprof::ObjectIndex, NativeRegistryStats> registries;
  for (const auto& e : c.entries) {
    auto& ac = by_action[index.class_of(e.action != hprof::kNoObject ? e.action : e.cleanable)];
    NativeRegistryStats* reg = nullptr;
    if (e.registry != hprof::kNoObject) {
      reg = &registries[e.registry];
      reg->size = e.native_size;
      ++reg->registrations;
      reg->native_bytes += e.native_size;
      ++r.native_registrations;
      r.native_bytes += e.native_size;
      ac.native_bytes += e.native_size;
    }
    if (e.queued) {
      ++r.pending;
      ++ac.pending;
      continue;
    }
    ++r.registered;
    ++ac.registered;
    const auto referent_class =
        e.referent == hprof::kNoObject ? hprof::kNoClass : index.class_of(e.referent);
    auto& rc = by_referent[referent_class];
    ++rc.registered;
    rc.native_bytes += e.native_size;
    if (e.action == hprof::kNoObject || e.referent == hprof::kNoObject) continue;
    if (budget_left == 0) {
      ++r.search_truncated;
      continue;
    }
    const uint32_t budget =
        static_cast<uint32_t>(std::min<uint64_t>(options.search_budget, budget_left));
    const Capture cap = find_capture(engine.graph(), e.action, e.referent, machinery, budget);
    budget_left -= std::min<uint64_t>(budget_left, cap.visited);
    if (cap.outcome == Capture::Outcome::kTruncated) ++r.search_truncated;
    if (cap.outcome != Capture::Outcome::kFound) continue;
    ++r.never_cleanable;
    ++rc.never_cleanable;
    ++ac.never_cleanable;
    r.never_cleanable_native_bytes += e.native_size;
    if (reg != nullptr) ++reg->never_cleanable;
    out.never.push_back(e.cleanable);
    if (r.examples.size() < options.examples && examples_of[referent_class]++ == 0)
      r.examples.push_back(example(engine, e, cap));
  }
  for (auto& [o, s] : registries) {
    s.registry_id = index.object_id(o);
    r.by_registry.push_back(s);
  }
  std::stable_sort(r.by_registry.begin(), r.by_registry.end(),
                   [](const auto& a, const auto& b) { return a.native_bytes > b.native_bytes; });
  r.by_referent_class = sorted(index, by_referent);
  r.by_action_class = sorted(index, by_action);
  return out;
}

}  // namespace

std::vector<CleanerReport> analyze_cleaners(const Engine& engine, const CleanerOptions& options,
                                            const hprof::Progress* progress) {
  const Graph& g = engine.graph();
  NodeSet machinery(g.node_count());
  const auto lists = detail::read_cleaner_lists(engine, machinery);
  const auto threads = list_threads(engine);
  uint64_t budget_left = options.total_budget;
  std::vector<Classified> found;
  for (const auto& c : lists) {
    if (c.impl == hprof::kNoObject && c.entries.empty()) continue;  // an unused static list
    if (progress && progress->cancelled()) return {};
    found.push_back(classify(engine, c, machinery, options, budget_left));
    describe_thread(cleaner_thread(threads, c), found.back().report);
  }
  // What the never-cleanable registrations keep alive: strongly reachable objects that become
  // unreachable when the list's references to them are cut (one group per Cleaner).
  NodeSet never(g.node_count());
  bool any = false;
  for (const auto& f : found) {
    for (auto o : f.never) {
      never.add(o);
      any = true;
    }
  }
  if (any) {
    CutReachability reach(g, EdgeFilter::kStrongOnly, progress);
    std::vector<int> group(found.size(), -1);
    size_t k = 0;
    for (size_t i = 0; i < lists.size(); ++i) {
      const auto& c = lists[i];
      if (c.impl == hprof::kNoObject && c.entries.empty()) continue;
      if (!found[k].never.empty()) {
        std::vector<NodeIndex> sources(c.list_structure.begin(), c.list_structure.end());
        for (const auto& e : c.entries) sources.push_back(e.cleanable);
        group[k] = static_cast<int>(reach.add_group(
            std::move(sources),
            [&g, &never](NodeIndex, uint64_t e) { return never.has(g.target(e)); }));
      }
      ++k;
    }
    reach.prepare();
    const std::vector<bool> all(reach.group_count(), true);
    const NodeSet strong = reach.reachable(all);
    for (size_t i = 0; i < found.size(); ++i) {
      if (group[i] < 0) continue;
      if (progress && progress->cancelled()) return {};
      std::vector<bool> keep = all;
      keep[static_cast<size_t>(group[i])] = false;
      const HeldOnly held = held_only(engine, strong, reach.reachable(keep));
      found[i].report.never_cleanable_bytes = held.bytes;
      found[i].report.never_cleanable_objects = held.count;
    }
  }
  std::vector<CleanerReport> out;
  for (auto& f : found) out.push_back(std::move(f.report));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.never_cleanable_bytes != b.never_cleanable_bytes
               ? a.never_cleanable_bytes > b.never_cleanable_bytes
               : a.registered + a.pending > b.registered + b.pending;
  });
  return out;
}

}  // namespace heapscope::analysis
