// render_trend: a Trend as JSON (docs/diff-trend.md) or as tables with small charts: sparklines
// in text and Markdown, inline SVG line charts in HTML.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "compare_table.h"
#include "format.h"
#include "heapscope/analysis/render_compare.h"
#include "html_parts.h"

namespace heapscope::analysis {

namespace {

using nlohmann::ordered_json;

std::string trend_json(const Trend& t) {
  ordered_json j;
  j["schema_version"] = 1;
  auto& dumps = j["dumps"] = ordered_json::array();
  for (const auto& d : t.dumps) {
    dumps.push_back({{"path", d.path},
                     {"timestamp_ms", d.timestamp_ms},
                     {"reachable_bytes", d.reachable_bytes}});
  }
  if (t.heap_limit_bytes) j["heap_limit_bytes"] = *t.heap_limit_bytes;
  auto& series = j["series"] = ordered_json::array();
  for (const auto& s : t.series) {
    ordered_json row{{"metric", s.metric},
                     {"key", s.key},
                     {"values", s.values},
                     {"rate_per_hour", s.rate_per_hour}};
    if (s.eta_hours) row["eta_hours"] = *s.eta_hours;
    series.push_back(std::move(row));
  }
  auto& findings = j["findings"] = ordered_json::array();
  for (const auto& f : t.findings) {
    ordered_json row{{"id", f.finding.id},
                     {"kind", f.finding.kind},
                     {"severity", to_string(f.finding.severity)},
                     {"title", f.finding.title}};
    if (!f.metric.empty()) {
      row["metric"] = f.metric;
      row["key"] = f.key;
      row["rate_per_hour"] = f.rate_per_hour;
      row["growth"] = f.growth;
    }
    findings.push_back(std::move(row));
  }
  return j.dump(2) + "\n";
}

// Eight-level block characters (U+2581..U+2588), the lowest value at the lowest level.
std::string sparkline(const std::vector<uint64_t>& v) {
  static const char* const kLevels[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                        "\u2585", "\u2586", "\u2587", "\u2588"};
  if (v.empty()) return "";
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  std::string out;
  for (uint64_t x : v) {
    const size_t level =
        *hi == *lo ? 0
                   : static_cast<size_t>(static_cast<double>(x - *lo) * 7.0 / (*hi - *lo) + 0.5);
    out += kLevels[level];
  }
  return out;
}

// A small line chart of the values over the dumps' times as inline SVG.
std::string svg_line(const std::vector<uint64_t>& v, const std::vector<TrendDump>& dumps,
                     std::string_view caption) {
  constexpr double kW = 160, kH = 32, kPad = 3;
  if (v.empty() || dumps.size() != v.size()) return "";
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  const double t0 = static_cast<double>(dumps.front().timestamp_ms);
  const double span = std::max(1.0, static_cast<double>(dumps.back().timestamp_ms) - t0);
  std::string points;
  char buf[64];
  for (size_t i = 0; i < v.size(); ++i) {
    const double x =
        kPad + (static_cast<double>(dumps[i].timestamp_ms) - t0) / span * (kW - 2 * kPad);
    const double y =
        *hi == *lo ? kH / 2
                   : kH - kPad - static_cast<double>(v[i] - *lo) / (*hi - *lo) * (kH - 2 * kPad);
    std::snprintf(buf, sizeof buf, "%s%.1f,%.1f", i ? " " : "", x, y);
    points += buf;
  }
  return "<svg class=\"spark\" width=\"160\" height=\"32\" viewBox=\"0 0 160 32\" role=\"img\" "
         "aria-label=\"" +
         render::html_escape(caption) +
         "\"><polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" points=\"" +
         points + "\"/></svg>";
}

bool is_bytes(const std::string& metric) {
  return metric.size() > 6 && metric.compare(metric.size() - 6, 6, "_bytes") == 0;
}

std::string value_text(const std::string& metric, double v) {
  const uint64_t a = static_cast<uint64_t>(std::llround(std::fabs(v)));
  return (v < 0 ? "-" : "") + (is_bytes(metric) ? render::human_bytes(a) : render::with_commas(a));
}

std::string trend_tables(const Trend& t, std::string_view fmt) {
  std::string out;
  render::CompareTable d{{"#", "dump", "time", "reachable"}, {true, false, false, true}, {}};
  for (size_t i = 0; i < t.dumps.size(); ++i) {
    d.rows.push_back({std::to_string(i + 1), t.dumps[i].path,
                      render::utc_time(t.dumps[i].timestamp_ms),
                      render::human_bytes(t.dumps[i].reachable_bytes)});
  }
  out += render::heading(fmt, "Dumps (time order)") + d.str(fmt);

  render::CompareTable s{
      {"metric", "key", "chart", "first", "last", "per hour", "limit reached in"},
      {false, false, false, true, true, true, true},
      {}};
  for (const auto& x : t.series) {
    const std::string chart =
        fmt == "html" ? svg_line(x.values, t.dumps, x.metric + " " + x.key) : sparkline(x.values);
    s.rows.push_back(
        {x.metric, x.key, chart, value_text(x.metric, static_cast<double>(x.values.front())),
         value_text(x.metric, static_cast<double>(x.values.back())),
         (x.rate_per_hour > 0 ? "+" : "") + value_text(x.metric, x.rate_per_hour),
         x.eta_hours ? render::duration(static_cast<int64_t>(*x.eta_hours * 3.6e6)) : ""});
  }
  out += render::heading(fmt, "Series") + s.str(fmt, fmt == "html" ? 2 : -1);
  if (t.heap_limit_bytes) {
    out += render::paragraph(fmt, "Heap limit " + render::human_bytes(*t.heap_limit_bytes) +
                                      "; the time to reach it assumes the rate above holds.");
  }

  out += render::heading(fmt, "Findings of the newest dump");
  if (t.findings.empty()) out += render::paragraph(fmt, "None.");
  for (const auto& f : t.findings) {
    out += render::paragraph(fmt, std::string(render::severity_label(f.finding.severity)) + ": " +
                                      f.finding.title + (f.growth.empty() ? "" : "; " + f.growth) +
                                      ".");
  }
  return render::document(fmt, "heapscope trend", out);
}

}  // namespace

std::string render_trend(const Trend& trend, std::string_view format) {
  if (format == "json") return trend_json(trend);
  if (trend.dumps.empty()) return "No dumps.\n";
  return trend_tables(trend, format == "html" || format == "md" ? format : "text");
}

}  // namespace heapscope::analysis
