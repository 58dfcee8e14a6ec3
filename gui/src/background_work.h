// What the GUI's background loaders share (Loader: one dump; CompareLoader: several): one piece of
// work at a time on the QtConcurrent pool, a generation number that drops the results of work that
// was replaced, progress and cancel through a ProgressRelay, and results handed back to the GUI
// thread by queued calls.
#pragma once

#include <QFuture>
#include <QList>
#include <QObject>
#include <functional>
#include <memory>

#include "progress_relay.h"

namespace heapscope::gui {

class BackgroundWork : public QObject {
  Q_OBJECT

 public:
  explicit BackgroundWork(QObject* parent = nullptr) : QObject(parent) {}
  // Cancels whatever still runs and waits for it.
  ~BackgroundWork() override;

  // Asks the current work to stop; it ends with the subclass's cancelled signal. GUI thread.
  void cancel();
  bool busy() const { return busy_; }
  // Blocks until every worker has ended (shutdown, tests).
  void wait_for_workers();
  // Runs on the worker thread as each phase begins (see ProgressRelay::set_phase_hook); applies
  // to work started afterwards.
  void set_phase_hook(ProgressRelay::PhaseHook hook) { phase_hook_ = std::move(hook); }

 signals:
  void phase_changed(const QString& phase, quint64 total);
  void progressed(quint64 done);

 protected:
  // Cancels the work in progress (its results will be dropped) and starts a new generation with
  // its own relay; returns the generation.
  quint64 begin();
  const std::shared_ptr<ProgressRelay>& relay() const { return relay_; }
  bool current(quint64 generation) const { return generation == generation_; }
  // On the GUI thread, when work of `generation` has ended: not busy any more.
  void finish(quint64 generation);
  // Runs `fn` on the GUI thread (a queued call to this object).
  void post(std::function<void()> fn);
  // Runs `fn` on the pool.
  void run(std::function<void()> fn);

 private:
  quint64 generation_ = 0;
  bool busy_ = false;
  std::shared_ptr<ProgressRelay> relay_;
  ProgressRelay::PhaseHook phase_hook_;
  QList<QFuture<void>> workers_;
};

}  // namespace heapscope::gui
