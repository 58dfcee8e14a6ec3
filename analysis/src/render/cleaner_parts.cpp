#include "cleaner_parts.h"

#include "format.h"
#include "html_parts.h"

namespace heapscope::analysis::render {
namespace {

constexpr size_t kMaxRows = 10;

std::string who(const CleanerReport& c) {
  return c.thread_name.empty() ? std::string("(no thread)")
                               : "\"" + clean_text(c.thread_name) + "\"";
}

// "blocked (BLOCKED) in com.acme.Action.run()"; `quote` wraps the class name (Markdown).
std::string state_line(const CleanerReport& c, const char* quote = "") {
  std::string s = c.verdict.empty() ? std::string("unknown") : c.verdict;
  if (!c.thread_state.empty()) s += " (" + c.thread_state + ")";
  if (!c.running_action_class.empty())
    s += std::string(" in ") + quote + clean_text(c.running_action_class) + ".run()" + quote;
  return s;
}

// "A --field owner--> B"
std::string path_line(const NeverCleanableExample& x) {
  std::string s;
  for (const auto& step : x.path) {
    s += clean_text(step.klass) + " " + hex_id(step.object_id);
    if (!step.via.empty()) s += " --" + clean_text(step.via) + "--> ";
  }
  return s;
}

}  // namespace

std::string cleaners_text(const Report& r) {
  if (r.cleaners.empty()) return "";
  std::string out = "\nCLEANERS\n========\n";
  TextTable t;
  t.column("thread", TextTable::Align::kLeft);
  t.column("registered", TextTable::Align::kRight);
  t.column("pending", TextTable::Align::kRight);
  t.column("never cleanable", TextTable::Align::kRight);
  t.column("they keep", TextTable::Align::kRight);
  t.column("state", TextTable::Align::kLeft);
  for (const auto& c : r.cleaners) {
    t.row({who(c), with_commas(c.registered), with_commas(c.pending),
           with_commas(c.never_cleanable), human_bytes(c.never_cleanable_bytes), state_line(c)});
  }
  out += t.str(2);
  for (const auto& c : r.cleaners) {
    if (c.native_registrations > 0) out += wrap(who(c) + ": " + native_line(c), 100, 2);
  }
  for (const auto& c : r.cleaners) {
    if (c.never_cleanable == 0) continue;
    out +=
        "\n  " + who(c) + " (" + clean_text(c.kind) + "): never cleanable, by class of referent\n";
    TextTable k;
    k.column("never", TextTable::Align::kRight);
    k.column("registered", TextTable::Align::kRight);
    k.column("class", TextTable::Align::kLeft);
    size_t rows = 0;
    for (const auto& e : c.by_referent_class) {
      if (e.never_cleanable == 0 || rows++ == kMaxRows) continue;
      k.row({with_commas(e.never_cleanable), with_commas(e.registered), clean_text(e.klass)});
    }
    out += k.str(4);
    for (const auto& x : c.examples) out += wrap("e.g. " + path_line(x), 100, 4);
  }
  return out;
}

std::string cleaners_markdown(const Report& r) {
  if (r.cleaners.empty()) return "";
  std::string out =
      "\n| cleaner thread | registered | pending | never cleanable | they keep | state |\n";
  out += "|---|--:|--:|--:|--:|---|\n";
  for (size_t i = 0; i < r.cleaners.size() && i < kMaxRows; ++i) {
    const auto& c = r.cleaners[i];
    out += "| `" + clean_text(c.thread_name) + "` | " + with_commas(c.registered) + " | " +
           with_commas(c.pending) + " | " + with_commas(c.never_cleanable) + " | " +
           human_bytes(c.never_cleanable_bytes) + " | " + state_line(c, "`") + " |\n";
  }
  if (r.cleaners.size() > kMaxRows)
    out += "| ... " + with_commas(r.cleaners.size() - kMaxRows) + " more | | | | | |\n";
  for (const auto& c : r.cleaners) {
    if (c.native_registrations > 0)
      out += "\n`" + clean_text(c.thread_name) + "`: " + native_line(c) + "\n";
  }
  return out;
}

std::string cleaners_html(const Report& r) {
  if (r.cleaners.empty()) return "";
  std::string out = "<section id=\"cleaners\">\n<h2>Cleaners</h2>\n";
  HtmlTable t;
  t.column("thread");
  t.column("kind");
  for (const char* h : {"registered", "pending", "never cleanable", "they keep"}) t.column(h, true);
  t.column("state");
  for (const auto& c : r.cleaners) {
    t.row({html_escape(c.thread_name), html_escape(c.kind), with_commas(c.registered),
           with_commas(c.pending), with_commas(c.never_cleanable),
           human_bytes(c.never_cleanable_bytes), html_escape(state_line(c))});
  }
  out += t.str();
  for (const auto& c : r.cleaners) {
    if (c.native_registrations > 0)
      out += "<p>" + html_escape(who(c)) + ": " + html_escape(native_line(c)) + "</p>\n";
  }
  for (const auto& c : r.cleaners) {
    if (c.never_cleanable == 0) continue;
    out += "<h3>Never cleanable in " + html_escape(who(c)) + "</h3>\n";
    HtmlTable k;
    k.column("class of referent");
    k.column("registered", true);
    k.column("never cleanable", true);
    for (const auto& e : c.by_referent_class) {
      if (e.never_cleanable == 0) continue;
      k.row({"<code>" + html_escape(e.klass) + "</code>", with_commas(e.registered),
             with_commas(e.never_cleanable)});
    }
    out += k.str();
    for (const auto& x : c.examples)
      out += "<p class=\"small mono\">" + html_escape(path_line(x)) + "</p>\n";
  }
  return out + "</section>\n";
}

}  // namespace heapscope::analysis::render
