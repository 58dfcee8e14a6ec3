#include "callback_progress.h"

namespace heapscope::capi {

void CallbackProgress::begin(std::string_view phase, uint64_t total) {
  if (!callback_) return;
  std::lock_guard lock(mutex_);
  phase_.assign(phase);
  total_.store(total, std::memory_order_relaxed);
  percent_.store(0, std::memory_order_relaxed);
  call(total ? 0.0 : -1.0);
}

void CallbackProgress::advance(uint64_t done) {
  const uint64_t total = total_.load(std::memory_order_relaxed);
  if (!callback_ || total == 0) return;
  const double fraction =
      done >= total ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  const int percent = static_cast<int>(fraction * 100);
  if (percent <= percent_.load(std::memory_order_relaxed)) return;
  std::lock_guard lock(mutex_);
  if (percent <= percent_.load(std::memory_order_relaxed)) return;
  percent_.store(percent, std::memory_order_relaxed);
  call(fraction);
}

void CallbackProgress::call(double fraction) {
  if (callback_(user_, phase_.c_str(), fraction) != 0)
    cancelled_.store(true, std::memory_order_relaxed);
}

}  // namespace heapscope::capi
