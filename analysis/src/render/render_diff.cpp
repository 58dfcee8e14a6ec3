// render_diff: a ReportDiff as JSON (docs/diff-trend.md) or as tables in text, Markdown, HTML.
#include <map>
#include <nlohmann/json.hpp>

#include "compare_table.h"
#include "format.h"
#include "heapscope/analysis/render_compare.h"

namespace heapscope::analysis {

namespace {

using nlohmann::ordered_json;
using render::CompareTable;

ordered_json change_json(const Change& c) {
  return ordered_json{{"base", c.base}, {"new", c.next}, {"delta", c.delta()}};
}

std::string diff_json(const ReportDiff& d) {
  ordered_json j;
  j["schema_version"] = 1;
  j["base"] = {{"path", d.base_path}, {"timestamp_ms", d.base_timestamp_ms}};
  j["new"] = {{"path", d.next_path}, {"timestamp_ms", d.next_timestamp_ms}};
  j["summary"] = {{"objects", change_json(d.objects)},
                  {"classes", change_json(d.classes)},
                  {"shallow_bytes", change_json(d.shallow_bytes)},
                  {"reachable_bytes", change_json(d.reachable_bytes)}};
  auto& classes = j["classes"] = ordered_json::array();
  for (const auto& c : d.classes_changed) {
    classes.push_back({{"class", c.klass},
                       {"loader", c.loader},
                       {"instances", change_json(c.instances)},
                       {"shallow_bytes", change_json(c.shallow_bytes)},
                       {"retained_bytes", change_json(c.retained_bytes)}});
  }
  j["classes_unchanged"] = d.classes_unchanged;
  auto& findings = j["findings"] = ordered_json::array();
  for (const auto& f : d.findings) {
    findings.push_back({{"key", f.key},
                        {"kind", f.kind},
                        {"change", to_string(f.change)},
                        {"severity", to_string(f.severity)},
                        {"title", f.title},
                        {"retained_bytes", change_json(f.retained_bytes)}});
  }
  auto& fin = j["finalizer"];
  fin["registered"] = change_json(d.finalizer_registered);
  fin["pending"] = change_json(d.finalizer_pending);
  fin["being_finalized"] = change_json(d.finalizer_being_finalized);
  auto& by_class = fin["by_class"] = ordered_json::array();
  for (const auto& c : d.finalizer_by_class) {
    by_class.push_back({{"class", c.klass},
                        {"registered", change_json(c.registered)},
                        {"pending", change_json(c.pending)},
                        {"being_finalized", change_json(c.being_finalized)},
                        {"held_only_bytes", change_json(c.held_only_bytes)}});
  }
  auto& queues = j["queues"] = ordered_json::array();
  for (const auto& q : d.queues) {
    queues.push_back({{"kind", q.kind},
                      {"class", q.klass},
                      {"thread_name", q.thread_name},
                      {"in_base", q.in_base},
                      {"in_new", q.in_next},
                      {"queue_size", change_json(q.queue_size)},
                      {"scheduled", change_json(q.scheduled)},
                      {"cancelled", change_json(q.cancelled)},
                      {"held_only_count", change_json(q.held_only_count)},
                      {"held_only_bytes", change_json(q.held_only_bytes)}});
  }
  return j.dump(2) + "\n";
}

std::string diff_tables(const ReportDiff& d, std::string_view fmt) {
  using render::heading;
  std::string out = render::paragraph(
      fmt, "Base " + d.base_path + " (" + render::utc_time(d.base_timestamp_ms) + "), new " +
               d.next_path + " (" + render::utc_time(d.next_timestamp_ms) + "). Reachable heap " +
               render::human_bytes(d.reachable_bytes.base) + " -> " +
               render::human_bytes(d.reachable_bytes.next) + " (" +
               render::signed_bytes(d.reachable_bytes.delta()) + "), objects " +
               render::signed_count(d.objects.delta()) + ".");

  CompareTable f{{"change", "finding", "retained", "delta"}, {false, false, true, true}, {}};
  for (const auto& x : d.findings) {
    f.rows.push_back({to_string(x.change), x.title, render::human_bytes(x.retained_bytes.next),
                      render::signed_bytes(x.retained_bytes.delta())});
  }
  out += heading(fmt, "Findings");
  out += f.rows.empty() ? render::paragraph(fmt, "No findings in either dump.") : f.str(fmt);

  CompareTable q{
      {"queue", "kind", "cancelled", "delta", "scheduled", "delta", "held only", "delta"},
      {false, false, true, true, true, true, true, true},
      {}};
  for (const auto& x : d.queues) {
    q.rows.push_back(
        {x.thread_name.empty() ? x.klass : x.thread_name, x.kind,
         render::with_commas(x.cancelled.next), render::signed_count(x.cancelled.delta()),
         render::with_commas(x.scheduled.next), render::signed_count(x.scheduled.delta()),
         render::human_bytes(x.held_only_bytes.next),
         render::signed_bytes(x.held_only_bytes.delta())});
  }
  out += heading(fmt, "Timer and executor queues");
  out += q.rows.empty() ? render::paragraph(fmt, "No timer or executor queues.") : q.str(fmt);

  CompareTable fin{{"class", "registered", "delta", "pending", "delta", "being finalized", "delta"},
                   {false, true, true, true, true, true, true},
                   {}};
  fin.rows.push_back({"(all classes)", render::with_commas(d.finalizer_registered.next),
                      render::signed_count(d.finalizer_registered.delta()),
                      render::with_commas(d.finalizer_pending.next),
                      render::signed_count(d.finalizer_pending.delta()),
                      render::with_commas(d.finalizer_being_finalized.next),
                      render::signed_count(d.finalizer_being_finalized.delta())});
  for (const auto& c : d.finalizer_by_class) {
    fin.rows.push_back(
        {c.klass, render::with_commas(c.registered.next),
         render::signed_count(c.registered.delta()), render::with_commas(c.pending.next),
         render::signed_count(c.pending.delta()), render::with_commas(c.being_finalized.next),
         render::signed_count(c.being_finalized.delta())});
  }
  out += heading(fmt, "Finalization");
  out += fin.str(fmt);

  CompareTable cls{{"class", "instances", "delta", "shallow", "delta", "retained", "delta"},
                   {false, true, true, true, true, true, true},
                   {}};
  constexpr size_t kClassRows = 40;
  // A class defined by several loaders is named with its loader: "Rule (plugin-tax)".
  std::map<std::string, int> loaders_of;
  for (const auto& c : d.classes_changed) ++loaders_of[c.klass];
  for (const auto& c : d.classes_changed) {
    if (cls.rows.size() == kClassRows) break;
    const std::string name =
        loaders_of[c.klass] > 1 ? c.klass + " (" + (c.loader.empty() ? "bootstrap" : c.loader) + ")"
                                : c.klass;
    cls.rows.push_back(
        {name, render::with_commas(c.instances.next), render::signed_count(c.instances.delta()),
         render::human_bytes(c.shallow_bytes.next), render::signed_bytes(c.shallow_bytes.delta()),
         render::human_bytes(c.retained_bytes.next),
         render::signed_bytes(c.retained_bytes.delta())});
  }
  out += heading(fmt, "Classes (biggest growth first)");
  out += cls.str(fmt);
  const size_t more = d.classes_changed.size() - cls.rows.size();
  out += render::paragraph(
      fmt, (more ? render::count_of(more, "more class changed", "more classes changed") +
                       " (--format json lists every one); "
                 : std::string()) +
               render::count_of(d.classes_unchanged, "class is", "classes are") + " unchanged.");
  return render::document(fmt, "heapscope diff", out);
}

}  // namespace

std::string render_diff(const ReportDiff& diff, std::string_view format) {
  if (format == "json") return diff_json(diff);
  return diff_tables(diff, format == "html" || format == "md" ? format : "text");
}

}  // namespace heapscope::analysis
