// Android finalization beyond the corpus dump (which predates NativeAllocationRegistry and holds
// no finalize() in progress): a hand-built Android dump (JAVA PROFILE 1.0.3, 4-byte ids, dotted
// names) with
//   * FinalizerReference: 4 on the list, the last 2 of them queued; the FinalizerDaemon inside
//     com.example.SlowStream.finalize(), timed by the FinalizerWatchdogDaemon;
//   * sun.misc.Cleaner (the static list, run by the ReferenceQueueDaemon) with 9 registrations:
//     5 from a NativeAllocationRegistry of 4,096 bytes (the size field holds 4,097: Android 10+
//     keeps its malloc flag in the low bit) for 5 Bitmaps; 3 from a TrackingRegistry (a
//     NativeAllocationRegistry subclass) of 1 MiB that keeps its 3 Images in an Object[], so its
//     CleanerThunks (this$0 = the registry) reach their own referents: never cleanable; 1 that
//     is no native registration (a Closer thunk for a Stream).
// The expected numbers are counted here from that construction, not with the analyzer.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/report_builder.h"
#include "hprof_writer.h"
#include "test_env.h"

namespace heapscope::analysis {
namespace {

using testing::ClassDef;
using testing::FieldDef;
using testing::HprofWriter;
using testing::StaticDef;
using testing::Value;
namespace type = testing::type;

constexpr uint64_t kNativeSmall = 4096, kNativeBig = 1u << 20;
constexpr int kBitmaps = 5, kImages = 3;

// Names as UTF8 records, ids handed out in order.
class Names {
 public:
  explicit Names(HprofWriter& w) : w_(w) {}
  uint64_t operator()(const std::string& s) {
    auto [it, fresh] = ids_.try_emplace(s, 0x1000 + ids_.size());
    if (fresh) w_.utf8(it->second, s);
    return it->second;
  }

