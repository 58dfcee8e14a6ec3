// Loads several dumps for a comparison in the background (QtConcurrent), one after the other:
// AnalysisSession::compare_report of each, then Comparison::make, with progress and cancel
// through the same ProgressRelay the single-dump Loader uses.
#pragma once

#include <QStringList>
#include <functional>
#include <memory>
#include <optional>

#include "background_work.h"
#include "comparison.h"
#include "heapscope/hprof/error.h"

namespace heapscope::gui {

class CompareLoader : public BackgroundWork {
  Q_OBJECT

 public:
  explicit CompareLoader(QObject* parent = nullptr);
  ~CompareLoader() override {
    cancel();
    wait_for_workers();
  }

  // Starts comparing `paths` (two or more); a comparison in progress is cancelled.
  void start(const QStringList& paths, std::optional<uint64_t> heap_limit_bytes);
  // Runs on the worker thread (synchronously, the real compare) and returns the same result the
  // signals carry: for the screenshot and tests.
  static hprof::Result<ComparisonPtr> compare(
      const QStringList& paths, std::optional<uint64_t> heap_limit_bytes, hprof::Progress* progress,
      const std::function<void(int, const QString&)>& on_dump = {});

 signals:
  void started(const QString& what);
  // Dump `i` of `n` begins loading.
  void dump_started(int i, int n, const QString& path);
  void compared(const heapscope::gui::ComparisonPtr& comparison);
  void failed(const QString& path, const QString& message);
  void cancelled(const QString& what);
};

}  // namespace heapscope::gui
