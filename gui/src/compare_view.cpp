#include "compare_view.h"

#include <QDateTime>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "compare_table_model.h"
#include "format.h"
#include "item_roles.h"
#include "trend_chart.h"

namespace heapscope::gui {

namespace {

constexpr int kChartColumns = 3;
constexpr int kMaxColumnWidth = 320;

// A size as -Xmx would take it: "4G", "768M", else bytes.
QString size_text(uint64_t bytes) {
  if (bytes % (1ull << 30) == 0) return QStringLiteral("%1G").arg(bytes >> 30);
  if (bytes % (1ull << 20) == 0) return QStringLiteral("%1M").arg(bytes >> 20);
  return QString::number(bytes);
}

// "3 s", "12 min", "4.5 h"
QString span_text(uint64_t ms) {
  const double s = static_cast<double>(ms) / 1000.0;
  if (s < 120) return QObject::tr("%1 s").arg(s, 0, 'f', 0);
  if (s < 7200) return QObject::tr("%1 min").arg(s / 60, 0, 'f', 0);
  return QObject::tr("%1 h").arg(s / 3600, 0, 'f', 1);
}

QString when(uint64_t ms) {
  return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms), Qt::UTC)
      .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

}  // namespace

CompareView::CompareView(QWidget* parent)
    : QWidget(parent),
      classes_(new CompareTableModel(this)),
      findings_(new CompareTableModel(this)),
      finalizer_(new CompareTableModel(this)),
      queues_(new CompareTableModel(this)),
      series_(new CompareTableModel(this)) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  stack_ = new QStackedWidget(this);
  outer->addWidget(stack_);

  empty_ =
      new QLabel(tr("<p>Compare several dumps of the same JVM: <b>File \u25b8 Compare "
                    "With\u2026</b> (or <code>heapscope-gui DUMP --compare OTHER\u2026</code>)."
                    "</p><p>The Compare view shows what grew between the oldest and the "
                    "newest dump and, with three or more dumps, how fast.</p>"),
                 stack_);
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setWordWrap(true);
  stack_->addWidget(empty_);

  auto* page = new QWidget(stack_);
  auto* layout = new QVBoxLayout(page);
  auto* top = new QHBoxLayout;
  summary_ = new QLabel(page);
  summary_->setTextFormat(Qt::RichText);
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  top->addWidget(summary_, 1);
  top->addWidget(new QLabel(tr("Heap limit (-Xmx):"), page));
  limit_ = new QLineEdit(page);
  limit_->setPlaceholderText(tr("e.g. 4G"));
  limit_->setMaximumWidth(110);
  limit_->setToolTip(
      tr("With a limit, the trend tells when the reachable heap reaches it at "
         "the rate it grew"));
  top->addWidget(limit_);
  layout->addLayout(top);
  connect(limit_, &QLineEdit::editingFinished, this, [this] {
    const QString t = limit_->text().trimmed();
    const auto bytes = t.isEmpty() ? std::nullopt : parse_size(t);
    if (!t.isEmpty() && (!bytes || *bytes == 0)) {
      limit_->setStyleSheet(QStringLiteral("color: #b02020"));
      return;
    }
    limit_->setStyleSheet({});
    set_heap_limit(bytes);
  });

  tabs_ = new QTabWidget(page);
  layout->addWidget(tabs_, 1);
  class_table_ = add_table(classes_, -1);
  tabs_->addTab(class_table_, tr("Classes"));
  tabs_->addTab(add_table(findings_, -1), tr("Findings"));
  auto* split = new QSplitter(Qt::Vertical, tabs_);
  auto* fin = add_table(finalizer_, -1);
  auto* que = add_table(queues_, -1);
  auto titled = [split](const QString& title, QWidget* w) {
    auto* box = new QWidget(split);
    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 4, 0, 0);
    v->addWidget(new QLabel(title, box));
    w->setParent(box);
    v->addWidget(w);
    split->addWidget(box);
  };
  titled(tr("<b>Finalizer states per class</b>"), fin);
  titled(tr("<b>Timer and executor queues</b>"), que);
  tabs_->addTab(split, tr("Finalizer && queues"));

  auto* trend = new QSplitter(Qt::Vertical, tabs_);
  auto* scroll = new QScrollArea(trend);
  scroll->setWidgetResizable(true);
  chart_box_ = new QWidget(scroll);
  auto* chart_layout = new QVBoxLayout(chart_box_);
  chart_note_ = new QLabel(chart_box_);
  chart_note_->setWordWrap(true);
  chart_layout->addWidget(chart_note_);
  chart_grid_ = new QGridLayout;
  chart_layout->addLayout(chart_grid_);
  chart_layout->addStretch(1);
  scroll->setWidget(chart_box_);
  trend->addWidget(scroll);
  trend->addWidget(add_table(series_, -1));
  trend->setStretchFactor(0, 5);
  trend->setStretchFactor(1, 2);
  trend->setSizes({520, 200});
  tabs_->addTab(trend, tr("Trend"));
  stack_->addWidget(page);
}

