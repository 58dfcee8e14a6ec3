#include "heapscope/analysis/analyzers/timer.h"

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>

#include "follow.h"
#include "heapscope/analysis/page_releaser.h"
#include "heapscope/analysis/reachability.h"
#include "heapscope/analysis/strings.h"
#include "heapscope/analysis/threads.h"
#include "stages.h"

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

// Calls visit(task) for every task, in index (file) order so that the dump's pages are read in
// one direction and released behind; a task listed twice is visited twice.
template <typename Visit>
void visit_in_index_order(const Engine& engine, const std::vector<hprof::ObjectIndex>& tasks,
                          Visit visit) {
  const auto& index = engine.index();
  NodeSet seen(engine.graph().node_count());
  std::vector<hprof::ObjectIndex> again;
  for (auto t : tasks) {
    if (t == hprof::kNoObject) continue;
    if (seen.has(t)) {
      again.push_back(t);
    } else {
      seen.add(t);
    }
  }
  PageReleaser pages(index);
  seen.for_each([&](NodeIndex o) {
    pages.visit(o);
    visit(o);
  });
  for (auto t : again) visit(t);
}

// Task classes by count, biggest first.
class ClassCounter {
 public:
  explicit ClassCounter(const hprof::Index& index) : index_(index), counts_(index.class_count()) {}
  void add(hprof::ObjectIndex o) { ++counts_[index_.class_of(o)]; }
  std::vector<ClassCount> rows() const {
    std::vector<ClassCount> out;
    for (hprof::ClassIndex c = 0; c < counts_.size(); ++c) {
      if (counts_[c] != 0) out.push_back({index_.class_info(c).name, counts_[c], 0});
    }
    std::sort(out.begin(), out.end(), [](auto& x, auto& y) {
      return x.count != y.count ? x.count > y.count : x.klass < y.klass;
    });
    return out;
  }

 private:
  const hprof::Index& index_;
  std::vector<uint64_t> counts_;
};

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

namespace detail {

TimerScan scan_timers(const Engine& engine, uint64_t dump_time_ms) {
  TimerScan scan;
  const auto& index = engine.index();
  const auto& layouts = engine.layouts();
  const auto threads = list_threads(engine);
  SlotCache slots(layouts);
  const uint32_t n = index.object_count();
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
    const auto tasks = array_elements(engine, array, 1, static_cast<uint32_t>(t.queue_size) + 1);
    std::vector<hprof::ObjectIndex> cancelled;
    ClassCounter classes(index);
    auto task_fields = [&](hprof::ObjectIndex task) {
      const auto st = slots.read(task, "java.util.TimerTask", "state");
      const auto next = slots.read(task, "java.util.TimerTask", "nextExecutionTime");
      const int64_t due = next ? next->as_int() - static_cast<int64_t>(dump_time_ms) : 0;
      return std::make_tuple(st ? st->as_int() : int64_t{-1}, next.has_value(), due);
    };
    visit_in_index_order(engine, tasks, [&](hprof::ObjectIndex task) {
      const auto [s, has_next, due] = task_fields(task);
      count_state(t.tasks, s);
      classes.add(task);
      if (s == 3) {
        cancelled.push_back(task);
        if (has_next && (!t.last_cancelled_leaves_in_ms || due > *t.last_cancelled_leaves_in_ms))
          t.last_cancelled_leaves_in_ms = due;
      }
    });
    t.tasks.unknown +=
        static_cast<uint64_t>(std::count(tasks.begin(), tasks.end(), hprof::kNoObject));
    if (!tasks.empty()) {
      const auto [s, has_next, due] = tasks[0] == hprof::kNoObject
                                          ? std::make_tuple(int64_t{-1}, false, int64_t{0})
                                          : task_fields(tasks[0]);
      t.head_state = timer_state(s);
      if (has_next) t.head_fires_in_ms = due;
    }
    t.task_classes = classes.rows();
    scan.arrays.push_back(array);
    scan.cancelled.push_back(std::move(cancelled));
    scan.reports.push_back(std::move(t));
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
    const auto tasks = array_elements(engine, array, 0, static_cast<uint32_t>(t.queue_size));
    std::vector<hprof::ObjectIndex> cancelled;
    ClassCounter classes(index);
    // FutureTask: NEW 0, COMPLETING 1, NORMAL 2, EXCEPTIONAL 3, CANCELLED 4, INTERRUPTING 5,
    // INTERRUPTED 6.
    visit_in_index_order(engine, tasks, [&](hprof::ObjectIndex task) {
      classes.add(task);
      const auto s = future_state(engine, slots, task);
      if (!s) {
        ++t.tasks.unknown;
      } else if (*s >= 4) {
        ++t.tasks.cancelled;
        cancelled.push_back(task);
      } else if (*s == 0) {
        ++t.tasks.scheduled;
      } else {
        ++t.tasks.executed;
      }
    });
    t.tasks.unknown +=
        static_cast<uint64_t>(std::count(tasks.begin(), tasks.end(), hprof::kNoObject));
    if (!tasks.empty()) {
      const auto s = future_state(engine, slots, tasks[0]);
      t.head_state = !s ? "UNKNOWN" : *s >= 4 ? "CANCELLED" : *s == 0 ? "SCHEDULED" : "EXECUTED";
    }
    t.task_classes = classes.rows();
    scan.arrays.push_back(array);
    scan.cancelled.push_back(std::move(cancelled));
    scan.reports.push_back(std::move(t));
  }
  return scan;
}

