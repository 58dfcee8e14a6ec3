// Shared by the renderers (private): how numbers, sizes, times and untrusted text from a dump
// are shown to people. The JSON writer uses none of these: it prints raw values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/analysis/report.h"

namespace heapscope::analysis::render {

std::string with_commas(uint64_t n);      // 2017 → "2,017"
std::string with_commas(int64_t n);       // -2017 → "-2,017"
std::string human_bytes(uint64_t b);      // "512 B", "4.1 KiB", "3.0 MiB" (binary units)
std::string hex_id(uint64_t id);          // "0x7ffd023d0"
std::string duration(int64_t ms);         // "850 ms", "12 s", "49 min 58 s", "3 h 5 min", "2 d 4 h"
std::string utc_time(uint64_t epoch_ms);  // "2025-06-01 10:00:00 UTC"
std::string percent(double p);            // "100%", "99.9%" (never rounds up to 100)
// "1 task", "2,000 tasks": the count with commas and the noun in the right number.
std::string count_of(uint64_t n, std::string_view one, std::string_view many);

// Evidence keys are snake_case; a reader sees "held only" for held_only_bytes (the unit goes with
// the value). Values are shown by what the key says they are: *bytes as a size, *_ms as a
// duration, *_id as a hex id, other numbers with commas.
std::string evidence_label(std::string_view key);
std::string evidence_value(const EvidenceValue& v);

// Text from a dump (class and thread names, frames) is not trusted: invalid UTF-8 becomes U+FFFD
// and C0/C1 control characters, which a terminal would obey, become U+FFFD too. With
// `keep_newlines`, '\n' and '\t' survive (for paragraphs written by the analyzers).
std::string clean_text(std::string_view s, bool keep_newlines = false);

// Display width in columns, counting one per code point (no East Asian wide characters in Java
// class names worth the complexity); and a cut to at most `max` columns ending in "...".
size_t display_width(std::string_view s);
std::string truncate(std::string_view s, size_t max);

// Words of `text` filled into lines of at most `width` columns, each starting with `indent`
// spaces; '\n' in `text` is a hard break. A word longer than a line gets a line of its own.
std::string wrap(std::string_view text, size_t width, size_t indent);

// The findings of one severity, in report order.
std::vector<const Finding*> findings_of(const Report& r, Severity s);
// "1 critical, 2 warnings" / "No problems found" (info findings alone are not problems).
std::string verdict_summary(const Report& r);
// Upper-case severity label: "CRITICAL", "WARNING", "INFO".
const char* severity_label(Severity s);
// What the retained sizes in this report mean, one sentence.
std::string convention_sentence(const std::string& convention);
// One line about the Finalizer thread: "BLOCKED in com.example.Foo.finalize()", "idle (WAITING)".
std::string finalizer_thread_line(const FinalizerThreadReport& t);
// Android's FinalizerWatchdogDaemon: "\"FinalizerWatchdogDaemon\" stuck, timing a.B.finalize()
// of 0x12c00400 (the app is killed when it takes 10 s)"; "" when absent (the JVM).
std::string watchdog_line(const FinalizerWatchdogReport& w);
// "8 NativeAllocationRegistry registrations for 3.0 MiB of native memory (3.0 MiB never
// freed)"; "" when the Cleaner has none.
std::string native_line(const CleanerReport& c);
// For a report without findings: "no finalizer backlog", or "N objects queued for finalization"
// when the queue is not empty (too short for a finding, but not empty either).
// The first letter upper-cased (ASCII).
std::string capitalized(std::string s);
std::string quiet_finalizer_phrase(const FinalizerReport& f);
// What finalization alone keeps alive, as one sentence without the subject: "nothing: no object
// is kept alive by finalization alone" or "12 objects, 1.2 MiB would be freed once
// finalization is done with them (and their 6 Finalizer objects, 240 B)".
std::string finalization_held_phrase(const FinalizerReport& f);
// The head task: "SCHEDULED, fires in 49 min 58 s", or "" when nothing is known.
std::string timer_head_line(const TimerReport& t);

// A plain-text table: columns are left- or right-aligned, padded to their widest cell.
class TextTable {
 public:
  enum class Align { kLeft, kRight };
  void column(std::string header, Align align);
  void row(std::vector<std::string> cells);
  // Lines prefixed by `indent` spaces, two spaces between columns, no trailing spaces.
  std::string str(size_t indent) const;

 private:
  std::vector<std::string> headers_;
  std::vector<Align> aligns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace heapscope::analysis::render
