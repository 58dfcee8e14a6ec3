#include "background_work.h"

#include <QtConcurrent/QtConcurrentRun>

namespace heapscope::gui {

BackgroundWork::~BackgroundWork() {
  if (relay_) relay_->cancel();
  wait_for_workers();
}

void BackgroundWork::wait_for_workers() {
  for (auto& w : workers_) w.waitForFinished();
  workers_.clear();
}

void BackgroundWork::cancel() {
  if (auto relay = relay_) relay->cancel();
}

quint64 BackgroundWork::begin() {
  if (relay_) relay_->cancel();  // the old worker ends on its own; its results are ignored
  workers_.removeIf([](const QFuture<void>& f) { return f.isFinished(); });
  const quint64 gen = ++generation_;
  busy_ = true;
  relay_ = std::make_shared<ProgressRelay>(
      this,
      [this, gen](const QString& phase, quint64 total) {
        if (gen == generation_) emit phase_changed(phase, total);
      },
      [this, gen](quint64 done) {
        if (gen == generation_) emit progressed(done);
      });
  relay_->set_phase_hook(phase_hook_);
  return gen;
}

void BackgroundWork::finish(quint64 generation) {
  if (generation != generation_) return;
  busy_ = false;
  relay_.reset();
}

void BackgroundWork::post(std::function<void()> fn) {
  QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection);
}

void BackgroundWork::run(std::function<void()> fn) {
  workers_.append(QtConcurrent::run(std::move(fn)));
}

}  // namespace heapscope::gui
