#include "object_details.h"

#include "format.h"
#include "heapscope/analysis/views.h"

namespace heapscope::gui {

namespace {

// A value for people, as `heapscope object` prints it (the model: analysis/views.h).
QString value_text(const analysis::ValueView& v) {
  using Kind = analysis::ValueView::Kind;
  switch (v.kind) {
    case Kind::kMissing:
      return QStringLiteral("<missing>");
    case Kind::kNull:
      return QStringLiteral("null");
    case Kind::kReference: {
      if (!v.klass) return hex_id(v.object_id) + QStringLiteral(" <not in dump>");
      QString text = hex_id(v.object_id) + QLatin1Char(' ') + dump_text(*v.klass);
      if (v.java_string)
        text += QStringLiteral(" \"") + dump_text(*v.java_string) + QLatin1Char('"');
      return text;
    }
    case Kind::kBoolean:
      return v.integer ? QStringLiteral("true") : QStringLiteral("false");
    case Kind::kFloat:
      return QString::number(v.real, 'g', 17);
    case Kind::kChar: {
      const auto c = static_cast<char16_t>(v.integer);
      const bool printable = c >= 0x20 && c != 0x7F && (c < 0xD800 || c >= 0xE000);
      return QStringLiteral("'%1' (%2)").arg(printable ? QChar(c) : QChar(0xFFFD)).arg(c);
    }
    case Kind::kInteger:
      break;
  }
  return QString::number(v.integer);
}

ObjectDetails::Field field_of(const analysis::FieldView& f) {
  ObjectDetails::Field out;
  out.name = dump_text(f.name);
  out.type = QString::fromStdString(f.type);
  out.declared_by = dump_text(f.declared_by);
  out.value = value_text(f.value);
  out.is_static = f.is_static;
  if (f.value.kind == analysis::ValueView::Kind::kReference && f.value.klass)
    out.ref_id = f.value.object_id;
  return out;
}

void collect_paths(const AnalysisSession& s, hprof::ObjectIndex o, ObjectDetails& d) {
  auto view = analysis::paths_view(s.engine(), o, ObjectDetails::kMaxPaths,
                                   analysis::EdgeFilter::kStrongOnly);
  if (view.paths.empty()) {
    view =
        analysis::paths_view(s.engine(), o, ObjectDetails::kMaxPaths, analysis::EdgeFilter::kAll);
    d.paths_need_weak = !view.paths.empty();
  }
  for (const auto& path : view.paths) {
    std::vector<ObjectDetails::Step> steps;
    for (size_t i = 0; i < path.size(); ++i) {
      const auto& p = path[i];
      ObjectDetails::Step step{p.object_id, dump_text(p.klass), {}, p.retained_bytes};
      if (i == 0) {
        QStringList roots;
        for (const auto& r : p.root) roots << dump_text(r);
        step.how = QStringLiteral("GC root: ") + roots.join(QStringLiteral(", "));
      } else {
        step.how = dump_text(p.via);
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
  analysis::ObjectViewLimits limits;
  limits.max_elements = kMaxElements;
  limits.max_referrers = kMaxReferrers;
  limits.max_string = 2000;
  const auto v = analysis::object_view(s.engine(), o, limits);
  ObjectDetails d;
  d.id = object_id;
  d.klass = dump_text(v.klass);
  d.kind = QString::fromLatin1(analysis::to_string(v.kind));
  d.shallow_bytes = v.shallow_bytes;
  d.retained_bytes = v.retained_bytes;
  d.retained_count = v.retained_count;
  d.reachable = v.reachable;
  d.dominator_id = v.immediate_dominator;
  if (v.java_string) d.text = dump_text(*v.java_string);
  d.array_length = v.length;
  for (const auto& r : v.gc_root) d.gc_root << dump_text(r);
  for (const auto& f : v.fields) d.fields.push_back(field_of(f));
  d.fields_cut = v.fields_cut;
  for (const auto& r : v.referrers)
    d.referrers.push_back({r.object_id, dump_text(r.klass), dump_text(r.via)});
  d.referrer_count = v.referrer_count;
  collect_paths(s, o, d);
  return d;
}

}  // namespace heapscope::gui
