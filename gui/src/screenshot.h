// `heapscope-gui DUMP --screenshot FILE.png --view V`: load a dump, show one view and save the
// window as a PNG (documentation, and a test that the views draw). With --group-by-class the
// dominator tree groups children by class and opens the biggest row a few levels down. With
// `--compare OTHER...` the other dumps are compared with DUMP first (the Compare view,
// `--compare-page` one of its tabs).
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>
#include <optional>

#include "main_window.h"

namespace heapscope::gui {

// What --compare adds to a screenshot.
struct ScreenshotCompare {
  QStringList others;  // empty: no comparison
  std::optional<uint64_t> heap_limit_bytes;
  int page = 0;  // CompareView::Page
};

class Screenshot {
 public:
  // Loads `dump` into `window` on this thread, shows `view` at `size` (and `object` in the
  // inspector), compares it with `compare.others` when there are any, grabs the window and
  // writes it to `png`. Returns "" or what went wrong (the library's error for a bad dump).
  static QString take(MainWindow& window, const QString& dump, MainWindow::View view,
                      const QString& png, QSize size, std::optional<quint64> object = {},
                      const ScreenshotCompare& compare = {}, bool group_by_class = false);
};

}  // namespace heapscope::gui
