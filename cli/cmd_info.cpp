// `heapscope info DUMP`: what the file holds, record by record, and how well it parsed.
#include <cstdio>
#include <ctime>
#include <iostream>

#include "commands.h"
#include "heapscope/analysis/render_views.h"
#include "heapscope/analysis/views.h"

namespace heapscope::cli {

int run_info(const CommonOptions& options) {
  ProgressBar progress(options.quiet);
  int rc = kExitOk;
  auto heap = open_heap(options, progress, rc);
  if (!heap) return rc;
  const auto v = analysis::info_view(*heap);
  if (options.format == "json") {
    std::cout << analysis::render_json(v);
    return kExitOk;
  }
  std::printf("%s\n", options.dump_path.c_str());
  std::printf("  format          JAVA PROFILE %s, %u-byte ids, compression %s\n", v.version.c_str(),
              v.id_size, v.compression.c_str());
  std::time_t secs = static_cast<std::time_t>(v.timestamp_ms / 1000);
  char when[64];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&secs));
  std::printf("  written         %s (%llu ms)\n", when,
              static_cast<unsigned long long>(v.timestamp_ms));
  std::printf(
      "  objects         %llu: %llu instances, %llu object arrays, %llu primitive arrays, "
      "%llu classes\n",
      static_cast<unsigned long long>(v.objects), static_cast<unsigned long long>(v.instances),
      static_cast<unsigned long long>(v.object_arrays),
      static_cast<unsigned long long>(v.primitive_arrays),
      static_cast<unsigned long long>(v.classes));
  std::printf(
      "  shallow size    %s (%u-byte header, %u-byte references, %u-byte alignment; MAT's rule)\n",
      human_bytes(v.shallow_bytes).c_str(), v.layout.id_size + v.layout.reference_size,
      v.layout.reference_size, v.layout.object_alignment);
  std::printf("  threads         %llu, stack traces %llu\n",
              static_cast<unsigned long long>(v.threads),
              static_cast<unsigned long long>(v.stack_traces));
  std::printf("  gc roots        %llu\n", static_cast<unsigned long long>(v.gc_roots_total));
  auto print_counts = [](const std::vector<std::pair<std::string, uint64_t>>& counts) {
    for (const auto& [k, n] : counts)
      std::printf("    %-24s %llu\n", k.c_str(), static_cast<unsigned long long>(n));
  };
  print_counts(v.gc_roots);
  std::printf("  records\n");
  print_counts(v.records);
  std::printf("  heap sub-records\n");
  print_counts(v.sub_records);
  const auto& ps = v.stats;
  std::printf(
      "  parse           %.1f%% of %s used; %llu unknown records, %llu unreadable segments, "
      "%llu dangling references%s\n",
      v.percent_used(), human_bytes(ps.bytes_total).c_str(),
      static_cast<unsigned long long>(ps.unknown_records),
      static_cast<unsigned long long>(ps.unknown_sub_records),
      static_cast<unsigned long long>(ps.dangling_references), ps.truncated ? ", TRUNCATED" : "");
  return kExitOk;
}

}  // namespace heapscope::cli
