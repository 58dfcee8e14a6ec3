// Loads several dumps for a comparison in the background (QtConcurrent), one after the other:
// AnalysisSession::compare_report of each, then Comparison::make, with progress and cancel
// through the same ProgressRelay the single-dump Loader uses.
#pragma once

#include <QFuture>
#include <QList>
#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>

#include "comparison.h"
#include "heapscope/hprof/error.h"
#include "progress_relay.h"

namespace heapscope::gui {

class CompareLoader : public QObject {
  Q_OBJECT

 public:
  explicit CompareLoader(QObject* parent = nullptr);
  ~CompareLoader() override;

  // Starts comparing `paths` (two or more); a comparison in progress is cancelled.
  void start(const QStringList& paths, std::optional<uint64_t> heap_limit_bytes);
  void cancel();
  bool busy() const { return busy_; }
  void wait_for_workers();
  // Runs on the worker thread as each phase begins (ProgressRelay::set_phase_hook; tests cancel
  // with it at a known point); applies to comparisons started afterwards.
  void set_phase_hook(ProgressRelay::PhaseHook hook) { phase_hook_ = std::move(hook); }
  // Runs on the worker thread (synchronously, the real compare) and returns the same result the
  // signals carry: for the screenshot and tests.
  static hprof::Result<ComparisonPtr> compare(
      const QStringList& paths, std::optional<uint64_t> heap_limit_bytes, hprof::Progress* progress,
      const std::function<void(int, const QString&)>& on_dump = {});

 signals:
  void started(const QString& what);
  // Dump `i` of `n` begins loading.
  void dump_started(int i, int n, const QString& path);
  void phase_changed(const QString& phase, quint64 total);
  void progressed(quint64 done);
  void compared(const heapscope::gui::ComparisonPtr& comparison);
  void failed(const QString& path, const QString& message);
  void cancelled(const QString& what);

 private:
  quint64 generation_ = 0;
  bool busy_ = false;
  std::shared_ptr<ProgressRelay> relay_;
  ProgressRelay::PhaseHook phase_hook_;
  QList<QFuture<void>> workers_;
};

}  // namespace heapscope::gui
