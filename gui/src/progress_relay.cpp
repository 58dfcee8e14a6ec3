#include "progress_relay.h"

namespace heapscope::gui {

namespace {
constexpr qint64 kMinPostIntervalMs = 50;
}

ProgressRelay::ProgressRelay(QObject* receiver, PhaseHandler on_phase, AdvanceHandler on_advance)
    : receiver_(receiver), on_phase_(std::move(on_phase)), on_advance_(std::move(on_advance)) {
  clock_.start();
}

void ProgressRelay::begin(std::string_view phase, uint64_t total) {
  if (phase_hook_) phase_hook_(phase);
  const QString name = QString::fromUtf8(phase.data(), static_cast<qsizetype>(phase.size()));
  QMetaObject::invokeMethod(
      receiver_, [h = on_phase_, name, total] { h(name, total); }, Qt::QueuedConnection);
  last_post_ms_.store(clock_.elapsed(), std::memory_order_relaxed);
}

void ProgressRelay::advance(uint64_t done) {
  const qint64 now = clock_.elapsed();
  qint64 last = last_post_ms_.load(std::memory_order_relaxed);
  if (now - last < kMinPostIntervalMs) return;
  // One thread wins the slot; the others skip this update.
  if (!last_post_ms_.compare_exchange_strong(last, now, std::memory_order_relaxed)) return;
  QMetaObject::invokeMethod(
      receiver_, [h = on_advance_, done] { h(done); }, Qt::QueuedConnection);
}

}  // namespace heapscope::gui
