// `heapscope-gui DUMP --screenshot FILE.png --view V`: load a dump, show one view and save the
// window as a PNG (documentation, and a test that the views draw). With --group-by-class the
// dominator tree groups children by class and opens the biggest row a few levels down.
#pragma once

#include <QSize>
#include <QString>
#include <optional>

#include "main_window.h"

namespace heapscope::gui {

class Screenshot {
 public:
  // Loads `dump` into `window` on this thread, shows `view` at `size` (and `object` in the
  // inspector), grabs the window and writes it to `png`. Returns "" or what went wrong (the
  // library's error for a bad dump).
  static QString take(MainWindow& window, const QString& dump, MainWindow::View view,
                      const QString& png, QSize size, std::optional<quint64> object = {},
                      bool group_by_class = false);
};

}  // namespace heapscope::gui
