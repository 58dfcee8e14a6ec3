// hprof::Progress over the C callback: phase names as C strings, fractions 0..1 (-1 when the
// phase has no total), a non-zero return cancels. Calls come one at a time (a lock), and at most
// one per percent of a phase.
#pragma once

#include <atomic>
#include <mutex>
#include <string>

#include "heapscope/heapscope.h"
#include "heapscope/hprof/progress.h"

namespace heapscope::capi {

class CallbackProgress final : public hprof::Progress {
 public:
  CallbackProgress(heapscope_progress_fn callback, void* user) : callback_(callback), user_(user) {}
  void begin(std::string_view phase, uint64_t total) override;
  void advance(uint64_t done) override;
  bool cancelled() const override { return cancelled_.load(std::memory_order_relaxed); }

 private:
  void call(double fraction);  // with mutex_ held
  heapscope_progress_fn callback_;
  void* user_;
  std::mutex mutex_;
  std::string phase_;
  std::atomic<uint64_t> total_{0};
  std::atomic<int> percent_{-1};  // the last percent reported in this phase
  std::atomic<bool> cancelled_{false};
};

}  // namespace heapscope::capi
