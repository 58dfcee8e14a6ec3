#include "bar_chart.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace heapscope::gui {

namespace {
constexpr int kPad = 10;
constexpr double kLabelShare = 0.42;  // of the width, for the labels left of the bars
}  // namespace

BarChart::BarChart(QString title, QColor color, QWidget* parent)
    : QWidget(parent), title_(std::move(title)), color_(std::move(color)) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  setMouseTracking(true);
}

void BarChart::set_bars(std::vector<Bar> bars) {
  bars_ = std::move(bars);
  updateGeometry();
  update();
}

int BarChart::row_height() const {
  return fontMetrics().height() + 8;
}
int BarChart::top_margin() const {
  return kPad + fontMetrics().height() + 10;
}

QSize BarChart::sizeHint() const {
  const int rows = std::max<int>(1, static_cast<int>(bars_.size()));
  return {480, top_margin() + rows * row_height() + kPad};
}

QSize BarChart::minimumSizeHint() const {
  return {240, sizeHint().height()};
}

int BarChart::bar_at(QPoint pos) const {
  const int i = (pos.y() - top_margin()) / row_height();
  if (pos.y() < top_margin() || i < 0 || i >= static_cast<int>(bars_.size())) return -1;
  return i;
}

void BarChart::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QRect area = rect().adjusted(1, 1, -1, -1);
  p.setPen(palette().color(QPalette::Mid));
  p.setBrush(palette().color(QPalette::Base));
  p.drawRoundedRect(area, 6, 6);

  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  p.setPen(palette().color(QPalette::Text));
  p.drawText(QRect(kPad, kPad, width() - 2 * kPad, fontMetrics().height() + 4),
             Qt::AlignLeft | Qt::AlignVCenter, title_);
  p.setFont(font());
  if (bars_.empty()) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(QRect(kPad, top_margin(), width() - 2 * kPad, row_height()),
               Qt::AlignLeft | Qt::AlignVCenter, tr("nothing to show"));
    return;
  }
  double max = 0;
  for (const auto& b : bars_) max = std::max(max, b.value);
  const QFontMetrics fm = fontMetrics();
  const int label_w = static_cast<int>((width() - 2 * kPad) * kLabelShare);
  int value_w = 0;
  for (const auto& b : bars_) value_w = std::max(value_w, fm.horizontalAdvance(b.value_text));
  const int bar_x = kPad + label_w + 8;
  const int bar_w = std::max(10, width() - bar_x - value_w - 2 * kPad);
  const int rh = row_height();
  for (size_t i = 0; i < bars_.size(); ++i) {
    const auto& b = bars_[i];
    const int y = top_margin() + static_cast<int>(i) * rh;
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRect(kPad, y, label_w, rh), Qt::AlignRight | Qt::AlignVCenter,
               fm.elidedText(b.label, Qt::ElideMiddle, label_w));
    const int w = max > 0 ? std::max(2, static_cast<int>(bar_w * (b.value / max))) : 2;
    QColor c = color_;
    c.setAlpha(i == 0 ? 255 : 200);
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawRoundedRect(QRectF(bar_x, y + 3, w, rh - 6), 3, 3);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRect(bar_x + w + 6, y, value_w + kPad, rh), Qt::AlignLeft | Qt::AlignVCenter,
               b.value_text);
  }
}

void BarChart::mouseDoubleClickEvent(QMouseEvent* event) {
  const int i = bar_at(event->position().toPoint());
  if (i >= 0 && bars_[static_cast<size_t>(i)].object_id != 0) {
    emit object_activated(bars_[static_cast<size_t>(i)].object_id);
  }
}

bool BarChart::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int i = bar_at(help->pos());
    if (i >= 0) {
      QToolTip::showText(help->globalPos(), bars_[static_cast<size_t>(i)].tooltip, this);
    } else {
      QToolTip::hideText();
    }
    return true;
  }
  return QWidget::event(event);
}

}  // namespace heapscope::gui
