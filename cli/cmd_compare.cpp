// `heapscope diff BASE NEW` and `heapscope trend DUMP DUMP...`: every dump is analyzed as by
// `analyze` (one after the other; only its Report is kept), then compared by the analysis
// library (report_diff.h, trend.h).
#include <cstdio>
#include <limits>
#include <optional>
#include <vector>

#include "commands.h"
#include "heapscope/analysis/render_compare.h"

namespace heapscope::cli {

namespace {

// The Reports of every dump with the whole histogram; nullopt after a message on failure.
std::optional<std::vector<analysis::Report>> analyze_all(const CommonOptions& options,
                                                         const std::vector<std::string>& dumps,
                                                         int& rc) {
  std::vector<analysis::Report> reports;
  for (const auto& path : dumps) {
    CommonOptions one = options;
    one.dump_path = path;
    ProgressBar progress(options.quiet);
    auto report = analyze_report(one, progress, std::numeric_limits<size_t>::max(), rc);
    if (!report) return std::nullopt;
    reports.push_back(std::move(*report));
  }
  return reports;
}

}  // namespace

int run_diff(const CommonOptions& options, const CompareOptions& c) {
  int rc = kExitOk;
  auto reports = analyze_all(options, c.dumps, rc);
  if (!reports) return rc;
  const auto diff = analysis::diff_reports((*reports)[0], (*reports)[1]);
  return write_output(c.output, analysis::render_diff(diff, options.format)) ? kExitOk : kExitUsage;
}

int run_trend(const CommonOptions& options, const CompareOptions& c) {
  std::optional<uint64_t> limit;
  if (!c.heap_limit.empty()) {
    limit = parse_size(c.heap_limit);
    if (!limit || *limit == 0) {
      std::fprintf(stderr, "heapscope: --heap-limit: \"%s\" is not a size (e.g. 4G, 800M)\n",
                   c.heap_limit.c_str());
      return kExitUsage;
    }
  }
  int rc = kExitOk;
  auto reports = analyze_all(options, c.dumps, rc);
  if (!reports) return rc;
  const auto trend = analysis::trend_reports(std::move(*reports), limit);
  return write_output(c.output, analysis::render_trend(trend, options.format)) ? kExitOk
                                                                               : kExitUsage;
}

}  // namespace heapscope::cli
