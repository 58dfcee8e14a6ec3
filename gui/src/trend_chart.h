// One trend series as a small line chart drawn with QPainter: the value at each dump against the
// dump's time, the first and last value, the least-squares rate per hour and, for the reachable
// heap with a limit, the time until the limit (all from analysis::TrendSeries; nothing computed
// here but the pixel positions).
#pragma once

#include <QWidget>
#include <optional>
#include <vector>

#include "heapscope/analysis/trend.h"

namespace heapscope::gui {

class TrendChart : public QWidget {
  Q_OBJECT

 public:
  // `times_ms`: the dumps' timestamps, in the series' order.
  TrendChart(analysis::TrendSeries series, std::vector<uint64_t> times_ms,
             std::optional<uint64_t> heap_limit_bytes, QWidget* parent = nullptr);
  const analysis::TrendSeries& series() const { return series_; }
  QString title() const;
  QString caption() const;  // "+1,592,777 per hour · in 10.2 min to the limit"

  QSize sizeHint() const override { return {300, 150}; }
  QSize minimumSizeHint() const override { return {220, 120}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  analysis::TrendSeries series_;
  std::vector<uint64_t> times_ms_;
  std::optional<uint64_t> limit_;
};

}  // namespace heapscope::gui
