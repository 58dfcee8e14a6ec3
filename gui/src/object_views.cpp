#include "object_views.h"

#include <QHeaderView>

#include "item_roles.h"

namespace heapscope::gui {

QTableView* ObjectViews::make_table(QWidget* parent) {
  auto* view = new QTableView(parent);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setSelectionMode(QAbstractItemView::SingleSelection);
  view->setAlternatingRowColors(true);
  view->setShowGrid(false);
  view->setWordWrap(false);
  view->setSortingEnabled(true);
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->verticalHeader()->hide();
  view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
  view->horizontalHeader()->setHighlightSections(false);
  view->horizontalHeader()->setStretchLastSection(false);
  view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  return view;
}

QTreeView* ObjectViews::make_tree(QWidget* parent) {
  auto* view = new QTreeView(parent);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setSelectionMode(QAbstractItemView::SingleSelection);
  view->setAlternatingRowColors(true);
  view->setUniformRowHeights(true);
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->setExpandsOnDoubleClick(false);
  view->header()->setHighlightSections(false);
  view->header()->setStretchLastSection(false);
  return view;
}

void ObjectViews::route_activation(QAbstractItemView* view, QObject* context, OpenObject open) {
  QObject::connect(view, &QAbstractItemView::activated, context, [open](const QModelIndex& index) {
    const QVariant id = index.data(kObjectIdRole);
    if (id.isValid()) open(id.toULongLong());
  });
}

}  // namespace heapscope::gui