std::vector<int> add_timer_groups(const Engine& engine, const TimerScan& scan,
                                  CutReachability& reach) {
  const Graph& g = engine.graph();
  std::vector<int> groups;
  for (size_t i = 0; i < scan.reports.size(); ++i) {
    const auto& cancelled = scan.cancelled[i];
    if (cancelled.empty() || scan.arrays[i] == hprof::kNoObject) {
      groups.push_back(-1);
      continue;
    }
    auto targets = std::make_shared<NodeSet>(g.node_count());
    for (auto c : cancelled) {
      if (c != hprof::kNoObject) targets->add(c);
    }
    groups.push_back(
        static_cast<int>(reach.add_group({scan.arrays[i]}, [&g, targets](NodeIndex, uint64_t e) {
          return targets->has(g.target(e));
        })));
  }
  return groups;
}

void finish_timers(const Engine& engine, TimerScan& scan, const NodeSet& strong,
                   const std::vector<NodeSet>& reduced) {
  for (size_t i = 0; i < scan.reports.size(); ++i) {
    if (scan.cancelled[i].empty()) continue;
    const HeldOnly h = held_only(engine, strong, reduced[i]);
    auto& t = scan.reports[i];
    t.held_only_count = h.count;
    t.held_only_bytes = h.bytes;
    t.held_only_by_class = h.by_class;
  }
  std::sort(scan.reports.begin(), scan.reports.end(),
            [](const TimerReport& a, const TimerReport& b) {
              return a.held_only_bytes != b.held_only_bytes ? a.held_only_bytes > b.held_only_bytes
                                                            : a.queue_size > b.queue_size;
            });
}

}  // namespace detail

std::vector<TimerReport> analyze_timers(const Engine& engine, uint64_t dump_time_ms) {
  auto scan = detail::scan_timers(engine, dump_time_ms);
  CutReachability reach(engine.graph(), EdgeFilter::kStrongOnly);
  const auto groups = detail::add_timer_groups(engine, scan, reach);
  std::vector<NodeSet> reduced(groups.size());
  NodeSet strong;
  if (reach.group_count() > 0) {
    reach.prepare();
    strong = reach.reachable(std::vector<bool>(reach.group_count(), true));
    for (size_t i = 0; i < groups.size(); ++i) {
      if (groups[i] < 0) continue;
      std::vector<bool> keep(reach.group_count(), true);
      keep[static_cast<size_t>(groups[i])] = false;
      reduced[i] = reach.reachable(keep);
    }
  }
  detail::finish_timers(engine, scan, strong, reduced);
  return std::move(scan.reports);
}

}  // namespace heapscope::analysis
