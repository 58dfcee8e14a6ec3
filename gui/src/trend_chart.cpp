#include "trend_chart.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

#include "compare_table_model.h"
#include "format.h"

namespace heapscope::gui {

TrendChart::TrendChart(analysis::TrendSeries series, std::vector<uint64_t> times_ms,
                       std::optional<uint64_t> heap_limit_bytes, QWidget* parent)
    : QWidget(parent),
      series_(std::move(series)),
      times_ms_(std::move(times_ms)),
      limit_(heap_limit_bytes) {
  setToolTip(title() + QLatin1Char('\n') + caption());
}

QString TrendChart::title() const {
  const QString metric = qs(series_.metric);
  return series_.key.empty() ? metric
                             : metric + QStringLiteral(" \u00b7 ") + dump_text(series_.key);
}

QString TrendChart::caption() const {
  QString text = metric_rate(series_.metric, series_.rate_per_hour);
  if (series_.eta_hours) text += tr(" \u00b7 limit %1").arg(eta_text(series_.eta_hours));
  return text;
}

void TrendChart::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette& pal = palette();
  p.fillRect(rect(), pal.base());
  p.setPen(pal.mid().color());
  p.drawRect(rect().adjusted(0, 0, -1, -1));

  const QFontMetrics fm = fontMetrics();
  const int pad = 6, line = fm.height();
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  p.setPen(pal.text().color());
  p.drawText(QRect(pad, pad, width() - 2 * pad, line), Qt::AlignLeft | Qt::AlignVCenter,
             QFontMetrics(bold).elidedText(title(), Qt::ElideMiddle, width() - 2 * pad));
  p.setFont(font());
  const QColor rate_color = series_.rate_per_hour > 0   ? QColor(0xb0, 0x20, 0x20)
                            : series_.rate_per_hour < 0 ? QColor(0x1b, 0x7a, 0x2e)
                                                        : pal.text().color();
  p.setPen(rate_color);
  p.drawText(QRect(pad, pad + line, width() - 2 * pad, line), Qt::AlignLeft | Qt::AlignVCenter,
             caption());

  const size_t n = std::min(series_.values.size(), times_ms_.size());
  if (n == 0) return;
  // The plot: y from 0 (or the smallest value) to the largest, x by the dumps' timestamps.
  const auto [lo_it, hi_it] =
      std::minmax_element(series_.values.begin(), series_.values.begin() + static_cast<long>(n));
  double lo = static_cast<double>(*lo_it), hi = static_cast<double>(*hi_it);
  lo = std::min(lo, 0.0);
  if (hi <= lo) hi = lo + 1;
  const QString hi_text = metric_value(series_.metric, hi);
  const QString lo_text = metric_value(series_.metric, lo);
  const int label_w = std::max(fm.horizontalAdvance(hi_text), fm.horizontalAdvance(lo_text)) + 8;
  const QRectF plot(pad + label_w, pad + 2 * line + 4, width() - 2 * pad - label_w,
                    height() - 3 * pad - 2 * line - line);
  if (plot.width() < 10 || plot.height() < 10) return;
  const double t0 = static_cast<double>(times_ms_.front());
  const double t1 = static_cast<double>(times_ms_[n - 1]);
  const double span = t1 > t0 ? t1 - t0 : 1;
  auto at = [&](size_t i) {
    const double x = n == 1 ? 0.5 : (static_cast<double>(times_ms_[i]) - t0) / span;
    const double y = (static_cast<double>(series_.values[i]) - lo) / (hi - lo);
    return QPointF(plot.left() + x * plot.width(), plot.bottom() - y * plot.height());
  };

  p.setPen(QPen(pal.mid().color(), 1));
  p.drawLine(plot.bottomLeft(), plot.bottomRight());
  p.drawLine(plot.bottomLeft(), plot.topLeft());
  p.setPen(pal.text().color());
  const QRectF hi_label(pad, plot.top() - line / 2.0, label_w - 4, line);
  const QRectF lo_label(pad, plot.bottom() - line / 2.0, label_w - 4, line);
  p.drawText(hi_label, Qt::AlignRight | Qt::AlignVCenter, hi_text);
  p.drawText(lo_label, Qt::AlignRight | Qt::AlignVCenter, lo_text);
  const double secs = (t1 - t0) / 1000.0;
  const QString elapsed = secs < 120    ? tr("%1 s").arg(secs, 0, 'f', 0)
                          : secs < 7200 ? tr("%1 min").arg(secs / 60, 0, 'f', 0)
                                        : tr("%1 h").arg(secs / 3600, 0, 'f', 1);
  p.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), line),
             Qt::AlignRight | Qt::AlignVCenter, tr("%1 dumps over %2").arg(n).arg(elapsed));

  QPainterPath path(at(0));
  for (size_t i = 1; i < n; ++i) path.lineTo(at(i));
  const QColor stroke(0x2f, 0x6f, 0xb3);
  p.setPen(QPen(stroke, 2));
  p.setBrush(Qt::NoBrush);
  p.drawPath(path);
  p.setBrush(stroke);
  for (size_t i = 0; i < n; ++i) p.drawEllipse(at(i), 3, 3);
}

}  // namespace heapscope::gui
