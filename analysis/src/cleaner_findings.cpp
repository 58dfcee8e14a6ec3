#include "cleaner_findings.h"

#include "finding_parts.h"
#include "heapscope/analysis/knowledge.h"
#include "render/format.h"

namespace heapscope::analysis {
namespace {

using finding_parts::apply_entry;
using finding_parts::num;
using finding_parts::text;
using render::count_of;
using render::hex_id;
using render::human_bytes;

// The knowledge base's advice for the finding (a library's own entry when one matches the
// classes, else the generic one of its kind).
void advise(Finding& f, const CleanerReport& c, const std::vector<std::string>& classes) {
  const KnowledgeEntry* k = match_knowledge(f.kind, classes, c.thread_name);
  if (k != nullptr) apply_entry(f, *k);
}

std::string name_of(const CleanerReport& c) {
  return c.thread_name.empty() ? c.kind : "\"" + c.thread_name + "\"";
}

Finding never_cleanable(const CleanerReport& c, uint64_t reachable_bytes) {
  Finding f;
  f.kind = "cleaner-never-cleanable";
  f.id = f.kind + ":" + hex_id(c.object_id);
  const bool big = c.never_cleanable_bytes * 10 >= reachable_bytes;
  f.severity = big ? Severity::kCritical
               : c.never_cleanable >= 10 || c.never_cleanable_bytes >= (1u << 20)
                   ? Severity::kWarning
                   : Severity::kInfo;
  f.retained_bytes = c.never_cleanable_bytes;
  f.title = "Cleaner " + name_of(c) + ": " +
            count_of(c.never_cleanable, "registration", "registrations") +
            " can never be cleaned, keeping " + human_bytes(c.never_cleanable_bytes) + " alive";
  std::string classes;
  size_t shown = 0;
  for (const auto& k : c.by_referent_class) {
    if (k.never_cleanable == 0 || shown == 4) continue;
    classes += (shown++ ? ", " : "") + render::with_commas(k.never_cleanable) + " " + k.klass;
  }
  std::string example;
  if (!c.examples.empty()) {
    const auto& x = c.examples.front();
    for (const auto& step : x.path) {
      example += step.klass + (step.via.empty() ? "" : " --" + step.via + "--> ");
    }
    example = " For example: " + example + ".";
  }
  f.explanation =
      "The cleaning actions of these objects refer to the object they clean (" + classes +
      "). The Cleaner's list keeps every registered action strongly reachable, so such an "
      "object never becomes phantom-reachable: it is never cleaned and never collected while "
      "the Cleaner lives, together with everything it references (" +
      count_of(c.never_cleanable_objects, "object", "objects") + ")." + example;
  f.evidence = {num("never_cleanable_registrations", c.never_cleanable),
                num("kept_alive_bytes", c.never_cleanable_bytes),
                num("kept_alive_objects", c.never_cleanable_objects),
                num("registered", c.registered),
                text("thread_name", c.thread_name),
                num("cleaner_id", c.object_id)};
  std::vector<std::string> known;
  for (const auto& k : c.by_referent_class) known.push_back(k.klass);
  for (const auto& k : c.by_action_class) known.push_back(k.klass);
  advise(f, c, known);
  return f;
}

Finding stuck(const CleanerReport& c) {
  Finding f;
  f.kind = "cleaner-stuck";
  f.id = f.kind + ":" + hex_id(c.object_id);
  f.severity = c.pending >= 100 ? Severity::kCritical : Severity::kWarning;
  f.title = "Cleaner thread " + name_of(c) + " " + c.verdict + " in " + c.running_action_class +
            "; " + count_of(c.pending, "cleaning action waits", "cleaning actions wait");
  f.explanation = "The Cleaner's thread is " + c.thread_state + " inside the cleaning action " +
                  c.running_action_class + ", so no other action of this Cleaner runs: " +
                  count_of(c.pending, "registration is", "registrations are") +
                  " queued behind it, and the native resources they stand for are not released.";
  f.evidence = {num("pending", c.pending), text("thread_state", c.thread_state),
                text("running_action_class", c.running_action_class),
                text("thread_name", c.thread_name), num("cleaner_id", c.object_id)};
  advise(f, c, {c.running_action_class});
  return f;
}

// Android NativeAllocationRegistry: native memory that never-cleanable registrations keep
// allocated (the Java heap share above does not see it). Raised from 1 MiB; critical from
// 64 MiB, the order of a mid-range device's per-app heap limit.
Finding native_memory(const CleanerReport& c) {
  Finding f;
  f.kind = "cleaner-native-memory";
  f.id = f.kind + ":" + hex_id(c.object_id);
  f.severity =
      c.never_cleanable_native_bytes >= (64u << 20) ? Severity::kCritical : Severity::kWarning;
  f.title = "Cleaner " + name_of(c) + ": never-cleanable registrations keep " +
            human_bytes(c.never_cleanable_native_bytes) + " of native memory allocated";
  std::string registries;
  size_t shown = 0;
  for (const auto& g : c.by_registry) {
    if (g.never_cleanable == 0 || shown == 4) continue;
    registries += std::string(shown++ ? ", " : "") + render::with_commas(g.never_cleanable) +
                  " x " + human_bytes(g.size) + " (registry " + hex_id(g.registry_id) + ")";
  }
  f.explanation =
      "NativeAllocationRegistry frees an object's native allocation when its Cleaner runs, "
      "and these Cleaners never run: their CleanerThunk reaches the object it should free (" +
      registries + "). Of " + count_of(c.native_registrations, "registration", "registrations") +
      " holding " + human_bytes(c.native_bytes) + " of native memory, " +
      human_bytes(c.never_cleanable_native_bytes) +
      " can never be freed while the process lives; the Java heap figures do not show it.";
  f.fix =
      "Nothing the CleanerThunk reaches may refer to the registered object: its registry (the "
      "thunk's this$0) must hold only the free function and the size, typically one "
      "NativeAllocationRegistry in a static field per native class, never state of the "
      "objects it registers.";
  f.retained_bytes = 0;
  f.evidence = {
      num("never_cleanable_native_bytes", c.never_cleanable_native_bytes),
      num("native_bytes", c.native_bytes), num("native_registrations", c.native_registrations),
      num("never_cleanable_registrations", c.never_cleanable), num("cleaner_id", c.object_id)};
  return f;
}

}  // namespace

std::vector<Finding> cleaner_findings(const std::vector<CleanerReport>& cleaners,
                                      uint64_t reachable_bytes) {
  std::vector<Finding> out;
  for (const auto& c : cleaners) {
    if (c.never_cleanable > 0) out.push_back(never_cleanable(c, reachable_bytes));
    if (c.never_cleanable_native_bytes >= (1u << 20)) {
      out.push_back(native_memory(c));
      out.back().related.push_back(out[out.size() - 2].id);
      out[out.size() - 2].related.push_back(out.back().id);
    }
    const bool in_action = !c.running_action_class.empty() && c.verdict != "running";
    if (in_action && c.pending > 0) out.push_back(stuck(c));
  }
  return out;
}

}  // namespace heapscope::analysis
