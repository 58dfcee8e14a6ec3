// Renderings of a ReportDiff (`heapscope diff`) and a Trend (`heapscope trend`).
// `format`: "text", "json", "md" or "html" (anything else renders text).
// JSON layout: docs/diff-trend.md.
#pragma once

#include <string>
#include <string_view>

#include "heapscope/analysis/report_diff.h"
#include "heapscope/analysis/trend.h"

namespace heapscope::analysis {

std::string render_diff(const ReportDiff& diff, std::string_view format);
std::string render_trend(const Trend& trend, std::string_view format);

}  // namespace heapscope::analysis
