// Loads a dump in the background (QtConcurrent): AnalysisSession::open on a pool thread, with
// progress, a cancel flag and staged results delivered as signals on the GUI thread.
#pragma once

#include <QFuture>
#include <QList>
#include <QObject>
#include <QString>
#include <memory>

#include "analysis_session.h"
#include "progress_relay.h"

namespace heapscope::gui {

class Loader : public QObject {
  Q_OBJECT

 public:
  explicit Loader(QObject* parent = nullptr);
  // Cancels whatever still runs and waits for it.
  ~Loader() override;

  // Starts loading `path` with retained sizes by `convention`; a load in progress is cancelled
  // and its results are dropped.
  void start(const QString& path, analysis::EdgeFilter convention = analysis::EdgeFilter::kAll);
  // Asks the current load to stop; it ends with cancelled(). GUI thread (tests that must cancel
  // from the worker click the Cancel button through a blocking queued call).
  void cancel();
  bool busy() const { return busy_; }
  // The dump and convention of the current (or last) load.
  const QString& path() const { return path_; }
  analysis::EdgeFilter convention() const { return convention_; }
  // Blocks until every worker has ended (shutdown, tests).
  void wait_for_workers();
  // Runs on the worker thread as each phase begins (see ProgressRelay::set_phase_hook); applies
  // to loads started afterwards.
  void set_phase_hook(ProgressRelay::PhaseHook hook) { phase_hook_ = std::move(hook); }

 signals:
  void started(const QString& path);
  void phase_changed(const QString& phase, quint64 total);
  void progressed(quint64 done);
  // Stage 1: the index is built.
  void indexed(const heapscope::gui::IndexSummary& summary);
  // Stage 2: the report (findings, finalizer and timer tables) is built.
  void reported(const heapscope::gui::ReportPtr& report);
  // Stage 3: everything is ready.
  void loaded(const heapscope::gui::SessionPtr& session);
  // The one-line error of the library (hprof::Error::describe()).
  void failed(const QString& path, const QString& message);
  void cancelled(const QString& path);

 private:
  void finish(quint64 generation);
  void prune_finished();

  quint64 generation_ = 0;
  bool busy_ = false;
  QString path_;
  analysis::EdgeFilter convention_ = analysis::EdgeFilter::kAll;
  std::shared_ptr<ProgressRelay> relay_;
  ProgressRelay::PhaseHook phase_hook_;
  QList<QFuture<void>> workers_;
};

}  // namespace heapscope::gui
