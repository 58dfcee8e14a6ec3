// Writes the report to a file in one of the library's renderings (render.h).
#pragma once

#include <QString>
#include <optional>

#include "heapscope/analysis/report.h"

namespace heapscope::gui {

class ReportExporter {
 public:
  enum class Format { kHtml, kJson, kMarkdown };

  // The file dialog's filter list, one entry per format, HTML first.
  static QString dialog_filters();
  // The format a filter entry or a file name (by extension) names.
  static std::optional<Format> format_for(const QString& selected_filter, const QString& path);
  static QString extension(Format format);  // "html", "json", "md"
  // Renders and writes; returns "" or why it failed.
  static QString write(const analysis::Report& report, Format format, const QString& path);
};

}  // namespace heapscope::gui
