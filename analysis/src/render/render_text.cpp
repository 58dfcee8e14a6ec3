// The terminal report: the verdict first (findings by severity, each with its numbers and fix),
// then the heap, finalization, timers, dominators and classes behind it. Plain ASCII layout,
// no colour, 100 columns.
#include <map>

#include "cleaner_parts.h"
#include "format.h"
#include "heapscope/analysis/render.h"

namespace heapscope::analysis {
namespace {

using render::clean_text;
using render::count_of;
using render::human_bytes;
using render::TextTable;
using render::with_commas;
using Align = TextTable::Align;

constexpr size_t kWidth = 100;
constexpr size_t kMaxFrames = 12;
constexpr size_t kMaxDominators = 20;
constexpr size_t kMaxClasses = 25;
constexpr size_t kMaxSubRows = 10;
constexpr size_t kDetail = 7;  // indent of a timer's details, under "[T1] "

void heading(std::string& out, const std::string& title) {
  out += "\n" + title + "\n" + std::string(render::display_width(title), '=') + "\n";
}

// `lead` (ASCII, at most `indent` columns) followed by `text` wrapped so that its lines after
// the first start under its first.
std::string hang(std::string lead, std::string_view text, size_t indent) {
  std::string w = render::wrap(text, kWidth, indent);
  if (w.compare(0, indent, std::string(indent, ' ')) != 0) {  // empty first line
    while (!lead.empty() && lead.back() == ' ') lead.pop_back();
    return lead + w;
  }
  lead.resize(indent, ' ');
  return lead + w.substr(indent);
}

// "  Label         value", the value wrapped under itself.
void field(std::string& out, std::string_view label, const std::string& value, size_t indent = 2) {
  constexpr size_t kLabel = 14;
  out += hang(std::string(indent, ' ') + std::string(label), value, indent + kLabel);
}

std::string more_line(size_t shown, size_t total, std::string_view one, std::string_view many,
                      size_t indent = 2) {
  if (total <= shown) return "";
  return std::string(indent, ' ') + "... " +
         count_of(total - shown, "more " + std::string(one), "more " + std::string(many)) +
         " in the JSON report\n";
}

void finding_block(std::string& out, const Finding& f, size_t number,
                   const std::map<std::string, size_t>& numbers) {
  const std::string tag = "[" + std::to_string(number) + "] ";
  out += "\n" + hang(tag, clean_text(f.title), tag.size());
  const size_t in = tag.size();
  const std::string pad(in, ' ');
  if (f.retained_bytes > 0) {
    out += pad + "Retains " + human_bytes(f.retained_bytes) + " (" + with_commas(f.retained_bytes) +
           " bytes) that a fix would free.\n";
  }
  if (!f.explanation.empty())
    out += "\n" + render::wrap(clean_text(f.explanation, true), kWidth, in);
  if (!f.library.empty()) out += "\n" + pad + "Library: " + clean_text(f.library) + "\n";
  if (!f.evidence.empty()) {
    out += "\n" + pad + "Evidence:\n";
    TextTable t;
    t.column("", Align::kLeft);
    t.column("", Align::kLeft);
    for (const auto& e : f.evidence)
      t.row({render::evidence_label(e.key), render::evidence_value(e)});
    const std::string table = t.str(in + 2);
    out += table.substr(table.find('\n') + 1);  // no header line
  }
  if (!f.fix.empty()) {
    out += "\n" + hang(pad + "Fix: ", clean_text(f.fix, true), in + 5);
  }
  for (const auto& link : f.links) out += pad + "See: " + clean_text(link) + "\n";
  if (!f.related.empty()) {
    std::string related;
    for (const auto& id : f.related) {
      if (!related.empty()) related += ", ";
      const auto it = numbers.find(id);
      related += it == numbers.end() ? clean_text(id)
                                     : "[" + std::to_string(it->second) + "] " + clean_text(id);
    }
    out += "\n" + hang(pad + "Same problem as: ", related, in + 17);
  }
}

void verdict_section(std::string& out, const Report& r) {
  const auto worst = r.worst();
  const bool problems = worst && *worst != Severity::kInfo;
  out += "\nVERDICT: ";
  out += problems ? std::string(render::severity_label(*worst)) + " - " + render::verdict_summary(r)
                  : render::verdict_summary(r);
  out += "\n";
  if (!problems) {
    out += r.findings.empty()
               ? "  " + render::capitalized(render::quiet_finalizer_phrase(r.finalizer)) +
                     ", no retained timer tasks, no other findings.\n"
               : "  Only notes below, nothing to fix.\n";
  }
  std::map<std::string, size_t> numbers;
  for (size_t i = 0; i < r.findings.size(); ++i) numbers.emplace(r.findings[i].id, 0);
  size_t next = 1;
  for (Severity s : {Severity::kCritical, Severity::kWarning, Severity::kInfo}) {
    for (const Finding* f : render::findings_of(r, s)) numbers[f->id] = next++;
  }
  next = 1;
  for (Severity s : {Severity::kCritical, Severity::kWarning, Severity::kInfo}) {
    const auto list = render::findings_of(r, s);
    if (list.empty()) continue;
    heading(out, std::string(render::severity_label(s)) + " (" + std::to_string(list.size()) + ")");
    for (const Finding* f : list) finding_block(out, *f, next++, numbers);
  }
}

void heap_section(std::string& out, const Report& r) {
  heading(out, "HEAP");
  std::string file = clean_text(r.dump.path.empty() ? "-" : r.dump.path);
  file += ", " + human_bytes(r.dump.bytes) + " on disk";
  if (!r.dump.compression.empty() && r.dump.compression != "none") {
    file += " (" + clean_text(r.dump.compression) + ")";
  }
  field(out, "File", file);
  std::string format = clean_text(r.dump.format);
  if (r.dump.id_size)
    format += (format.empty() ? "" : ", ") + std::to_string(r.dump.id_size) + "-byte ids";
  if (!format.empty()) field(out, "Format", format);
  field(out, "Written", render::utc_time(r.dump.timestamp_ms));
  field(out, "JDK", r.dump.jdk.empty() ? "unknown" : clean_text(r.dump.jdk));
  const auto& s = r.summary;
  field(out, "Objects",
        count_of(s.objects, "object", "objects") + " of " +
            count_of(s.classes, "class", "classes") + ", " +
            count_of(s.gc_roots, "GC root", "GC roots"));
  field(out, "Shallow",
        human_bytes(s.shallow_bytes) + " in all, " + human_bytes(s.reachable_bytes) +
            " reachable from GC roots; " +
            count_of(s.unreachable_objects, "unreachable object", "unreachable objects"));
  field(out, "Parsed", render::percent(s.percent_of_file_used) + " of the file");
  for (const auto& w : s.parse_warnings) field(out, "Warning", clean_text(w));
  field(out, "Retained", render::convention_sentence(r.retained_convention));
}

void finalizer_section(std::string& out, const FinalizerReport& f) {
  heading(out, "FINALIZATION");
  if (!f.machinery_present) {
    out += "  No java.lang.ref.Finalizer in the dump: no object was registered for finalization.\n";
    return;
  }
  if (!f.enabled) field(out, "Disabled", "finalization is disabled (--finalization=disabled)");
  field(out, "Thread", render::finalizer_thread_line(f.thread));
  if (!f.thread.blocked_on.empty()) field(out, "Waiting for", clean_text(f.thread.blocked_on));
  if (f.watchdog.present) field(out, "Watchdog", render::watchdog_line(f.watchdog));
  for (size_t i = 0; i < f.thread.frames.size() && i < kMaxFrames; ++i) {
    field(out, i == 0 ? "Stack" : "", "at " + clean_text(f.thread.frames[i]));
  }
  if (f.thread.frames.size() > kMaxFrames) {
    field(out, "",
          "... " + count_of(f.thread.frames.size() - kMaxFrames, "more frame", "more frames"));
  }
  field(out, "Finalizers",
        with_commas(f.registered) + " registered, " + with_commas(f.pending) + " pending, " +
            with_commas(f.being_finalized) + " being finalized, " +
            with_commas(f.finalized_not_collected) + " finalized but not collected");
  std::string queue = "unfinalized list " + with_commas(f.longest_chain) + " long";
  if (f.queue_length_field)
    queue = "queueLength " + with_commas(*f.queue_length_field) + ", " + queue;
  field(out, "Queue", queue);
  field(out, "Held only", render::finalization_held_phrase(f));
  if (f.by_class.empty()) return;
  out += "\n";
  TextTable t;
  for (const char* h :
       {"registered", "pending", "finalizing", "finalized", "shallow", "held only"}) {
    t.column(h, Align::kRight);
  }
  t.column("class", Align::kLeft);
  for (const auto& c : f.by_class) {
    t.row({with_commas(c.registered), with_commas(c.pending), with_commas(c.being_finalized),
           with_commas(c.finalized_not_collected), human_bytes(c.shallow_bytes),
           human_bytes(c.held_only_bytes), clean_text(c.klass)});
  }
  out += t.str(2);
}

void timer_details(std::string& out, const TimerReport& t, size_t number) {
  out += "\n  [T" + std::to_string(number) + "] " + clean_text(t.kind) + " " +
         render::hex_id(t.object_id);
  if (!t.klass.empty() && t.klass != t.kind) out += " (" + clean_text(t.klass) + ")";
  out += "\n";
  if (!t.library.empty()) field(out, "Library", clean_text(t.library), kDetail);
  std::string thread = t.thread_name.empty() ? "unknown" : "\"" + clean_text(t.thread_name) + "\"";
  thread += t.alive ? ", alive" : ", not alive";
  if (t.new_tasks_may_be_scheduled) {
    thread +=
        *t.new_tasks_may_be_scheduled ? ", accepts tasks" : ", cancelled (takes no new tasks)";
  }
  if (t.remove_on_cancel)
    thread += *t.remove_on_cancel ? ", removeOnCancel" : ", no removeOnCancel";
  field(out, "Thread", thread, kDetail);
  std::string queue = with_commas(t.queue_size) + " of " + with_commas(t.capacity) + " slots";
  if (t.queue_id) queue += " (" + render::hex_id(t.queue_id) + ")";
  field(out, "Queue", queue, kDetail);
  std::string tasks = with_commas(t.tasks.virgin) + " virgin, " + with_commas(t.tasks.scheduled) +
                      " scheduled, " + with_commas(t.tasks.executed) + " executed, " +
                      with_commas(t.tasks.cancelled) + " cancelled";
  if (t.tasks.unknown) tasks += ", " + with_commas(t.tasks.unknown) + " unknown";
  field(out, "Tasks", tasks, kDetail);
  std::string when = render::timer_head_line(t);
  if (t.last_cancelled_leaves_in_ms) {
    if (!when.empty()) when += "; ";
    when += "the last cancelled task leaves the queue in " +
            render::duration(*t.last_cancelled_leaves_in_ms);
  }
  if (!when.empty()) field(out, "Head", when, kDetail);
  for (size_t i = 0; i < t.task_classes.size() && i < kMaxSubRows; ++i) {
    field(out, i == 0 ? "Task classes" : "",
          with_commas(t.task_classes[i].count) + "  " + clean_text(t.task_classes[i].klass),
          kDetail);
  }
  out += more_line(kMaxSubRows, t.task_classes.size(), "task class", "task classes", kDetail + 14);
  field(out, "Held only",
        t.tasks.cancelled == 0 ? std::string("nothing: no cancelled task in the queue")
        : t.held_only_count == 0
            ? std::string("nothing: the cancelled tasks keep no object alive by themselves")
            : count_of(t.held_only_count, "object", "objects") + ", " +
                  human_bytes(t.held_only_bytes) +
                  " would be freed if the cancelled tasks left the queue",
        kDetail);
  if (t.held_only_by_class.empty()) return;
  TextTable c;
  c.column("objects", Align::kRight);
  c.column("bytes", Align::kRight);
  c.column("class", Align::kLeft);
  for (size_t i = 0; i < t.held_only_by_class.size() && i < kMaxSubRows; ++i) {
    const auto& e = t.held_only_by_class[i];
    c.row({with_commas(e.count), human_bytes(e.bytes), clean_text(e.klass)});
  }
  out += c.str(kDetail + 14);
  out += more_line(kMaxSubRows, t.held_only_by_class.size(), "class", "classes", kDetail + 14);
}

void timers_section(std::string& out, const Report& r) {
  heading(out, "TIMERS");
  if (r.timers.empty()) {
    out += "  No java.util.Timer or ScheduledThreadPoolExecutor in the dump.\n";
    return;
  }
  TextTable t;
  t.column("", Align::kLeft);
  t.column("kind", Align::kLeft);
  t.column("alive", Align::kLeft);
  t.column("queued", Align::kRight);
  t.column("scheduled", Align::kRight);
  t.column("cancelled", Align::kRight);
  t.column("held only", Align::kRight);
  t.column("thread", Align::kLeft);
  for (size_t i = 0; i < r.timers.size(); ++i) {
    const auto& e = r.timers[i];
    t.row({"[T" + std::to_string(i + 1) + "]", clean_text(e.kind), e.alive ? "yes" : "no",
           with_commas(e.queue_size), with_commas(e.tasks.scheduled),
           with_commas(e.tasks.cancelled), human_bytes(e.held_only_bytes),
           clean_text(e.thread_name)});
  }
  out += t.str(2);
  for (size_t i = 0; i < r.timers.size(); ++i) timer_details(out, r.timers[i], i + 1);
}

void dominators_section(std::string& out, const Report& r) {
  heading(out, "TOP DOMINATORS");
  if (r.dominators.empty()) {
    out += "  None in the report.\n";
    return;
  }
  TextTable t;
  t.column("retained", Align::kRight);
  t.column("objects", Align::kRight);
  t.column("shallow", Align::kRight);
  t.column("object", Align::kLeft);
  t.column("class", Align::kLeft);
  for (size_t i = 0; i < r.dominators.size() && i < kMaxDominators; ++i) {
    const auto& d = r.dominators[i];
    t.row({human_bytes(d.retained_bytes), with_commas(d.retained_count),
           human_bytes(d.shallow_bytes), render::hex_id(d.object_id), clean_text(d.klass)});
  }
  out += t.str(2);
  out += more_line(kMaxDominators, r.dominators.size(), "dominator", "dominators");
}

void histogram_section(std::string& out, const Report& r) {
  heading(out, "BIGGEST CLASSES");
  if (r.histogram.empty()) {
    out += "  None in the report.\n";
    return;
  }
  TextTable t;
  t.column("instances", Align::kRight);
  t.column("shallow", Align::kRight);
  t.column("retained", Align::kRight);
  t.column("class", Align::kLeft);
  for (size_t i = 0; i < r.histogram.size() && i < kMaxClasses; ++i) {
    const auto& h = r.histogram[i];
    t.row({with_commas(h.count), human_bytes(h.shallow_bytes), human_bytes(h.retained_bytes),
           clean_text(h.klass)});
  }
  out += t.str(2);
  out += more_line(kMaxClasses, r.histogram.size(), "class", "classes");
}

}  // namespace

std::string render_text(const Report& r) {
  std::string out = clean_text(r.tool_name) + " " + clean_text(r.tool_version) + " report on " +
                    clean_text(r.dump.path.empty() ? "-" : r.dump.path) + "\n";
  verdict_section(out, r);
  heap_section(out, r);
  finalizer_section(out, r.finalizer);
  timers_section(out, r);
  out += render::cleaners_text(r);
  dominators_section(out, r);
  histogram_section(out, r);
  return out;
}

}  // namespace heapscope::analysis
