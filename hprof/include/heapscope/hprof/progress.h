// One interface for long work: the CLI draws it on stderr, the GUI in a progress bar.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

namespace heapscope::hprof {

class Progress {
 public:
  virtual ~Progress() = default;
  // A new phase starts; `total` is in the phase's own unit (bytes, objects), 0 when unknown.
  virtual void begin(std::string_view phase, uint64_t total) = 0;
  // `done` units of the current phase are finished. Called often; keep it cheap.
  virtual void advance(uint64_t done) = 0;
  // Polled by every long loop; true makes the work stop with ErrorCode::kCancelled.
  virtual bool cancelled() const { return false; }
};

// Does nothing; the default when a caller passes no Progress.
class NullProgress final : public Progress {
 public:
  void begin(std::string_view, uint64_t) override {}
  void advance(uint64_t) override {}
};

NullProgress& null_progress();

}  // namespace heapscope::hprof
