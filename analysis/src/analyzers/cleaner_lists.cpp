#include "cleaner_lists.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "follow.h"

namespace heapscope::analysis::detail {
namespace {

constexpr std::string_view kReference = "java.lang.ref.Reference";
constexpr std::string_view kPhantomCleanable = "jdk.internal.ref.PhantomCleanable";
constexpr std::string_view kCleanerImpl = "jdk.internal.ref.CleanerImpl";
constexpr std::string_view kCleanableRef = "jdk.internal.ref.CleanerImpl$PhantomCleanableRef";
constexpr std::string_view kCleanableList = "jdk.internal.ref.CleanerImpl$CleanableList";
constexpr std::string_view kNode = "jdk.internal.ref.CleanerImpl$CleanableList$Node";

bool is_instance(const hprof::Index& index, hprof::ObjectIndex o) {
  return o != hprof::kNoObject && index.kind(o) == hprof::ObjectKind::kInstance;
}

std::optional<int64_t> int_field(const Engine& engine, hprof::ObjectIndex o,
                                 std::string_view declaring, std::string_view name) {
  const auto& index = engine.index();
  if (!is_instance(index, o)) return std::nullopt;
  const auto slot = engine.layouts().find(index.class_of(o), declaring, name);
  if (!slot) return std::nullopt;
  const auto v = engine.layouts().read(o, *slot);
  return v ? std::optional<int64_t>(v->as_int()) : std::nullopt;
}

// JDK 9-21: a sentinel head, circular through PhantomCleanable.next.
void walk_linked_list(const Engine& engine, hprof::ObjectIndex head,
                      std::vector<hprof::ObjectIndex>& out, CleanerLists& c) {
  c.list_structure.push_back(head);
  std::unordered_set<hprof::ObjectIndex> seen{head};
  FieldFollower next(engine, kPhantomCleanable, "next");
  for (auto p = next(head); p != hprof::kNoObject && seen.insert(p).second; p = next(p)) {
    out.push_back(p);
  }
}

// JDK 22+: CleanableList.head -> Node{arr, size, next}.
void walk_node_list(const Engine& engine, hprof::ObjectIndex list,
                    std::vector<hprof::ObjectIndex>& out, CleanerLists& c) {
  c.list_structure.push_back(list);
  std::unordered_set<hprof::ObjectIndex> seen;
  for (auto node = follow_field(engine, list, kCleanableList, "head");
       node != hprof::kNoObject && seen.insert(node).second;
       node = follow_field(engine, node, kNode, "next")) {
    c.list_structure.push_back(node);
    const auto arr = follow_field(engine, node, kNode, "arr");
    const auto size = int_field(engine, node, kNode, "size").value_or(0);
    if (arr == hprof::kNoObject || size <= 0) continue;
    c.list_structure.push_back(arr);
    for (auto o : array_elements(engine, arr, 0, static_cast<uint32_t>(size))) {
      if (o != hprof::kNoObject) out.push_back(o);
    }
  }
}

// ReferenceQueue.head, then Reference.next until an element points to itself.
std::vector<hprof::ObjectIndex> walk_queue(const Engine& engine, hprof::ObjectIndex queue) {
  std::vector<hprof::ObjectIndex> out;
  std::unordered_set<hprof::ObjectIndex> seen;
  FieldFollower ref_next(engine, kReference, "next");
  for (auto r = follow_field(engine, queue, "java.lang.ref.ReferenceQueue", "head");
       r != hprof::kNoObject && seen.insert(r).second;) {
    out.push_back(r);
    const auto next = ref_next(r);
    if (next == r) break;
    r = next;
  }
  return out;
}

CleanerLists read_impl(const Engine& engine, hprof::ObjectIndex impl) {
  const auto& index = engine.index();
  CleanerLists c;
  c.kind = "java.lang.ref.Cleaner";
  c.impl = impl;
  std::vector<hprof::ObjectIndex> listed;
  if (auto head = follow_field(engine, impl, kCleanerImpl, "phantomCleanableList");
      head != hprof::kNoObject)
    walk_linked_list(engine, head, listed, c);
  if (auto list = follow_field(engine, impl, kCleanerImpl, "activeList"); list != hprof::kNoObject)
    walk_node_list(engine, list, listed, c);
  const auto queued = walk_queue(engine, follow_field(engine, impl, kCleanerImpl, "queue"));
  std::unordered_set<hprof::ObjectIndex> in_queue(queued.begin(), queued.end());
  std::unordered_set<hprof::ObjectIndex> on_list;
  FieldFollower referent(engine, kReference, "referent"), action(engine, kCleanableRef, "action");
  auto add = [&](hprof::ObjectIndex o) {
    if (!is_instance(index, o)) return;
    const auto cls = index.class_of(o);
    if (index.class_info(cls).name == "jdk.internal.ref.CleanerImpl$CleanerCleanable") return;
    CleanerEntry e;
    e.cleanable = o;
    e.queued = in_queue.count(o) != 0;
    e.referent = referent(o);
    e.action = action(o);
    c.entries.push_back(e);
  };
  for (auto o : listed) {
    if (on_list.insert(o).second) add(o);
  }
  for (auto o : queued) {  // enqueued but already off the list: not expected, counted anyway
    if (on_list.insert(o).second) add(o);
  }
  return c;
}

constexpr std::string_view kRegistry = "libcore.util.NativeAllocationRegistry";
constexpr std::string_view kThunk = "libcore.util.NativeAllocationRegistry$CleanerThunk";
// Android 10+ keeps "allocated with malloc" in the low bit of NativeAllocationRegistry.size.
constexpr uint64_t kIsMalloced = 1;

// Android: a sun.misc.Cleaner whose thunk is a NativeAllocationRegistry$CleanerThunk (an inner
// class: this$0 is the registry) frees `registry.size` native bytes when it runs.
class NativeSizes {
 public:
  explicit NativeSizes(const Engine& engine)
      : engine_(engine), registry_of_(engine, kThunk, "this$0") {
    for (auto c : engine.index().find_classes_by_name(kThunk)) thunks_.push_back(c);
  }
  void fill(CleanerEntry& e) {
    const auto& index = engine_.index();
    if (!is_instance(index, e.action)) return;
    const auto c = index.class_of(e.action);
    if (std::find(thunks_.begin(), thunks_.end(), c) == thunks_.end()) return;
    e.registry = registry_of_(e.action);
    const auto size = int_field(engine_, e.registry, kRegistry, "size");
    if (size && *size > 0) e.native_size = static_cast<uint64_t>(*size) & ~kIsMalloced;
  }

