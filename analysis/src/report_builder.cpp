#include "heapscope/analysis/report_builder.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>

#include "analyzers/stages.h"
#include "cleaner_findings.h"
#include "findings.h"
#include "heapscope/analysis/analyzers/cleaner.h"
#include "heapscope/analysis/class_loaders.h"
#include "heapscope/analysis/histogram.h"
#include "heapscope/analysis/reachability.h"
#include "heapscope/analysis/strings.h"
#include "render/format.h"

namespace heapscope::analysis {
namespace {

// java.version as the dump shows it (java.lang.VersionProps on JDK 9+), or "".
std::string jdk_version(const Engine& engine) {
  const auto& index = engine.index();
  for (auto c : index.find_classes_by_name("java.lang.VersionProps")) {
    for (const auto& s : index.class_info(c).statics) {
      if (s.type == 2 && index.utf8(s.name_id) == "java_version") {
        if (auto v = read_java_string(engine.layouts(), index.find(s.value))) return *v;
      }
    }
  }
  return {};
}

}  // namespace

// The finalizer and timer analyzers with one shared reachability pass: every "held only by"
// question of both is a query on one CutReachability (one full marking pass, then incremental
// ones), spread over `threads` (1 or 2).
MachineryReport analyze_machinery(const Engine& engine, uint64_t dump_time_ms, unsigned threads,
                                  const hprof::Progress* progress) {
  const auto policy = threads >= 2 ? std::launch::async : std::launch::deferred;
  auto timer_scan = std::async(policy, [&] { return detail::scan_timers(engine, dump_time_ms); });
  auto fin = detail::scan_finalization(engine);
  auto timers = timer_scan.get();
  // The scans read the dump in list order too (not only front to back): hand every page of the
  // mapping back at once (what follows reads the graph only).
  const auto& dump = engine.index().dump();
  dump.release(0, dump.bytes().size());
  CutReachability reach(engine.graph(), EdgeFilter::kStrongOnly, progress);
  const auto fin_groups = detail::add_finalizer_groups(engine, fin, reach);
  const auto timer_groups = detail::add_timer_groups(engine, timers, reach);
  const size_t groups = reach.group_count();
  const std::vector<bool> all(groups, true);
  NodeSet strong, fin_base, fin_reduced;
  std::vector<NodeSet> timer_reduced(timer_groups.size());
  if (groups > 0) {
    reach.prepare();
    // Strong reachability: every group but the Finalizer referents.
    std::vector<bool> strong_keep = all;
    if (!fin_groups.empty()) strong_keep[fin_groups[0]] = false;
    std::vector<std::function<void()>> jobs;
    jobs.push_back([&] {
      strong = reach.reachable(strong_keep);
      if (!fin_groups.empty()) fin_base = reach.extend(strong, all);
    });
    if (!fin_groups.empty()) {
      jobs.push_back([&] {
        std::vector<bool> keep = all;
        keep[fin_groups[0]] = keep[fin_groups[1]] = false;
        fin_reduced = reach.reachable(keep);
      });
    }
    for (size_t i = 0; i < timer_groups.size(); ++i) {
      if (timer_groups[i] < 0) continue;
      jobs.push_back([&, i] {
        std::vector<bool> keep = strong_keep;
        keep[static_cast<size_t>(timer_groups[i])] = false;
        timer_reduced[i] = reach.reachable(keep);
      });
    }
    // Two workers take the jobs in turn.
    std::atomic<size_t> next{0};
    auto worker = [&] {
      for (size_t j; (j = next++) < jobs.size();) jobs[j]();
    };
    auto second = std::async(policy, worker);
    worker();
    second.get();
  }
  detail::finish_finalization(engine, fin, fin_base, fin_reduced);
  detail::finish_timers(engine, timers, strong, timer_reduced);
  return {std::move(fin.report), std::move(timers.reports)};
}

Report build_report(const Heap& heap, const Engine& engine, const ReportOptions& options) {
  const auto& index = heap.index();
  const auto& dump = heap.dump();
  Report r;
  r.tool_version = options.tool_version;
  r.dump.path = options.dump_path;
  r.dump.bytes = dump.file_size();
  r.dump.format = dump.header().version_string;
  r.dump.compression = hprof::to_string(dump.compression());
  r.dump.id_size = dump.header().id_size;
  r.dump.timestamp_ms = dump.header().timestamp_ms;
  r.dump.jdk = jdk_version(engine);

  const auto& tree = engine.tree();
  r.summary.objects = index.object_count();
  r.summary.classes = index.class_count();
  r.summary.gc_roots = index.roots().size();
  std::vector<HistogramRow> computed;
  if (options.histogram == nullptr) {
    computed = class_histogram(index, HistogramSort::kShallow);
    add_retained(computed, engine);
    sort_histogram(computed, index, HistogramSort::kRetained);
  }
  const auto& rows = options.histogram ? *options.histogram : computed;
  for (const auto& row : rows) r.summary.shallow_bytes += row.shallow_bytes;
  // The virtual root retains every reachable object.
  r.summary.reachable_bytes = engine.retained().bytes[tree.root()];
  r.summary.unreachable_objects = index.object_count() - (tree.reachable_count() - 1);
  const auto& st = index.stats();
  r.summary.percent_of_file_used = st.bytes_total ? 100.0 * static_cast<double>(st.bytes_used) /
                                                        static_cast<double>(st.bytes_total)
                                                  : 100.0;
  r.summary.parse_warnings = st.warnings;
  r.retained_convention = to_string(engine.filter());

  {
    MachineryReport m = options.machinery ? *options.machinery
                                          : analyze_machinery(engine, dump.header().timestamp_ms);
    r.finalizer = std::move(m.finalizer);
    r.timers = std::move(m.timers);
  }
  for (auto& f : finalizer_findings(engine, r.finalizer, r.summary.reachable_bytes))
    r.findings.push_back(std::move(f));
  for (auto& f : timer_findings(engine, r.timers, r.summary.reachable_bytes))
    r.findings.push_back(std::move(f));
  r.cleaners = options.cleaners ? *options.cleaners : analyze_cleaners(engine);
  for (auto& f : cleaner_findings(r.cleaners, r.summary.reachable_bytes))
    r.findings.push_back(std::move(f));
  link_related(r.findings, r.timers, r.finalizer);
  for (auto& t : r.timers) {
    for (const auto& f : r.findings) {
      if (f.id.ends_with(":" + render::hex_id(t.queue_id))) {
        t.library = f.library;
      }
    }
  }
  std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.retained_bytes > b.retained_bytes;
  });

  // Top dominators: the root's children by retained size.
  std::vector<NodeIndex> top;
  for (NodeIndex v = 0; v < index.object_count(); ++v) {  // in index order: sequential reads
    if (tree.idom(v) == tree.root()) top.push_back(v);
  }
  const auto& ret = engine.retained();
  const size_t k = std::min(options.top, top.size());
  std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(k), top.end(),
                    [&](NodeIndex a, NodeIndex b) { return retains_more(ret, a, b); });
  for (size_t i = 0; i < k; ++i) {
    const NodeIndex v = top[i];
    r.dominators.push_back({index.object_id(v), engine.class_name_of(v), index.shallow_size(v),
                            ret.bytes[v], ret.count[v]});
  }
  ClassLoaderLabels loaders(engine.layouts());
  for (size_t i = 0; i < rows.size() && i < options.top; ++i) {
    r.histogram.push_back({index.class_info(rows[i].klass).name, rows[i].count,
                           rows[i].shallow_bytes, rows[i].retained_bytes,
                           loaders.of_class(rows[i].klass)});
  }
  return r;
}

}  // namespace heapscope::analysis
