// Runs the analyzers over an engine and assembles the Report (summary, finalizer, timers,
// findings, top dominators, histogram). Severity rules: docs/notes/findings.md.
#pragma once

#include <string>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/report.h"

namespace heapscope::analysis {

struct ReportOptions {
  size_t top = 20;        // dominators and histogram rows
  std::string dump_path;  // as the user named it
  std::string tool_version = "0.1.0";
};

Report build_report(const Heap& heap, const Engine& engine, const ReportOptions& options);

}  // namespace heapscope::analysis
