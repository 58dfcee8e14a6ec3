#include "heapscope/analysis/report.h"

namespace heapscope::analysis {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kCritical:
      return "critical";
  }
  return "info";
}

std::optional<Severity> Report::worst() const {
  std::optional<Severity> out;
  for (const auto& f : findings) {
    if (!out || f.severity > *out) out = f.severity;
  }
  return out;
}

}  // namespace heapscope::analysis
