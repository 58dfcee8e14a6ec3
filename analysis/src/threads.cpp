#include "heapscope/analysis/threads.h"

#include "heapscope/analysis/paths.h"
#include "heapscope/analysis/strings.h"

namespace heapscope::analysis {

std::string thread_state_name(int64_t s) {
  if (s & 0x0004) return "RUNNABLE";
  if (s & 0x0400) return "BLOCKED";
  if (s & 0x0010) return "WAITING";
  if (s & 0x0020) return "TIMED_WAITING";
  if (s & 0x0002) return "TERMINATED";
  if ((s & 0x0001) == 0) return "NEW";
  return "RUNNABLE";
}

namespace {

std::optional<FieldValue> thread_field(const FieldLayouts& layouts, hprof::ObjectIndex t,
                                       std::string_view name) {
  const auto& index = layouts.index();
  if (auto f = layouts.find(index.class_of(t), "java.lang.Thread", name))
    return layouts.read(t, *f);
  // JDK 19+: Thread.holder -> Thread$FieldHolder.
  auto holder_slot = layouts.find(index.class_of(t), "java.lang.Thread", "holder");
  if (!holder_slot) return std::nullopt;
  auto holder_ref = layouts.read(t, *holder_slot);
  if (!holder_ref) return std::nullopt;
  const auto holder = index.find(holder_ref->bits);
  if (holder == hprof::kNoObject || index.kind(holder) != hprof::ObjectKind::kInstance)
    return std::nullopt;
  if (auto f = layouts.find(index.class_of(holder), "java.lang.Thread$FieldHolder", name)) {
    return layouts.read(holder, *f);
  }
  return std::nullopt;
}

}  // namespace

std::vector<ThreadView> list_threads(const Engine& engine) {
  const auto& index = engine.index();
  const auto& layouts = engine.layouts();
  std::vector<ThreadView> out;
  for (const auto& t : index.threads()) {
    ThreadView v;
    v.object = t.object;
    v.serial = t.serial;
    if (t.object != hprof::kNoObject && index.kind(t.object) == hprof::ObjectKind::kInstance) {
      v.name = thread_name(layouts, t.object);
      if (auto s = thread_field(layouts, t.object, "threadStatus")) {
        v.status = s->as_int();
        v.state = thread_state_name(*v.status);
      }
      if (auto d = thread_field(layouts, t.object, "daemon")) v.daemon = d->bits != 0;
    }
    if (const auto* trace = index.find_trace(t.trace_serial)) {
      for (uint32_t i = 0; i < trace->frame_count; ++i) {
        const uint64_t fid = index.trace_frame_ids()[trace->first_frame + i];
        ThreadView::Frame f;
        if (const auto* fr = index.find_frame(fid)) {
          f.klass = std::string(index.class_name_by_serial(fr->class_serial));
          f.method = std::string(index.utf8(fr->method_name_id));
          f.source = std::string(index.utf8(fr->source_file_id));
          f.line = fr->line;
        }
        f.text = describe_frame(index, fid);
        if (f.text.rfind("at ", 0) == 0) f.text = f.text.substr(3);
        v.frames.push_back(std::move(f));
      }
    }
    v.locals.resize(v.frames.size());
    for (const auto& r : index.roots()) {
      if ((r.kind == 0x03 || r.kind == 0x02) && r.thread_serial == t.serial && r.frame >= 0 &&
          static_cast<size_t>(r.frame) < v.locals.size() && r.object != hprof::kNoObject) {
        v.locals[r.frame].push_back(r.object);
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace heapscope::analysis
