// Runs the analyzers over an engine and assembles the Report (summary, finalizer, timers,
// findings, top dominators, histogram). Severity rules: docs/notes/findings.md.
#pragma once

#include <string>
#include <vector>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/histogram.h"
#include "heapscope/analysis/report.h"

namespace heapscope::analysis {

struct ReportOptions {
  size_t top = 20;        // dominators and histogram rows
  std::string dump_path;  // as the user named it
  std::string tool_version = "0.1.0";
  // The full class histogram with retained bytes, biggest retained first, when the caller has
  // computed it already (the GUI keeps every row); null: build_report computes it.
  const std::vector<HistogramRow>* histogram = nullptr;
};

Report build_report(const Heap& heap, const Engine& engine, const ReportOptions& options);

}  // namespace heapscope::analysis
