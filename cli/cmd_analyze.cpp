// `heapscope analyze DUMP`: the verdict: findings with explanations and fixes, then the heap.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "heapscope/analysis/render.h"
#include "heapscope/analysis/report_inputs.h"

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
  analysis::ReportInputs inputs;
  auto engine = build_engine(
      *heap, options, progress, analysis::EdgeFilter::kAll, result.exit_code,
      analysis::gather_report_inputs(*heap, inputs, heap->cache_use().file.parent_path()),
      &result.error, /*keep_graph=*/false);
  if (!engine || progress.cancelled()) {
    result.cancelled = progress.cancelled();
    return result;
  }
  // Whatever follows references ran beside the dominator tree; the report reads the tree, the
  // retained sizes and the index, so the graph's memory goes back before it (the engine gave it
  // back already unless it wrote a cache file).
  if (inputs.machinery && inputs.cleaners) engine->release_graph();
  progress.begin("analyzers", 0);
  analysis::ReportOptions ro;
  ro.top = a.top;
  ro.dump_path = options.dump_path;
  result.report = analysis::finish_report(*heap, *engine, inputs, ro);
  progress.finish();
  return result;
}

std::optional<analysis::Report> analyze_report(const CommonOptions& options, ProgressBar& progress,
                                               size_t top, int& rc) {
  AnalyzeOptions a;
  a.top = top;
  AnalyzeResult result = analyze_dump(options, a, progress);
  rc = result.exit_code;
  return std::move(result.report);
}

int exit_code_for(const analysis::Report& report, const std::string& fail_on) {
  const analysis::Severity threshold = fail_on == "info"      ? analysis::Severity::kInfo
                                       : fail_on == "warning" ? analysis::Severity::kWarning
                                                              : analysis::Severity::kCritical;
  const auto worst = report.worst();
  return worst && *worst >= threshold ? kExitFindings : kExitOk;
}

bool write_output(const std::string& output, const std::string& text) {
  if (output.empty() || output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return true;
  }
  std::ofstream file(output, std::ios::binary);
  file << text;
  if (!file) {
    std::fprintf(stderr, "heapscope: cannot write %s\n", output.c_str());
    return false;
  }
  return true;
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
  if (!write_output(a.output, out)) return kExitUsage;
  return exit_code_for(report, a.fail_on);
}

}  // namespace heapscope::cli
