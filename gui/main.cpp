// heapscope-gui [DUMP [--compare OTHER...] [--heap-limit SIZE]] [--view V] [--group-by-class]
//               [--strong-only] [--screenshot FILE.png [--size WxH] [--object ID]
//               [--compare-page P]]
#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QFileInfo>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "dominator_view.h"
#include "format.h"
#include "main_window.h"
#include "screenshot.h"

namespace {

bool wants_screenshot(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--screenshot") return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using heapscope::gui::MainWindow;
  // A screenshot needs no screen: draw offscreen unless the user chose a platform.
  if (wants_screenshot(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("heapscope-gui"));
  QApplication::setOrganizationName(QStringLiteral("Heapscope"));
  QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Heapscope: JVM heap dump analyzer"));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("dump"), QStringLiteral("Heap dump to open"),
                               QStringLiteral("[DUMP]"));
  QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                QStringLiteral("Load DUMP, save the window as a PNG and exit"),
                                QStringLiteral("file.png"));
  QCommandLineOption view(QStringLiteral("view"),
                          QStringLiteral("View to show: overview, finalizer, timers, dominators, "
                                         "histogram, compare"),
                          QStringLiteral("name"), QStringLiteral("overview"));
  QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size for --screenshot"),
                          QStringLiteral("WxH"), QStringLiteral("1280x820"));
  QCommandLineOption object(
      QStringLiteral("object"),
      QStringLiteral("Object to show in the inspector (hex id, e.g. 0xf008f718)"),
      QStringLiteral("id"));
  QCommandLineOption group_by_class(
      QStringLiteral("group-by-class"),
      QStringLiteral("Dominator tree: group each level's children by class"));
  QCommandLineOption strong_only(
      QStringLiteral("strong-only"),
      QStringLiteral("Retained sizes by strong references only (default: Eclipse MAT's)"));
  QCommandLineOption compare(
      QStringList{QStringLiteral("compare")},
      QStringLiteral("Compare DUMP with OTHER (another dump of the same JVM; repeat the option or "
                     "list more dumps after it) in the Compare view"),
      QStringLiteral("other"));
  QCommandLineOption heap_limit(
      QStringLiteral("heap-limit"),
      QStringLiteral("The JVM's heap limit (-Xmx, e.g. 4G): the trend tells when the reachable "
                     "heap reaches it"),
      QStringLiteral("size"));
  QCommandLineOption compare_page(
      QStringLiteral("compare-page"),
      QStringLiteral("Tab of the Compare view for --screenshot: classes, findings, finalizer, "
                     "trend"),
      QStringLiteral("page"), QStringLiteral("classes"));
  parser.addOptions({screenshot, view, size, object, compare, heap_limit, compare_page,
                     group_by_class, strong_only});
  parser.process(app);

  QStringList args = parser.positionalArguments();
  // `DUMP --compare A B C`: the dumps after the first positional one are compared too.
  QStringList others = parser.values(compare);
  if (parser.isSet(compare)) others += args.mid(1);
  std::optional<uint64_t> limit;
  if (parser.isSet(heap_limit)) {
    limit = heapscope::gui::parse_size(parser.value(heap_limit));
    if (!limit || *limit == 0) {
      std::fprintf(stderr, "heapscope-gui: --heap-limit: \"%s\" is not a size (e.g. 4G, 800M)\n",
                   qPrintable(parser.value(heap_limit)));
      return 2;
    }
  }
  const QStringList pages = {QStringLiteral("classes"), QStringLiteral("findings"),
                             QStringLiteral("finalizer"), QStringLiteral("trend")};
  const int page = static_cast<int>(pages.indexOf(parser.value(compare_page).toLower()));
  if (page < 0) {
    std::fprintf(stderr, "heapscope-gui: unknown --compare-page \"%s\"\n",
                 qPrintable(parser.value(compare_page)));
    return 2;
  }
  const auto chosen_view = MainWindow::view_from_name(parser.value(view));
  if (!chosen_view) {
    std::fprintf(stderr, "heapscope-gui: unknown view \"%s\"\n", qPrintable(parser.value(view)));
    return 2;
  }
  try {
    MainWindow window;
    if (parser.isSet(strong_only)) {
      window.set_retained_convention(heapscope::analysis::EdgeFilter::kStrongOnly);
    }
    if (parser.isSet(group_by_class)) {
      window.dominator_view()->group_by_class_box()->setChecked(true);
    }
    if (parser.isSet(screenshot)) {
      const QStringList wh = parser.value(size).split(QLatin1Char('x'));
      const QSize window_size(wh.value(0).toInt(), wh.value(1).toInt());
      if (args.isEmpty() || window_size.isEmpty()) {
        std::fprintf(stderr,
                     "heapscope-gui: --screenshot needs a DUMP and a --size like 1280x820\n");
        return 2;
      }
      std::optional<quint64> inspect;
      if (parser.isSet(object)) {
        inspect = heapscope::gui::parse_object_id(parser.value(object));
        if (!inspect) {
          std::fprintf(stderr, "heapscope-gui: \"%s\" is not an object id\n",
                       qPrintable(parser.value(object)));
          return 2;
        }
      }
      const QString error = heapscope::gui::Screenshot::take(
          window, args.first(), *chosen_view, parser.value(screenshot), window_size, inspect,
          {others, limit, page}, parser.isSet(group_by_class));
      if (!error.isEmpty()) {
        std::fprintf(stderr, "heapscope-gui: %s: %s\n", qPrintable(args.first()),
                     qPrintable(error));
        return 3;
      }
      return 0;
    }
    window.show();
    if (!args.isEmpty()) {
      if (!others.isEmpty()) {
        QObject::connect(
            &window, &MainWindow::session_loaded, &window,
            [&window, others, limit] { window.compare_with(others, limit); },
            Qt::SingleShotConnection);
      } else if (parser.isSet(view)) {
        const auto v = *chosen_view;
        QObject::connect(
            &window, &MainWindow::session_loaded, &window, [&window, v] { window.show_view(v); },
            Qt::SingleShotConnection);
      }
      window.open_dump(args.first());
    }
    return QApplication::exec();
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "heapscope-gui: out of memory\n");
    return 4;
  }
}
