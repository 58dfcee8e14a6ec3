#include "progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace heapscope::cli {

namespace {
long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

// Starts a new high-water mark: Linux resets VmHWM to the current RSS on "5" (proc(5),
// /proc/pid/clear_refs). Where that fails, the phase's peak is the run's so far. The reset
// also lowers the maximum resident set the parent sees at exit (getrusage, /usr/bin/time), which
// is why only HEAPSCOPE_TRACE=phases does it.
void reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}
}  // namespace

ProgressBar::ProgressBar(bool quiet)
    : trace_(std::getenv("HEAPSCOPE_TRACE") != nullptr),
      phase_peaks_(trace_ && std::string_view(std::getenv("HEAPSCOPE_TRACE")) == "phases"),
      quiet_(quiet),
      tty_(::isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() {
  finish();
  trace_end_of_phase();
}

void ProgressBar::trace_end_of_phase() {
  if (!trace_ || phase_.empty()) return;
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - phase_start_).count();
  const long peak = peak_rss_kb() / 1024;
  if (phase_peaks_) {
    run_peak_mib_ = std::max(run_peak_mib_, peak);
    std::fprintf(stderr, "heapscope: trace: %-26s %7.3f s  peak RSS %ld MiB (run %ld MiB)\n",
                 phase_.c_str(), secs, peak, run_peak_mib_);
  } else {
    std::fprintf(stderr, "heapscope: trace: %-26s %7.3f s  peak RSS %ld MiB\n", phase_.c_str(),
                 secs, peak);
  }
  phase_.clear();
}

void ProgressBar::begin(std::string_view phase, uint64_t total) {
  trace_end_of_phase();
  if (phase_peaks_) reset_peak_rss();
  if (quiet_) {
    phase_ = phase;
    phase_start_ = std::chrono::steady_clock::now();
    return;
  }
  finish();
  phase_ = phase;
  total_ = total;
  done_ = 0;
  phase_start_ = std::chrono::steady_clock::now();
  if (!tty_) {
    std::fprintf(stderr, "heapscope: %s...\n", phase_.c_str());
  } else {
    draw(true);
  }
}

void ProgressBar::advance(uint64_t done) {
  if (quiet_ || !tty_) return;
  done_ = done;
  draw(false);
}

void ProgressBar::finish() {
  if (quiet_ || !tty_ || !open_line_) return;
  done_ = total_;
  draw(true);
  std::fputc('\n', stderr);
  open_line_ = false;
}

void ProgressBar::draw(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double secs = std::chrono::duration<double>(now - phase_start_).count();
  if (total_ > 0) {
    const double f = static_cast<double>(std::min(done_, total_)) / static_cast<double>(total_);
    const int width = 30;
    const int fill = static_cast<int>(f * width);
    std::fprintf(stderr, "\r%-16s [%.*s%*s] %3d%% %5.1fs", phase_.c_str(), fill,
                 "##############################", width - fill, "", static_cast<int>(f * 100),
                 secs);
  } else {
    std::fprintf(stderr, "\r%-16s %5.1fs", phase_.c_str(), secs);
  }
  open_line_ = true;
}

}  // namespace heapscope::cli
