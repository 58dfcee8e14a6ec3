#include "severity_style.h"

namespace heapscope::gui {

SeverityStyle SeverityStyle::of(analysis::Severity severity) {
  switch (severity) {
    case analysis::Severity::kCritical:
      return {QStringLiteral("CRITICAL"), QColor(0xc6, 0x28, 0x28), QColor(0xfd, 0xec, 0xea)};
    case analysis::Severity::kWarning:
      return {QStringLiteral("WARNING"), QColor(0xd9, 0x8c, 0x00), QColor(0xff, 0xf6, 0xe0)};
    case analysis::Severity::kInfo:
    default:
      return {QStringLiteral("INFO"), QColor(0x1e, 0x6b, 0xc8), QColor(0xe9, 0xf1, 0xfc)};
  }
}

}  // namespace heapscope::gui
