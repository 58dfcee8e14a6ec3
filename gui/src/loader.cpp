#include "loader.h"

#include <new>

namespace heapscope::gui {

Loader::Loader(QObject* parent) : BackgroundWork(parent) {
  qRegisterMetaType<IndexSummary>();
  qRegisterMetaType<SessionPtr>();
  qRegisterMetaType<ReportPtr>();
}

void Loader::start(const QString& path, analysis::EdgeFilter convention) {
  const quint64 gen = begin();
  path_ = path;
  convention_ = convention;
  std::shared_ptr<ProgressRelay> relay = this->relay();
  emit started(path);

  // Everything the worker hands back goes through a queued call to this object.
  run([this, gen, path, convention, relay] {
    QString error;
    SessionPtr session;
    bool was_cancelled = false;
    try {
      auto result = AnalysisSession::open(
          path, relay.get(),
          [&](const IndexSummary& summary) {
            post([this, gen, summary] {
              if (current(gen)) emit indexed(summary);
            });
          },
          [&](const ReportPtr& report) {
            post([this, gen, report] {
              if (current(gen)) emit reported(report);
            });
          },
          convention);
      if (result) {
        session = std::move(result.value());
      } else if (result.error().code == hprof::ErrorCode::kCancelled) {
        was_cancelled = true;
      } else {
        error = QString::fromStdString(result.error().describe());
      }
    } catch (const std::bad_alloc&) {
      error = tr("out of memory: the dump is too large for this machine's memory");
    } catch (const std::exception& e) {
      error = tr("internal error: %1").arg(QString::fromUtf8(e.what()));
    }
    if (relay->cancelled()) was_cancelled = true;
    post([this, gen, path, session, error, was_cancelled] {
      if (!current(gen)) return;
      finish(gen);
      if (was_cancelled) {
        emit cancelled(path);
      } else if (!error.isEmpty()) {
        emit failed(path, error);
      } else {
        emit loaded(session);
      }
    });
  });
}

}  // namespace heapscope::gui
