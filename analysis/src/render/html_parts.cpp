#include "html_parts.h"

#include <algorithm>

#include "format.h"

namespace heapscope::analysis::render {

std::string_view report_css() {
  // Severity colours: red, amber, blue; green for "no problems". Tables scroll sideways rather
  // than squeeze class names.
  static const char* const kCss = R"css(
:root{--crit:#c62828;--crit-bg:#fdecea;--warn:#a05a00;--warn-bg:#fff4e0;--info:#1565c0;
--info-bg:#e8f1fc;--ok:#2e7d32;--ok-bg:#e9f6ea;--fg:#1f2328;--muted:#59636e;--line:#d8dee4}
*{box-sizing:border-box}
body{margin:0;background:#f3f5f8;color:var(--fg);
font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1120px;margin:0 auto;padding:24px 24px 40px}
code,.mono,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;
font-size:12.5px}
header{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:12px;
margin-bottom:8px}
h1{font-size:22px;margin:0}
.meta{color:var(--muted);word-break:break-all}
.verdict{padding:6px 16px;border-radius:999px;font-weight:700;color:#fff;white-space:nowrap}
.verdict.critical{background:var(--crit)}.verdict.warning{background:var(--warn)}
.verdict.ok{background:var(--ok)}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;
margin:16px 0}
h2{font-size:17px;margin:0 0 12px}
h3{font-size:15px;margin:14px 0 6px}
.card{border-left:6px solid var(--info);background:var(--info-bg);border-radius:6px;
padding:12px 18px;margin:12px 0}
.card.critical{border-color:var(--crit);background:var(--crit-bg)}
.card.warning{border-color:var(--warn);background:var(--warn-bg)}
.card.ok{border-color:var(--ok);background:var(--ok-bg)}
.card h3{margin:6px 0;font-size:16px;word-break:break-word}
.badge{display:inline-block;font-size:11px;font-weight:700;letter-spacing:.06em;padding:1px 8px;
border-radius:4px;color:#fff;background:var(--info)}
.badge.critical{background:var(--crit)}.badge.warning{background:var(--warn)}
.retained{margin-left:8px;font-weight:600}
.card p{margin:6px 0}
.explanation{white-space:pre-line}
dl.evidence{display:grid;grid-template-columns:max-content auto;gap:1px 18px;margin:8px 0;
font-size:13px}
dl.evidence dt{color:var(--muted)}
dl.evidence dd{margin:0;font-variant-numeric:tabular-nums;word-break:break-all}
.fix{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:8px 0;
white-space:pre-line}
.small{font-size:12.5px;color:var(--muted);overflow-wrap:anywhere}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:10px;margin:8px 0}
.tile{border:1px solid var(--line);border-radius:6px;padding:8px 12px}
.tile .v{font-size:18px;font-weight:600;font-variant-numeric:tabular-nums}
.tile .k{color:var(--muted);font-size:12px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600;white-space:nowrap}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
pre.stack{background:#f6f8fa;border:1px solid var(--line);border-radius:6px;padding:8px 12px;
overflow-x:auto;margin:6px 0}
.thread{padding:8px 12px;border-radius:6px;background:#f6f8fa;border:1px solid var(--line)}
.thread.blocked,.thread.running{background:var(--crit-bg);border-color:var(--crit)}
.thread.idle,.thread.waiting{background:var(--ok-bg);border-color:var(--ok)}
svg.chart{width:100%;height:auto;display:block;margin:4px 0 12px}
svg.chart text{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;
fill:#1f2328}
svg.chart text.value{fill:#59636e}
footer{color:var(--muted);font-size:12px;text-align:center}
)css";
  return kCss;
}

std::string html_escape(std::string_view s, bool keep_newlines) {
  const std::string clean = clean_text(s, keep_newlines);
  std::string out;
  out.reserve(clean.size() + 16);
  for (char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string html_link(std::string_view url) {
  const bool web = url.starts_with("https://") || url.starts_with("http://");
  if (!web) return "<span class=\"mono\">" + html_escape(url) + "</span>";
  return "<a href=\"" + html_escape(url) + "\" rel=\"noreferrer noopener\">" + html_escape(url) +
         "</a>";
}

void HtmlTable::column(std::string header, bool numeric) {
  headers_.push_back(std::move(header));
  numeric_.push_back(numeric);
}

void HtmlTable::row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string HtmlTable::str() const {
  auto cls = [&](size_t c) { return numeric_[c] ? std::string(" class=\"n\"") : std::string(); };
  std::string out = "<div class=\"scroll\"><table>\n<thead><tr>";
  for (size_t c = 0; c < headers_.size(); ++c) out += "<th" + cls(c) + ">" + headers_[c] + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& r : rows_) {
    out += "<tr>";
    for (size_t c = 0; c < r.size(); ++c) out += "<td" + cls(c) + ">" + r[c] + "</td>";
    out += "</tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

std::string svg_bar_chart(const std::vector<Bar>& bars, std::string_view caption) {
  // Geometry in viewBox units; the SVG scales to the width of its section.
  constexpr int kWidth = 1000, kRow = 26, kBarHeight = 18, kLabelWidth = 430, kValueWidth = 90;
  constexpr size_t kLabelChars = 56;  // 12px monospace: about 7.2 units a character
  constexpr int kMaxBar = kWidth - kLabelWidth - kValueWidth;
  uint64_t max = 1;
  for (const auto& b : bars) max = std::max(max, b.value);
  const int height = static_cast<int>(bars.size()) * kRow + 4;
  std::string out = "<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(kWidth) + " " +
                    std::to_string(height) + "\" role=\"img\" aria-label=\"" +
                    html_escape(caption) + "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  for (size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const int y = static_cast<int>(i) * kRow + 4;
    // at least a sliver, so that a tiny value still shows where its bar is
    const int w = std::max(2, static_cast<int>(static_cast<double>(b.value) / max * kMaxBar));
    const std::string text_y = std::to_string(y + kBarHeight / 2 + 4);
    out += "<g><title>" + html_escape(b.tooltip.empty() ? b.label : b.tooltip) + "</title>";
    out += "<text x=\"0\" y=\"" + text_y + "\" class=\"label\">" +
           html_escape(truncate(clean_text(b.label), kLabelChars)) + "</text>";
    out += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y) +
           "\" width=\"" + std::to_string(w) + "\" height=\"" + std::to_string(kBarHeight) +
           "\" rx=\"3\" fill=\"" + std::string(i == 0 ? "#3b6fd8" : "#7fa2ea") + "\"/>";
    out += "<text x=\"" + std::to_string(kLabelWidth + w + 6) + "\" y=\"" + text_y +
           "\" class=\"value\">" + html_escape(b.value_label) + "</text></g>\n";
  }
  return out + "</svg>\n";
}

}  // namespace heapscope::analysis::render
