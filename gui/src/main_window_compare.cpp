// MainWindow's part in comparing dumps: File ▸ Compare With…, the CompareLoader's progress in
// the status bar (the same bar and Cancel button as a load), and the Compare view.
#include <QFileDialog>
#include <QFileInfo>
#include <QStatusBar>

#include "compare_loader.h"
#include "compare_view.h"
#include "load_status.h"
#include "main_window.h"

namespace heapscope::gui {

void MainWindow::connect_compare_loader() {
  connect(compare_loader_, &CompareLoader::started, this, [this](const QString& what) {
    statusBar()->clearMessage();
    compare_prefix_.clear();
    load_status_->start(what);
    load_status_->setToolTip(tr("Comparing %1").arg(what));
  });
  connect(compare_loader_, &CompareLoader::dump_started, this,
          [this](int i, int n, const QString& path) {
            compare_prefix_ = tr("dump %1 of %2: ").arg(i + 1).arg(n);
            load_status_->setToolTip(tr("Comparing: loading %1").arg(path));
          });
  connect(compare_loader_, &CompareLoader::phase_changed, this,
          [this](const QString& phase, quint64 total) {
            load_status_->set_phase(compare_prefix_ + phase, total);
          });
  connect(compare_loader_, &CompareLoader::progressed, load_status_, &LoadStatus::set_done);
  connect(compare_loader_, &CompareLoader::compared, this, [this](const ComparisonPtr& c) {
    load_status_->stop();
    compare_->set_comparison(c);
    show_view(View::kCompare);
    emit comparison_ready();
  });
  connect(compare_loader_, &CompareLoader::failed, this,
          [this](const QString& path, const QString& message) {
            load_status_->stop();
            report_error(tr("Cannot compare with %1").arg(QFileInfo(path).fileName()), message);
          });
  connect(compare_loader_, &CompareLoader::cancelled, this, [this](const QString& what) {
    load_status_->stop();
    statusBar()->showMessage(tr("Comparing %1 was cancelled").arg(what), 6000);
    emit load_cancelled(what);
  });
}

QStringList MainWindow::compare_paths(const QStringList& others) const {
  QStringList paths{session_ ? session_->path() : QString()};
  for (const auto& p : others) {
    if (!paths.contains(p)) paths << p;
  }
  return paths;
}

void MainWindow::compare_with(const QStringList& others, std::optional<uint64_t> heap_limit_bytes) {
  if (!session_ || others.isEmpty()) return;
  for (const auto& p : others) {
    if (!QFileInfo(p).isFile()) {
      report_error(tr("Cannot compare with %1").arg(QFileInfo(p).fileName()),
                   tr("cannot open %1: no such file").arg(p));
      return;
    }
  }
  compare_loader_->start(compare_paths(others), heap_limit_bytes);
}

bool MainWindow::compare_with_sync(const QStringList& others,
                                   std::optional<uint64_t> heap_limit_bytes) {
  if (!session_ || others.isEmpty()) return false;
  auto result = CompareLoader::compare(compare_paths(others), heap_limit_bytes, nullptr);
  if (!result) {
    report_error(tr("Cannot compare"), QString::fromStdString(result.error().describe()));
    return false;
  }
  compare_->set_comparison(result.value());
  show_view(View::kCompare);
  emit comparison_ready();
  return true;
}

void MainWindow::choose_and_compare() {
  if (!session_) return;
  const QStringList paths = QFileDialog::getOpenFileNames(
      this, tr("Compare With Dumps of the Same JVM"), QFileInfo(session_->path()).absolutePath(),
      tr("Heap dumps (*.hprof *.hprof.gz *.hprof.zst *.bin);;All files (*)"));
  if (!paths.isEmpty())
    compare_with(paths, compare_->comparison() ? compare_->comparison()->trend.heap_limit_bytes
                                               : std::nullopt);
}

}  // namespace heapscope::gui
