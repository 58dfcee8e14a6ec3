#include "heapscope/analysis/analyzers/finalizer.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "follow.h"
#include "heapscope/analysis/page_releaser.h"
#include "heapscope/analysis/reachability.h"
#include "heapscope/analysis/threads.h"
#include "stages.h"

namespace heapscope::analysis {
namespace {

struct Slots {
  std::optional<FieldSlot> next, prev, referent, ref_next;
};

uint64_t read_ref(const FieldLayouts& layouts, hprof::ObjectIndex o,
                  const std::optional<FieldSlot>& s) {
  if (!s) return 0;
  auto v = layouts.read(o, *s);
  return v ? v->bits : 0;
}

std::optional<uint64_t> static_value(const hprof::Index& index, hprof::ClassIndex c,
                                     std::string_view name) {
  for (const auto& s : index.class_info(c).statics) {
    if (index.utf8(s.name_id) == name) return s.value;
  }
  return std::nullopt;
}

void describe_thread(const Engine& engine, detail::FinalizerScan& scan) {
  FinalizerReport& r = scan.report;
  const auto threads = list_threads(engine);
  const ThreadView* fin = nullptr;
  for (const auto& t : threads) {
    if (t.name == "Finalizer") fin = &t;
  }
  auto& out = r.thread;
  if (!fin) {
    out.present = false;
    out.verdict = "absent";
    return;
  }
  scan.thread_object = fin->object;
  for (const auto& frame_locals : fin->locals)
    scan.thread_locals.insert(scan.thread_locals.end(), frame_locals.begin(), frame_locals.end());
  std::sort(scan.thread_locals.begin(), scan.thread_locals.end());
  scan.thread_locals.erase(std::unique(scan.thread_locals.begin(), scan.thread_locals.end()),
                           scan.thread_locals.end());
  out.present = true;
  out.name = fin->name;
  out.state = fin->state;
  out.object_id = engine.index().object_id(fin->object);
  for (const auto& f : fin->frames)
    out.frames.push_back(f.klass + "." + f.method + (f.text.empty() ? "" : ""));
  for (size_t i = 0; i < out.frames.size(); ++i)
    out.frames[i] = fin->frames[i].text.empty() ? out.frames[i] : fin->frames[i].text;
  size_t finalize_depth = fin->frames.size();
  for (size_t i = 0; i < fin->frames.size(); ++i) {
    if (fin->frames[i].method == "finalize") {
      out.finalize_class = fin->frames[i].klass;
      finalize_depth = i;
      break;
    }
  }
  const bool in_finalize = !out.finalize_class.empty();
  if (!in_finalize) {
    out.verdict = out.state == "RUNNABLE" ? "running" : "idle";
  } else if (out.state == "BLOCKED") {
    out.verdict = "blocked";
  } else if (out.state == "WAITING" || out.state == "TIMED_WAITING") {
    const auto& top = fin->frames.empty() ? ThreadView::Frame{} : fin->frames.front();
    out.verdict = top.method == "sleep" ? "sleeping" : "waiting";
  } else {
    out.verdict = "running";
  }
  // What it is blocked on: objects held by the frames above finalize() that another thread's
  // frames also hold (HotSpot writes no monitor records, but both frames keep the lock object).
  if (in_finalize && out.state != "RUNNABLE") {
    const auto& index = engine.index();
    for (size_t d = 0; d <= finalize_depth && d < fin->locals.size() && out.blocked_on.empty();
         ++d) {
      for (hprof::ObjectIndex o : fin->locals[d]) {
        if (index.kind(o) != hprof::ObjectKind::kInstance) continue;
        const auto& cls = index.class_info(index.class_of(o)).name;
        if (cls == out.finalize_class || cls == "java.lang.ref.Finalizer") continue;
        for (const auto& other : threads) {
          if (&other == fin) continue;
          bool holds = false;
          for (const auto& frame_locals : other.locals) {
            holds = holds ||
                    std::find(frame_locals.begin(), frame_locals.end(), o) != frame_locals.end();
          }
          if (holds) {
            char id[24];
            std::snprintf(id, sizeof id, "0x%llx",
                          static_cast<unsigned long long>(index.object_id(o)));
            out.blocked_on = "monitor of " + cls + " " + id +
                             ", also held in a frame of thread \"" + other.name + "\"" +
                             (other.state.empty() ? "" : " (" + other.state + ")");
            break;
          }
        }
        if (!out.blocked_on.empty()) break;
      }
    }
  }
}

}  // namespace

namespace detail {

FinalizerScan scan_finalization(const Engine& engine) {
  FinalizerScan scan;
  FinalizerReport& r = scan.report;
  const auto& index = engine.index();
  const auto& layouts = engine.layouts();
  const auto fin_classes = index.find_classes_by_name("java.lang.ref.Finalizer");
  describe_thread(engine, scan);
  const uint32_t n = index.object_count();
  scan.is_finalizer = NodeSet(engine.graph().node_count());
  if (fin_classes.empty()) {
    scan_android_finalization(engine, scan);  // FinalizerReference, when the dump is Android's
    return scan;
  }
  r.machinery_present = true;
  const hprof::ClassIndex fc = fin_classes.front();
  if (auto enabled = static_value(index, fc, "ENABLED")) r.enabled = *enabled != 0;
  Slots s;
  s.next = layouts.find(fc, "java.lang.ref.Finalizer", "next");
  s.prev = layouts.find(fc, "java.lang.ref.Finalizer", "prev");
  s.referent = layouts.find(fc, "java.lang.ref.Reference", "referent");
  s.ref_next = layouts.find(fc, "java.lang.ref.Reference", "next");

  NodeSet& is_finalizer = scan.is_finalizer;
  NodeSet on_list(n), in_queue(n);
  for (hprof::ObjectIndex o = 0; o < n; ++o) {
    if (index.kind(o) == hprof::ObjectKind::kInstance && index.class_of(o) == fc) {
      is_finalizer.add(o);
      scan.finalizers.push_back(o);
    }
  }
  // One pass over the Finalizers in index (file) order reads the three fields every state
  // depends on; the list and queue walks then follow these arrays, not the dump (a walk in list
  // order would read the dump at random).
  const auto& fins = scan.finalizers;
  const size_t m = fins.size();
  std::vector<hprof::ObjectIndex> next_of(m), ref_next_of(m), referent_of(m);
  {
    PageReleaser pages(index);
    for (size_t k = 0; k < m; ++k) {
      pages.visit(fins[k]);
      next_of[k] = s.next ? follow(engine, fins[k], *s.next) : hprof::kNoObject;
      ref_next_of[k] = s.ref_next ? follow(engine, fins[k], *s.ref_next) : hprof::kNoObject;
      referent_of[k] = s.referent ? follow(engine, fins[k], *s.referent) : hprof::kNoObject;
    }
  }
  const auto prefix = is_finalizer.word_prefix();
  auto rank = [&](hprof::ObjectIndex o) {  // o is a Finalizer: its position in `fins`
    return is_finalizer.rank(o, prefix);
  };
  // The unfinalized list, newest first, through Finalizer.next.
  const uint64_t head_id = static_value(index, fc, "unfinalized").value_or(0);
  for (auto o = index.find(head_id);
       o != hprof::kNoObject && is_finalizer.has(o) && !on_list.has(o);) {
    on_list.add(o);
    ++r.longest_chain;
    const auto next = next_of[rank(o)];
    if (next == o) break;
    o = next;
  }
  // The queue: ReferenceQueue.head, then Reference.next until an element points to itself.
  if (auto queue = index.find(static_value(index, fc, "queue").value_or(0));
      queue != hprof::kNoObject && index.kind(queue) == hprof::ObjectKind::kInstance) {
    const auto qc = index.class_of(queue);
    auto head = layouts.find(qc, "java.lang.ref.ReferenceQueue", "head");
    if (auto len = layouts.find(qc, "java.lang.ref.ReferenceQueue", "queueLength")) {
      if (auto v = layouts.read(queue, *len)) r.queue_length_field = v->as_int();
    }
    for (auto o = head ? index.find(read_ref(layouts, queue, head)) : hprof::kNoObject;
         o != hprof::kNoObject && is_finalizer.has(o) && !in_queue.has(o);) {
      in_queue.add(o);
      const auto next = ref_next_of[rank(o)];
      if (next == o) break;
      o = next;
    }
  }
  // Classify every Finalizer by state, per class of its referent.
  auto& by_class = scan.by_class;
  auto& referents = scan.referents;
  hprof::ClassIndex last_class = hprof::kNoClass;
  FinalizerClassStats* last = nullptr;  // referents of one class come in runs: one map look-up
  for (size_t k = 0; k < m; ++k) {
    const hprof::ObjectIndex o = fins[k];
    const auto referent = referent_of[k];
    const hprof::ClassIndex rc =
        referent == hprof::kNoObject ? hprof::kNoClass : index.class_of(referent);
    if (last == nullptr || rc != last_class) {
      last = &by_class[rc];
      last_class = rc;
    }
    auto& st = *last;
    if (referent != hprof::kNoObject) {
      st.shallow_bytes += index.shallow_size(referent);
      referents.push_back(referent);
    }
    if (in_queue.has(o)) {
      ++st.pending;
      ++r.pending;
      continue;
    }
    if (on_list.has(o)) {
      ++st.registered;
      ++r.registered;
      continue;
    }
    const auto next = next_of[k];
    if (next == o && referent != hprof::kNoObject) {
      ++st.being_finalized;
      ++r.being_finalized;
    } else if (next == o || referent == hprof::kNoObject) {
      ++st.finalized_not_collected;
      ++r.finalized_not_collected;
    } else {
      ++st.registered;  // linked but not reachable from the list head: count it as registered
      ++r.registered;
    }
  }
  // The Finalizer thread's frames matter here only where they hold a finalizable object (the
  // one being finalized): keep those locals, sorted, for add_finalizer_groups.
  std::vector<hprof::ObjectIndex> sorted = referents;
  std::sort(sorted.begin(), sorted.end());
  std::erase_if(scan.thread_locals, [&](hprof::ObjectIndex o) {
    return !std::binary_search(sorted.begin(), sorted.end(), o);
  });
  scan.referent_of = std::move(referent_of);
  return scan;
}

std::vector<size_t> add_finalizer_groups(const Engine& engine, const FinalizerScan& scan,
                                         CutReachability& reach) {
  if (scan.finalizers.empty()) return {};
  const Graph& g = engine.graph();
  const size_t referents =
      reach.add_group(scan.finalizers, [&g](NodeIndex, uint64_t e) { return g.is_referent(e); });
  std::vector<NodeIndex> thread;
  if (scan.thread_object != hprof::kNoObject) thread.push_back(scan.thread_object);
  const auto* locals = &scan.thread_locals;
  const size_t frames = reach.add_group(std::move(thread), [&g, locals](NodeIndex, uint64_t e) {
    return std::binary_search(locals->begin(), locals->end(), g.target(e));
  });
  return {referents, frames};
}

// Held only by finalization: what the GC could free if finalization were done with it. Reachable
// when everything counts (`base`), unreachable once the Finalizer referents and the Finalizer
// thread's frames are cut (`reduced`): the referents of queued Finalizers, the one being
// finalized, registered ones already unreachable otherwise, and what only they keep alive. The
// Finalizer objects stay reachable from the unfinalized list and the queue in both sets, so a
// Finalizer whose referent is in use never counts; the Finalizers of counted referents are
// reported apart (bookkeeping). Every counted object is attributed to the class of the referent
// that reaches it first (breadth-first over the counted set), so the rows add up to the total.
void finish_finalization(const Engine& engine, FinalizerScan& scan, const NodeSet& base,
                         const NodeSet& reduced) {
  FinalizerReport& r = scan.report;
  const auto& index = engine.index();
  const Graph& g = engine.graph();
  const uint32_t n = index.object_count();
  auto& by_class = scan.by_class;
  if (!scan.finalizers.empty()) {
    const HeldOnly held = held_only(engine, base, reduced);
    std::vector<hprof::ClassIndex> label(n, hprof::kNoClass);
    std::vector<NodeIndex> work;
    for (hprof::ObjectIndex ref : scan.referents) {
      if (held.nodes.has(ref) && label[ref] == hprof::kNoClass) {
        label[ref] = index.class_of(ref);
        work.push_back(ref);
      }
    }
    for (size_t i = 0; i < work.size(); ++i) {
      const NodeIndex v = work[i];
      auto& row = by_class[label[v]];
      ++row.held_only_count;
      row.held_only_bytes += index.shallow_size(v);
      for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
        const NodeIndex t = g.target(e);
        if (t < n && held.nodes.has(t) && label[t] == hprof::kNoClass) {
          label[t] = label[v];
          work.push_back(t);
        }
      }
    }
    // Every held object is reached from a held referent through held objects (base adds to
    // reduced only through the cut edges), so `work` is the whole set: the sum is the total.
    r.held_only_count = work.size();
    for (NodeIndex v : work) r.held_only_bytes += index.shallow_size(v);
    for (size_t k = 0; k < scan.finalizers.size(); ++k) {
      const auto ref = scan.referent_of[k];
      if (ref != hprof::kNoObject && held.nodes.has(ref)) {
        ++r.bookkeeping_count;
        r.bookkeeping_bytes += index.shallow_size(scan.finalizers[k]);
      }
    }
  }
  for (auto& [c, st] : by_class) {
    st.klass = c == hprof::kNoClass ? "(referent cleared)" : index.class_info(c).name;
    r.by_class.push_back(st);
  }
  std::sort(r.by_class.begin(), r.by_class.end(), [](const auto& a, const auto& b) {
    const uint64_t wa = a.registered + a.pending + a.being_finalized,
                   wb = b.registered + b.pending + b.being_finalized;
    return wa != wb ? wa > wb : a.klass < b.klass;
  });
}

}  // namespace detail

FinalizerReport analyze_finalization(const Engine& engine) {
  auto scan = detail::scan_finalization(engine);
  CutReachability reach(engine.graph(), EdgeFilter::kStrongOnly);
  const auto groups = detail::add_finalizer_groups(engine, scan, reach);
  if (groups.empty()) {
    detail::finish_finalization(engine, scan, NodeSet(), NodeSet());
    return std::move(scan.report);
  }
  reach.prepare();
  const NodeSet reduced = reach.reachable({false, false});
  const NodeSet base = reach.extend(reduced, {true, true});
  detail::finish_finalization(engine, scan, base, reduced);
  return std::move(scan.report);
}

}  // namespace heapscope::analysis
