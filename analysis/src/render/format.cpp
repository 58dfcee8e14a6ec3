#include "format.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace heapscope::analysis::render {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i, or returns
// 0xFFFFFFFF and advances by one byte when the sequence is invalid (overlong, surrogate, cut).
uint32_t next_code_point(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  size_t len = 0;
  uint32_t cp = 0;
  uint32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return 0xFFFFFFFF;
  }
  if (i + len > s.size()) {
    ++i;
    return 0xFFFFFFFF;
  }
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFFFFFF;
    }
    cp = cp << 6 | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
    ++i;
    return 0xFFFFFFFF;
  }
  i += len;
  return cp;
}

bool is_control(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
         // bidirectional overrides and isolates reorder what a reader sees ("Trojan Source")
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

std::string with_commas(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string with_commas(int64_t n) {
  if (n >= 0) return with_commas(static_cast<uint64_t>(n));
  return "-" + with_commas(static_cast<uint64_t>(0) - static_cast<uint64_t>(n));
}

std::string human_bytes(uint64_t b) {
  if (b < 1024) return std::to_string(b) + " B";
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = static_cast<double>(b) / 1024;
  size_t u = 0;
  // 1023.96 KiB would print as "1024.0 KiB": move up a unit before rounding does it
  while (v >= 1023.95 && u + 1 < std::size(kUnits)) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
  return buf;
}

std::string hex_id(uint64_t id) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(id));
  return buf;
}

std::string duration(int64_t ms) {
  if (ms < 0) return "-" + duration(ms == INT64_MIN ? INT64_MAX : -ms);
  const auto a = static_cast<uint64_t>(ms);
  char buf[48];
  if (a < 1000) {
    std::snprintf(buf, sizeof buf, "%llu ms", static_cast<unsigned long long>(a));
    return buf;
  }
  if (a < 10'000) {
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(a) / 1000);
    return buf;
  }
  const uint64_t s = a / 1000;
  auto two = [&](uint64_t big, const char* big_unit, uint64_t small, const char* small_unit) {
    if (small == 0) {
      std::snprintf(buf, sizeof buf, "%llu %s", static_cast<unsigned long long>(big), big_unit);
    } else {
      std::snprintf(buf, sizeof buf, "%llu %s %llu %s", static_cast<unsigned long long>(big),
                    big_unit, static_cast<unsigned long long>(small), small_unit);
    }
    return std::string(buf);
  };
  if (s < 60) return two(s, "s", 0, "");
  if (s < 3600) return two(s / 60, "min", s % 60, "s");
  if (s < 86400) return two(s / 3600, "h", s % 3600 / 60, "min");
  return two(s / 86400, "d", s % 86400 / 3600, "h");
}

