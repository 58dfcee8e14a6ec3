#include <cmath>
#include <nlohmann/json.hpp>

#include "format.h"
#include "heapscope/analysis/render_views.h"

namespace heapscope::analysis {
namespace {

using Json = nlohmann::ordered_json;

std::string document(const Json& j) {
  return j.dump(2) + "\n";
}

Json counts(const std::vector<std::pair<std::string, uint64_t>>& pairs) {
  Json j = Json::object();
  for (const auto& [k, n] : pairs) j[k] = n;
  return j;
}

Json dominator_node(const DominatorsView::Node& n) {
  Json j;
  j["object_id"] = hex_object_id(n.object_id);
  j["class"] = n.klass;
  j["shallow_bytes"] = n.shallow_bytes;
  j["retained_bytes"] = n.retained_bytes;
  j["retained_count"] = n.retained_count;
  j["children"] = Json::array();
  return j;
}

Json value_json(const ValueView& v) {
  switch (v.kind) {
    case ValueView::Kind::kMissing:
    case ValueView::Kind::kNull:
      return nullptr;
    case ValueView::Kind::kReference: {
      Json j;
      j["object_id"] = hex_object_id(v.object_id);
      j["class"] = v.klass ? *v.klass : "<not in dump>";
      if (v.java_string) j["string"] = *v.java_string;
      return j;
    }
    case ValueView::Kind::kBoolean:
      return v.integer != 0;
    case ValueView::Kind::kChar:
      return static_cast<uint16_t>(v.integer);
    case ValueView::Kind::kFloat:
      if (std::isnan(v.real)) return "NaN";  // JSON has no NaN; null would read as a null reference
      if (std::isinf(v.real)) return v.real > 0 ? "Infinity" : "-Infinity";
      return v.real;
    case ValueView::Kind::kInteger:
      break;
  }
  return v.integer;
}

}  // namespace

std::string hex_object_id(uint64_t id) {
  return render::hex_id(id);
}

std::string render_json(const InfoView& v) {
  Json j;
  j["version"] = v.version;
  j["id_size"] = v.id_size;
  j["timestamp_ms"] = v.timestamp_ms;
  j["compression"] = v.compression;
  j["file_bytes"] = v.file_bytes;
  j["records"] = counts(v.records);
  j["sub_records"] = counts(v.sub_records);
  j["heap_dumps"] = v.stats.heap_dumps_in_file;
  j["classes"] = v.classes;
  j["instances"] = v.instances;
  j["object_arrays"] = v.object_arrays;
  j["primitive_arrays"] = v.primitive_arrays;
  j["objects"] = v.objects;
  j["gc_roots"] = counts(v.gc_roots);
  j["gc_roots_total"] = v.gc_roots_total;
  j["threads"] = v.threads;
  j["stack_traces"] = v.stack_traces;
  j["shallow_bytes"] = v.shallow_bytes;
  const auto& L = v.layout;
  j["layout"] = {{"id_size", L.id_size},
                 {"reference_size", L.reference_size},
                 {"compressed_oops", L.compressed_oops},
                 {"object_alignment", L.object_alignment},
                 {"header_bytes", L.id_size + L.reference_size},
                 {"rule", "Eclipse MAT"}};
  const auto& s = v.stats;
  j["parse_stats"] = {{"unknown_records", s.unknown_records},
                      {"unknown_sub_records", s.unknown_sub_records},
                      {"bytes_used", s.bytes_used},
                      {"bytes_total", s.bytes_total},
                      {"percent_used", v.percent_used()},
                      {"skipped_bytes", s.skipped_bytes},
                      {"truncated", s.truncated},
                      {"dangling_references", s.dangling_references},
                      {"duplicate_objects", s.duplicate_objects},
                      {"missing_classes", s.missing_classes},
                      {"field_size_mismatches", s.field_size_mismatches},
                      {"warnings", s.warnings}};
  return document(j);
}

std::string render_json(const HistogramView& v) {
  Json j;
  j["sort"] = to_string(v.sort);
  if (v.convention) j["convention"] = to_string(*v.convention);
  j["total_classes"] = v.total_classes;
  auto& arr = j["classes"] = Json::array();
  for (const auto& r : v.rows) {
    Json row{{"class", r.klass}, {"count", r.count}, {"shallow_bytes", r.shallow_bytes}};
    if (v.convention) row["retained_bytes"] = r.retained_bytes;
    arr.push_back(std::move(row));
  }
  return document(j);
}

// The flat pre-order list nests again with a stack of the open ancestors' child arrays.
std::string render_json(const DominatorsView& v) {
  Json j;
  j["convention"] = to_string(v.convention);
  if (v.of) j["object_id"] = hex_object_id(*v.of);
  Json top = Json::array();
  std::vector<Json*> open;  // open[level] = the children array nodes of that level go into
  open.push_back(&top);
  for (const auto& n : v.nodes) {
    open.resize(static_cast<size_t>(n.level) + 1);
    open.back()->push_back(dominator_node(n));
    open.push_back(&open.back()->back()["children"]);
  }
  j["dominators"] = std::move(top);
  j["unreachable_objects"] = v.unreachable_objects;
  j["reachable_objects"] = v.reachable_objects;
  j["dangling_references"] = v.dangling_references;
  return document(j);
}

std::string render_json(const PathsView& v) {
  Json j;
  j["object_id"] = hex_object_id(v.object_id);
  j["class"] = v.klass;
  j["edges"] =
      v.edges == EdgeFilter::kAll ? "all references" : "strong references (no Reference.referent)";
  auto arr = Json::array();
  for (const auto& path : v.paths) {
    auto steps = Json::array();
    for (size_t i = 0; i < path.size(); ++i) {
      const auto& s = path[i];
      Json step;
      step["object_id"] = hex_object_id(s.object_id);
      step["class"] = s.klass;
      step["retained_bytes"] = s.retained_bytes;
      if (i == 0) {
        step["root"] = s.root;
      } else {
        step["via"] = s.via;
      }
      steps.push_back(std::move(step));
    }
    arr.push_back({{"length", path.size()}, {"steps", steps}});
  }
  j["paths"] = arr;
  return document(j);
}

std::string render_json(const ObjectView& v) {
  Json j;
  j["object_id"] = hex_object_id(v.object_id);
  j["class"] = v.klass;
  j["shallow_bytes"] = v.shallow_bytes;
  j["retained_bytes"] = v.retained_bytes;
  j["retained_count"] = v.retained_count;
  j["convention"] = to_string(v.convention);
  j["immediate_dominator"] =
      v.immediate_dominator ? Json(hex_object_id(v.immediate_dominator)) : Json(nullptr);
  j["reachable"] = v.reachable;
  if (v.java_string) j["string"] = *v.java_string;
  if (v.length) j["length"] = *v.length;
  auto fields = Json::array();
  for (const auto& f : v.fields) {
    if (f.is_element) {
      fields.push_back({{"name", f.name}, {"value", value_json(f.value)}});
    } else if (f.is_static) {
      fields.push_back(
          {{"name", f.name}, {"static", true}, {"type", f.type}, {"value", value_json(f.value)}});
    } else {
      fields.push_back({{"name", f.name},
                        {"declared_by", f.declared_by},
                        {"type", f.type},
                        {"value", value_json(f.value)}});
    }
  }
  j["fields"] = fields;
  j["referrer_count"] = v.referrer_count;
  auto referrers = Json::array();
  for (const auto& r : v.referrers) {
    referrers.push_back(
        {{"object_id", hex_object_id(r.object_id)}, {"class", r.klass}, {"via", r.via}});
  }
  j["referrers"] = referrers;
  j["gc_root"] = v.gc_root;
  return document(j);
}

}  // namespace heapscope::analysis
