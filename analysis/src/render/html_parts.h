// Pieces of the HTML report (private): escaping, safe links, tables and inline SVG bar charts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace heapscope::analysis::render {

// The report's style sheet, inlined into its <style> element.
std::string_view report_css();

// Text for an HTML element or a quoted attribute: cleaned (format.h clean_text) and with
// & < > " ' as character references. Everything from a report goes through this.
std::string html_escape(std::string_view s, bool keep_newlines = false);

// An <a> for http(s) links; any other scheme (javascript:, data:, file:) is shown as text only.
std::string html_link(std::string_view url);

// A table built from already-escaped cells. Columns marked numeric are right-aligned.
class HtmlTable {
 public:
  void column(std::string header, bool numeric = false);
  void row(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }
  std::string str() const;

 private:
  std::vector<std::string> headers_;
  std::vector<bool> numeric_;
  std::vector<std::vector<std::string>> rows_;
};

struct Bar {
  std::string label;        // raw text; cut to fit, full text in the tooltip
  uint64_t value = 0;       // bar length relative to the largest
  std::string value_label;  // raw text after the bar: "4.1 MiB"
  std::string tooltip;      // raw text, "" for the label
};

// A horizontal bar chart as inline SVG scaled to the page width; `caption` is its accessible name.
std::string svg_bar_chart(const std::vector<Bar>& bars, std::string_view caption);

}  // namespace heapscope::analysis::render
