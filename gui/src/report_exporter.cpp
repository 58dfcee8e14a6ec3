#include "report_exporter.h"

#include <QFileInfo>
#include <QSaveFile>

#include "heapscope/analysis/render.h"

namespace heapscope::gui {

QString ReportExporter::dialog_filters() {
  return QStringLiteral("HTML report (*.html *.htm);;JSON report (*.json);;Markdown report (*.md)");
}

std::optional<ReportExporter::Format> ReportExporter::format_for(const QString& selected_filter,
                                                                 const QString& path) {
  const QString ext = QFileInfo(path).suffix().toLower();
  if (ext == QLatin1String("html") || ext == QLatin1String("htm")) return Format::kHtml;
  if (ext == QLatin1String("json")) return Format::kJson;
  if (ext == QLatin1String("md") || ext == QLatin1String("markdown")) return Format::kMarkdown;
  if (selected_filter.startsWith(QLatin1String("HTML"))) return Format::kHtml;
  if (selected_filter.startsWith(QLatin1String("JSON"))) return Format::kJson;
  if (selected_filter.startsWith(QLatin1String("Markdown"))) return Format::kMarkdown;
  return std::nullopt;
}

QString ReportExporter::extension(Format format) {
  switch (format) {
    case Format::kHtml:
      return QStringLiteral("html");
    case Format::kJson:
      return QStringLiteral("json");
    case Format::kMarkdown:
      return QStringLiteral("md");
  }
  return {};
}

QString ReportExporter::write(const analysis::Report& report, Format format, const QString& path) {
  std::string text;
  switch (format) {
    case Format::kHtml:
      text = analysis::render_html(report);
      break;
    case Format::kJson:
      text = analysis::render_json(report);
      break;
    case Format::kMarkdown:
      text = analysis::render_markdown(report);
      break;
  }
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) return file.errorString();
  if (file.write(text.data(), static_cast<qint64>(text.size())) !=
      static_cast<qint64>(text.size())) {
    return file.errorString();
  }
  if (!file.commit()) return file.errorString();
  return {};
}

}  // namespace heapscope::gui
