#include "object_details.h"

#include "format.h"
#include "heapscope/analysis/paths.h"
#include "heapscope/analysis/strings.h"
#include "heapscope/hprof/big_endian.h"
#include "heapscope/hprof/tags.h"

namespace heapscope::gui {

namespace {

const char* kind_name(hprof::ObjectKind kind) {
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

QString type_name(uint8_t type) {
  if (type == 2) return QStringLiteral("object");
  const auto name = hprof::basic_type_name(type);
  return QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
}

// A value for people, as `heapscope object` prints it.
ObjectDetails::Field value_of(const AnalysisSession& s, uint8_t type, uint64_t bits) {
  ObjectDetails::Field f;
  f.type = type_name(type);
  const analysis::FieldValue v{type, bits};
  switch (type) {
    case 2: {
      if (bits == 0) {
        f.value = QStringLiteral("null");
        break;
      }
      f.ref_id = bits;
      const auto o = s.find(bits);
      if (o == hprof::kNoObject) {
        f.value = hex_id(bits) + QStringLiteral(" <not in dump>");
        f.ref_id = 0;
        break;
      }
      f.value = hex_id(bits) + QLatin1Char(' ') + s.class_name(o);
      if (auto text = analysis::read_java_string(s.engine().layouts(), o)) {
        f.value += QStringLiteral(" \"") + dump_text(*text) + QLatin1Char('"');
      }
      break;
    }
    case 4:
      f.value = bits ? QStringLiteral("true") : QStringLiteral("false");
      break;
    case 6:
    case 7:
      f.value = QString::number(v.as_double(), 'g', 17);
      break;
    case 5: {
      const auto c = static_cast<char16_t>(bits);
      const bool printable = c >= 0x20 && c != 0x7F && (c < 0xD800 || c >= 0xE000);
      f.value = QStringLiteral("'%1' (%2)").arg(printable ? QChar(c) : QChar(0xFFFD)).arg(c);
      break;
    }
    default:
      f.value = QString::number(v.as_int());
      break;
  }
  return f;
}

void collect_fields(const AnalysisSession& s, hprof::ObjectIndex o, ObjectDetails& d) {
  const auto& idx = s.index();
  const auto& layouts = s.engine().layouts();
  switch (idx.kind(o)) {
    case hprof::ObjectKind::kInstance:
      for (const auto& slot : layouts.fields(idx.class_of(o))) {
        const auto v = layouts.read(o, slot);
        ObjectDetails::Field f = v ? value_of(s, slot.type, v->bits) : ObjectDetails::Field{};
        if (!v) f.value = QStringLiteral("<missing>");
        f.name = dump_text(std::string(idx.utf8(slot.name_id)));
        f.declared_by = dump_text(idx.class_info(slot.declaring).name);
        d.fields.push_back(std::move(f));
      }
      break;
    case hprof::ObjectKind::kObjectArray:
    case hprof::ObjectKind::kPrimitiveArray: {
      d.array_length = idx.length(o);
      const auto data = idx.array_data(o);
      const uint8_t type = idx.kind(o) == hprof::ObjectKind::kObjectArray
                               ? 2
                               : idx.class_info(idx.class_of(o)).array_element_type;
      const uint32_t size = hprof::basic_type_size(type, idx.id_size());
      const uint64_t n = size ? std::min<uint64_t>(idx.length(o), data.size() / size) : 0;
      for (uint64_t i = 0; i < n && i < ObjectDetails::kMaxElements; ++i) {
        const uint64_t bits = hprof::load_value(data.data() + i * size, size);
        ObjectDetails::Field f = value_of(s, type, bits);
        f.name = QStringLiteral("[%1]").arg(i);
        d.fields.push_back(std::move(f));
      }
      d.fields_cut = n > ObjectDetails::kMaxElements;
      break;
    }
    case hprof::ObjectKind::kClass: {
      const auto c = idx.find_class(idx.object_id(o));
      if (c == hprof::kNoClass) break;
      for (const auto& st : idx.class_info(c).statics) {
        ObjectDetails::Field f = value_of(s, st.type, st.value);
        f.name = dump_text(std::string(idx.utf8(st.name_id)));
        f.is_static = true;
        d.fields.push_back(std::move(f));
      }
      break;
    }
  }
}

void collect_referrers(const AnalysisSession& s, hprof::ObjectIndex o, ObjectDetails& d) {
  const auto& idx = s.index();
  const auto& g = s.engine().graph();
  for (analysis::NodeIndex v = 0; v < idx.object_count(); ++v) {
    for (uint64_t e = g.edge_begin(v); e < g.edge_end(v); ++e) {
      if (g.target(e) != o) continue;
      if (d.referrers.size() < ObjectDetails::kMaxReferrers) {
        d.referrers.push_back({idx.object_id(v), s.class_name(v),
                               dump_text(analysis::describe_edge(s.engine(), v, e))});
      }
      ++d.referrer_count;
      break;
    }
  }
}

void collect_paths(const AnalysisSession& s, hprof::ObjectIndex o, ObjectDetails& d) {
  const auto& engine = s.engine();
  auto paths = analysis::shortest_paths_to(engine, o, ObjectDetails::kMaxPaths,
                                           analysis::EdgeFilter::kStrongOnly);
  if (paths.empty()) {
    paths = analysis::shortest_paths_to(engine, o, ObjectDetails::kMaxPaths,
                                        analysis::EdgeFilter::kAll);
    d.paths_need_weak = !paths.empty();
  }
  for (const auto& path : paths) {
    std::vector<ObjectDetails::Step> steps;
    for (size_t i = 0; i < path.size(); ++i) {
      const auto node = path[i].node;
      ObjectDetails::Step step{
          s.index().object_id(node), s.class_name(node), {}, engine.retained().bytes[node]};
      if (i == 0) {
        QStringList roots;
        for (const auto& r : analysis::describe_root(engine, node)) roots << dump_text(r);
        step.how = QStringLiteral("GC root: ") + roots.join(QStringLiteral(", "));
      } else {
        step.how = dump_text(analysis::describe_edge(engine, path[i - 1].node, path[i].edge));
      }
      steps.push_back(std::move(step));
    }
    d.paths.push_back(std::move(steps));
  }
}

}  // namespace

std::optional<ObjectDetails> ObjectDetails::collect(const AnalysisSession& s, uint64_t object_id) {
  const auto o = s.find(object_id);
  if (o == hprof::kNoObject) return std::nullopt;
  const auto& idx = s.index();
  const auto& engine = s.engine();
  ObjectDetails d;
  d.id = object_id;
  d.klass = s.class_name(o);
  d.kind = QString::fromLatin1(kind_name(idx.kind(o)));
  d.shallow_bytes = idx.shallow_size(o);
  d.retained_bytes = engine.retained().bytes[o];
  d.retained_count = engine.retained().count[o];
  d.reachable = engine.tree().reachable(o);
  const auto idom = engine.tree().idom(o);
  if (idom != analysis::kNoNode && idom != engine.tree().root())
    d.dominator_id = idx.object_id(idom);
  if (idx.kind(o) == hprof::ObjectKind::kInstance) {
    if (auto text = analysis::read_java_string(engine.layouts(), o, 2000))
      d.text = dump_text(*text);
  }
  for (const auto& r : analysis::describe_root(engine, o)) d.gc_root << dump_text(r);
  collect_fields(s, o, d);
  collect_referrers(s, o, d);
  collect_paths(s, o, d);
  return d;
}

}  // namespace heapscope::gui
