// `heapscope object DUMP --object 0xID`: class, fields with values, sizes, referrers.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "heapscope/analysis/paths.h"
#include "heapscope/analysis/strings.h"
#include "heapscope/hprof/big_endian.h"
#include "heapscope/hprof/tags.h"

namespace heapscope::cli {
namespace {

// A field or element value for people: numbers as numbers, references as ids with their class
// (and the text of Strings).
nlohmann::ordered_json value_json(const analysis::Engine& engine, uint8_t type, uint64_t bits) {
  const analysis::FieldValue v{type, bits};
  switch (type) {
    case 2: {
      if (bits == 0) return nullptr;
      nlohmann::ordered_json j;
      j["object_id"] = hex_id(bits);
      const auto o = engine.index().find(bits);
      if (o == hprof::kNoObject) {
        j["class"] = "<not in dump>";
      } else {
        j["class"] = engine.class_name_of(o);
        if (auto s = analysis::read_java_string(engine.layouts(), o)) j["string"] = *s;
      }
      return j;
    }
    case 4:
      return bits != 0;
    case 6:
    case 7: {
      const double d = v.as_double();
      if (std::isnan(d)) return "NaN";  // JSON has no NaN; null would read as a null reference
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return d;
    }
    case 5:
      return static_cast<uint16_t>(bits);
    default:
      return v.as_int();
  }
}

std::string value_text(const nlohmann::ordered_json& v) {
  if (v.is_object()) {
    std::string s = v["object_id"].get<std::string>() + " " + v["class"].get<std::string>();
    if (v.contains("string")) s += " \"" + v["string"].get<std::string>() + "\"";
    return s;
  }
  if (v.is_string()) return v.get<std::string>();  // NaN, Infinity
  return v.dump();
}

}  // namespace

int run_object(const CommonOptions& options, const ObjectOptions& ob) {
  ProgressBar progress(options.quiet);
  int rc = kExitOk;
  auto heap = open_heap(options, progress, rc);
  if (!heap) return rc;
  const auto target = parse_object(heap->index(), ob.object);
  if (!target) return kExitUsage;
  auto engine = build_engine(*heap, options, progress, analysis::EdgeFilter::kAll, rc);
  if (!engine) return rc;
  const auto& idx = heap->index();
  const auto o = *target;

  nlohmann::ordered_json j;
  j["object_id"] = hex_id(idx.object_id(o));
  j["class"] = engine->class_name_of(o);
  j["shallow_bytes"] = idx.shallow_size(o);
  j["retained_bytes"] = engine->retained().bytes[o];
  j["retained_count"] = engine->retained().count[o];
  j["convention"] = analysis::to_string(engine->filter());
  const auto idom = engine->tree().idom(o);
  j["immediate_dominator"] = idom == analysis::kNoNode || idom == engine->tree().root()
                                 ? nlohmann::ordered_json(nullptr)
                                 : nlohmann::ordered_json(hex_id(idx.object_id(idom)));
  j["reachable"] = engine->tree().reachable(o);
  auto fields = nlohmann::ordered_json::array();
  switch (idx.kind(o)) {
    case hprof::ObjectKind::kInstance: {
      if (auto s = analysis::read_java_string(engine->layouts(), o, 1000)) j["string"] = *s;
      for (const auto& f : engine->layouts().fields(idx.class_of(o))) {
        const auto v = engine->layouts().read(o, f);
        fields.push_back(
            {{"name", std::string(idx.utf8(f.name_id))},
             {"declared_by", idx.class_info(f.declaring).name},
             {"type", f.type == 2 ? "object" : std::string(hprof::basic_type_name(f.type))},
             {"value", v ? value_json(*engine, f.type, v->bits) : nullptr}});
      }
      break;
    }
    case hprof::ObjectKind::kObjectArray:
    case hprof::ObjectKind::kPrimitiveArray: {
      j["length"] = idx.length(o);
      const auto data = idx.array_data(o);
      const uint8_t type = idx.kind(o) == hprof::ObjectKind::kObjectArray
                               ? 2
                               : idx.class_info(idx.class_of(o)).array_element_type;
      const uint32_t size = hprof::basic_type_size(type, idx.id_size());
      for (uint32_t i = 0; i < idx.length(o) && i < ob.max_elements && size; ++i) {
        const uint64_t bits = hprof::load_value(data.data() + uint64_t{i} * size, size);
        fields.push_back(
            {{"name", "[" + std::to_string(i) + "]"}, {"value", value_json(*engine, type, bits)}});
      }
      break;
    }
    case hprof::ObjectKind::kClass: {
      const auto c = idx.find_class(idx.object_id(o));
      if (c == hprof::kNoClass) break;
      for (const auto& s : idx.class_info(c).statics) {
        fields.push_back(
            {{"name", std::string(idx.utf8(s.name_id))},
             {"static", true},
             {"type", s.type == 2 ? "object" : std::string(hprof::basic_type_name(s.type))},
             {"value", value_json(*engine, s.type, s.value)}});
      }
      break;
    }
  }
  j["fields"] = fields;
  // Referrers: one scan of the edges.
  auto referrers = nlohmann::ordered_json::array();
  const auto& g = engine->graph();
  size_t referrer_count = 0;
  for (analysis::NodeIndex v = 0; v < idx.object_count(); ++v) {
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      if (g.target(e) != o) continue;
      if (referrer_count++ < 20) {
        referrers.push_back({{"object_id", hex_id(idx.object_id(v))},
                             {"class", engine->class_name_of(v)},
                             {"via", analysis::describe_edge(*engine, v, e)}});
      }
      break;
    }
  }
  j["referrer_count"] = referrer_count;
  j["referrers"] = referrers;
  j["gc_root"] = analysis::describe_root(*engine, o);

  if (options.format == "json") {
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("%s %s\n", j["class"].get<std::string>().c_str(),
              j["object_id"].get<std::string>().c_str());
  std::printf("  shallow %s, retained %s (%u objects; %s convention)\n",
              human_bytes(idx.shallow_size(o)).c_str(),
              human_bytes(engine->retained().bytes[o]).c_str(), engine->retained().count[o],
              analysis::to_string(engine->filter()));
  if (j.contains("string"))
    std::printf("  text    \"%s\"\n", j["string"].get<std::string>().c_str());
  if (j.contains("length")) std::printf("  length  %u\n", idx.length(o));
  for (const auto& r : j["gc_root"]) std::printf("  GC root %s\n", r.get<std::string>().c_str());
  if (!fields.empty()) std::printf("  fields\n");
  for (const auto& f : fields) {
    std::printf("    %-28s = %s\n", f["name"].get<std::string>().c_str(),
                value_text(f["value"]).c_str());
  }
  std::printf("  referrers (%zu)\n", referrer_count);
  for (const auto& r : referrers) {
    std::printf("    %s %s  via %s\n", r["class"].get<std::string>().c_str(),
                r["object_id"].get<std::string>().c_str(), r["via"].get<std::string>().c_str());
  }
  return kExitOk;
}

}  // namespace heapscope::cli
