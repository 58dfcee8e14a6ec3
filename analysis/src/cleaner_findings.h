// Findings from the Cleaner analyzer (private to the analysis library): never-cleanable
// registrations and a Cleaner thread stuck in an action. Severity rules: docs/notes/cleaners.md.
#pragma once

#include <vector>

#include "heapscope/analysis/report.h"

namespace heapscope::analysis {

std::vector<Finding> cleaner_findings(const std::vector<CleanerReport>& cleaners,
                                      uint64_t reachable_bytes);

}  // namespace heapscope::analysis
