#include "percent_bar_delegate.h"

#include <QPainter>
#include <algorithm>

#include "item_roles.h"

namespace heapscope::gui {

PercentBarDelegate::PercentBarDelegate(QColor color, QObject* parent)
    : QStyledItemDelegate(parent), color_(std::move(color)) {}

void PercentBarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                               const QModelIndex& index) const {
  const QVariant share = index.data(kSortRole);
  if (share.isValid() && share.canConvert<double>()) {
    const double f = std::clamp(share.toDouble(), 0.0, 1.0);
    const QRect r = option.rect.adjusted(3, 3, -3, -3);
    QColor fill = color_;
    fill.setAlpha(70);
    painter->save();
    painter->setPen(Qt::NoPen);
    painter->setBrush(fill);
    painter->drawRect(QRect(r.left(), r.top(),
                            std::max(f > 0 ? 1 : 0, static_cast<int>(r.width() * f)), r.height()));
    painter->restore();
  }
  QStyledItemDelegate::paint(painter, option, index);
}

}  // namespace heapscope::gui
