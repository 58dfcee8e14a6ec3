#include "overview_view.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "bar_chart.h"
#include "finding_card.h"
#include "findings_model.h"
#include "format.h"
#include "severity_style.h"

namespace heapscope::gui {

namespace {

constexpr size_t kChartBars = 10;

QLabel* heading(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  QFont f = label->font();
  f.setBold(true);
  f.setPointSizeF(f.pointSizeF() * 1.2);
  label->setFont(f);
  label->setContentsMargins(0, 8, 0, 0);
  return label;
}

QString row(const QString& key, const QString& value_html) {
  return QStringLiteral(
             "<td style='color:#555; padding-right:12px'>%1</td>"
             "<td style='padding-right:36px'>%2</td>")
      .arg(key, value_html);
}

// Long paths keep their end (the file name) visible.
QString short_path(const QString& path) {
  constexpr qsizetype kMax = 64;
  return path.size() <= kMax ? path : QStringLiteral("\u2026") + path.right(kMax - 1);
}

// The key/value cells in two columns, filled row by row.
QString two_column_table(const QStringList& cells) {
  QString html = QStringLiteral("<table cellspacing='0' cellpadding='1'>");
  for (qsizetype i = 0; i < cells.size(); i += 2) {
    html += QStringLiteral("<tr>") + cells[i] + (i + 1 < cells.size() ? cells[i + 1] : QString()) +
            QStringLiteral("</tr>");
  }
  return html + QStringLiteral("</table>");
}

}  // namespace

OverviewView::OverviewView(QWidget* parent)
    : QScrollArea(parent), findings_(new FindingsModel(this)) {
  setWidgetResizable(true);
  setFrameShape(QFrame::NoFrame);
  auto* content = new QWidget(this);
  auto* layout = new QVBoxLayout(content);
  layout->setContentsMargins(18, 14, 18, 18);
  layout->setSpacing(10);

  verdict_ = new QLabel(content);
  verdict_->setTextFormat(Qt::RichText);
  verdict_->setWordWrap(true);
  layout->addWidget(verdict_);

  cards_ = new QWidget(content);
  cards_layout_ = new QVBoxLayout(cards_);
  cards_layout_->setContentsMargins(0, 0, 0, 0);
  cards_layout_->setSpacing(10);
  layout->addWidget(cards_);

  layout->addWidget(heading(tr("Heap"), content));
  summary_ = new QLabel(content);
  summary_->setTextFormat(Qt::RichText);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  summary_->setWordWrap(true);
  layout->addWidget(summary_);

  auto* charts = new QHBoxLayout;
  charts->setSpacing(12);
  dominators_chart_ = new BarChart(tr("Biggest objects (retained, dominator tree)"),
                                   QColor(0x3b, 0x7d, 0xd8), content);
  classes_chart_ = new BarChart(tr("Classes that retain most"), QColor(0x2e, 0x9e, 0x6a), content);
  charts->addWidget(dominators_chart_, 1);
  charts->addWidget(classes_chart_, 1);
  layout->addLayout(charts);
  layout->addStretch(1);
  setWidget(content);

  connect(findings_, &QAbstractItemModel::modelReset, this, &OverviewView::rebuild_cards);
  connect(dominators_chart_, &BarChart::object_activated, this, &OverviewView::object_activated);
  connect(classes_chart_, &BarChart::object_activated, this, &OverviewView::object_activated);
  clear();
}

void OverviewView::clear() {
  report_.reset();
  findings_->clear();
  verdict_->setText(QString());
  verdict_->hide();
  summary_->setText(tr("<i>No dump loaded.</i>"));
  dominators_chart_->set_bars({});
  classes_chart_->set_bars({});
}

void OverviewView::show_index_summary(const IndexSummary& s) {
  report_.reset();
  findings_->clear();
  verdict_->setStyleSheet(QStringLiteral("background:#eef1f5; border-radius:6px; padding:12px;"));
  verdict_->setText(
      tr("<b>Analysing\u2026</b> the index is built; the dominator tree, retained "
         "sizes and the leak analyzers are next."));
  verdict_->show();
  QStringList cells;
  cells << row(tr("File"), short_path(s.path).toHtmlEscaped() + QStringLiteral(", ") +
                               human_bytes(s.file_bytes));
  cells << row(tr("Format"), s.format.toHtmlEscaped() + QStringLiteral(", compression ") +
                                 s.compression.toHtmlEscaped());
  cells << row(tr("Objects"),
               tr("%1 objects of %2 classes, %3 GC roots")
                   .arg(with_commas(s.objects), with_commas(s.classes), with_commas(s.gc_roots)));
  cells << row(tr("Parsed"), QStringLiteral("%1 % of the file").arg(s.percent_used, 0, 'f', 1));
  summary_->setText(two_column_table(cells));
}

void OverviewView::set_session(const SessionPtr& session) {
  if (!session) {
    clear();
    return;
  }
  show_report(session->report_ptr());
}

void OverviewView::show_report(const ReportPtr& report) {
  if (!report) {
    clear();
    return;
  }
  if (report == report_) return;
  report_ = report;
  findings_->set_findings(report->findings);
  show_verdict(*report);
  show_summary(*report);
  show_charts(*report);
}

void OverviewView::show_verdict(const analysis::Report& r) {
  int counts[3] = {0, 0, 0};
  for (const auto& f : r.findings) ++counts[static_cast<int>(f.severity)];
  const auto worst = r.worst();
  if (!worst) {
    verdict_->setStyleSheet(QStringLiteral(
        "background:#e8f5ec; border:1px solid #2e9e6a; border-radius:6px; padding:12px;"));
    verdict_->setText(tr("<span style='font-size:14pt; color:#1d7a4f'><b>No leak found</b></span>"
                         "<br>%1 and no timer queue holding cancelled tasks.")
                          .arg(r.finalizer.pending == 0
                                   ? tr("No finalizer backlog")
                                   : tr("%1 objects queued for finalization")
                                         .arg(with_commas(r.finalizer.pending))));
    return;
  }
  const SeverityStyle style = SeverityStyle::of(*worst);
  QStringList parts;
  const char* const names[3] = {"info", "warning", "critical"};
  for (int s = 2; s >= 0; --s) {
    if (counts[s]) parts << QStringLiteral("%1 %2").arg(counts[s]).arg(QLatin1String(names[s]));
  }
  verdict_->setStyleSheet(
      QStringLiteral("background:%1; border:1px solid %2; border-radius:6px; padding:12px;")
          .arg(style.background.name(), style.accent.name()));
  verdict_->setText(
      QStringLiteral("<span style='font-size:14pt; color:%1'><b>Verdict: %2</b></span>"
                     "&nbsp;&nbsp;%3")
          .arg(style.accent.name(), style.label, parts.join(QStringLiteral(", "))));
}

void OverviewView::show_summary(const analysis::Report& r) {
  const auto& d = r.dump;
  const auto& s = r.summary;
  QStringList cells;
  cells << row(tr("File"), short_path(dump_text(d.path)).toHtmlEscaped() + QStringLiteral(", ") +
                               human_bytes(d.bytes) + tr(" on disk"));
  QString format = dump_text(d.format).toHtmlEscaped() + tr(", %1-byte ids").arg(d.id_size);
  if (d.compression != "none") format += tr(", %1").arg(dump_text(d.compression).toHtmlEscaped());
  cells << row(tr("Format"), format);
  if (d.timestamp_ms) {
    cells << row(tr("Written"),
                 QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(d.timestamp_ms), Qt::UTC)
                     .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")));
  }
  if (!d.jdk.empty()) cells << row(tr("JDK"), dump_text(d.jdk).toHtmlEscaped());
  cells << row(tr("Objects"),
               tr("%1 objects of %2 classes, %3 GC roots")
                   .arg(with_commas(s.objects), with_commas(s.classes), with_commas(s.gc_roots)));
  cells << row(tr("Shallow"), tr("%1 in all, %2 reachable from GC roots; %3 unreachable objects")
                                  .arg(human_bytes(s.shallow_bytes), human_bytes(s.reachable_bytes),
                                       with_commas(s.unreachable_objects)));
  cells << row(tr("Parsed"),
               QStringLiteral("%1 % of the file").arg(s.percent_of_file_used, 0, 'f', 1));
  cells << row(tr("Retained"),
               r.retained_convention == "mat"
                   ? tr("Eclipse MAT convention: every reference retains, including "
                        "Reference.referent")
                   : tr("strong references only (VisualVM convention)"));
  for (const auto& w : s.parse_warnings) {
    cells << row(
        tr("Warning"),
        QStringLiteral("<span style='color:#b36b00'>%1</span>").arg(dump_text(w).toHtmlEscaped()));
  }
  summary_->setText(two_column_table(cells));
}

void OverviewView::show_charts(const analysis::Report& r) {
  std::vector<BarChart::Bar> dom;
  for (size_t i = 0; i < r.dominators.size() && i < kChartBars; ++i) {
    const auto& e = r.dominators[i];
    const QString klass = dump_text(e.klass);
    dom.push_back({klass, human_bytes(e.retained_bytes), static_cast<double>(e.retained_bytes),
                   tr("%1 %2\nretains %3 in %4 objects (double-click to inspect)")
                       .arg(klass, hex_id(e.object_id), human_bytes(e.retained_bytes),
                            with_commas(e.retained_count)),
                   e.object_id});
  }
  dominators_chart_->set_bars(std::move(dom));
  std::vector<BarChart::Bar> classes;
  for (size_t i = 0; i < r.histogram.size() && i < kChartBars; ++i) {
    const auto& e = r.histogram[i];
    const QString klass = dump_text(e.klass);
    classes.push_back({klass, human_bytes(e.retained_bytes), static_cast<double>(e.retained_bytes),
                       tr("%1\n%2 objects, %3 shallow, %4 retained")
                           .arg(klass, with_commas(e.count), human_bytes(e.shallow_bytes),
                                human_bytes(e.retained_bytes)),
                       0});
  }
  classes_chart_->set_bars(std::move(classes));
}

void OverviewView::rebuild_cards() {
  while (auto* item = cards_layout_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  auto title_of = [this](const std::string& id) {
    const int row = findings_->row_of(id);
    return row < 0 ? QString() : dump_text(findings_->finding(row).title);
  };
  for (int i = 0; i < findings_->rowCount(); ++i) {
    auto* card = new FindingCard(findings_->finding(i), title_of, cards_);
    connect(card, &FindingCard::object_activated, this, &OverviewView::object_activated);
    cards_layout_->addWidget(card);
  }
  cards_->setVisible(findings_->rowCount() > 0);
}

}  // namespace heapscope::gui
