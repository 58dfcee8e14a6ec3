#include "compare_loader.h"

#include <QFileInfo>
#include <new>

#include "analysis_session.h"

namespace heapscope::gui {

CompareLoader::CompareLoader(QObject* parent) : BackgroundWork(parent) {
  qRegisterMetaType<ComparisonPtr>();
}

hprof::Result<ComparisonPtr> CompareLoader::compare(
    const QStringList& paths, std::optional<uint64_t> heap_limit_bytes, hprof::Progress* progress,
    const std::function<void(int, const QString&)>& on_dump) {
  std::vector<analysis::Report> reports;
  for (int i = 0; i < paths.size(); ++i) {
    if (on_dump) on_dump(i, paths[i]);
    auto report = AnalysisSession::compare_report(paths[i], progress);
    if (!report) {
      auto e = report.error();
      // Say which of the dumps failed (the error's own text names no file).
      if (e.code != hprof::ErrorCode::kCancelled)
        e.message = QFileInfo(paths[i]).fileName().toStdString() + ": " + e.message;
      return e;
    }
    reports.push_back(std::move(report.value()));
  }
  if (progress) progress->begin("comparing", 0);
  return Comparison::make(std::move(reports), heap_limit_bytes);
}

void CompareLoader::start(const QStringList& paths, std::optional<uint64_t> heap_limit_bytes) {
  const quint64 gen = begin();
  std::shared_ptr<ProgressRelay> relay = this->relay();
  const QString what = tr("%n dump(s)", nullptr, static_cast<int>(paths.size()));
  emit started(what);
  run([this, gen, paths, heap_limit_bytes, relay, what] {
    ComparisonPtr result;
    QString error, failed_path;
    bool was_cancelled = false;
    const int n = static_cast<int>(paths.size());
    try {
      auto r = compare(paths, heap_limit_bytes, relay.get(), [&](int i, const QString& path) {
        failed_path = path;
        post([this, gen, i, n, path] {
          if (current(gen)) emit dump_started(i, n, path);
        });
      });
      if (r) {
        result = std::move(r.value());
      } else if (r.error().code == hprof::ErrorCode::kCancelled) {
        was_cancelled = true;
      } else {
        error = QString::fromStdString(r.error().describe());
      }
    } catch (const std::bad_alloc&) {
      error = tr("out of memory: the dumps are too large for this machine's memory");
    } catch (const std::exception& e) {
      error = tr("internal error: %1").arg(QString::fromUtf8(e.what()));
    }
    if (relay->cancelled()) was_cancelled = true;
    post([this, gen, result, error, failed_path, was_cancelled, what] {
      if (!current(gen)) return;
      finish(gen);
      if (was_cancelled) {
        emit cancelled(what);
      } else if (!error.isEmpty()) {
        emit failed(failed_path, error);
      } else {
        emit compared(result);
      }
    });
  });
}

}  // namespace heapscope::gui
