// `heapscope analyze DUMP`: the verdict: findings with explanations and fixes, then the heap.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

#include "commands.h"
#include "heapscope/analysis/histogram.h"
#include "heapscope/analysis/render.h"
#include "heapscope/analysis/report_builder.h"

namespace heapscope::cli {

AnalyzeResult analyze_dump(const CommonOptions& options, const AnalyzeOptions& a,
                           ProgressBar& progress) {
  AnalyzeResult result;
  auto heap = open_heap(options, progress, result.exit_code, &result.error);
  if (!heap) {
    result.cancelled = progress.cancelled();
    return result;
  }
  // The finalizer and timer analyzers and the shallow histogram need no dominator tree: they
  // run beside it, on the core the (serial) dominator computation leaves idle.
  // With --cache, their results are kept too, beside the index cache.
  const auto cache_dir = heap->cache_use().file.parent_path();
  std::optional<analysis::MachineryReport> machinery;
  std::vector<analysis::HistogramRow> histogram;
  auto engine = build_engine(
      *heap, options, progress, analysis::EdgeFilter::kAll, result.exit_code,
      [&](const analysis::Engine& e) {
        machinery = analysis::machinery_with_cache(*heap, e, cache_dir);
        histogram = analysis::class_histogram(e.index(), analysis::HistogramSort::kShallow);
      },
      &result.error);
  if (!engine || progress.cancelled()) {
    result.cancelled = progress.cancelled();
    return result;
  }
  progress.begin("analyzers", 0);
  analysis::add_retained(histogram, *engine);
  analysis::sort_histogram(histogram, engine->index(), analysis::HistogramSort::kRetained);
  analysis::ReportOptions ro;
  ro.top = a.top;
  ro.dump_path = options.dump_path;
  ro.machinery = machinery ? &*machinery : nullptr;
  ro.histogram = &histogram;
  result.report = analysis::build_report(*heap, *engine, ro);
  progress.finish();
  return result;
}

int exit_code_for(const analysis::Report& report, const std::string& fail_on) {
  const analysis::Severity threshold = fail_on == "info"      ? analysis::Severity::kInfo
                                       : fail_on == "warning" ? analysis::Severity::kWarning
                                                              : analysis::Severity::kCritical;
  const auto worst = report.worst();
  return worst && *worst >= threshold ? kExitFindings : kExitOk;
}

int run_analyze(const CommonOptions& options, const AnalyzeOptions& a) {
  ProgressBar progress(options.quiet);
  const AnalyzeResult result = analyze_dump(options, a, progress);
  if (!result.report) return result.exit_code;
  const analysis::Report& report = *result.report;

  std::string format = options.format;
  if (format.empty()) format = "text";
  std::string out;
  if (format == "json") {
    out = analysis::render_json(report);
  } else if (format == "html") {
    out = analysis::render_html(report);
  } else if (format == "md") {
    out = analysis::render_markdown(report);
  } else if (format == "openmetrics") {
    out = analysis::render_openmetrics(report);
  } else {
    out = analysis::render_text(report);
  }
  if (a.output.empty() || a.output == "-") {
    std::fwrite(out.data(), 1, out.size(), stdout);
  } else {
    std::ofstream file(a.output, std::ios::binary);
    file << out;
    if (!file) {
      std::fprintf(stderr, "heapscope: cannot write %s\n", a.output.c_str());
      return kExitUsage;
    }
  }
  return exit_code_for(report, a.fail_on);
}

}  // namespace heapscope::cli
