// `heapscope object DUMP --object 0xID`: class, fields with values, sizes, referrers.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "heapscope/analysis/render_views.h"
#include "heapscope/analysis/views.h"

namespace heapscope::cli {
namespace {

// A value as the JSON shows it, for a terminal.
std::string value_text(const analysis::ValueView& v) {
  using Kind = analysis::ValueView::Kind;
  switch (v.kind) {
    case Kind::kMissing:
    case Kind::kNull:
      return "null";
    case Kind::kReference: {
      std::string s = hex_id(v.object_id) + " " + (v.klass ? *v.klass : "<not in dump>");
      if (v.java_string) s += " \"" + *v.java_string + "\"";
      return s;
    }
    case Kind::kBoolean:
      return v.integer ? "true" : "false";
    case Kind::kFloat: {
      if (std::isnan(v.real)) return "NaN";
      if (std::isinf(v.real)) return v.real > 0 ? "Infinity" : "-Infinity";
      return nlohmann::json(v.real).dump();  // the JSON number's spelling
    }
    case Kind::kChar:
    case Kind::kInteger:
      break;
  }
  return std::to_string(v.integer);
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
  analysis::ObjectViewLimits limits;
  limits.max_elements = ob.max_elements;
  const auto v = analysis::object_view(*engine, *target, limits);
  if (options.format == "json") {
    std::cout << analysis::render_json(v);
    return kExitOk;
  }
  std::printf("%s %s\n", v.klass.c_str(), hex_id(v.object_id).c_str());
  std::printf("  shallow %s, retained %s (%u objects; %s convention)\n",
              human_bytes(v.shallow_bytes).c_str(), human_bytes(v.retained_bytes).c_str(),
              v.retained_count, analysis::to_string(v.convention));
  if (v.java_string) std::printf("  text    \"%s\"\n", v.java_string->c_str());
  if (v.length) std::printf("  length  %u\n", *v.length);
  for (const auto& r : v.gc_root) std::printf("  GC root %s\n", r.c_str());
  if (!v.fields.empty()) std::printf("  fields\n");
  for (const auto& f : v.fields)
    std::printf("    %-28s = %s\n", f.name.c_str(), value_text(f.value).c_str());
  std::printf("  referrers (%llu)\n", static_cast<unsigned long long>(v.referrer_count));
  for (const auto& r : v.referrers) {
    std::printf("    %s %s  via %s\n", r.klass.c_str(), hex_id(r.object_id).c_str(), r.via.c_str());
  }
  return kExitOk;
}

}  // namespace heapscope::cli
