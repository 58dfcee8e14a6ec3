#include "recent_files.h"

#include <QFileInfo>
#include <QSettings>

namespace heapscope::gui {

namespace {
const char* const kKey = "recentFiles";

void store(const QStringList& files) {
  QSettings settings;
  settings.setValue(QLatin1String(kKey), files);
}
}  // namespace

QStringList RecentFiles::list() {
  QSettings settings;
  return settings.value(QLatin1String(kKey)).toStringList();
}

void RecentFiles::add(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  QStringList files = list();
  files.removeAll(absolute);
  files.prepend(absolute);
  while (files.size() > kMax) files.removeLast();
  store(files);
}

void RecentFiles::remove(const QString& path) {
  QStringList files = list();
  files.removeAll(QFileInfo(path).absoluteFilePath());
  store(files);
}

void RecentFiles::clear() {
  store({});
}

}  // namespace heapscope::gui
