// The subcommands; each returns an exit code (exit_codes.h).
#pragma once

#include <nlohmann/json.hpp>

#include "common.h"
#include "exit_codes.h"
#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/report.h"

namespace heapscope::cli {

struct HistogramOptions {
  size_t top = 0;  // 0 = all
  std::string sort = "shallow";
  bool strong_only = false;
};

struct PathOptions {
  std::string object;
  size_t max_paths = 1;
  bool all_references = false;  // also through Reference.referent
};

struct AnalyzeOptions {
  std::string output;  // -o FILE, "-" or "" = stdout
  std::string fail_on = "critical";
  size_t top = 20;
};

struct ObjectOptions {
  std::string object;
  size_t max_elements = 20;
};

struct DominatorOptions {
  std::string object;  // "" = the top of the tree, else the children of this object
  size_t top = 20;
  int depth = 1;
  bool strong_only = false;
};

int run_info(const CommonOptions& options);
int run_histogram(const CommonOptions& options, const HistogramOptions& histogram);
int run_dominators(const CommonOptions& options, const DominatorOptions& dominators);
int run_path(const CommonOptions& options, const PathOptions& path);
int run_analyze(const CommonOptions& options, const AnalyzeOptions& analyze);
// What `analyze` computes for one dump, before rendering: the report, or the exit code and the
// error message when the dump cannot be analyzed (also used by `heapscope worker`).
struct AnalyzeResult {
  std::optional<analysis::Report> report;
  int exit_code = kExitOk;  // of a failure; for a report, see exit_code_for(report, fail_on)
  std::string error;
  bool cancelled = false;  // the progress said stop
};
AnalyzeResult analyze_dump(const CommonOptions& options, const AnalyzeOptions& analyze,
                           ProgressBar& progress);
// kExitFindings when a finding is at least as severe as `fail_on` ("info", "warning",
// "critical"), else kExitOk.
int exit_code_for(const analysis::Report& report, const std::string& fail_on);
int run_object(const CommonOptions& options, const ObjectOptions& object);

struct CompareOptions {
  std::vector<std::string> dumps;  // diff: BASE NEW; trend: two or more
  std::string output;              // -o FILE, "-" or "" = stdout
  std::string heap_limit;          // trend --heap-limit SIZE, "" = none
};
int run_diff(const CommonOptions& options, const CompareOptions& compare);

struct RedactOptions {
  std::string output;           // OUT; ".gz" / ".zst" compress
  std::string level = "basic";  // "basic" or "names"
  std::string mapping;          // --mapping FILE; "" = OUT + ".mapping.json"
};
int run_redact(const CommonOptions& options, const RedactOptions& redact);
int run_trend(const CommonOptions& options, const CompareOptions& compare);

// What `analyze` computes for one dump (options.dump_path), with `top` dominator and histogram
// rows; prints the error, sets `exit_code` and returns nullopt on failure.
std::optional<analysis::Report> analyze_report(const CommonOptions& options, ProgressBar& progress,
                                               size_t top, int& exit_code);
// Writes `text` to `output` ("" or "-" = stdout); false (after a message) when it cannot.
bool write_output(const std::string& output, const std::string& text);

// The exit code for an error of the reader or the engine.
int exit_code_for(const hprof::Error& error);
// Builds the engine with progress; prints the error and returns nullopt on failure.
// `keep_graph` and `class_retained`: EngineOptions.
std::optional<analysis::Engine> build_engine(
    const analysis::Heap& heap, const CommonOptions& options, ProgressBar& progress,
    analysis::EdgeFilter filter, int& exit_code,
    std::function<void(const analysis::Engine&)> alongside_dominators = {},
    std::string* error = nullptr, bool keep_graph = true, bool class_retained = true);
// "0x7ffd023d0" or a decimal id -> the object; prints an error and returns nullopt.
std::optional<hprof::ObjectIndex> parse_object(const hprof::Index& index, const std::string& text);

}  // namespace heapscope::cli