std::string utc_time(uint64_t epoch_ms) {
  if (epoch_ms == 0) return "unknown";
  const auto t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return "unknown";
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string percent(double p) {
  if (!(p >= 0)) p = 0;  // also NaN
  if (p >= 100) return "100%";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", std::floor(p * 10) / 10);
  return buf;
}

std::string count_of(uint64_t n, std::string_view one, std::string_view many) {
  return with_commas(n) + " " + std::string(n == 1 ? one : many);
}

std::string evidence_label(std::string_view key) {
  // the value shows the unit: "held_only_bytes" 2.5 MiB reads as "held only 2.5 MiB"
  for (std::string_view unit : {"_bytes", "_ms"}) {
    if (key.size() > unit.size() && ends_with(key, unit)) key.remove_suffix(unit.size());
  }
  std::string out = clean_text(key);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string evidence_value(const EvidenceValue& v) {
  if (!v.number) return clean_text(v.text);
  const int64_t n = *v.number;
  if (n >= 0 && ends_with(v.key, "bytes")) {
    return human_bytes(static_cast<uint64_t>(n));
  }
  if (ends_with(v.key, "_ms")) return duration(n);
  if (n >= 0 && ends_with(v.key, "_id")) return hex_id(static_cast<uint64_t>(n));
  return with_commas(n);
}

std::string clean_text(std::string_view s, bool keep_newlines) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    const uint32_t cp = next_code_point(s, i);
    if (cp == 0xFFFFFFFF) {
      out += kReplacement;
    } else if (is_control(cp)) {
      if (keep_newlines && (cp == '\n' || cp == '\t')) {
        out += static_cast<char>(cp);
      } else {
        out += kReplacement;
      }
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

size_t display_width(std::string_view s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string truncate(std::string_view s, size_t max) {
  if (display_width(s) <= max) return std::string(s);
  const size_t keep = max > 3 ? max - 3 : 0;
  size_t cols = 0;
  size_t i = 0;
  while (i < s.size()) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (cols == keep) break;
      ++cols;
    }
    ++i;
  }
  return std::string(s.substr(0, i)) + "...";
}

std::string wrap(std::string_view text, size_t width, size_t indent) {
  const std::string pad(indent, ' ');
  std::string out;
  size_t line_start = 0;
  while (line_start <= text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    const std::string_view line = text.substr(line_start, line_end - line_start);
    std::string current;
    size_t current_width = 0;
    size_t pos = 0;
    while (pos < line.size()) {
      while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
      if (pos >= line.size()) break;
      size_t end = pos;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
      const std::string_view word = line.substr(pos, end - pos);
      const size_t w = display_width(word);
      if (current_width > 0 && indent + current_width + 1 + w > width) {
        out += pad + current + "\n";
        current.clear();
        current_width = 0;
      }
      if (current_width > 0) {
        current += ' ';
        ++current_width;
      }
      current += word;
      current_width += w;
      pos = end;
    }
    out += current.empty() ? "\n" : pad + current + "\n";
    if (line_end == text.size()) break;
    line_start = line_end + 1;
  }
  return out;
}

std::vector<const Finding*> findings_of(const Report& r, Severity s) {
  std::vector<const Finding*> out;
  for (const auto& f : r.findings) {
    if (f.severity == s) out.push_back(&f);
  }
  return out;
}

std::string verdict_summary(const Report& r) {
  const size_t critical = findings_of(r, Severity::kCritical).size();
  const size_t warning = findings_of(r, Severity::kWarning).size();
  if (critical == 0 && warning == 0) return "No problems found";
  std::string out;
  if (critical > 0) out = count_of(critical, "critical", "critical");
  if (warning > 0) {
    if (!out.empty()) out += ", ";
    out += count_of(warning, "warning", "warnings");
  }
  return out;
}

const char* severity_label(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "CRITICAL";
    case Severity::kWarning:
      return "WARNING";
    case Severity::kInfo:
      return "INFO";
  }
  return "INFO";
}

std::string convention_sentence(const std::string& convention) {
  if (convention == "mat") {
    return "Retained sizes follow Eclipse MAT: every reference retains, including the referent "
           "of weak, soft, final and phantom references.";
  }
  if (convention == "strong-only") {
    return "Retained sizes count strong references only: the referent of a weak, soft, final or "
           "phantom reference is not retained by it.";
  }
  if (convention.empty()) return "The report does not say which retained-size convention it uses.";
  return "Retained sizes use the \"" + clean_text(convention) + "\" convention.";
}

std::string finalizer_thread_line(const FinalizerThreadReport& t) {
  if (!t.present) return "no Finalizer thread in the dump";
  std::string out = "\"" + clean_text(t.name.empty() ? "Finalizer" : t.name) + "\" ";
  out += t.verdict.empty() ? "state unknown" : clean_text(t.verdict);
  if (!t.state.empty()) out += " (" + clean_text(t.state) + ")";
  if (!t.finalize_class.empty()) out += " in " + clean_text(t.finalize_class) + ".finalize()";
  return out;
}

std::string watchdog_line(const FinalizerWatchdogReport& w) {
  if (!w.present) return "";
  std::string out =
      w.thread_name.empty() ? std::string("(no thread)") : "\"" + clean_text(w.thread_name) + "\"";
  out += " " + (w.verdict.empty() ? std::string("state unknown") : clean_text(w.verdict));
  if (!w.watched_class.empty())
    out += ", timing " + clean_text(w.watched_class) + ".finalize() of " +
           hex_id(w.watched_object_id) + " (the app is killed when it takes 10 s)";
  return out;
}

std::string native_line(const CleanerReport& c) {
  if (c.native_registrations == 0) return "";
  return count_of(c.native_registrations, "NativeAllocationRegistry registration",
                  "NativeAllocationRegistry registrations") +
         " for " + human_bytes(c.native_bytes) + " of native memory (" +
         human_bytes(c.never_cleanable_native_bytes) + " never freed)";
}

std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string quiet_finalizer_phrase(const FinalizerReport& f) {
  if (f.pending == 0) return "no finalizer backlog";
  return count_of(f.pending, "object", "objects") + " queued for finalization";
}

std::string finalization_held_phrase(const FinalizerReport& f) {
  if (f.held_only_count == 0) return "nothing: no object is kept alive by finalization alone";
  std::string out = count_of(f.held_only_count, "object", "objects") + ", " +
                    human_bytes(f.held_only_bytes) +
                    " would be freed once finalization is done with them";
  if (f.bookkeeping_count > 0) {
    out += " (and their " + count_of(f.bookkeeping_count, "Finalizer object", "Finalizer objects") +
           ", " + human_bytes(f.bookkeeping_bytes) + ")";
  }
  return out;
}

std::string timer_head_line(const TimerReport& t) {
  std::string out;
  if (!t.head_state.empty()) out = clean_text(t.head_state);
  if (t.head_fires_in_ms) {
    if (!out.empty()) out += ", ";
    out += *t.head_fires_in_ms >= 0
               ? "fires in " + duration(*t.head_fires_in_ms)
               : "was due " + duration(-*t.head_fires_in_ms) + " before the dump";
  }
  return out;
}

void TextTable::column(std::string header, Align align) {
  headers_.push_back(std::move(header));
  aligns_.push_back(align);
}

void TextTable::row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::str(size_t indent) const {
  std::vector<size_t> widths(headers_.size());
  for (size_t c = 0; c < headers_.size(); ++c) {
    widths[c] = display_width(headers_[c]);
    for (const auto& r : rows_) widths[c] = std::max(widths[c], display_width(r[c]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out(indent, ' ');
    for (size_t c = 0; c < cells.size(); ++c) {
      const size_t fill = widths[c] - display_width(cells[c]);
      if (c > 0) out += "  ";
      if (aligns_[c] == Align::kRight) out.append(fill, ' ');
      out += cells[c];
      if (aligns_[c] == Align::kLeft) out.append(fill, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(headers_);
  for (const auto& r : rows_) out += line(r);
  return out;
}

}  // namespace heapscope::analysis::render
