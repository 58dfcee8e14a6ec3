// The HTML report: one self-contained file (inline CSS and SVG, no script, no fetch; the
// Content-Security-Policy says so to the browser too). Findings first as cards coloured by
// severity, then heap, finalization, timers, dominators and classes.
#include <algorithm>
#include <map>

#include "cleaner_parts.h"
#include "format.h"
#include "heapscope/analysis/render.h"
#include "html_parts.h"

namespace heapscope::analysis {
namespace {

using render::Bar;
using render::html_escape;
using render::HtmlTable;
using render::human_bytes;
using render::with_commas;

constexpr size_t kChartBars = 10;
constexpr size_t kMaxFrames = 20;

std::string code(std::string_view s) {
  return "<code>" + html_escape(s) + "</code>";
}

// A class name in a table cell: may break after a '.' or '$' (never inside a simple name), so
// that long names do not squeeze the numeric columns.
std::string class_cell(std::string_view name) {
  std::string out = "<code>";
  for (char c : html_escape(name)) {
    out += c;
    if (c == '.' || c == '$') out += "<wbr>";
  }
  return out + "</code>";
}

std::string tile(const std::string& value, std::string_view key) {
  return "<div class=\"tile\"><div class=\"v\">" + value + "</div><div class=\"k\">" +
         html_escape(key) + "</div></div>";
}

const char* severity_class(Severity s) {
  return to_string(s);
}

void finding_card(std::string& out, const Finding& f, size_t number,
                  const std::map<std::string, size_t>& anchors) {
  out += "<article class=\"card " + std::string(severity_class(f.severity)) + "\" id=\"finding-" +
         std::to_string(number) + "\">\n";
  out += "<div><span class=\"badge " + std::string(severity_class(f.severity)) + "\">" +
         render::severity_label(f.severity) + "</span>";
  if (f.retained_bytes > 0) {
    out += "<span class=\"retained\">retains " + human_bytes(f.retained_bytes) + "</span>";
  }
  if (!f.library.empty()) out += " <span class=\"small\">· " + html_escape(f.library) + "</span>";
  out += "</div>\n<h3>" + html_escape(f.title) + "</h3>\n";
  if (!f.explanation.empty()) {
    out += "<p class=\"explanation\">" + html_escape(f.explanation, true) + "</p>\n";
  }
  if (!f.evidence.empty()) {
    out += "<dl class=\"evidence\">";
    for (const auto& e : f.evidence) {
      out += "<dt>" + html_escape(render::evidence_label(e.key)) + "</dt><dd>" +
             html_escape(render::evidence_value(e)) + "</dd>";
    }
    out += "</dl>\n";
  }
  if (!f.fix.empty())
    out += "<div class=\"fix\"><strong>Fix:</strong> " + html_escape(f.fix, true) + "</div>\n";
  for (const auto& link : f.links)
    out += "<p class=\"small\">See " + render::html_link(link) + "</p>\n";
  if (!f.related.empty()) {
    out += "<p class=\"small\">Same problem as: ";
    for (size_t i = 0; i < f.related.size(); ++i) {
      if (i > 0) out += ", ";
      const auto it = anchors.find(f.related[i]);
      out += it == anchors.end() ? code(f.related[i])
                                 : "<a href=\"#finding-" + std::to_string(it->second) + "\">" +
                                       code(f.related[i]) + "</a>";
    }
    out += "</p>\n";
  }
  out += "<p class=\"small\">" + code(f.id) + "</p>\n</article>\n";
}

void findings_section(std::string& out, const Report& r) {
  out += "<section id=\"findings\">\n<h2>Findings</h2>\n";
  if (r.findings.empty()) {
    out += "<article class=\"card ok\"><h3>No problems found</h3><p>" +
           html_escape(render::capitalized(render::quiet_finalizer_phrase(r.finalizer))) +
           ", no timer retaining cancelled tasks, no other findings.</p></article>\n";
  } else if (!r.worst() || *r.worst() == Severity::kInfo) {
    out += "<p>No problems found; notes only.</p>\n";
  }
  std::map<std::string, size_t> anchors;
  size_t next = 1;
  for (Severity s : {Severity::kCritical, Severity::kWarning, Severity::kInfo}) {
    for (const Finding* f : render::findings_of(r, s)) anchors.emplace(f->id, next++);
  }
  next = 1;
  for (Severity s : {Severity::kCritical, Severity::kWarning, Severity::kInfo}) {
    for (const Finding* f : render::findings_of(r, s)) finding_card(out, *f, next++, anchors);
  }
  out += "</section>\n";
}

void heap_section(std::string& out, const Report& r) {
  const auto& s = r.summary;
  out += "<section id=\"heap\">\n<h2>Heap</h2>\n<div class=\"tiles\">";
  out += tile(with_commas(s.objects), "objects");
  out += tile(with_commas(s.classes), "classes");
  out += tile(with_commas(s.gc_roots), "GC roots");
  out += tile(human_bytes(s.shallow_bytes), "shallow size");
  out += tile(human_bytes(s.reachable_bytes), "reachable from GC roots");
  out += tile(with_commas(s.unreachable_objects), "unreachable objects");
  out += tile(render::percent(s.percent_of_file_used), "of the file parsed");
  out += tile(human_bytes(r.dump.bytes), "file on disk");
  out += "</div>\n<p class=\"small\">" + html_escape(r.dump.format);
  if (r.dump.id_size) out += " · " + std::to_string(r.dump.id_size) + "-byte ids";
  if (!r.dump.compression.empty()) out += " · compression " + html_escape(r.dump.compression);
  out += " · written " + render::utc_time(r.dump.timestamp_ms);
  out += " · JDK " + (r.dump.jdk.empty() ? std::string("unknown") : html_escape(r.dump.jdk));
  out += "<br>" + html_escape(render::convention_sentence(r.retained_convention)) + "</p>\n";
  for (const auto& w : s.parse_warnings)
    out += "<p class=\"small\">Warning: " + html_escape(w) + "</p>\n";
  out += "</section>\n";
}

void finalizer_section(std::string& out, const FinalizerReport& f) {
  out += "<section id=\"finalizer\">\n<h2>Finalization</h2>\n";
  if (!f.machinery_present) {
    out +=
        "<p>No <code>java.lang.ref.Finalizer</code> in the dump: no object was registered for "
        "finalization.</p>\n</section>\n";
    return;
  }
  if (!f.enabled)
    out += "<p><strong>Finalization is disabled</strong> (--finalization=disabled).</p>\n";
  out += "<p class=\"thread " + html_escape(f.thread.verdict) +
         "\"><strong>Finalizer thread:</strong> " +
         html_escape(render::finalizer_thread_line(f.thread));
  if (!f.thread.blocked_on.empty()) out += "<br>Waiting for " + html_escape(f.thread.blocked_on);
  if (f.watchdog.present)
    out += "<br><strong>Watchdog:</strong> " + html_escape(render::watchdog_line(f.watchdog));
  out += "</p>\n";
  if (!f.thread.frames.empty()) {
    out += "<pre class=\"stack\">";
    for (size_t i = 0; i < f.thread.frames.size() && i < kMaxFrames; ++i) {
      out += "at " + html_escape(f.thread.frames[i]) + "\n";
    }
    if (f.thread.frames.size() > kMaxFrames) {
      out += "... " + with_commas(f.thread.frames.size() - kMaxFrames) + " more\n";
    }
    out += "</pre>\n";
  }
  out += "<div class=\"tiles\">";
  out += tile(with_commas(f.pending), "pending (in the queue)");
  out += tile(with_commas(f.registered), "registered, not queued");
  out += tile(with_commas(f.being_finalized), "being finalized");
  out += tile(with_commas(f.finalized_not_collected), "finalized, not collected");
  if (f.queue_length_field) out += tile(with_commas(*f.queue_length_field), "queueLength field");
  out += tile(with_commas(f.longest_chain), "unfinalized list length");
  out += tile(human_bytes(f.held_only_bytes),
              "held only by finalization (" + with_commas(f.held_only_count) + " objects)");
  out +=
      "</div>\n<p>Held only by finalization: " + html_escape(render::finalization_held_phrase(f)) +
      ".</p>\n";
  if (f.by_class.empty()) {
    out += "</section>\n";
    return;
  }
  HtmlTable t;
  t.column("finalizable class");
  for (const char* h : {"registered", "pending", "being finalized", "finalized, not collected",
                        "shallow", "held only (objects)", "held only"}) {
    t.column(h, true);
  }
  for (const auto& c : f.by_class) {
    t.row({class_cell(c.klass), with_commas(c.registered), with_commas(c.pending),
           with_commas(c.being_finalized), with_commas(c.finalized_not_collected),
           human_bytes(c.shallow_bytes), with_commas(c.held_only_count),
           human_bytes(c.held_only_bytes)});
  }
  out += t.str() + "</section>\n";
}

void timer_details(std::string& out, const TimerReport& t) {
  out += "<h3>" + html_escape(t.kind) + " <span class=\"mono\">" + render::hex_id(t.object_id) +
         "</span>";
  if (!t.thread_name.empty()) out += " · thread " + code(t.thread_name);
  out += "</h3>\n<p class=\"small\">";
  if (!t.klass.empty()) out += "class " + code(t.klass);
  if (t.queue_id) out += " · queue <span class=\"mono\">" + render::hex_id(t.queue_id) + "</span>";
  out += " · " + with_commas(t.queue_size) + " of " + with_commas(t.capacity) + " slots";
  if (t.new_tasks_may_be_scheduled) {
    out += *t.new_tasks_may_be_scheduled ? " · accepts tasks" : " · cancelled (takes no new tasks)";
  }
  if (t.remove_on_cancel) out += *t.remove_on_cancel ? " · removeOnCancel" : " · no removeOnCancel";
  const std::string head = render::timer_head_line(t);
  std::string when = head.empty() ? "" : "Head task " + head;
  if (t.last_cancelled_leaves_in_ms) {
    if (!when.empty()) when += "; ";
    when += "the last cancelled task leaves the queue in " +
            render::duration(*t.last_cancelled_leaves_in_ms);
  }
  if (!when.empty()) out += "<br>" + html_escape(when);
  out += "</p>\n";
  if (!t.task_classes.empty()) {
    HtmlTable c;
    c.column("queued task class");
    c.column("tasks", true);
    for (const auto& e : t.task_classes) c.row({class_cell(e.klass), with_commas(e.count)});
    out += c.str();
  }
  if (!t.held_only_by_class.empty()) {
    HtmlTable c;
    c.column("held only by cancelled tasks");
    c.column("objects", true);
    c.column("bytes", true);
    for (const auto& e : t.held_only_by_class) {
      c.row({class_cell(e.klass), with_commas(e.count), human_bytes(e.bytes)});
    }
    out += c.str();
  }
}

void timers_section(std::string& out, const Report& r) {
  out += "<section id=\"timers\">\n<h2>Timers</h2>\n";
  if (r.timers.empty()) {
    out +=
        "<p>No <code>java.util.Timer</code> or <code>ScheduledThreadPoolExecutor</code> in the "
        "dump.</p>\n</section>\n";
    return;
  }
  HtmlTable t;
  t.column("kind");
  t.column("thread");
  t.column("alive");
  for (const char* h : {"queued", "virgin", "scheduled", "executed", "cancelled", "held only"}) {
    t.column(h, true);
  }
  t.column("library");
  for (const auto& e : r.timers) {
    t.row({html_escape(e.kind), e.thread_name.empty() ? "" : code(e.thread_name),
           e.alive ? "yes" : "no", with_commas(e.queue_size), with_commas(e.tasks.virgin),
           with_commas(e.tasks.scheduled), with_commas(e.tasks.executed),
           with_commas(e.tasks.cancelled), human_bytes(e.held_only_bytes), html_escape(e.library)});
  }
  out += t.str();
  for (const auto& e : r.timers) timer_details(out, e);
  out += "</section>\n";
}

void dominators_section(std::string& out, const Report& r) {
  out += "<section id=\"dominators\">\n<h2>Top dominators</h2>\n";
  if (r.dominators.empty()) {
    out += "<p>None in the report.</p>\n</section>\n";
    return;
  }
  std::vector<Bar> bars;
  for (size_t i = 0; i < r.dominators.size() && i < kChartBars; ++i) {
    const auto& d = r.dominators[i];
    bars.push_back({d.klass, d.retained_bytes, human_bytes(d.retained_bytes),
                    d.klass + " " + render::hex_id(d.object_id) + ": retains " +
                        human_bytes(d.retained_bytes) + " in " + with_commas(d.retained_count) +
                        " objects"});
  }
  out += render::svg_bar_chart(bars, "Retained size of the top dominators");
  HtmlTable t;
  t.column("class");
  t.column("object");
  for (const char* h : {"retained", "objects", "shallow"}) t.column(h, true);
  for (const auto& d : r.dominators) {
    t.row({class_cell(d.klass), "<span class=\"mono\">" + render::hex_id(d.object_id) + "</span>",
           human_bytes(d.retained_bytes), with_commas(d.retained_count),
           human_bytes(d.shallow_bytes)});
  }
  out += t.str() + "</section>\n";
}

void histogram_section(std::string& out, const Report& r) {
  out += "<section id=\"histogram\">\n<h2>Biggest classes</h2>\n";
  if (r.histogram.empty()) {
    out += "<p>None in the report.</p>\n</section>\n";
    return;
  }
  bool have_retained = false;
  for (const auto& h : r.histogram) have_retained |= h.retained_bytes > 0;
  std::vector<const HistogramEntry*> top;
  for (const auto& h : r.histogram) top.push_back(&h);
  auto size = [&](const HistogramEntry* h) {
    return have_retained ? h->retained_bytes : h->shallow_bytes;
  };
  std::stable_sort(top.begin(), top.end(), [&](const HistogramEntry* a, const HistogramEntry* b) {
    return size(a) > size(b);
  });
  if (top.size() > kChartBars) top.resize(kChartBars);
  std::vector<Bar> bars;
  for (const HistogramEntry* h : top) {
    bars.push_back({h->klass, size(h), human_bytes(size(h)),
                    h->klass + ": " + with_commas(h->count) + " instances, " +
                        human_bytes(h->shallow_bytes) + " shallow, " +
                        human_bytes(h->retained_bytes) + " retained"});
  }
  out += "<p class=\"small\">By " + std::string(have_retained ? "retained" : "shallow") +
         " size.</p>\n";
  out += render::svg_bar_chart(bars,
                               have_retained ? "Retained size by class" : "Shallow size by class");
  HtmlTable t;
  t.column("class");
  for (const char* h : {"instances", "shallow", "retained"}) t.column(h, true);
  for (const auto& h : r.histogram) {
    t.row({class_cell(h.klass), with_commas(h.count), human_bytes(h.shallow_bytes),
           human_bytes(h.retained_bytes)});
  }
  out += t.str() + "</section>\n";
}

}  // namespace

std::string render_html(const Report& r) {
  const auto worst = r.worst();
  const bool problems = worst && *worst != Severity::kInfo;
  const std::string verdict =
      problems ? std::string(render::severity_label(*worst)) + " · " + render::verdict_summary(r)
               : render::verdict_summary(r);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out +=
      "<title>Heapscope: " + html_escape(verdict) + " · " + html_escape(r.dump.path) + "</title>\n";
  out += "<style>" + std::string(render::report_css()) +
         "</style>\n</head>\n<body>\n<main>\n<header>\n<div>\n";
  out += "<h1>Heapscope report</h1>\n<div class=\"meta\">" +
         code(r.dump.path.empty() ? "-" : r.dump.path) + " · " + human_bytes(r.dump.bytes) +
         " · written " + render::utc_time(r.dump.timestamp_ms) + "</div>\n</div>\n";
  out += "<div class=\"verdict " + std::string(problems ? to_string(*worst) : "ok") + "\">" +
         html_escape(verdict) + "</div>\n</header>\n";
  findings_section(out, r);
  heap_section(out, r);
  finalizer_section(out, r.finalizer);
  timers_section(out, r);
  out += render::cleaners_html(r);
  dominators_section(out, r);
  histogram_section(out, r);
  out += "<footer>" + html_escape(r.tool_name) + " " + html_escape(r.tool_version) +
         " · report schema " + std::to_string(r.schema_version) +
         "</footer>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace heapscope::analysis
