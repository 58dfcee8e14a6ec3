// Colours and words for a finding's severity: critical red, warning amber, info blue.
#pragma once

#include <QColor>
#include <QString>

#include "heapscope/analysis/report.h"

namespace heapscope::gui {

struct SeverityStyle {
  QString label;      // "CRITICAL"
  QColor accent;      // strong colour: the card's edge, the chip
  QColor background;  // light tint behind the card
  static SeverityStyle of(analysis::Severity severity);
};

}  // namespace heapscope::gui
