// diff_reports: joins two Reports by name (see report_diff.h).
#include "heapscope/analysis/report_diff.h"

#include <algorithm>
#include <map>

namespace heapscope::analysis {

const char* to_string(FindingChange c) {
  switch (c) {
    case FindingChange::kAppeared:
      return "appeared";
    case FindingChange::kGrew:
      return "grew";
    case FindingChange::kShrank:
      return "shrank";
    case FindingChange::kWentAway:
      return "went-away";
    case FindingChange::kUnchanged:
      break;
  }
  return "unchanged";
}

std::string queue_key(const TimerReport& t) {
  return t.kind + "|" + t.thread_name + "|" + t.klass;
}

std::string finding_key(const Finding& f) {
  for (const auto& e : f.evidence) {
    if (e.key == "thread_name" && !e.text.empty()) return f.kind + ":" + e.text;
  }
  return f.id;
}

namespace {

std::vector<ClassChange> class_changes(const Report& base, const Report& next, size_t& unchanged) {
  std::map<std::pair<std::string, std::string>, ClassChange> by_name;  // (class, loader)
  for (const auto& h : base.histogram) {
    auto& c = by_name[{h.klass, h.loader}];
    c.instances.base += h.count;
    c.shallow_bytes.base += h.shallow_bytes;
    c.retained_bytes.base += h.retained_bytes;
  }
  for (const auto& h : next.histogram) {
    auto& c = by_name[{h.klass, h.loader}];
    c.instances.next += h.count;
    c.shallow_bytes.next += h.shallow_bytes;
    c.retained_bytes.next += h.retained_bytes;
  }
  std::vector<ClassChange> out;
  unchanged = 0;
  for (auto& [key, c] : by_name) {
    if (c.instances.delta() == 0 && c.shallow_bytes.delta() == 0 && c.retained_bytes.delta() == 0) {
      ++unchanged;
      continue;
    }
    c.klass = key.first;
    c.loader = key.second;
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const ClassChange& a, const ClassChange& b) {
    if (a.retained_bytes.delta() != b.retained_bytes.delta())
      return a.retained_bytes.delta() > b.retained_bytes.delta();
    if (a.shallow_bytes.delta() != b.shallow_bytes.delta())
      return a.shallow_bytes.delta() > b.shallow_bytes.delta();
    return a.instances.delta() > b.instances.delta();
  });
  return out;
}

std::vector<FindingDiff> finding_changes(const Report& base, const Report& next) {
  std::vector<FindingDiff> out;
  std::map<std::string, const Finding*> in_base;
  for (const auto& f : base.findings) in_base.emplace(finding_key(f), &f);
  for (const auto& f : next.findings) {
    FindingDiff d{finding_key(f), f.kind, FindingChange::kAppeared, f.severity, f.title, {}};
    d.retained_bytes.next = f.retained_bytes;
    if (auto it = in_base.find(d.key); it != in_base.end()) {
      d.retained_bytes.base = it->second->retained_bytes;
      const int64_t delta = d.retained_bytes.delta();
      d.change = delta > 0   ? FindingChange::kGrew
                 : delta < 0 ? FindingChange::kShrank
                             : FindingChange::kUnchanged;
      in_base.erase(it);
    }
    out.push_back(std::move(d));
  }
  for (const auto& f : base.findings) {
    if (!in_base.count(finding_key(f))) continue;
    FindingDiff d{finding_key(f), f.kind, FindingChange::kWentAway, f.severity, f.title, {}};
    d.retained_bytes.base = f.retained_bytes;
    out.push_back(std::move(d));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const FindingDiff& a, const FindingDiff& b) { return a.change < b.change; });
  return out;
}

std::vector<FinalizerClassChange> finalizer_changes(const Report& base, const Report& next) {
  std::map<std::string, FinalizerClassChange> by_name;
  auto add = [&](const FinalizerClassStats& s, bool is_next) {
    auto& c = by_name[s.klass];
    auto put = [&](Change& ch, uint64_t v) { (is_next ? ch.next : ch.base) += v; };
    put(c.registered, s.registered);
    put(c.pending, s.pending);
    put(c.being_finalized, s.being_finalized);
    put(c.held_only_bytes, s.held_only_bytes);
  };
  for (const auto& s : base.finalizer.by_class) add(s, false);
  for (const auto& s : next.finalizer.by_class) add(s, true);
  std::vector<FinalizerClassChange> out;
  for (auto& [name, c] : by_name) {
    c.klass = name;
    out.push_back(std::move(c));
  }
  std::stable_sort(
      out.begin(), out.end(), [](const FinalizerClassChange& a, const FinalizerClassChange& b) {
        return a.pending.delta() + a.registered.delta() > b.pending.delta() + b.registered.delta();
      });
  return out;
}

void put_queue(QueueChange& q, const TimerReport& t, bool is_next) {
  q.kind = t.kind;
  q.klass = t.klass;
  q.thread_name = t.thread_name;
  (is_next ? q.in_next : q.in_base) = true;
  auto put = [&](Change& ch, uint64_t v) { (is_next ? ch.next : ch.base) += v; };
  put(q.queue_size, t.queue_size);
  put(q.scheduled, t.tasks.scheduled);
  put(q.cancelled, t.tasks.cancelled);
  put(q.held_only_count, t.held_only_count);
  put(q.held_only_bytes, t.held_only_bytes);
}

std::vector<QueueChange> queue_changes(const Report& base, const Report& next) {
  std::vector<QueueChange> out;
  std::map<std::string, size_t> slot;
  const Report* both[] = {&base, &next};
  for (int side = 0; side < 2; ++side) {
    for (const auto& t : both[side]->timers) {
      auto [it, fresh] = slot.emplace(queue_key(t), out.size());
      if (fresh) out.emplace_back();
      put_queue(out[it->second], t, side == 1);
    }
  }
  return out;
}

}  // namespace

ReportDiff diff_reports(const Report& base, const Report& next) {
  ReportDiff d;
  d.base_path = base.dump.path;
  d.next_path = next.dump.path;
  d.base_timestamp_ms = base.dump.timestamp_ms;
  d.next_timestamp_ms = next.dump.timestamp_ms;
  d.objects = {base.summary.objects, next.summary.objects};
  d.classes = {base.summary.classes, next.summary.classes};
  d.shallow_bytes = {base.summary.shallow_bytes, next.summary.shallow_bytes};
  d.reachable_bytes = {base.summary.reachable_bytes, next.summary.reachable_bytes};
  d.classes_changed = class_changes(base, next, d.classes_unchanged);
  d.findings = finding_changes(base, next);
  d.finalizer_registered = {base.finalizer.registered, next.finalizer.registered};
  d.finalizer_pending = {base.finalizer.pending, next.finalizer.pending};
  d.finalizer_being_finalized = {base.finalizer.being_finalized, next.finalizer.being_finalized};
  d.finalizer_by_class = finalizer_changes(base, next);
  d.queues = queue_changes(base, next);
  return d;
}

}  // namespace heapscope::analysis
