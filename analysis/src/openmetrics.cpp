#include "heapscope/analysis/openmetrics.h"

#include <cassert>
#include <charconv>
#include <cmath>

#include "render/format.h"

namespace heapscope::analysis {
namespace {

const char* type_name(OpenMetricsWriter::Type t) {
  switch (t) {
    case OpenMetricsWriter::Type::kGauge:
      return "gauge";
    case OpenMetricsWriter::Type::kCounter:
      return "counter";
    case OpenMetricsWriter::Type::kHistogram:
      return "histogram";
    case OpenMetricsWriter::Type::kUnknown:
      return "unknown";
  }
  return "unknown";
}

[[maybe_unused]] bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    const char c = n[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// HELP text and label values share one escaping: backslash, double quote, line feed. The text
// from a dump is made valid UTF-8 first (the format is UTF-8), control characters kept out.
std::string escape(std::string_view raw) {
  const std::string s = render::clean_text(raw, /*keep_newlines=*/true);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string OpenMetricsWriter::escape_label_value(std::string_view v) {
  return escape(v);
}

std::string OpenMetricsWriter::number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string out(buf, r.ptr);
  // "1e+20" is fine for OpenMetrics; an integral value gets no ".0" (both parse alike)
  return out;
}

void OpenMetricsWriter::family(std::string_view name, Type type, std::string_view help,
                               std::string_view unit) {
  assert(valid_name(name));
  assert(unit.empty() || (name.size() > unit.size() + 1 &&
                          name.substr(name.size() - unit.size() - 1) == "_" + std::string(unit)));
  name_ = std::string(name);
  out_ += "# TYPE " + name_ + " " + type_name(type) + "\n";
  if (!unit.empty()) out_ += "# UNIT " + name_ + " " + std::string(unit) + "\n";
  out_ += "# HELP " + name_ + " " + escape(help) + "\n";
}

void OpenMetricsWriter::write_sample(std::string_view suffix, const MetricLabels& labels,
                                     const std::string& value) {
  out_ += name_;
  out_ += suffix;
  if (!labels.empty()) {
    out_ += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      assert(valid_name(labels[i].first));
      if (i > 0) out_ += ',';
      out_ += labels[i].first + "=\"" + escape(labels[i].second) + "\"";
    }
    out_ += '}';
  }
  out_ += ' ';
  out_ += value;
  out_ += '\n';
}

void OpenMetricsWriter::sample(std::string_view suffix, const MetricLabels& labels,
                               uint64_t value) {
  write_sample(suffix, labels, std::to_string(value));
}

void OpenMetricsWriter::sample(std::string_view suffix, const MetricLabels& labels, double value) {
  write_sample(suffix, labels, number(value));
}

std::string OpenMetricsWriter::finish() {
  out_ += "# EOF\n";
  std::string out = std::move(out_);
  out_.clear();
  name_.clear();
  return out;
}

}  // namespace heapscope::analysis
