#include "loader.h"

#include <QtConcurrent/QtConcurrentRun>
#include <new>

namespace heapscope::gui {

Loader::Loader(QObject* parent) : QObject(parent) {
  qRegisterMetaType<IndexSummary>();
  qRegisterMetaType<SessionPtr>();
  qRegisterMetaType<ReportPtr>();
}

Loader::~Loader() {
  if (relay_) relay_->cancel();
  wait_for_workers();
}

void Loader::wait_for_workers() {
  for (auto& w : workers_) w.waitForFinished();
  workers_.clear();
}

void Loader::prune_finished() {
  workers_.removeIf([](const QFuture<void>& f) { return f.isFinished(); });
}

void Loader::cancel() {
  if (auto relay = relay_) relay->cancel();
}

void Loader::finish(quint64 generation) {
  if (generation != generation_) return;
  busy_ = false;
  relay_.reset();
}

void Loader::start(const QString& path, analysis::EdgeFilter convention) {
  if (relay_) relay_->cancel();  // the old worker ends on its own; its results are ignored
  prune_finished();
  const quint64 gen = ++generation_;
  busy_ = true;
  path_ = path;
  convention_ = convention;
  auto relay = std::make_shared<ProgressRelay>(
      this,
      [this, gen](const QString& phase, quint64 total) {
        if (gen == generation_) emit phase_changed(phase, total);
      },
      [this, gen](quint64 done) {
        if (gen == generation_) emit progressed(done);
      });
  relay->set_phase_hook(phase_hook_);
  relay_ = relay;
  emit started(path);

  // Everything the worker hands back goes through a queued call to this object.
  auto post = [this](auto fn) {
    QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection);
  };
  workers_.append(QtConcurrent::run([this, gen, path, convention, relay, post] {
    QString error;
    SessionPtr session;
    bool was_cancelled = false;
    try {
      auto result = AnalysisSession::open(
          path, relay.get(),
          [&](const IndexSummary& summary) {
            post([this, gen, summary] {
              if (gen == generation_) emit indexed(summary);
            });
          },
          [&](const ReportPtr& report) {
            post([this, gen, report] {
              if (gen == generation_) emit reported(report);
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
      if (gen != generation_) return;
      finish(gen);
      if (was_cancelled) {
        emit cancelled(path);
      } else if (!error.isEmpty()) {
        emit failed(path, error);
      } else {
        emit loaded(session);
      }
    });
  }));
}

}  // namespace heapscope::gui
