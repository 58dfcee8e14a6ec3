// The Markdown report: short enough to paste into a chat or a ticket (about 60 lines at most):
// a headline, the findings as bullets, the Finalizer thread, small tables of finalizable classes
// and timers. GitHub-flavoured (tables); names from the dump are escaped or put in code spans.
#include <vector>

#include "cleaner_parts.h"
#include "format.h"
#include "heapscope/analysis/render.h"

namespace heapscope::analysis {
namespace {

using render::clean_text;
using render::human_bytes;
using render::with_commas;

constexpr size_t kMaxFindings = 10;
constexpr size_t kMaxRows = 5;
constexpr size_t kMaxExplanation = 320;  // characters: the first sentences of an explanation

// The first sentences of `text` that fit in `max` characters; a first sentence longer than that
// is cut at a word and ends in "...". The full paragraph is in the other renderings.
std::string first_sentences(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t end = 0;
  for (size_t i = text.find(". "); i != std::string_view::npos && i + 1 <= max;
       i = text.find(". ", i + 1)) {
    end = i + 1;
  }
  if (end > 0) return std::string(text.substr(0, end));
  const size_t space = text.rfind(' ', max - 3);
  return std::string(text.substr(0, space == std::string_view::npos ? max - 3 : space)) + "...";
}

// One line of Markdown text with every character that could start markup escaped. `$` too:
// GitHub renders $...$ as math, and class names like Outer$1 carry dollars. With `line_start`,
// also what only means something at the start of a line ("- ", "1. ").
std::string md_text(std::string_view raw, bool line_start = false) {
  const std::string s = clean_text(raw);
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
      case '$':
      case '~':
      case '&':
      case '#':
        out += '\\';
        out += c;
        break;
      case '\n':
      case '\t':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  if (!line_start) return out;
  // at the start of a line "-", "+" or "=" would make a list or a heading, "1." a numbered list
  if (!out.empty() && (out[0] == '-' || out[0] == '+' || out[0] == '=')) out.insert(0, "\\");
  size_t digits = 0;
  while (digits < out.size() && out[digits] >= '0' && out[digits] <= '9') ++digits;
  if (digits > 0 && digits < out.size() && (out[digits] == '.' || out[digits] == ')')) {
    out.insert(digits, "\\");
  }
  return out;
}

// A code span that survives any content, also inside a table cell (GitHub splits cells at `|`
// even inside code spans unless it is escaped).
std::string md_code(std::string_view raw) {
  std::string s = clean_text(raw);
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  std::string escaped;
  for (char c : s) {
    if (c == '|') escaped += '\\';
    escaped += c;
  }
  if (s.find('`') == std::string::npos) return "`" + escaped + "`";
  return "`` " + escaped + " ``";
}

void findings_list(std::string& out, const Report& r) {
  size_t shown = 0;
  for (Severity s : {Severity::kCritical, Severity::kWarning, Severity::kInfo}) {
    for (const Finding* f : render::findings_of(r, s)) {
      if (shown == kMaxFindings) break;
      ++shown;
      std::string head =
          "- **" + std::string(render::severity_label(s)) + "** " + md_text(f->title);
      const std::string retained = human_bytes(f->retained_bytes);
      if (f->retained_bytes > 0 && f->title.find(retained) == std::string::npos) {
        head += " (retains " + retained + ")";
      }
      if (!f->library.empty()) head += " · " + md_text(f->library);
      std::vector<std::string> lines{head};
      if (!f->explanation.empty())
        lines.push_back("  " + md_text(first_sentences(f->explanation, kMaxExplanation), true));
      if (!f->fix.empty()) lines.push_back("  **Fix:** " + md_text(f->fix));
      for (size_t i = 0; i < lines.size(); ++i) {
        out += lines[i] + (i + 1 < lines.size() ? "  \n" : "\n");  // hard breaks inside the item
      }
    }
  }
  if (r.findings.size() > kMaxFindings) {
    out +=
        "- ... and " + with_commas(r.findings.size() - kMaxFindings) + " more in the full report\n";
  }
}

void finalizer_part(std::string& out, const FinalizerReport& f) {
  out += "\n";
  if (!f.machinery_present) {
    out += "**Finalization:** not used in this heap (no `java.lang.ref.Finalizer`).\n";
    return;
  }
  out += "**Finalizer thread:** " + md_text(render::finalizer_thread_line(f.thread));
  out += " · " + with_commas(f.pending) + " pending, " + with_commas(f.registered) + " registered";
  if (f.held_only_count > 0)
    out += ", held only by finalization: " + md_text(render::finalization_held_phrase(f));
  out += "\n";
  if (f.watchdog.present)
    out += "\n**Watchdog:** " + md_text(render::watchdog_line(f.watchdog)) + "\n";
  if (f.by_class.empty()) return;
  out += "\n| finalizable class | registered | pending | finalizing | finalized | held only |\n";
  out += "|---|--:|--:|--:|--:|--:|\n";
  for (size_t i = 0; i < f.by_class.size() && i < kMaxRows; ++i) {
    const auto& c = f.by_class[i];
    out += "| " + md_code(c.klass) + " | " + with_commas(c.registered) + " | " +
           with_commas(c.pending) + " | " + with_commas(c.being_finalized) + " | " +
           with_commas(c.finalized_not_collected) + " | " + human_bytes(c.held_only_bytes) + " |\n";
  }
  if (f.by_class.size() > kMaxRows) {
    out += "| ... " + with_commas(f.by_class.size() - kMaxRows) + " more | | | | | |\n";
  }
}

void timers_part(std::string& out, const Report& r) {
  out += "\n";
  if (r.timers.empty()) {
    out += "**Timers:** none (no `java.util.Timer` or `ScheduledThreadPoolExecutor`).\n";
    return;
  }
  out += "| timer | thread | queued | cancelled | held only | library |\n";
  out += "|---|---|--:|--:|--:|---|\n";
  for (size_t i = 0; i < r.timers.size() && i < kMaxRows; ++i) {
    const auto& t = r.timers[i];
    out += "| " + md_code(t.kind) + " | " +
           (t.thread_name.empty() ? std::string("?") : md_code(t.thread_name)) +
           (t.alive ? "" : " (dead)") + " | " + with_commas(t.queue_size) + " | " +
           with_commas(t.tasks.cancelled) + " | " + human_bytes(t.held_only_bytes) + " | " +
           md_text(t.library) + " |\n";
  }
  if (r.timers.size() > kMaxRows) {
    out += "| ... " + with_commas(r.timers.size() - kMaxRows) + " more | | | | | |\n";
  }
}

}  // namespace

std::string render_markdown(const Report& r) {
  const auto worst = r.worst();
  const bool problems = worst && *worst != Severity::kInfo;
  std::string out = "### Heapscope: ";
  out += problems ? std::string(render::severity_label(*worst)) + " · " + render::verdict_summary(r)
                  : render::verdict_summary(r);
  out += "\n\n";
  std::string file = r.dump.path;
  if (const auto slash = file.find_last_of('/'); slash != std::string::npos)
    file.erase(0, slash + 1);
  out += md_code(file.empty() ? "-" : file) + " · " + human_bytes(r.summary.shallow_bytes) +
         " heap · " + with_commas(r.summary.objects) + " objects";
  if (!r.dump.jdk.empty()) out += " · JDK " + md_text(r.dump.jdk);
  out += " · " + render::utc_time(r.dump.timestamp_ms) + "\n\n";
  if (r.findings.empty()) {
    out += "No problems found: " + md_text(render::quiet_finalizer_phrase(r.finalizer)) +
           ", no timer retaining cancelled tasks.\n";
  } else {
    findings_list(out, r);
  }
  finalizer_part(out, r.finalizer);
  timers_part(out, r);
  out += render::cleaners_markdown(r);
  out += "\n<sub>" + md_text(r.tool_name) + " " + md_text(r.tool_version) + " · " +
         md_text(render::convention_sentence(r.retained_convention)) + "</sub>\n";
  return out;
}

}  // namespace heapscope::analysis
