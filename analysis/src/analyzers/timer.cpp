#include "heapscope/analysis/analyzers/timer.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "heapscope/analysis/page_releaser.h"
#include "heapscope/analysis/reachability.h"
#include "heapscope/analysis/strings.h"
#include "heapscope/analysis/threads.h"

namespace heapscope::analysis {
namespace {

std::optional<FieldValue> field(const FieldLayouts& layouts, hprof::ObjectIndex o,
                                std::string_view declaring, std::string_view name) {
  const auto& index = layouts.index();
  if (o == hprof::kNoObject || index.kind(o) != hprof::ObjectKind::kInstance) return std::nullopt;
  auto slot = layouts.find(index.class_of(o), declaring, name);
  if (!slot) return std::nullopt;
  return layouts.read(o, *slot);
}

hprof::ObjectIndex ref(const FieldLayouts& layouts, hprof::ObjectIndex o,
                       std::string_view declaring, std::string_view name) {
  auto v = field(layouts, o, declaring, name);
  return v ? layouts.index().find(v->bits) : hprof::kNoObject;
}

// Elements [first, last) of an object array.
std::vector<hprof::ObjectIndex> elements(const hprof::Index& index, hprof::ObjectIndex array,
                                         uint32_t first, uint32_t last) {
  std::vector<hprof::ObjectIndex> out;
  if (array == hprof::kNoObject || index.kind(array) != hprof::ObjectKind::kObjectArray) return out;
  const auto data = index.array_data(array);
  const uint32_t I = index.id_size();
  last = std::min(last, index.length(array));
  for (uint32_t i = first; i < last; ++i) {
    uint64_t id = 0;
    for (uint32_t b = 0; b < I; ++b) id = id << 8 | data[uint64_t{i} * I + b];
    out.push_back(index.find(id));
  }
  return out;
}

// Field slots looked up once per (class, field) instead of once per object.
class SlotCache {
 public:
  explicit SlotCache(const FieldLayouts& layouts) : layouts_(layouts) {}
  std::optional<FieldValue> read(hprof::ObjectIndex o, const char* declaring, const char* name) {
    const auto& index = layouts_.index();
    if (o == hprof::kNoObject || index.kind(o) != hprof::ObjectKind::kInstance) return std::nullopt;
    const auto key = std::make_tuple(index.class_of(o), declaring, name);
    auto it = cache_.find(key);
    if (it == cache_.end())
      it = cache_.emplace(key, layouts_.find(index.class_of(o), declaring, name)).first;
    if (!it->second) return std::nullopt;
    return layouts_.read(o, *it->second);
  }

 private:
  const FieldLayouts& layouts_;
  std::map<std::tuple<hprof::ClassIndex, const char*, const char*>, std::optional<FieldSlot>>
      cache_;
};

// Reads `name` of every task, visiting them in index (file) order and releasing pages behind.
std::vector<std::optional<FieldValue>> read_all(const hprof::Index& index, SlotCache& slots,
                                                const std::vector<hprof::ObjectIndex>& tasks,
                                                const char* declaring, const char* name) {
  std::vector<size_t> order(tasks.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return tasks[a] < tasks[b]; });
  std::vector<std::optional<FieldValue>> out(tasks.size());
  PageReleaser pages(index);
  for (size_t i : order) {
    if (tasks[i] == hprof::kNoObject) continue;
    pages.visit(tasks[i]);
    out[i] = slots.read(tasks[i], declaring, name);
  }
  return out;
}

std::vector<ClassCount> count_classes(const hprof::Index& index,
                                      const std::vector<hprof::ObjectIndex>& objs) {
  std::map<std::string, uint64_t> m;
  for (auto o : objs) {
    if (o != hprof::kNoObject) ++m[index.class_info(index.class_of(o)).name];
  }
  std::vector<ClassCount> out;
  for (auto& [k, c] : m) out.push_back({k, c, 0});
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.count > b.count; });
  return out;
}

// Fills held-only numbers: what leaves the heap when `queue_array` lets go of `cancelled`.
void held_by_cancelled(const Engine& engine, hprof::ObjectIndex queue_array,
                       const std::vector<hprof::ObjectIndex>& cancelled, const NodeSet& base,
                       TimerReport& t) {
  if (cancelled.empty()) return;
  const auto& g = engine.graph();
  NodeSet cut_targets(g.node_count());
  for (auto c : cancelled) {
    if (c != hprof::kNoObject) cut_targets.add(c);
  }
  const NodeSet reduced =
      mark_reachable(g, EdgeFilter::kStrongOnly, [&](NodeIndex from, uint64_t e) {
        return from == queue_array && cut_targets.has(g.target(e));
      });
  const HeldOnly h = held_only(engine, base, reduced);
  t.held_only_count = h.count;
  t.held_only_bytes = h.bytes;
  t.held_only_by_class = h.by_class;
}