QTableView* CompareView::add_table(CompareTableModel* model, int default_sort_column) {
  auto* proxy = new QSortFilterProxyModel(this);
  proxy->setSourceModel(model);
  proxy->setSortRole(kSortRole);
  auto* table = new QTableView(this);
  table->setModel(proxy);
  table->setAlternatingRowColors(true);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->verticalHeader()->hide();
  table->horizontalHeader()->setStretchLastSection(false);
  // -1: the order the analysis gives (biggest growth first); a click on a header sorts by it.
  table->horizontalHeader()->setSortIndicator(default_sort_column, Qt::DescendingOrder);
  table->setSortingEnabled(true);
  table->setWordWrap(false);
  tables_.push_back(table);
  return table;
}

void CompareView::set_comparison(ComparisonPtr comparison) {
  comparison_ = std::move(comparison);
  if (!comparison_) {
    for (auto* m : {classes_, findings_, finalizer_, queues_, series_}) m->set_rows({}, {});
    rebuild_charts();
    stack_->setCurrentWidget(empty_);
    return;
  }
  const auto& d = comparison_->diff;
  fill_class_table(*classes_, d);
  fill_finding_table(*findings_, d);
  fill_finalizer_table(*finalizer_, d);
  fill_queue_table(*queues_, d);
  fill_series_table(*series_, comparison_->trend);
  const auto& limit = comparison_->trend.heap_limit_bytes;
  if (limit_->text().isEmpty() != !limit.has_value())
    limit_->setText(limit ? size_text(*limit) : QString());
  for (auto* t : tables_) {
    t->horizontalHeader()->setSortIndicator(-1, Qt::DescendingOrder);
    t->resizeColumnsToContents();
    // Long class and loader names elide (the tooltip has them whole): the deltas stay in view.
    for (int c = 0; c < t->model()->columnCount(); ++c) {
      if (t->columnWidth(c) > kMaxColumnWidth) t->setColumnWidth(c, kMaxColumnWidth);
    }
  }
  rebuild_charts();
  update_summary();
  stack_->setCurrentIndex(1);
}

void CompareView::set_heap_limit(std::optional<uint64_t> bytes) {
  if (!comparison_ || comparison_->trend.heap_limit_bytes == bytes) return;
  set_comparison(comparison_->with_heap_limit(bytes));
}

void CompareView::show_page(Page page) {
  tabs_->setCurrentIndex(static_cast<int>(page));
}

void CompareView::update_summary() {
  const auto& d = comparison_->diff;
  const auto& t = comparison_->trend;
  const int n = static_cast<int>(comparison_->reports.size());
  QString text =
      tr("<b>%1 dumps</b> over %2: <b>%3</b> (%4) \u2192 <b>%5</b> (%6)<br>Reachable heap %7 "
         "\u2192 %8 (<b>%9</b>)")
          .arg(n)
          .arg(span_text(d.next_timestamp_ms - d.base_timestamp_ms))
          .arg(dump_text(QFileInfo(qs(d.base_path)).fileName().toStdString()).toHtmlEscaped(),
               when(d.base_timestamp_ms),
               dump_text(QFileInfo(qs(d.next_path)).fileName().toStdString()).toHtmlEscaped(),
               when(d.next_timestamp_ms), human_bytes(d.reachable_bytes.base),
               human_bytes(d.reachable_bytes.next), signed_bytes(d.reachable_bytes.delta()));
  for (const auto& s : t.series) {
    if (s.metric != "heap.reachable_bytes") continue;
    text += tr(", %1").arg(metric_rate(s.metric, s.rate_per_hour).toHtmlEscaped());
    if (s.eta_hours) {
      text += tr(": reaches the limit of %1 <b>%2</b>")
                  .arg(human_bytes(*t.heap_limit_bytes), eta_text(s.eta_hours));
    }
  }
  text += tr(" \u00b7 %1 classes changed, %2 unchanged")
              .arg(with_commas(d.classes_changed.size()), with_commas(d.classes_unchanged));
  summary_->setText(text);
}

void CompareView::rebuild_charts() {
  for (auto* c : charts_) {
    chart_grid_->removeWidget(c);
    delete c;
  }
  charts_.clear();
  if (!comparison_) return;
  const auto& t = comparison_->trend;
  if (t.dumps.size() < 3) {
    chart_note_->setText(
        tr("Charts need three or more dumps; the table below has the values of "
           "both and the rate between them."));
    chart_note_->show();
    return;
  }
  chart_note_->hide();
  std::vector<uint64_t> times;
  for (const auto& d : t.dumps) times.push_back(d.timestamp_ms);
  int i = 0;
  for (const auto& s : t.series) {
    auto* chart = new TrendChart(s, times, t.heap_limit_bytes, chart_box_);
    chart_grid_->addWidget(chart, i / kChartColumns, i % kChartColumns);
    charts_.push_back(chart);
    ++i;
  }
}

}  // namespace heapscope::gui
