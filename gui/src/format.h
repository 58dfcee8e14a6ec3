// How numbers, sizes, ids and durations read in the GUI (the same conventions as the CLI's text).
#pragma once

#include <QString>
#include <cstdint>
#include <optional>
#include <string>

namespace heapscope::gui {

QString human_bytes(uint64_t bytes);  // "2.4 MiB", "512 B"
QString with_commas(uint64_t n);      // "2,000"
QString signed_count(int64_t n);      // "+1,500", "−1,500", "0"
QString signed_bytes(int64_t n);      // "+2.4 MiB", "−512 B", "0 B"
// hprof::parse_size of the trimmed text: "4G", "800M", "1.5GiB", "1073741824"; nullopt otherwise.
std::optional<uint64_t> parse_size(const QString& text);
QString hex_id(uint64_t id);                                     // "0xf008f718"
QString percent(double fraction);                                // "12.5 %"
QString duration_ms(int64_t ms);                                 // "in 50 min", "3 s ago"
QString optional_duration_ms(const std::optional<int64_t>& ms);  // "—" when absent
QString qs(const std::string& s);                                // UTF-8 std::string -> QString
// Parses "0x7f3a..." (hex) or decimal; nullopt when it is neither.
std::optional<uint64_t> parse_object_id(const QString& text);

}  // namespace heapscope::gui

namespace heapscope::gui {

// Text that comes from the dump (class names, strings, thread names) made safe to show: control
// characters and bidirectional overrides ("Trojan Source") become U+FFFD. Views show it as plain
// text; rich-text labels must also escape it (QString::toHtmlEscaped).
QString dump_text(const std::string& s);
// A finding's evidence key as a label: "held_only_bytes" -> "held only" (the value shows the unit).
QString evidence_label(const std::string& key);
// Its value with the unit its key implies: bytes, durations (_ms), object ids (_id), counts.
QString evidence_value(const std::string& key, const std::optional<int64_t>& number,
                       const std::string& text);
// The object id an evidence value names (a link to the inspector), if it names one.
std::optional<uint64_t> evidence_object_id(const std::string& key,
                                           const std::optional<int64_t>& number,
                                           const std::string& text);

}  // namespace heapscope::gui
