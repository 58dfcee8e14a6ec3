#include "screenshot.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPixmap>
#include <QTreeView>

#include "compare_view.h"
#include "dominator_model.h"
#include "dominator_view.h"
#include "object_inspector.h"

namespace heapscope::gui {

namespace {

// Lets layouts, deferred resizes and paints run.
void settle(int ms) {
  QElapsedTimer timer;
  timer.start();
  do {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  } while (timer.elapsed() < ms);
}

}  // namespace

QString Screenshot::take(MainWindow& window, const QString& dump, MainWindow::View view,
                         const QString& png, QSize size, std::optional<quint64> object,
                         const ScreenshotCompare& compare, bool group_by_class) {
  QString error;
  QObject::connect(&window, &MainWindow::error_reported, &window,
                   [&error](const QString& message) { error = message; });
  window.setWindowState(Qt::WindowNoState);
  window.resize(size);
  window.show();
  settle(50);
  if (!window.open_dump_sync(dump)) return error.isEmpty() ? QStringLiteral("cannot load") : error;
  if (!compare.others.isEmpty()) {
    if (!window.compare_with_sync(compare.others, compare.heap_limit_bytes))
      return error.isEmpty() ? QStringLiteral("cannot compare") : error;
    window.compare_view()->show_page(static_cast<CompareView::Page>(compare.page));
  }
  window.show_view(view);
  if (view == MainWindow::View::kDominators) {
    auto* tree = window.dominator_view()->tree();
    auto* model = window.dominator_view()->model();
    if (group_by_class) {
      window.dominator_view()->group_by_class_box()->setChecked(true);
      // The biggest group, its biggest object, that object's biggest group, and so on.
      QModelIndex at = model->index(0, 0);
      for (int level = 0; level < 6 && at.isValid() && model->hasChildren(at); ++level) {
        tree->expand(at);
        at = model->index(0, 0, at);
      }
    } else {
      tree->expand(model->index(0, 0));
    }
  }
  if (object) {
    if (!window.open_object(*object))
      return QStringLiteral("the dump has no object %1").arg(*object, 0, 16);
    QElapsedTimer timer;
    timer.start();
    while (window.inspector()->busy() && timer.elapsed() < 60000) settle(20);
  }
  settle(150);
  const QPixmap pixmap = window.grab();
  if (pixmap.isNull()) return QStringLiteral("grabbing the window gave an empty image");
  if (!pixmap.save(png, "PNG")) return QStringLiteral("cannot write %1").arg(png);
  return {};
}

}  // namespace heapscope::gui