const char* timer_state(int64_t s) {
  switch (s) {
    case 0:
      return "VIRGIN";
    case 1:
      return "SCHEDULED";
    case 2:
      return "EXECUTED";
    case 3:
      return "CANCELLED";
    default:
      return "UNKNOWN";
  }
}

void count_state(TimerTaskCounts& c, int64_t s) {
  switch (s) {
    case 0:
      ++c.virgin;
      break;
    case 1:
      ++c.scheduled;
      break;
    case 2:
      ++c.executed;
      break;
    case 3:
      ++c.cancelled;
      break;
    default:
      ++c.unknown;
      break;
  }
}

std::string thread_label(const std::vector<ThreadView>& threads, hprof::ObjectIndex t,
                         bool& alive) {
  for (const auto& v : threads) {
    if (v.object == t) {
      alive = v.state.empty() ? true : (v.state != "TERMINATED" && v.state != "NEW");
      return v.name;
    }
  }
  alive = false;  // not among the live threads the dump lists
  return {};
}

// FutureTask.state of a queued executor task, following one wrapper level when needed.
std::optional<int64_t> future_state(const Engine& engine, SlotCache& slots,
                                    hprof::ObjectIndex task) {
  const auto& layouts = engine.layouts();
  if (auto s = slots.read(task, "java.util.concurrent.FutureTask", "state")) return s->as_int();
  const auto& index = engine.index();
  if (task == hprof::kNoObject || index.kind(task) != hprof::ObjectKind::kInstance)
    return std::nullopt;
  for (const auto& f : layouts.fields(index.class_of(task))) {
    if (f.type != 2) continue;
    auto v = layouts.read(task, f);
    const auto inner = v ? index.find(v->bits) : hprof::kNoObject;
    if (auto s = slots.read(inner, "java.util.concurrent.FutureTask", "state")) return s->as_int();
  }
  return std::nullopt;
}

}  // namespace

