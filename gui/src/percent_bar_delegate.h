// Draws a cell's share (kSortRole, a fraction 0..1) as a thin bar under its text: the
// "Retained %" columns.
#pragma once

#include <QColor>
#include <QStyledItemDelegate>

namespace heapscope::gui {

class PercentBarDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  explicit PercentBarDelegate(QColor color, QObject* parent = nullptr);
  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;

 private:
  QColor color_;
};

}  // namespace heapscope::gui
