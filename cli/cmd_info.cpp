// `heapscope info DUMP`: what the file holds, record by record, and how well it parsed.
#include <cstdio>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "heapscope/hprof/tags.h"

namespace heapscope::cli {
namespace {

std::string tag_key(uint8_t t, bool sub) {
  auto n = sub ? hprof::sub_tag_name(t) : hprof::tag_name(t);
  if (n) return std::string(*n);
  char b[16];
  std::snprintf(b, sizeof b, "UNKNOWN_0x%02x", t);
  return b;
}

}  // namespace

nlohmann::ordered_json info_json(const analysis::Heap& heap) {
  const auto& idx = heap.index();
  const auto& dump = heap.dump();
  nlohmann::ordered_json j;
  j["version"] = dump.header().version_string.substr(13);  // "1.0.2"
  j["id_size"] = dump.header().id_size;
  j["timestamp_ms"] = dump.header().timestamp_ms;
  j["compression"] = hprof::to_string(dump.compression());
  j["file_bytes"] = dump.file_size();
  nlohmann::ordered_json records = nlohmann::ordered_json::object();
  for (int t = 0; t < 256; ++t) {
    if (idx.record_counts()[t])
      records[tag_key(static_cast<uint8_t>(t), false)] = idx.record_counts()[t];
  }
  j["records"] = records;
  nlohmann::ordered_json subs = nlohmann::ordered_json::object();
  std::map<std::string, uint64_t> roots;
  uint64_t root_total = 0;
  for (int t = 0; t < 256; ++t) {
    const uint64_t n = idx.sub_record_counts()[t];
    if (!n) continue;
    subs[tag_key(static_cast<uint8_t>(t), true)] = n;
    if (hprof::is_root_sub_tag(static_cast<uint8_t>(t))) {
      roots[tag_key(static_cast<uint8_t>(t), true)] += n;
      root_total += n;
    }
  }
  j["sub_records"] = subs;
  j["heap_dumps"] = idx.stats().heap_dumps_in_file;
  j["classes"] = idx.class_count();
  j["instances"] = idx.instance_count();
  j["object_arrays"] = idx.object_array_count();
  j["primitive_arrays"] = idx.primitive_array_count();
  j["objects"] = idx.object_count();
  j["gc_roots"] = roots;
  j["gc_roots_total"] = root_total;
  j["threads"] = idx.threads().size();
  j["stack_traces"] = idx.traces().size();
  uint64_t shallow = 0;
  for (hprof::ObjectIndex o = 0; o < idx.object_count(); ++o) shallow += idx.shallow_size(o);
  j["shallow_bytes"] = shallow;
  const auto& L = idx.layout();
  j["layout"] = {{"id_size", L.id_size},
                 {"reference_size", L.reference_size},
                 {"compressed_oops", L.compressed_oops},
                 {"object_alignment", L.object_alignment},
                 {"header_bytes", L.id_size + L.reference_size},
                 {"rule", "Eclipse MAT"}};
  const auto& s = idx.stats();
  j["parse_stats"] = {{"unknown_records", s.unknown_records},
                      {"unknown_sub_records", s.unknown_sub_records},
                      {"bytes_used", s.bytes_used},
                      {"bytes_total", s.bytes_total},
                      {"percent_used", s.bytes_total ? 100.0 * static_cast<double>(s.bytes_used) /
                                                           static_cast<double>(s.bytes_total)
                                                     : 0.0},
                      {"skipped_bytes", s.skipped_bytes},
                      {"truncated", s.truncated},
                      {"dangling_references", s.dangling_references},
                      {"duplicate_objects", s.duplicate_objects},
                      {"missing_classes", s.missing_classes},
                      {"field_size_mismatches", s.field_size_mismatches},
                      {"warnings", s.warnings}};
  return j;
}

int run_info(const CommonOptions& options) {
  ProgressBar progress(options.quiet);
  int rc = kExitOk;
  auto heap = open_heap(options, progress, rc);
  if (!heap) return rc;
  const auto j = info_json(*heap);
  if (options.format == "json") {
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("%s\n", options.dump_path.c_str());
  std::printf("  format          JAVA PROFILE %s, %u-byte ids, compression %s\n",
              j["version"].get<std::string>().c_str(), j["id_size"].get<unsigned>(),
              j["compression"].get<std::string>().c_str());
  const auto ts = j["timestamp_ms"].get<uint64_t>();
  std::time_t secs = static_cast<std::time_t>(ts / 1000);
  char when[64];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&secs));
  std::printf("  written         %s (%llu ms)\n", when, static_cast<unsigned long long>(ts));
  std::printf(
      "  objects         %llu: %llu instances, %llu object arrays, %llu primitive arrays, "
      "%u classes\n",
      static_cast<unsigned long long>(j["objects"].get<uint64_t>()),
      static_cast<unsigned long long>(j["instances"].get<uint64_t>()),
      static_cast<unsigned long long>(j["object_arrays"].get<uint64_t>()),
      static_cast<unsigned long long>(j["primitive_arrays"].get<uint64_t>()),
      j["classes"].get<unsigned>());
  std::printf(
      "  shallow size    %s (%s header, %u-byte references, %u-byte alignment; MAT's rule)\n",
      human_bytes(j["shallow_bytes"].get<uint64_t>()).c_str(),
      (std::to_string(j["layout"]["header_bytes"].get<unsigned>()) + "-byte").c_str(),
      j["layout"]["reference_size"].get<unsigned>(),
      j["layout"]["object_alignment"].get<unsigned>());
  std::printf("  threads         %zu, stack traces %zu\n", j["threads"].get<size_t>(),
              j["stack_traces"].get<size_t>());
  std::printf("  gc roots        %llu\n",
              static_cast<unsigned long long>(j["gc_roots_total"].get<uint64_t>()));
  for (auto& [k, v] : j["gc_roots"].items()) {
    std::printf("    %-24s %llu\n", k.c_str(), static_cast<unsigned long long>(v.get<uint64_t>()));
  }
  std::printf("  records\n");
  for (auto& [k, v] : j["records"].items()) {
    std::printf("    %-24s %llu\n", k.c_str(), static_cast<unsigned long long>(v.get<uint64_t>()));
  }
  std::printf("  heap sub-records\n");
  for (auto& [k, v] : j["sub_records"].items()) {
    std::printf("    %-24s %llu\n", k.c_str(), static_cast<unsigned long long>(v.get<uint64_t>()));
  }
  const auto& ps = j["parse_stats"];
  std::printf(
      "  parse           %.1f%% of %s used; %llu unknown records, %llu unreadable segments, "
      "%llu dangling references%s\n",
      ps["percent_used"].get<double>(), human_bytes(ps["bytes_total"].get<uint64_t>()).c_str(),
      static_cast<unsigned long long>(ps["unknown_records"].get<uint64_t>()),
      static_cast<unsigned long long>(ps["unknown_sub_records"].get<uint64_t>()),
      static_cast<unsigned long long>(ps["dangling_references"].get<uint64_t>()),
      ps["truncated"].get<bool>() ? ", TRUNCATED" : "");
  return kExitOk;
}

}  // namespace heapscope::cli
