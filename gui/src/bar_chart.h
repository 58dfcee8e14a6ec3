// A horizontal bar chart drawn with QPainter: one labelled bar per item, scaled to the largest.
// A double-click on a bar that stands for an object emits object_activated.
#pragma once

#include <QColor>
#include <QString>
#include <QWidget>
#include <vector>

namespace heapscope::gui {

class BarChart : public QWidget {
  Q_OBJECT

 public:
  struct Bar {
    QString label;
    QString value_text;  // drawn after the bar, e.g. "2.4 MiB"
    double value = 0;
    QString tooltip;
    quint64 object_id = 0;  // 0: not an object
  };

  explicit BarChart(QString title, QColor color, QWidget* parent = nullptr);
  void set_bars(std::vector<Bar> bars);
  const std::vector<Bar>& bars() const { return bars_; }

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 signals:
  void object_activated(quint64 object_id);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  bool event(QEvent* event) override;

 private:
  int bar_at(QPoint pos) const;
  int row_height() const;
  int top_margin() const;

  QString title_;
  QColor color_;
  std::vector<Bar> bars_;
};

}  // namespace heapscope::gui
