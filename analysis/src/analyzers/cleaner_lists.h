// Reading the Cleaners' bookkeeping from the dump (private to the cleaner analyzer): each
// Cleaner's list, queue and thread, as object indices. Layouts: analyzers/cleaner.h.
#pragma once

#include <string>
#include <vector>

#include "heapscope/analysis/engine.h"
#include "heapscope/analysis/reachability.h"

namespace heapscope::analysis::detail {

struct CleanerEntry {
  hprof::ObjectIndex cleanable = hprof::kNoObject;
  hprof::ObjectIndex action = hprof::kNoObject;    // kNoObject when the cleanable has none
  hprof::ObjectIndex referent = hprof::kNoObject;  // kNoObject once cleared
  bool queued = false;
  // Android: the action is a NativeAllocationRegistry$CleanerThunk; its registry and size.
  hprof::ObjectIndex registry = hprof::kNoObject;
  uint64_t native_size = 0;
};

struct CleanerLists {
  std::string kind;                                // as CleanerReport::kind
  hprof::ObjectIndex cleaner = hprof::kNoObject;   // java.lang.ref.Cleaner, if found
  hprof::ObjectIndex impl = hprof::kNoObject;      // CleanerImpl; kNoObject for static lists
  std::vector<CleanerEntry> entries;               // on the list or in the queue
  std::vector<hprof::ObjectIndex> list_structure;  // objects whose edges hold the list
  std::string thread_name;                         // known name (static lists) or ""
};

// Every java.lang.ref.Cleaner (one per CleanerImpl) and the static jdk.internal.ref.Cleaner /
// sun.misc.Cleaner lists that are in the dump. `machinery` gets every cleanable and list
// structure object (the capture search does not enter them).
std::vector<CleanerLists> read_cleaner_lists(const Engine& engine, NodeSet& machinery);

}  // namespace heapscope::analysis::detail
