// Loads a dump in the background (QtConcurrent): AnalysisSession::open on a pool thread, with
// progress, a cancel flag and staged results delivered as signals on the GUI thread.
#pragma once

#include <QString>

#include "analysis_session.h"
#include "background_work.h"

namespace heapscope::gui {

class Loader : public BackgroundWork {
  Q_OBJECT

 public:
  explicit Loader(QObject* parent = nullptr);
  // Cancels whatever still runs and waits for it (before this object's own members go).
  ~Loader() override {
    cancel();
    wait_for_workers();
  }

  // Starts loading `path` with retained sizes by `convention`; a load in progress is cancelled
  // and its results are dropped.
  void start(const QString& path, analysis::EdgeFilter convention = analysis::EdgeFilter::kAll);
  // The dump and convention of the current (or last) load.
  const QString& path() const { return path_; }
  analysis::EdgeFilter convention() const { return convention_; }

 signals:
  void started(const QString& path);
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
  QString path_;
  analysis::EdgeFilter convention_ = analysis::EdgeFilter::kAll;
};

}  // namespace heapscope::gui
