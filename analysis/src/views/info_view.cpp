#include <cstdio>
#include <map>

#include "heapscope/analysis/views.h"
#include "heapscope/hprof/tags.h"

namespace heapscope::analysis {
namespace {

std::string tag_key(uint8_t t, bool sub) {
  auto n = sub ? hprof::sub_tag_name(t) : hprof::tag_name(t);
  if (n) return std::string(*n);
  char b[16];
  std::snprintf(b, sizeof b, "UNKNOWN_0x%02x", t);
  return b;
}

}  // namespace

double InfoView::percent_used() const {
  return stats.bytes_total ? 100.0 * static_cast<double>(stats.bytes_used) /
                                 static_cast<double>(stats.bytes_total)
                           : 0.0;
}

InfoView info_view(const Heap& heap) {
  const auto& idx = heap.index();
  const auto& dump = heap.dump();
  InfoView v;
  v.version = dump.header().version_string.substr(13);  // "JAVA PROFILE 1.0.2" -> "1.0.2"
  v.id_size = dump.header().id_size;
  v.timestamp_ms = dump.header().timestamp_ms;
  v.compression = hprof::to_string(dump.compression());
  v.file_bytes = dump.file_size();
  std::map<std::string, uint64_t> roots;
  for (int t = 0; t < 256; ++t) {
    const auto tag = static_cast<uint8_t>(t);
    if (const uint64_t n = idx.record_counts()[t]) v.records.emplace_back(tag_key(tag, false), n);
    const uint64_t n = idx.sub_record_counts()[t];
    if (!n) continue;
    v.sub_records.emplace_back(tag_key(tag, true), n);
    if (hprof::is_root_sub_tag(tag)) {
      roots[tag_key(tag, true)] += n;
      v.gc_roots_total += n;
    }
  }
  v.gc_roots.assign(roots.begin(), roots.end());
  v.classes = idx.class_count();
  v.instances = idx.instance_count();
  v.object_arrays = idx.object_array_count();
  v.primitive_arrays = idx.primitive_array_count();
  v.objects = idx.object_count();
  v.threads = idx.threads().size();
  v.stack_traces = idx.traces().size();
  for (hprof::ObjectIndex o = 0; o < idx.object_count(); ++o)
    v.shallow_bytes += idx.shallow_size(o);
  v.layout = idx.layout();
  v.stats = idx.stats();
  return v;
}

}  // namespace heapscope::analysis
