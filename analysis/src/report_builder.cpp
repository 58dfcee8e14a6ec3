#include "heapscope/analysis/report_builder.h"

#include <algorithm>
#include <future>

#include "findings.h"
#include "heapscope/analysis/analyzers/finalizer.h"
#include "heapscope/analysis/analyzers/timer.h"
#include "heapscope/analysis/histogram.h"
#include "heapscope/analysis/strings.h"

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
  for (hprof::ObjectIndex o = 0; o < index.object_count(); ++o) {
    const uint64_t s = index.shallow_size(o);
    r.summary.shallow_bytes += s;
    if (tree.reachable(o)) r.summary.reachable_bytes += s;
  }
  r.summary.unreachable_objects = index.object_count() - (tree.reachable_count() - 1);
  const auto& st = index.stats();
  r.summary.percent_of_file_used = st.bytes_total ? 100.0 * static_cast<double>(st.bytes_used) /
                                                        static_cast<double>(st.bytes_total)
                                                  : 100.0;
  r.summary.parse_warnings = st.warnings;
  r.retained_convention = to_string(engine.filter());

  // The two analyzers read the engine only: run them side by side.
  auto timers = std::async(std::launch::async,
                           [&] { return analyze_timers(engine, dump.header().timestamp_ms); });
  r.finalizer = analyze_finalization(engine);
  r.timers = timers.get();
  for (auto& f : finalizer_findings(engine, r.finalizer, r.summary.reachable_bytes))
    r.findings.push_back(std::move(f));
  for (auto& f : timer_findings(engine, r.timers, r.summary.reachable_bytes))
    r.findings.push_back(std::move(f));
  link_related(r.findings, r.timers, r.finalizer);
  for (auto& t : r.timers) {
    for (const auto& f : r.findings) {
      if (f.id.ends_with(":" + [&] {
            char b[24];
            std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(t.queue_id));
            return std::string(b);
          }())) {
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
  for (NodeIndex v : tree.preorder()) {
    if (v != tree.root() && tree.idom(v) == tree.root()) top.push_back(v);
  }
  const auto& ret = engine.retained();
  const size_t k = std::min(options.top, top.size());
  std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(k), top.end(),
                    [&](NodeIndex a, NodeIndex b) {
                      return ret.bytes[a] != ret.bytes[b] ? ret.bytes[a] > ret.bytes[b] : a < b;
                    });
  for (size_t i = 0; i < k; ++i) {
    const NodeIndex v = top[i];
    r.dominators.push_back({index.object_id(v), engine.class_name_of(v), index.shallow_size(v),
                            ret.bytes[v], ret.count[v]});
  }
  auto rows = class_histogram(index, HistogramSort::kShallow);
  add_retained(rows, engine);
  sort_histogram(rows, index, HistogramSort::kRetained);
  for (size_t i = 0; i < rows.size() && i < options.top; ++i) {
    r.histogram.push_back({index.class_info(rows[i].klass).name, rows[i].count,
                           rows[i].shallow_bytes, rows[i].retained_bytes});
  }
  return r;
}

}  // namespace heapscope::analysis
