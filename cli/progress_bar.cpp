#include "progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace heapscope::cli {

ProgressBar::ProgressBar(bool quiet) : quiet_(quiet), tty_(::isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::begin(std::string_view phase, uint64_t total) {
  if (quiet_) return;
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
