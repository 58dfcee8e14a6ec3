// The report's figures as OpenMetrics text, for a Pushgateway or a textfile collector: the
// verdict, the heap summary, finalizer states in total and per class, each timer's queue and
// task states, the bytes held only by finalization or by cancelled timer tasks, and findings per
// kind and severity. Every family is a gauge (a report is a snapshot); label sets are unique
// within a family (rows with the same label values are added up), as the format requires.
#include <map>
#include <tuple>

#include "format.h"
#include "heapscope/analysis/openmetrics.h"
#include "heapscope/analysis/render.h"

namespace heapscope::analysis {
namespace {

using Type = OpenMetricsWriter::Type;

// Sums per label set, in the keys' order (deterministic output).
template <typename Key>
using Sums = std::map<Key, uint64_t>;

void dump_and_summary(OpenMetricsWriter& w, const Report& r) {
  w.family("heapscope_report", Type::kGauge,
           "Always 1; labels say which dump and tool the other figures describe");
  w.sample("",
           {{"dump", r.dump.path},
            {"jdk", r.dump.jdk},
            {"version", r.tool_version},
            {"convention", r.retained_convention}},
           uint64_t{1});
  w.family("heapscope_dump_size_bytes", Type::kGauge, "Size of the dump file on disk", "bytes");
  w.sample("", {}, r.dump.bytes);
  if (r.dump.timestamp_ms) {
    w.family("heapscope_dump_timestamp_seconds", Type::kGauge,
             "When the JVM wrote the dump, seconds since the Unix epoch", "seconds");
    w.sample("", {}, static_cast<double>(r.dump.timestamp_ms) / 1000.0);
  }
  w.family("heapscope_dump_used_ratio", Type::kGauge,
           "Share of the file the analysis used (below 1 when the dump is damaged)", "ratio");
  w.sample("", {}, r.summary.percent_of_file_used / 100.0);
  w.family("heapscope_heap_objects", Type::kGauge, "Objects in the heap dump");
  w.sample("", {}, r.summary.objects);
  w.family("heapscope_heap_classes", Type::kGauge, "Classes in the heap dump");
  w.sample("", {}, r.summary.classes);
  w.family("heapscope_heap_gc_roots", Type::kGauge, "GC roots in the heap dump");
  w.sample("", {}, r.summary.gc_roots);
  w.family("heapscope_heap_shallow_bytes", Type::kGauge, "Shallow size of all objects", "bytes");
  w.sample("", {}, r.summary.shallow_bytes);
  w.family("heapscope_heap_reachable_bytes", Type::kGauge,
           "Shallow size of the objects reachable from GC roots", "bytes");
  w.sample("", {}, r.summary.reachable_bytes);
  w.family("heapscope_heap_unreachable_objects", Type::kGauge,
           "Objects not reachable from any GC root");
  w.sample("", {}, r.summary.unreachable_objects);
}

void verdict(OpenMetricsWriter& w, const Report& r) {
  const auto worst = r.worst();
  w.family("heapscope_worst_severity", Type::kGauge,
           "The most severe finding: 0 none, 1 info, 2 warning, 3 critical");
  w.sample("", {}, uint64_t{worst ? static_cast<uint64_t>(*worst) + 1 : 0});
  Sums<Severity> by_severity{
      {Severity::kCritical, 0}, {Severity::kWarning, 0}, {Severity::kInfo, 0}};
  Sums<std::tuple<std::string, Severity>> count, bytes;
  for (const auto& f : r.findings) {
    ++by_severity[f.severity];
    ++count[{f.kind, f.severity}];
    bytes[{f.kind, f.severity}] += f.retained_bytes;
  }
  w.family("heapscope_findings", Type::kGauge, "Findings per severity");
  for (const auto& [s, n] : by_severity) w.sample("", {{"severity", to_string(s)}}, n);
  w.family("heapscope_findings_by_kind", Type::kGauge, "Findings per kind and severity");
  for (const auto& [k, n] : count) {
    w.sample("", {{"kind", std::get<0>(k)}, {"severity", to_string(std::get<1>(k))}}, n);
  }
  w.family("heapscope_findings_retained_bytes", Type::kGauge,
           "What fixing the findings of a kind and severity would free", "bytes");
  for (const auto& [k, n] : bytes) {
    w.sample("", {{"kind", std::get<0>(k)}, {"severity", to_string(std::get<1>(k))}}, n);
  }
}

void finalizer(OpenMetricsWriter& w, const FinalizerReport& f) {
  w.family("heapscope_finalizer_objects", Type::kGauge,
           "Objects in each finalization state: registered (not yet queued), pending (queued), "
           "being_finalized, finalized_not_collected");
  w.sample("", {{"state", "registered"}}, f.registered);
  w.sample("", {{"state", "pending"}}, f.pending);
  w.sample("", {{"state", "being_finalized"}}, f.being_finalized);
  w.sample("", {{"state", "finalized_not_collected"}}, f.finalized_not_collected);
  w.family("heapscope_finalizer_held_only_objects", Type::kGauge,
           "Objects held only by finalization (freed once finalization is done with them)");
  w.sample("", {}, f.held_only_count);
  w.family("heapscope_finalizer_held_only_bytes", Type::kGauge, "Bytes held only by finalization",
           "bytes");
  w.sample("", {}, f.held_only_bytes);
  w.family("heapscope_finalizer_thread", Type::kGauge,
           "1 when the dump has a Finalizer thread; its verdict and thread state as labels");
  if (f.thread.present) {
    w.sample("",
             {{"verdict", f.thread.verdict},
              {"state", f.thread.state},
              {"finalize_class", f.thread.finalize_class}},
             uint64_t{1});
  }

  Sums<std::tuple<std::string, std::string>> per_state;
  Sums<std::string> shallow, held_bytes, held_count;
  for (const auto& c : f.by_class) {
    per_state[{c.klass, "registered"}] += c.registered;
    per_state[{c.klass, "pending"}] += c.pending;
    per_state[{c.klass, "being_finalized"}] += c.being_finalized;
    per_state[{c.klass, "finalized_not_collected"}] += c.finalized_not_collected;
    shallow[c.klass] += c.shallow_bytes;
    held_count[c.klass] += c.held_only_count;
    held_bytes[c.klass] += c.held_only_bytes;
  }
  w.family("heapscope_finalizer_class_objects", Type::kGauge,
           "Finalizable objects per class of the referent and finalization state");
  for (const auto& [k, n] : per_state) {
    w.sample("", {{"class", std::get<0>(k)}, {"state", std::get<1>(k)}}, n);
  }
  w.family("heapscope_finalizer_class_shallow_bytes", Type::kGauge,
           "Shallow size of the finalizable objects per class", "bytes");
  for (const auto& [k, n] : shallow) w.sample("", {{"class", k}}, n);
  w.family("heapscope_finalizer_class_held_only_objects", Type::kGauge,
           "Objects of the class held only by finalization");
  for (const auto& [k, n] : held_count) w.sample("", {{"class", k}}, n);
  w.family("heapscope_finalizer_class_held_only_bytes", Type::kGauge,
           "Bytes the class's objects held only by finalization take, with what only they reach",
           "bytes");
  for (const auto& [k, n] : held_bytes) w.sample("", {{"class", k}}, n);
}

MetricLabels timer_labels(const TimerReport& t) {
  return {{"timer", render::hex_id(t.object_id)}, {"kind", t.kind}, {"thread", t.thread_name}};
}

void timers(OpenMetricsWriter& w, const std::vector<TimerReport>& timers) {
  w.family("heapscope_timer_queue_tasks", Type::kGauge,
           "Tasks in each timer's or scheduled executor's queue");
  for (const auto& t : timers) w.sample("", timer_labels(t), t.queue_size);
  w.family("heapscope_timer_tasks", Type::kGauge, "Tasks in the queue per task state");
  for (const auto& t : timers) {
    const std::pair<const char*, uint64_t> states[] = {{"virgin", t.tasks.virgin},
                                                       {"scheduled", t.tasks.scheduled},
                                                       {"executed", t.tasks.executed},
                                                       {"cancelled", t.tasks.cancelled},
                                                       {"unknown", t.tasks.unknown}};
    for (const auto& [state, n] : states) {
      auto labels = timer_labels(t);
      labels.emplace_back("state", state);
      w.sample("", labels, n);
    }
  }
  w.family("heapscope_timer_thread_alive", Type::kGauge, "1 when the timer's thread is alive");
  for (const auto& t : timers) w.sample("", timer_labels(t), uint64_t{t.alive ? 1u : 0u});
  w.family("heapscope_timer_held_only_objects", Type::kGauge,
           "Objects freed if the cancelled tasks left the queue");
  for (const auto& t : timers) w.sample("", timer_labels(t), t.held_only_count);
  w.family("heapscope_timer_held_only_bytes", Type::kGauge,
           "Bytes freed if the cancelled tasks left the queue", "bytes");
  for (const auto& t : timers) w.sample("", timer_labels(t), t.held_only_bytes);
}

}  // namespace

std::string render_openmetrics(const Report& r) {
  OpenMetricsWriter w;
  verdict(w, r);
  dump_and_summary(w, r);
  finalizer(w, r.finalizer);
  timers(w, r.timers);
  return w.finish();
}

}  // namespace heapscope::analysis
