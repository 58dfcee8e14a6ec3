#include <cstdlib>

#include "heapscope/analysis/paths.h"
#include "heapscope/analysis/strings.h"
#include "heapscope/analysis/views.h"
#include "heapscope/hprof/big_endian.h"
#include "heapscope/hprof/tags.h"

namespace heapscope::analysis {
namespace {

constexpr uint8_t kObjectType = 2;  // HPROF basic type "object"

ValueView value_of(const Engine& engine, uint8_t type, uint64_t bits) {
  ValueView v;
  const FieldValue raw{type, bits};
  switch (type) {
    case kObjectType: {
      if (bits == 0) {
        v.kind = ValueView::Kind::kNull;
        break;
      }
      v.kind = ValueView::Kind::kReference;
      v.object_id = bits;
      const auto o = engine.index().find(bits);
      if (o == hprof::kNoObject) break;
      v.klass = engine.class_name_of(o);
      v.java_string = read_java_string(engine.layouts(), o);
      break;
    }
    case 4:
      v.kind = ValueView::Kind::kBoolean;
      v.integer = bits != 0;
      break;
    case 5:
      v.kind = ValueView::Kind::kChar;
      v.integer = static_cast<uint16_t>(bits);
      break;
    case 6:
    case 7:
      v.kind = ValueView::Kind::kFloat;
      v.real = raw.as_double();
      break;
    default:
      v.kind = ValueView::Kind::kInteger;
      v.integer = raw.as_int();
      break;
  }
  return v;
}

std::string type_name(uint8_t type) {
  return type == kObjectType ? "object" : std::string(hprof::basic_type_name(type));
}

void collect_fields(const Engine& engine, NodeIndex o, const ObjectViewLimits& limits,
                    ObjectView& v) {
  const auto& idx = engine.index();
  const auto& layouts = engine.layouts();
  switch (idx.kind(o)) {
    case hprof::ObjectKind::kInstance:
      for (const auto& slot : layouts.fields(idx.class_of(o))) {
        FieldView f;
        f.name = std::string(idx.utf8(slot.name_id));
        f.declared_by = idx.class_info(slot.declaring).name;
        f.type = type_name(slot.type);
        if (const auto raw = layouts.read(o, slot))
          f.value = value_of(engine, slot.type, raw->bits);
        v.fields.push_back(std::move(f));
      }
      break;
    case hprof::ObjectKind::kObjectArray:
    case hprof::ObjectKind::kPrimitiveArray: {
      v.length = idx.length(o);
      const auto data = idx.array_data(o);
      const uint8_t type = idx.kind(o) == hprof::ObjectKind::kObjectArray
                               ? kObjectType
                               : idx.class_info(idx.class_of(o)).array_element_type;
      const uint32_t size = hprof::basic_type_size(type, idx.id_size());
      // A damaged dump may hold fewer bytes than the length says: read only what is there.
      const uint64_t n = size ? std::min<uint64_t>(idx.length(o), data.size() / size) : 0;
      for (uint64_t i = 0; i < n && i < limits.max_elements; ++i) {
        FieldView f;
        f.name = "[" + std::to_string(i) + "]";
        f.type = type_name(type);
        f.is_element = true;
        f.value = value_of(engine, type, hprof::load_value(data.data() + i * size, size));
        v.fields.push_back(std::move(f));
      }
      v.fields_cut = n > limits.max_elements;
      break;
    }
    case hprof::ObjectKind::kClass: {
      const auto c = idx.find_class(idx.object_id(o));
      if (c == hprof::kNoClass) break;
      for (const auto& s : idx.class_info(c).statics) {
        FieldView f;
        f.name = std::string(idx.utf8(s.name_id));
        f.type = type_name(s.type);
        f.is_static = true;
        f.value = value_of(engine, s.type, s.value);
        v.fields.push_back(std::move(f));
      }
      break;
    }
  }
}

// One scan of every edge: the objects that refer to `o` (each once, by its first edge to `o`).
void collect_referrers(const Engine& engine, NodeIndex o, size_t max, ObjectView& v) {
  const auto& idx = engine.index();
  const auto& g = engine.graph();
  for (NodeIndex from = 0; from < idx.object_count(); ++from) {
    for (uint64_t e = g.edge_begin(from); e < g.edge_end(from); ++e) {
      if (g.target(e) != o) continue;
      if (v.referrers.size() < max) {
        v.referrers.push_back(
            {idx.object_id(from), engine.class_name_of(from), describe_edge(engine, from, e)});
      }
      ++v.referrer_count;
      break;
    }
  }
}

}  // namespace

const char* to_string(hprof::ObjectKind kind) {
  switch (kind) {
    case hprof::ObjectKind::kInstance:
      return "instance";
    case hprof::ObjectKind::kObjectArray:
      return "object array";
    case hprof::ObjectKind::kPrimitiveArray:
      return "primitive array";
    case hprof::ObjectKind::kClass:
      return "class";
  }
  return "";
}

ObjectView object_view(const Engine& engine, NodeIndex o, const ObjectViewLimits& limits) {
  const auto& idx = engine.index();
  const auto& tree = engine.tree();
  ObjectView v;
  v.object_id = idx.object_id(o);
  v.klass = engine.class_name_of(o);
  v.kind = idx.kind(o);
  v.shallow_bytes = idx.shallow_size(o);
  v.retained_bytes = engine.retained().bytes[o];
  v.retained_count = engine.retained().count[o];
  v.convention = engine.filter();
  const auto idom = tree.idom(o);
  if (idom != kNoNode && idom != tree.root()) v.immediate_dominator = idx.object_id(idom);
  v.reachable = tree.reachable(o);
  if (v.kind == hprof::ObjectKind::kInstance)
    v.java_string = read_java_string(engine.layouts(), o, limits.max_string);
  collect_fields(engine, o, limits, v);
  collect_referrers(engine, o, limits.max_referrers, v);
  v.gc_root = describe_root(engine, o);
  return v;
}

std::optional<uint64_t> parse_object_id(const std::string& text) {
  const bool hex = text.rfind("0x", 0) == 0 || text.rfind("0X", 0) == 0;
  char* end = nullptr;
  const uint64_t id = std::strtoull(text.c_str(), &end, hex ? 16 : 10);
  if (text.empty() || !end || *end != '\0') return std::nullopt;
  return id;
}

}  // namespace heapscope::analysis
