// The recently opened dumps, most recent first, kept in QSettings.
#pragma once

#include <QStringList>

namespace heapscope::gui {

class RecentFiles {
 public:
  static constexpr int kMax = 10;

  static QStringList list();
  // Moves `path` (made absolute) to the front.
  static void add(const QString& path);
  static void remove(const QString& path);
  static void clear();
};

}  // namespace heapscope::gui
