// Findings from analyzer results (private to the analysis library).
#pragma once

#include <vector>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/report.h"

namespace heapscope::analysis {

std::vector<Finding> finalizer_findings(const Engine& engine, const FinalizerReport& report,
                                        uint64_t reachable_bytes);
std::vector<Finding> timer_findings(const Engine& engine, const std::vector<TimerReport>& timers,
                                    uint64_t reachable_bytes);
// Marks findings about the same objects as related and says so in their explanations.
void link_related(std::vector<Finding>& findings, const std::vector<TimerReport>& timers,
                  const FinalizerReport& finalizer);

}  // namespace heapscope::analysis
