// A table rendered as plain text, Markdown or HTML (private; diff and trend renderers).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace heapscope::analysis::render {

struct CompareTable {
  std::vector<std::string> headers;
  std::vector<bool> numeric;                   // right-aligned columns
  std::vector<std::vector<std::string>> rows;  // raw text (escaped on output)
  // `raw_html_column`: index of a column whose cells are HTML already (charts), or -1.
  std::string str(std::string_view format, int raw_html_column = -1) const;
};

// "+1,234" / "-5" / "0"; sizes as "+4.1 KiB".
std::string signed_count(int64_t v);
std::string signed_bytes(int64_t v);
// The document around sections: a title, and for HTML the style sheet.
std::string document(std::string_view format, std::string_view title, const std::string& body);
std::string heading(std::string_view format, std::string_view text);
std::string paragraph(std::string_view format, std::string_view text);

}  // namespace heapscope::analysis::render
