// Progress on stderr: a redrawn bar on a terminal, one line per phase otherwise, nothing with
// --quiet.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "heapscope/hprof/progress.h"

namespace heapscope::cli {

class ProgressBar final : public hprof::Progress {
 public:
  explicit ProgressBar(bool quiet);
  ~ProgressBar() override;
  void begin(std::string_view phase, uint64_t total) override;
  void advance(uint64_t done) override;
  void finish();
  // The work stops (ErrorCode::kCancelled) once `cancel` returns true; polled from any thread.
  void set_cancel(std::function<bool()> cancel) { cancel_ = std::move(cancel); }
  bool cancelled() const override { return cancel_ && cancel_(); }

 private:
  std::function<bool()> cancel_;
  void draw(bool force);
  void trace_end_of_phase();
  bool trace_;        // HEAPSCOPE_TRACE set: each phase's seconds and the run's peak RSS so far
  bool phase_peaks_;  // HEAPSCOPE_TRACE=phases: each phase's own peak RSS too
  long run_peak_mib_ = 0;
  bool quiet_;
  bool tty_;
  std::string phase_;
  uint64_t total_ = 0;
  uint64_t done_ = 0;
  bool open_line_ = false;
  std::chrono::steady_clock::time_point phase_start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace heapscope::cli
