// Item data roles every model of the GUI shares.
#pragma once

#include <Qt>

namespace heapscope::gui {

enum ItemRole {
  // quint64 object id of the object a cell stands for; views open it in the inspector on a
  // double-click. Absent (invalid QVariant) when the cell names no object.
  kObjectIdRole = Qt::UserRole + 1,
  // The raw value a column sorts by (numbers as numbers, not as formatted text).
  kSortRole,
  // Severity of a finding (int of analysis::Severity).
  kSeverityRole,
};

}  // namespace heapscope::gui
