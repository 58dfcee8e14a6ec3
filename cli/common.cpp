#include "common.h"

#include <cstdio>

namespace heapscope::cli {

std::optional<analysis::Heap> open_heap(const CommonOptions& options, ProgressBar& progress) {
  analysis::HeapOptions ho;
  ho.open.progress = &progress;
  ho.index.progress = &progress;
  ho.index.heap_dump_number = options.heap_dump_number;
  ho.index.threads = options.threads;
  auto heap = analysis::Heap::open(options.dump_path, ho);
  progress.finish();
  if (!heap) {
    std::fprintf(stderr, "heapscope: %s: %s\n", options.dump_path.c_str(),
                 heap.error().describe().c_str());
    return std::nullopt;
  }
  print_damage_summary(heap->index());
  return std::move(*heap);
}

void print_damage_summary(const hprof::Index& index) {
  const auto& s = index.stats();
  if (!s.truncated && s.skipped_bytes == 0 && s.unknown_sub_records == 0) {
    for (const auto& w : s.warnings) std::fprintf(stderr, "heapscope: note: %s\n", w.c_str());
    return;
  }
  const double used = s.bytes_total ? 100.0 * static_cast<double>(s.bytes_used) /
                                          static_cast<double>(s.bytes_total)
                                    : 0.0;
  std::fprintf(stderr, "heapscope: warning: the dump is damaged; analyzed what is there "
                       "(%.1f%% of the file used, %llu bytes skipped)\n",
               used, static_cast<unsigned long long>(s.bytes_total - s.bytes_used));
  for (const auto& w : s.warnings) std::fprintf(stderr, "heapscope:   %s\n", w.c_str());
}

std::string human_bytes(uint64_t b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(b);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(b));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  }
  return buf;
}

std::string hex_id(uint64_t id) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(id));
  return buf;
}

}  // namespace heapscope::cli
