#include "histogram_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "format.h"
#include "histogram_model.h"
#include "item_roles.h"
#include "object_views.h"
#include "percent_bar_delegate.h"

namespace heapscope::gui {

HistogramView::HistogramView(QWidget* parent)
    : QWidget(parent), model_(new HistogramModel(this)), proxy_(new QSortFilterProxyModel(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(12, 12, 12, 12);
  auto* bar = new QHBoxLayout;
  filter_ = new QLineEdit(this);
  filter_->setPlaceholderText(tr("Filter classes (substring, e.g. org.postgresql)"));
  filter_->setClearButtonEnabled(true);
  regex_ = new QCheckBox(tr("Regular expression"), this);
  count_ = new QLabel(this);
  bar->addWidget(filter_, 1);
  bar->addWidget(regex_);
  bar->addWidget(count_);
  layout->addLayout(bar);

  proxy_->setSourceModel(model_);
  proxy_->setSortRole(kSortRole);
  proxy_->setFilterKeyColumn(HistogramModel::kClass);
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  table_ = ObjectViews::make_table(this);
  table_->setModel(proxy_);
  table_->horizontalHeader()->setSectionResizeMode(HistogramModel::kClass, QHeaderView::Stretch);
  table_->sortByColumn(HistogramModel::kRetained, Qt::DescendingOrder);
  ObjectViews::route_activation(table_, this, [this](quint64 id) { emit object_activated(id); });
  table_->setItemDelegateForColumn(HistogramModel::kRetainedPercent,
                                   new PercentBarDelegate(QColor(0x2e, 0x9e, 0x6a), table_));
  layout->addWidget(table_, 1);

  connect(filter_, &QLineEdit::textChanged, this, &HistogramView::apply_filter);
  connect(regex_, &QCheckBox::toggled, this, &HistogramView::apply_filter);
  clear();
}

void HistogramView::set_session(const SessionPtr& session) {
  model_->set_session(session);
  const QFontMetrics fm = table_->fontMetrics();
  for (int c = HistogramModel::kCount; c < HistogramModel::kColumnCount; ++c) {
    table_->setColumnWidth(c, fm.horizontalAdvance(QStringLiteral("000,000,000,0")) + 16);
  }
  apply_filter();
}

void HistogramView::set_filter(const QString& text, bool regex) {
  regex_->setChecked(regex);
  filter_->setText(text);
  apply_filter();
}

void HistogramView::apply_filter() {
  const QString text = filter_->text();
  bool valid = true;
  if (regex_->isChecked()) {
    QRegularExpression re(text, QRegularExpression::CaseInsensitiveOption);
    valid = re.isValid();
    if (valid) proxy_->setFilterRegularExpression(re);
  } else {
    proxy_->setFilterFixedString(text);
  }
  filter_->setStyleSheet(valid ? QString()
                               : QStringLiteral("QLineEdit { border: 1px solid #c62828; }"));
  filter_->setToolTip(valid ? QString() : tr("Not a valid regular expression"));
  count_->setText(tr("%1 of %2 classes")
                      .arg(with_commas(static_cast<uint64_t>(proxy_->rowCount())),
                           with_commas(static_cast<uint64_t>(model_->rowCount()))));
}

}  // namespace heapscope::gui
