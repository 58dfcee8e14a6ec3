// The JSON report: the versioned contract described by docs/report.schema.json and docs/report.md.
// Keys keep the order written here (schema_version first); raw numbers, never formatted ones.
#include <cmath>
#include <nlohmann/json.hpp>

#include "format.h"
#include "heapscope/analysis/render.h"

namespace heapscope::analysis {
namespace {

using Json = nlohmann::ordered_json;

// Absent values are null, not "" or 0: consumers can tell "unknown" from "empty".
Json text_or_null(const std::string& s) {
  return s.empty() ? Json(nullptr) : Json(s);
}
Json id_or_null(uint64_t id) {
  return id == 0 ? Json(nullptr) : Json(render::hex_id(id));
}
template <class T>
Json optional_value(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}
Json strings(const std::vector<std::string>& v) {
  Json out = Json::array();
  for (const auto& s : v) out.push_back(s);
  return out;
}

Json verdict_json(const Report& r) {
  Json j;
  const auto worst = r.worst();
  j["worst_severity"] = worst ? Json(to_string(*worst)) : Json(nullptr);
  j["critical"] = render::findings_of(r, Severity::kCritical).size();
  j["warning"] = render::findings_of(r, Severity::kWarning).size();
  j["info"] = render::findings_of(r, Severity::kInfo).size();
  j["headline"] = render::verdict_summary(r);
  return j;
}

Json dump_json(const Report& r) {
  Json j;
  j["path"] = r.dump.path;
  j["bytes"] = r.dump.bytes;
  j["format"] = r.dump.format;
  j["compression"] = r.dump.compression;
  j["id_size"] = r.dump.id_size;
  j["timestamp_ms"] = r.dump.timestamp_ms;
  j["jdk"] = text_or_null(r.dump.jdk);
  return j;
}

Json summary_json(const Report& r) {
  const auto& s = r.summary;
  Json j;
  j["objects"] = s.objects;
  j["classes"] = s.classes;
  j["gc_roots"] = s.gc_roots;
  j["shallow_bytes"] = s.shallow_bytes;
  j["reachable_bytes"] = s.reachable_bytes;
  j["unreachable_objects"] = s.unreachable_objects;
  j["percent_of_file_used"] =
      std::isfinite(s.percent_of_file_used) ? Json(s.percent_of_file_used) : Json(nullptr);
  j["parse_warnings"] = strings(s.parse_warnings);
  return j;
}

Json finalizer_thread_json(const FinalizerThreadReport& t) {
  Json j;
  j["present"] = t.present;
  j["name"] = text_or_null(t.name);
  j["state"] = text_or_null(t.state);
  j["verdict"] = text_or_null(t.verdict);
  j["finalize_class"] = text_or_null(t.finalize_class);
  j["frames"] = strings(t.frames);
  j["blocked_on"] = text_or_null(t.blocked_on);
  j["object_id"] = id_or_null(t.object_id);
  return j;
}

Json watchdog_json(const FinalizerWatchdogReport& w) {
  Json j;
  j["present"] = w.present;
  j["thread_name"] = text_or_null(w.thread_name);
  j["thread_state"] = text_or_null(w.thread_state);
  j["thread_object_id"] = id_or_null(w.thread_object_id);
  j["watched_object_id"] = id_or_null(w.watched_object_id);
  j["watched_class"] = text_or_null(w.watched_class);
  j["verdict"] = text_or_null(w.verdict);
  return j;
}

Json finalizer_json(const FinalizerReport& f) {
  Json j;
  j["machinery_present"] = f.machinery_present;
  j["enabled"] = f.enabled;
  j["registered"] = f.registered;
  j["pending"] = f.pending;
  j["being_finalized"] = f.being_finalized;
  j["finalized_not_collected"] = f.finalized_not_collected;
  j["queue_length_field"] = optional_value(f.queue_length_field);
  j["longest_chain"] = f.longest_chain;
  j["held_only_count"] = f.held_only_count;
  j["held_only_bytes"] = f.held_only_bytes;
  j["bookkeeping_count"] = f.bookkeeping_count;
  j["bookkeeping_bytes"] = f.bookkeeping_bytes;
  j["thread"] = finalizer_thread_json(f.thread);
  j["watchdog"] = watchdog_json(f.watchdog);
  Json by_class = Json::array();
  for (const auto& c : f.by_class) {
    Json e;
    e["class"] = c.klass;
    e["registered"] = c.registered;
    e["pending"] = c.pending;
    e["being_finalized"] = c.being_finalized;
    e["finalized_not_collected"] = c.finalized_not_collected;
    e["shallow_bytes"] = c.shallow_bytes;
    e["held_only_count"] = c.held_only_count;
    e["held_only_bytes"] = c.held_only_bytes;
    by_class.push_back(std::move(e));
  }
  j["by_class"] = std::move(by_class);
  return j;
}

Json class_counts(const std::vector<ClassCount>& v, bool with_bytes) {
  Json out = Json::array();
  for (const auto& c : v) {
    Json e;
    e["class"] = c.klass;
    e["count"] = c.count;
    if (with_bytes) e["bytes"] = c.bytes;
    out.push_back(std::move(e));
  }
  return out;
}

Json timer_json(const TimerReport& t) {
  Json j;
  j["kind"] = t.kind;
  j["class"] = t.klass;
  j["object_id"] = render::hex_id(t.object_id);
  j["queue_id"] = id_or_null(t.queue_id);
  j["thread_name"] = text_or_null(t.thread_name);
  j["alive"] = t.alive;
  j["new_tasks_may_be_scheduled"] = optional_value(t.new_tasks_may_be_scheduled);
  j["remove_on_cancel"] = optional_value(t.remove_on_cancel);
  j["queue_size"] = t.queue_size;
  j["capacity"] = t.capacity;
  j["tasks"] = {{"virgin", t.tasks.virgin},
                {"scheduled", t.tasks.scheduled},
                {"executed", t.tasks.executed},
                {"cancelled", t.tasks.cancelled},
                {"unknown", t.tasks.unknown}};
  j["task_classes"] = class_counts(t.task_classes, false);
  j["held_only_count"] = t.held_only_count;
  j["held_only_bytes"] = t.held_only_bytes;
  j["held_only_by_class"] = class_counts(t.held_only_by_class, true);
  Json head;
  head["state"] = text_or_null(t.head_state);
  head["fires_in_ms"] = optional_value(t.head_fires_in_ms);
  j["head"] = std::move(head);
  j["last_cancelled_leaves_in_ms"] = optional_value(t.last_cancelled_leaves_in_ms);
  j["library"] = text_or_null(t.library);
  return j;
}

Json cleaner_classes(const std::vector<CleanerClassStats>& v, bool referent) {
  Json out = Json::array();
  for (const auto& c : v) {
    Json e;
    e["class"] = c.klass;
    e["registered"] = c.registered;
    if (!referent) e["pending"] = c.pending;
    e["never_cleanable"] = c.never_cleanable;
    e["native_bytes"] = c.native_bytes;
    out.push_back(std::move(e));
  }
  return out;
}

Json cleaner_json(const CleanerReport& c) {
  Json j;
  j["kind"] = c.kind;
  j["object_id"] = id_or_null(c.object_id);
  j["thread_name"] = text_or_null(c.thread_name);
  j["thread_state"] = text_or_null(c.thread_state);
  j["verdict"] = text_or_null(c.verdict);
  j["running_action_class"] = text_or_null(c.running_action_class);
  j["frames"] = strings(c.frames);
  j["registered"] = c.registered;
  j["pending"] = c.pending;
  j["being_cleaned"] = c.being_cleaned;
  j["never_cleanable"] = c.never_cleanable;
  j["never_cleanable_bytes"] = c.never_cleanable_bytes;
  j["never_cleanable_objects"] = c.never_cleanable_objects;
  j["search_truncated"] = c.search_truncated;
  j["native_registrations"] = c.native_registrations;
  j["native_bytes"] = c.native_bytes;
  j["never_cleanable_native_bytes"] = c.never_cleanable_native_bytes;
  Json registries = Json::array();
  for (const auto& g : c.by_registry) {
    registries.push_back({{"registry_id", render::hex_id(g.registry_id)},
                          {"size", g.size},
                          {"registrations", g.registrations},
                          {"native_bytes", g.native_bytes},
                          {"never_cleanable", g.never_cleanable}});
  }
  j["by_registry"] = std::move(registries);
  j["by_referent_class"] = cleaner_classes(c.by_referent_class, true);
  j["by_action_class"] = cleaner_classes(c.by_action_class, false);
  Json examples = Json::array();
  for (const auto& x : c.examples) {
    Json e;
    e["cleanable_id"] = render::hex_id(x.cleanable_id);
    e["action_id"] = render::hex_id(x.action_id);
    e["referent_id"] = render::hex_id(x.referent_id);
    e["action_class"] = x.action_class;
    e["referent_class"] = x.referent_class;
    Json path = Json::array();
    for (const auto& step : x.path) {
      path.push_back({{"object_id", render::hex_id(step.object_id)},
                      {"class", step.klass},
                      {"via", text_or_null(step.via)}});
    }
    e["path"] = std::move(path);
    examples.push_back(std::move(e));
  }
  j["examples"] = std::move(examples);
  return j;
}

Json finding_json(const Finding& f) {
  Json j;
  j["id"] = f.id;
  j["kind"] = f.kind;
  j["severity"] = to_string(f.severity);
  j["title"] = f.title;
  j["explanation"] = f.explanation;
  j["fix"] = f.fix;
  j["library"] = text_or_null(f.library);
  j["links"] = strings(f.links);
  j["retained_bytes"] = f.retained_bytes;
  Json evidence = Json::object();
  for (const auto& e : f.evidence) {
    // object ids are hex strings everywhere in the report, evidence included
    const bool id = e.key.size() > 3 && e.key.ends_with("_id") && e.number && *e.number >= 0;
    if (id) {
      evidence[e.key] = render::hex_id(static_cast<uint64_t>(*e.number));
    } else {
      evidence[e.key] = e.number ? Json(*e.number) : Json(e.text);
    }
  }
  j["evidence"] = std::move(evidence);
  j["related"] = strings(f.related);
  return j;
}

}  // namespace

std::string render_json(const Report& r) {
  Json j;
  j["schema_version"] = r.schema_version;
  j["tool"] = {{"name", r.tool_name}, {"version", r.tool_version}};
  j["verdict"] = verdict_json(r);
  j["dump"] = dump_json(r);
  j["summary"] = summary_json(r);
  j["retained_convention"] = text_or_null(r.retained_convention);
  j["finalizer"] = finalizer_json(r.finalizer);
  j["timers"] = Json::array();
  for (const auto& t : r.timers) j["timers"].push_back(timer_json(t));
  j["cleaners"] = Json::array();
  for (const auto& c : r.cleaners) j["cleaners"].push_back(cleaner_json(c));
  j["findings"] = Json::array();
  for (const auto& f : r.findings) j["findings"].push_back(finding_json(f));
  j["dominators"] = Json::array();
  for (const auto& d : r.dominators) {
    j["dominators"].push_back({{"object_id", render::hex_id(d.object_id)},
                               {"class", d.klass},
                               {"shallow_bytes", d.shallow_bytes},
                               {"retained_bytes", d.retained_bytes},
                               {"retained_count", d.retained_count}});
  }
  j["histogram"] = Json::array();
  for (const auto& h : r.histogram) {
    j["histogram"].push_back({{"class", h.klass},
                              {"count", h.count},
                              {"shallow_bytes", h.shallow_bytes},
                              {"retained_bytes", h.retained_bytes}});
  }
  // Names from a dump may be modified UTF-8 or plain garbage: replace, never throw.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace heapscope::analysis
