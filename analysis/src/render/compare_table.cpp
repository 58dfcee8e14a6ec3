// CompareTable and the document frame shared by the diff and trend renderers.
#include "compare_table.h"

#include <cstdlib>

#include "format.h"
#include "html_parts.h"

namespace heapscope::analysis::render {

namespace {

std::string md_cell(std::string_view s) {
  std::string out;
  for (char c : clean_text(s)) {
    if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string CompareTable::str(std::string_view format, int raw_html_column) const {
  if (format == "html") {
    HtmlTable t;
    for (size_t c = 0; c < headers.size(); ++c) t.column(html_escape(headers[c]), numeric[c]);
    for (const auto& r : rows) {
      std::vector<std::string> cells;
      for (size_t c = 0; c < r.size(); ++c)
        cells.push_back(static_cast<int>(c) == raw_html_column ? r[c] : html_escape(r[c]));
      t.row(std::move(cells));
    }
    return t.str();
  }
  if (format == "md") {
    std::string out = "|";
    for (const auto& h : headers) out += " " + md_cell(h) + " |";
    out += "\n|";
    for (size_t c = 0; c < headers.size(); ++c) out += numeric[c] ? " ---: |" : " --- |";
    out += "\n";
    for (const auto& r : rows) {
      out += "|";
      for (const auto& cell : r) out += " " + md_cell(cell) + " |";
      out += "\n";
    }
    return out + "\n";
  }
  TextTable t;
  for (size_t c = 0; c < headers.size(); ++c)
    t.column(headers[c], numeric[c] ? TextTable::Align::kRight : TextTable::Align::kLeft);
  for (const auto& r : rows) {
    std::vector<std::string> cells;
    for (const auto& cell : r) cells.push_back(clean_text(cell));
    t.row(std::move(cells));
  }
  return t.str(2) + "\n";
}

std::string signed_count(int64_t v) {
  if (v == 0) return "0";
  return (v > 0 ? "+" : "-") + with_commas(static_cast<uint64_t>(std::llabs(v)));
}

std::string signed_bytes(int64_t v) {
  if (v == 0) return "0";
  return (v > 0 ? "+" : "-") + human_bytes(static_cast<uint64_t>(std::llabs(v)));
}

std::string document(std::string_view format, std::string_view title, const std::string& body) {
  if (format == "html") {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
           html_escape(title) + "</title><style>" + std::string(report_css()) +
           "</style></head><body><main>\n<h1>" + html_escape(title) + "</h1>\n" + body +
           "</main></body></html>\n";
  }
  if (format == "md") return "# " + md_cell(title) + "\n\n" + body;
  return clean_text(title) + "\n\n" + body;
}

std::string heading(std::string_view format, std::string_view text) {
  if (format == "html") return "<h2>" + html_escape(text) + "</h2>\n";
  if (format == "md") return "## " + md_cell(text) + "\n\n";
  return clean_text(text) + "\n";
}

std::string paragraph(std::string_view format, std::string_view text) {
  if (format == "html") return "<p>" + html_escape(text) + "</p>\n";
  if (format == "md") return md_cell(text) + "\n\n";
  return wrap(text, 100, 2) + "\n";
}

}  // namespace heapscope::analysis::render
