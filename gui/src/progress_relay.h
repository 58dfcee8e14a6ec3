// The GUI's hprof::Progress: carries the phase and progress of work on a worker thread to a
// QObject on the GUI thread (queued, at most every 50 ms), and answers cancelled() from an
// atomic flag the GUI sets.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <atomic>
#include <functional>
#include <string_view>

#include "heapscope/hprof/progress.h"

namespace heapscope::gui {

class ProgressRelay final : public hprof::Progress {
 public:
  using PhaseHandler = std::function<void(const QString& phase, quint64 total)>;
  using AdvanceHandler = std::function<void(quint64 done)>;
  using PhaseHook = std::function<void(std::string_view phase)>;

  // The handlers run on `receiver`'s thread; `receiver` must outlive the work.
  ProgressRelay(QObject* receiver, PhaseHandler on_phase, AdvanceHandler on_advance);

  void begin(std::string_view phase, uint64_t total) override;
  void advance(uint64_t done) override;
  bool cancelled() const override { return cancelled_.load(std::memory_order_relaxed); }

  // Thread-safe.
  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  // Runs on the worker thread, synchronously, as each phase begins (tests use it to cancel at a
  // known point). Set it before the work starts.
  void set_phase_hook(PhaseHook hook) { phase_hook_ = std::move(hook); }

 private:
  QObject* receiver_;
  PhaseHandler on_phase_;
  AdvanceHandler on_advance_;
  PhaseHook phase_hook_;
  std::atomic<bool> cancelled_{false};
  std::atomic<qint64> last_post_ms_{-1000};
  QElapsedTimer clock_;
};

}  // namespace heapscope::gui