 private:
  HprofWriter& w_;
  std::map<std::string, uint64_t> ids_;
};

struct Built {
  std::vector<uint8_t> bytes;
  uint64_t slow_stream = 0;  // the object being finalized
  uint64_t finalizer_thread = 0, watchdog_thread = 0;
  uint64_t small_registry = 0, tracking_registry = 0;
};

// `states`: the threads carry a JVM-style threadStatus (the FinalizerDaemon BLOCKED), which no
// Dalvik or ART dump has; without it the dump says nothing of how long finalize() has run.
Built build(bool states) {
  HprofWriter w(4, "JAVA PROFILE 1.0.3");
  Names n(w);
  Built b;
  uint32_t serial = 0;
  uint64_t next_class = 0x70000000;
  std::map<std::string, uint64_t> cls;
  auto declare = [&](const std::string& name) {
    cls[name] = next_class;
    w.load_class(++serial, next_class, 0, n(name));
    next_class += 0x100;
  };
  for (const char* c : {"java.lang.Object",
                        "java.lang.String",
                        "java.lang.Thread",
                        "java.lang.ref.Reference",
                        "java.lang.ref.PhantomReference",
                        "java.lang.ref.FinalizerReference",
                        "java.lang.ref.ReferenceQueue",
                        "java.lang.Daemons$Daemon",
                        "java.lang.Daemons$FinalizerDaemon",
                        "java.lang.Daemons$FinalizerWatchdogDaemon",
                        "java.lang.Daemons$ReferenceQueueDaemon",
                        "sun.misc.Cleaner",
                        "libcore.util.NativeAllocationRegistry",
                        "libcore.util.NativeAllocationRegistry$CleanerThunk",
                        "com.example.TrackingRegistry",
                        "com.example.Bitmap",
                        "com.example.Image",
                        "com.example.Stream",
                        "com.example.SlowStream",
                        "com.example.Closer",
                        "java.lang.Object[]"})
    declare(c);
  w.trace(0xFFFFFFFF, 0, {});
  // Every other name, before the heap records (a UTF8 record cannot sit inside one).
  for (const char* s : {"app",
                        "value",
                        "count",
                        "name",
                        "threadStatus",
                        "referent",
                        "queue",
                        "queueNext",
                        "pendingNext",
                        "zombie",
                        "prev",
                        "next",
                        "head",
                        "tail",
                        "thread",
                        "finalizingObject",
                        "finalizingStartedNanos",
                        "INSTANCE",
                        "thunk",
                        "first",
                        "classLoader",
                        "freeFunction",
                        "size",
                        "nativePtr",
                        "this$0",
                        "tracked",
                        "handle",
                        "fd"})
    n(s);

  // Objects: ids from 0x12C00000, 0x10 apart.
  uint64_t next_object = 0x12C00000;
  auto obj = [&] { return next_object += 0x10; };
  std::vector<uint64_t> bitmaps, images;
  for (int i = 0; i < kBitmaps; ++i) bitmaps.push_back(obj());
  for (int i = 0; i < kImages; ++i) images.push_back(obj());
  const uint64_t stream = obj(), tracked = obj(), holder = obj();
  b.small_registry = obj();
  b.tracking_registry = obj();
  const uint64_t closer = obj();
  std::vector<uint64_t> cleaners, thunks;
  for (int i = 0; i < kBitmaps + kImages + 1; ++i) cleaners.push_back(obj());
  for (int i = 0; i < kBitmaps + kImages; ++i) thunks.push_back(obj());
  std::vector<uint64_t> frefs, finalizable;
  for (int i = 0; i < 4; ++i) frefs.push_back(obj());
  for (int i = 0; i < 4; ++i) finalizable.push_back(obj());
  const uint64_t fqueue = obj();
  b.slow_stream = obj();
  const uint64_t fin_daemon = obj(), wd_daemon = obj(), rq_daemon = obj();
  b.finalizer_thread = obj();
  b.watchdog_thread = obj();
  const uint64_t rq_thread = obj();

  w.begin_segment().heap_dump_info('A', n("app"));
  for (const auto& [name, id] : cls) w.root_sticky_class(id);
  w.root_jni_global(holder, 1);  // the app holds its Bitmaps, the Stream, the live finalizables
  const uint64_t threads[] = {b.finalizer_thread, b.watchdog_thread, rq_thread};
  for (uint32_t i = 0; i < 3; ++i) w.root_thread_obj(threads[i], i + 1, 0xFFFFFFFF);

  auto klass = [&](const std::string& name, const std::string& super,
                   std::vector<std::pair<std::string, uint8_t>> fields,
                   std::vector<std::pair<std::string, Value>> statics = {}) {
    ClassDef d{.id = cls[name], .super_id = super.empty() ? 0 : cls[super]};
    for (auto& [f, t] : fields) d.fields.push_back(FieldDef{n(f), t});
    for (auto& [s, v] : statics) d.statics.push_back(StaticDef{n(s), v});
    w.class_dump(d);
  };
  const auto ref = type::kObject;
  klass("java.lang.Object", "", {});
  klass("java.lang.String", "java.lang.Object", {{"value", ref}, {"count", type::kInt}});
  std::vector<std::pair<std::string, uint8_t>> thread_fields{{"name", ref}};
  if (states) thread_fields.push_back({"threadStatus", type::kInt});
  klass("java.lang.Thread", "java.lang.Object", thread_fields);
  klass("java.lang.ref.Reference", "java.lang.Object",
        {{"referent", ref}, {"queue", ref}, {"queueNext", ref}, {"pendingNext", ref}});
  klass("java.lang.ref.PhantomReference", "java.lang.ref.Reference", {});
  klass("java.lang.ref.FinalizerReference", "java.lang.ref.Reference",
        {{"zombie", ref}, {"prev", ref}, {"next", ref}},
        {{"head", Value::object(frefs[0])}, {"queue", Value::object(fqueue)}});
  klass("java.lang.ref.ReferenceQueue", "java.lang.Object", {{"head", ref}, {"tail", ref}});
  klass("java.lang.Daemons$Daemon", "java.lang.Object", {{"thread", ref}});
  klass("java.lang.Daemons$FinalizerDaemon", "java.lang.Daemons$Daemon",
        {{"finalizingObject", ref}, {"queue", ref}, {"finalizingStartedNanos", type::kLong}},
        {{"INSTANCE", Value::object(fin_daemon)}});
  klass("java.lang.Daemons$FinalizerWatchdogDaemon", "java.lang.Daemons$Daemon", {},
        {{"INSTANCE", Value::object(wd_daemon)}});
  klass("java.lang.Daemons$ReferenceQueueDaemon", "java.lang.Daemons$Daemon", {},
        {{"INSTANCE", Value::object(rq_daemon)}});
  klass("sun.misc.Cleaner", "java.lang.ref.PhantomReference",
        {{"next", ref}, {"prev", ref}, {"thunk", ref}}, {{"first", Value::object(cleaners[0])}});
  klass("libcore.util.NativeAllocationRegistry", "java.lang.Object",
        {{"classLoader", ref}, {"freeFunction", type::kLong}, {"size", type::kLong}});
  klass("libcore.util.NativeAllocationRegistry$CleanerThunk", "java.lang.Object",
        {{"nativePtr", type::kLong}, {"this$0", ref}});
  klass("com.example.TrackingRegistry", "libcore.util.NativeAllocationRegistry",
        {{"tracked", ref}});
  for (const char* c :
       {"com.example.Bitmap", "com.example.Image", "com.example.Stream", "com.example.SlowStream"})
    klass(c, "java.lang.Object", {{"handle", type::kLong}});
  klass("com.example.Closer", "java.lang.Object", {{"fd", type::kInt}});
  klass("java.lang.Object[]", "java.lang.Object", {});

  // Field values: own class first, then each superclass.
  for (auto o : bitmaps) w.instance_dump(o, cls["com.example.Bitmap"], {Value::i64(1)});
  for (auto o : images) w.instance_dump(o, cls["com.example.Image"], {Value::i64(2)});
  w.instance_dump(stream, cls["com.example.Stream"], {Value::i64(3)});
  w.obj_array_dump(tracked, cls["java.lang.Object[]"], images);
  std::vector<uint64_t> held = bitmaps;
  held.push_back(stream);
  held.push_back(finalizable[0]);
  held.push_back(finalizable[1]);
  w.obj_array_dump(holder, cls["java.lang.Object[]"], held);
  w.instance_dump(b.small_registry, cls["libcore.util.NativeAllocationRegistry"],
                  {Value::object(0), Value::i64(0x7f00001000), Value::i64(kNativeSmall | 1)});
  w.instance_dump(
      b.tracking_registry, cls["com.example.TrackingRegistry"],
      {Value::object(tracked), Value::object(0), Value::i64(0x7f00002000), Value::i64(kNativeBig)});
  w.instance_dump(closer, cls["com.example.Closer"], {Value::i32(9)});
  // The list: the Bitmaps' cleaners, the Stream's, then the Images' (so that cutting the
  // never-cleanable ones leaves the rest reachable through `next`).
  std::vector<uint64_t> referents = bitmaps, actions;
  referents.push_back(stream);
  for (auto o : images) referents.push_back(o);
  for (int i = 0; i < kBitmaps; ++i) actions.push_back(thunks[static_cast<size_t>(i)]);
  actions.push_back(closer);
  for (int i = 0; i < kImages; ++i) actions.push_back(thunks[static_cast<size_t>(kBitmaps + i)]);
  for (size_t i = 0; i < cleaners.size(); ++i) {
    const uint64_t next = i + 1 < cleaners.size() ? cleaners[i + 1] : 0;
    const uint64_t prev = i > 0 ? cleaners[i - 1] : 0;
    // sun.misc.Cleaner{next, prev, thunk}, Reference{referent, queue, queueNext, pendingNext}
    w.instance_dump(
        cleaners[i], cls["sun.misc.Cleaner"],
        {Value::object(next), Value::object(prev), Value::object(actions[i]),
         Value::object(referents[i]), Value::object(0), Value::object(0), Value::object(0)});
  }
  for (size_t i = 0; i < thunks.size(); ++i) {
    const uint64_t registry = i < kBitmaps ? b.small_registry : b.tracking_registry;
    w.instance_dump(thunks[i], cls["libcore.util.NativeAllocationRegistry$CleanerThunk"],
                    {Value::i64(static_cast<int64_t>(0x5000 + i)), Value::object(registry)});
  }

  // FinalizerReference: head -> f0 -> f1 -> f2 -> f3; the queue (LIFO through queueNext, the
  // last pointing to itself): f3 -> f2. f0, f1 registered (their objects live); f2, f3 pending.
  const uint64_t fr_class = cls["java.lang.ref.FinalizerReference"];
  for (size_t i = 0; i < 4; ++i) {
    const uint64_t next = i + 1 < 4 ? frefs[i + 1] : 0;
    const uint64_t prev = i > 0 ? frefs[i - 1] : 0;
    const uint64_t queue_next = i == 3 ? frefs[2] : i == 2 ? frefs[2] : 0;
    const bool queued = i >= 2;
    // FinalizerReference{zombie, prev, next}, Reference{referent, queue, queueNext, pendingNext}
    w.instance_dump(
        frefs[i], fr_class,
        {Value::object(0), Value::object(prev), Value::object(next), Value::object(finalizable[i]),
         Value::object(queued ? fqueue : 0), Value::object(queue_next), Value::object(0)});
  }
  for (auto o : finalizable) w.instance_dump(o, cls["com.example.Stream"], {Value::i64(4)});
  w.instance_dump(fqueue, cls["java.lang.ref.ReferenceQueue"],
                  {Value::object(frefs[3]), Value::object(frefs[2])});
  w.instance_dump(b.slow_stream, cls["com.example.SlowStream"], {Value::i64(5)});
  // FinalizerDaemon{finalizingObject, queue, finalizingStartedNanos}, Daemon{thread}
  w.instance_dump(fin_daemon, cls["java.lang.Daemons$FinalizerDaemon"],
                  {Value::object(b.slow_stream), Value::object(fqueue), Value::i64(123456789),
                   Value::object(b.finalizer_thread)});
  w.instance_dump(wd_daemon, cls["java.lang.Daemons$FinalizerWatchdogDaemon"],
                  {Value::object(b.watchdog_thread)});
  w.instance_dump(rq_daemon, cls["java.lang.Daemons$ReferenceQueueDaemon"],
                  {Value::object(rq_thread)});
  const char* thread_names[] = {"FinalizerDaemon", "FinalizerWatchdogDaemon",
                                "ReferenceQueueDaemon"};
  const int32_t status[] = {0x0401 /* BLOCKED */, 0x00E1 /* TIMED_WAITING, sleeping */,
                            0x0191 /* WAITING (in Object.wait) */};
  for (int i = 0; i < 3; ++i) {
    const uint64_t name = obj(), chars = obj();
    const std::string s = thread_names[i];
    w.prim_array_dump(chars, type::kChar, std::vector<uint64_t>(s.begin(), s.end()));
    w.instance_dump(name, cls["java.lang.String"],
                    {Value::object(chars), Value::i32(static_cast<int32_t>(s.size()))});
    std::vector<Value> fields{Value::object(name)};
    if (states) fields.push_back(Value::i32(status[i]));
    w.instance_dump(threads[i], cls["java.lang.Thread"], fields);
  }
  w.heap_dump_end();
  b.bytes = w.bytes();
  return b;
}

struct Analyzed {
  testing::TempDir dir;
  Report report;
};

std::unique_ptr<Analyzed> analyze(const Built& b) {
  auto out = std::make_unique<Analyzed>();
  const auto path = out->dir.write("android.hprof", b.bytes);
  auto heap = Heap::open(path);
  EXPECT_TRUE(heap) << heap.error().message;
  if (!heap) return nullptr;
  auto engine = Engine::build(*heap);
  EXPECT_TRUE(engine) << engine.error().message;
  if (!engine) return nullptr;
  out->report = build_report(*heap, *engine, {});
  return out;
}

const Finding* finding(const Report& r, std::string_view kind) {
  for (const auto& f : r.findings) {
    if (f.kind == kind) return &f;
  }
  return nullptr;
}

TEST(AndroidNative, NativeAllocationRegistrySizesAndNeverCleanableOnes) {
  const Built b = build(false);
  const auto a = analyze(b);
  ASSERT_TRUE(a);
  const auto& cleaners = a->report.cleaners;
  ASSERT_EQ(cleaners.size(), 1u);
  const CleanerReport& c = cleaners.front();
  EXPECT_EQ(c.kind, "sun.misc.Cleaner");
  EXPECT_EQ(c.thread_name, "ReferenceQueueDaemon");
  EXPECT_EQ(c.registered, uint64_t{kBitmaps + kImages + 1});
  EXPECT_EQ(c.native_registrations, uint64_t{kBitmaps + kImages});
  EXPECT_EQ(c.native_bytes, kBitmaps * kNativeSmall + kImages * kNativeBig);
  EXPECT_EQ(c.never_cleanable, uint64_t{kImages});
  EXPECT_EQ(c.never_cleanable_native_bytes, kImages * kNativeBig);
  // Cut loose: the 3 Cleaners, their 3 thunks, the TrackingRegistry, its Object[], 3 Images.
  EXPECT_EQ(c.never_cleanable_objects, 11u);
  ASSERT_EQ(c.by_registry.size(), 2u);
  EXPECT_EQ(c.by_registry[0].registry_id, b.tracking_registry);
  EXPECT_EQ(c.by_registry[0].size, kNativeBig);
  EXPECT_EQ(c.by_registry[0].registrations, uint64_t{kImages});
  EXPECT_EQ(c.by_registry[0].never_cleanable, uint64_t{kImages});
  EXPECT_EQ(c.by_registry[1].registry_id, b.small_registry);
  EXPECT_EQ(c.by_registry[1].size, kNativeSmall);  // 4,097 with the malloc flag cleared
  EXPECT_EQ(c.by_registry[1].native_bytes, kBitmaps * kNativeSmall);
  EXPECT_EQ(c.by_registry[1].never_cleanable, 0u);
  std::map<std::string, CleanerClassStats> by;
  for (const auto& k : c.by_referent_class) by[k.klass] = k;
  ASSERT_EQ(by.size(), 3u);
  EXPECT_EQ(by["com.example.Bitmap"].registered, uint64_t{kBitmaps});
  EXPECT_EQ(by["com.example.Bitmap"].native_bytes, kBitmaps * kNativeSmall);
  EXPECT_EQ(by["com.example.Image"].never_cleanable, uint64_t{kImages});
  EXPECT_EQ(by["com.example.Image"].native_bytes, kImages * kNativeBig);
  EXPECT_EQ(by["com.example.Stream"].native_bytes, 0u);
  ASSERT_FALSE(c.examples.empty());
  EXPECT_EQ(c.examples[0].referent_class, "com.example.Image");
  ASSERT_EQ(c.examples[0].path.size(), 4u);  // thunk -> registry -> Object[] -> Image
  EXPECT_EQ(c.examples[0].path[1].object_id, b.tracking_registry);

  const Finding* native = finding(a->report, "cleaner-native-memory");
  ASSERT_NE(native, nullptr);
  EXPECT_EQ(native->severity, Severity::kWarning);  // 3 MiB: over 1 MiB, under 64 MiB
  const Finding* never = finding(a->report, "cleaner-never-cleanable");
  ASSERT_NE(never, nullptr);
  EXPECT_EQ(native->related, std::vector<std::string>{never->id});
}

TEST(AndroidNative, WatchdogTimesTheFinalizeInProgress) {
  const Built b = build(false);
  const auto a = analyze(b);
  ASSERT_TRUE(a);
  const auto& f = a->report.finalizer;
  EXPECT_TRUE(f.machinery_present);
  EXPECT_EQ(f.registered, 2u);
  EXPECT_EQ(f.pending, 2u);
  EXPECT_EQ(f.being_finalized, 1u);
  EXPECT_EQ(f.thread.name, "FinalizerDaemon");
  EXPECT_EQ(f.thread.finalize_class, "com.example.SlowStream");
  EXPECT_EQ(f.thread.verdict, "running");  // no thread states: it may be running or stuck
  const auto& w = f.watchdog;
  EXPECT_TRUE(w.present);
  EXPECT_EQ(w.thread_name, "FinalizerWatchdogDaemon");
  EXPECT_EQ(w.thread_object_id, b.watchdog_thread);
  EXPECT_EQ(w.thread_state, "");
  EXPECT_EQ(w.watched_object_id, b.slow_stream);
  EXPECT_EQ(w.watched_class, "com.example.SlowStream");
  EXPECT_EQ(w.verdict, "watching");
  const Finding* wd = finding(a->report, "finalizer-watchdog");
  ASSERT_NE(wd, nullptr);
  EXPECT_EQ(wd->severity, Severity::kInfo);  // 2 queued, duration unknown
  EXPECT_EQ(finding(a->report, "finalizer-backlog"), nullptr);
}

TEST(AndroidNative, WatchdogVerdictIsStuckWhenTheDaemonIsBlockedInFinalize) {
  const Built b = build(true);
  const auto a = analyze(b);
  ASSERT_TRUE(a);
  const auto& f = a->report.finalizer;
  EXPECT_EQ(f.thread.state, "BLOCKED");
  EXPECT_EQ(f.thread.verdict, "blocked");
  EXPECT_EQ(f.watchdog.thread_state, "TIMED_WAITING");
  EXPECT_EQ(f.watchdog.verdict, "stuck");
  const Finding* wd = finding(a->report, "finalizer-watchdog");
  ASSERT_NE(wd, nullptr);
  EXPECT_EQ(wd->severity, Severity::kCritical);
  const Finding* backlog = finding(a->report, "finalizer-backlog");
  ASSERT_NE(backlog, nullptr);  // the JVM's stuck-finalize() verdict, for the same state
  EXPECT_EQ(wd->related, std::vector<std::string>{backlog->id});
}

TEST(AndroidNative, NoWatchdogOnTheJvm) {
  testing::TempDir dir;
  HprofWriter w(8);
  w.utf8(1, "java/lang/Object").load_class(1, 0x1000, 1, 1);
  w.begin_segment().class_dump({.id = 0x1000}).instance_dump(0x2000, 0x1000, {});
  w.root_jni_global(0x2000, 1).heap_dump_end();
  auto heap = Heap::open(dir.write("jvm.hprof", w.bytes()));
  ASSERT_TRUE(heap);
  auto engine = Engine::build(*heap);
  ASSERT_TRUE(engine);
  const Report r = build_report(*heap, *engine, {});
  EXPECT_FALSE(r.finalizer.watchdog.present);
  EXPECT_EQ(finding(r, "finalizer-watchdog"), nullptr);
}

}  // namespace
}  // namespace heapscope::analysis