 private:
  const Engine& engine_;
  FieldFollower registry_of_;
  std::vector<hprof::ClassIndex> thunks_;
};

// jdk.internal.ref.Cleaner / sun.misc.Cleaner: static `first`, then `next`.
void read_static_list(const Engine& engine, std::string_view name, std::vector<CleanerLists>& out) {
  const auto& index = engine.index();
  for (auto cls : index.find_classes_by_name(name)) {
    CleanerLists c;
    c.kind = std::string(name);
    // Android runs the Cleaners on the ReferenceQueueDaemon (Daemons.java), the JDK on the
    // Reference Handler.
    c.thread_name = index.find_classes_by_name("java.lang.Daemons$ReferenceQueueDaemon").empty()
                        ? "Reference Handler"
                        : "ReferenceQueueDaemon";
    c.list_structure.push_back(index.class_info(cls).object);
    std::unordered_set<hprof::ObjectIndex> seen;
    FieldFollower referent(engine, kReference, "referent"), thunk(engine, name, "thunk"),
        next_of(engine, name, "next");
    NativeSizes native(engine);
    for (auto p = static_object(index, cls, "first");
         p != hprof::kNoObject && is_instance(index, p) && seen.insert(p).second;) {
      CleanerEntry e;
      e.cleanable = p;
      e.referent = referent(p);
      e.action = thunk(p);
      native.fill(e);
      c.entries.push_back(e);
      const auto next = next_of(p);
      if (next == p) break;
      p = next;
    }
    out.push_back(std::move(c));
  }
}

}  // namespace

std::vector<CleanerLists> read_cleaner_lists(const Engine& engine, NodeSet& machinery) {
  const auto& index = engine.index();
  const auto& layouts = engine.layouts();
  std::vector<CleanerLists> out;
  // Which classes are cleanables; class objects are machinery too (see find_capture).
  std::vector<uint8_t> cleanable_class(index.class_count(), 0);
  std::vector<hprof::ClassIndex> impl_classes, cleaner_classes;
  for (hprof::ClassIndex c = 0; c < index.class_count(); ++c) {
    cleanable_class[c] = layouts.is_subclass_of(c, kPhantomCleanable) ||
                         layouts.is_subclass_of(c, "jdk.internal.ref.Cleaner") ||
                         layouts.is_subclass_of(c, "sun.misc.Cleaner");
  }
  std::vector<hprof::ObjectIndex> impls;
  std::vector<hprof::ObjectIndex> cleaners;
  const auto impl_class = index.find_classes_by_name(kCleanerImpl);
  const auto api_class = index.find_classes_by_name("java.lang.ref.Cleaner");
  auto is_one_of = [](hprof::ClassIndex c, const std::vector<hprof::ClassIndex>& v) {
    for (auto x : v) {
      if (x == c) return true;
    }
    return false;
  };
  for (hprof::ObjectIndex o = 0; o < index.object_count(); ++o) {
    const auto kind = index.kind(o);
    if (kind == hprof::ObjectKind::kClass) {
      machinery.add(o);
      continue;
    }
    if (kind != hprof::ObjectKind::kInstance) continue;
    const auto c = index.class_of(o);
    if (c == hprof::kNoClass) continue;
    if (cleanable_class[c]) machinery.add(o);
    if (is_one_of(c, impl_class)) impls.push_back(o);
    if (is_one_of(c, api_class)) cleaners.push_back(o);
  }
  for (auto impl : impls) {
    out.push_back(read_impl(engine, impl));
    for (auto cl : cleaners) {
      if (follow_field(engine, cl, "java.lang.ref.Cleaner", "impl") == impl)
        out.back().cleaner = cl;
    }
  }
  read_static_list(engine, "jdk.internal.ref.Cleaner", out);
  read_static_list(engine, "sun.misc.Cleaner", out);
  for (const auto& c : out) {
    for (auto o : c.list_structure) {
      if (o != hprof::kNoObject) machinery.add(o);
    }
  }
  return out;
}

}  // namespace heapscope::analysis::detail