std::vector<TimerReport> analyze_timers(const Engine& engine, uint64_t dump_time_ms) {
  const auto& index = engine.index();
  const auto& layouts = engine.layouts();
  const auto threads = list_threads(engine);
  std::vector<TimerReport> out;
  SlotCache slots(layouts);
  const uint32_t n = index.object_count();
  std::optional<NodeSet> base;  // strong reachability, computed once when a queue has cancellations
  auto strong_base = [&]() -> const NodeSet& {
    if (!base) base = mark_reachable(engine.graph(), EdgeFilter::kStrongOnly);
    return *base;
  };
  // Owners: Timer -> TaskQueue, TimerThread -> TaskQueue; executors -> DelayedWorkQueue.
  std::map<hprof::ObjectIndex, hprof::ObjectIndex> timer_of, thread_of, executor_of;
  std::vector<hprof::ObjectIndex> task_queues, work_queues;
  // Which classes matter, decided once per class (not per object).
  enum Role : uint8_t {
    kNone = 0,
    kTaskQueue = 1,
    kWorkQueue = 2,
    kTimer = 4,
    kTimerThread = 8,
    kExecutor = 16
  };
  std::vector<uint8_t> role(index.class_count(), kNone);
  for (hprof::ClassIndex c = 0; c < index.class_count(); ++c) {
    const auto& name = index.class_info(c).name;
    if (name == "java.util.TaskQueue") role[c] |= kTaskQueue;
    if (name == "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue")
      role[c] |= kWorkQueue;
    if (layouts.is_subclass_of(c, "java.util.Timer")) role[c] |= kTimer;
    if (layouts.is_subclass_of(c, "java.util.TimerThread")) role[c] |= kTimerThread;
    if (layouts.is_subclass_of(c, "java.util.concurrent.ThreadPoolExecutor")) role[c] |= kExecutor;
  }
  for (hprof::ObjectIndex o = 0; o < n; ++o) {
    if (index.kind(o) != hprof::ObjectKind::kInstance) continue;
    const uint8_t r = role[index.class_of(o)];
    if (r == kNone) continue;
    if (r & kTaskQueue) task_queues.push_back(o);
    if (r & kWorkQueue) work_queues.push_back(o);
    if (r & kTimer) {
      if (auto q = ref(layouts, o, "java.util.Timer", "queue"); q != hprof::kNoObject)
        timer_of[q] = o;
    }
    if (r & kTimerThread) {
      if (auto q = ref(layouts, o, "java.util.TimerThread", "queue"); q != hprof::kNoObject)
        thread_of[q] = o;
    }
    if (r & kExecutor) {
      if (auto q = ref(layouts, o, "java.util.concurrent.ThreadPoolExecutor", "workQueue");
          q != hprof::kNoObject) {
        executor_of[q] = o;
      }
    }
  }
  for (auto q : task_queues) {
    TimerReport t;
    t.kind = "java.util.Timer";
    t.queue_id = index.object_id(q);
    const auto timer = timer_of.count(q) ? timer_of[q] : hprof::kNoObject;
    t.object_id = timer == hprof::kNoObject ? 0 : index.object_id(timer);
    t.klass = timer == hprof::kNoObject ? "java.util.Timer"
                                        : index.class_info(index.class_of(timer)).name;
    const auto thread = thread_of.count(q) ? thread_of[q] : hprof::kNoObject;
    t.thread_name = thread_label(threads, thread, t.alive);
    if (thread != hprof::kNoObject && t.thread_name.empty())
      t.thread_name = thread_name(layouts, thread);
    if (auto v = field(layouts, thread, "java.util.TimerThread", "newTasksMayBeScheduled")) {
      t.new_tasks_may_be_scheduled = v->bits != 0;
    }
    const auto size = field(layouts, q, "java.util.TaskQueue", "size");
    const auto array = ref(layouts, q, "java.util.TaskQueue", "queue");
    t.queue_size = size ? static_cast<uint64_t>(std::max<int64_t>(0, size->as_int())) : 0;
    t.capacity = array == hprof::kNoObject ? 0 : index.length(array);
    const auto tasks = elements(index, array, 1, static_cast<uint32_t>(t.queue_size) + 1);
    std::vector<hprof::ObjectIndex> cancelled;
    const auto states = read_all(index, slots, tasks, "java.util.TimerTask", "state");
    const auto nexts = read_all(index, slots, tasks, "java.util.TimerTask", "nextExecutionTime");
    for (size_t i = 0; i < tasks.size(); ++i) {
      const auto task = tasks[i];
      const auto& st = states[i];
      const int64_t s = st ? st->as_int() : -1;
      count_state(t.tasks, s);
      const auto& next = nexts[i];
      const int64_t due = next ? next->as_int() - static_cast<int64_t>(dump_time_ms) : 0;
      if (i == 0) {
        t.head_state = timer_state(s);
        if (next) t.head_fires_in_ms = due;
      }
      if (s == 3) {
        cancelled.push_back(task);
        if (next && (!t.last_cancelled_leaves_in_ms || due > *t.last_cancelled_leaves_in_ms)) {
          t.last_cancelled_leaves_in_ms = due;
        }
      }
    }
    t.task_classes = count_classes(index, tasks);
    held_by_cancelled(engine, array, cancelled, cancelled.empty() ? NodeSet() : strong_base(), t);
    out.push_back(std::move(t));
  }
  for (auto q : work_queues) {
    TimerReport t;
    t.kind = "ScheduledThreadPoolExecutor";
    t.queue_id = index.object_id(q);
    const auto exec = executor_of.count(q) ? executor_of[q] : hprof::kNoObject;
    t.object_id = exec == hprof::kNoObject ? 0 : index.object_id(exec);
    t.klass = exec == hprof::kNoObject ? "java.util.concurrent.ScheduledThreadPoolExecutor"
                                       : index.class_info(index.class_of(exec)).name;
    if (auto v = field(layouts, exec, "java.util.concurrent.ScheduledThreadPoolExecutor",
                       "removeOnCancel")) {
      t.remove_on_cancel = v->bits != 0;
    }
    // The worker threads: a thread whose frames hold this queue names the executor.
    for (const auto& th : threads) {
      for (const auto& frame : th.locals) {
        if (std::find(frame.begin(), frame.end(), q) != frame.end() && t.thread_name.empty()) {
          t.thread_name = th.name;
          t.alive = true;
        }
      }
    }
    const auto size = field(
        layouts, q, "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "size");
    const auto array = ref(
        layouts, q, "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "queue");
    t.queue_size = size ? static_cast<uint64_t>(std::max<int64_t>(0, size->as_int())) : 0;
    t.capacity = array == hprof::kNoObject ? 0 : index.length(array);
    const auto tasks = elements(index, array, 0, static_cast<uint32_t>(t.queue_size));
    std::vector<hprof::ObjectIndex> cancelled;
    for (size_t i = 0; i < tasks.size(); ++i) {
      const auto s = future_state(engine, slots, tasks[i]);
      // FutureTask: NEW 0, COMPLETING 1, NORMAL 2, EXCEPTIONAL 3, CANCELLED 4, INTERRUPTING 5,
      // INTERRUPTED 6.
      const bool is_cancelled = s && *s >= 4;
      if (!s) {
        ++t.tasks.unknown;
      } else if (is_cancelled) {
        ++t.tasks.cancelled;
        cancelled.push_back(tasks[i]);
      } else if (*s == 0) {
        ++t.tasks.scheduled;
      } else {
        ++t.tasks.executed;
      }
      if (i == 0)
        t.head_state = !s             ? "UNKNOWN"
                       : is_cancelled ? "CANCELLED"
                       : *s == 0      ? "SCHEDULED"
                                      : "EXECUTED";
    }
    t.task_classes = count_classes(index, tasks);
    held_by_cancelled(engine, array, cancelled, cancelled.empty() ? NodeSet() : strong_base(), t);
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const TimerReport& a, const TimerReport& b) {
    return a.held_only_bytes != b.held_only_bytes ? a.held_only_bytes > b.held_only_bytes
                                                  : a.queue_size > b.queue_size;
  });
  return out;
}

}  // namespace heapscope::analysis
