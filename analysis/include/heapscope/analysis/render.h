// Renderings of a Report. Each returns the whole document as a string.
#pragma once

#include <string>

#include "heapscope/analysis/report.h"

namespace heapscope::analysis {

std::string render_json(const Report& report);  // the versioned contract (docs/report.schema.json)
std::string render_text(const Report& report);  // verdict first, for a terminal
std::string render_markdown(const Report& report);  // short, for chat and tickets
std::string render_html(const Report& report);      // one self-contained file, inline CSS and SVG
// The figures as OpenMetrics text (gauges, ends in "# EOF"), for a Pushgateway or a textfile
// collector. Names and labels: docs/report.md.
std::string render_openmetrics(const Report& report);

}  // namespace heapscope::analysis
