// What every table and tree of the GUI shares: one look, and a double-click (or Enter) on a cell
// that names an object (kObjectIdRole) opens that object in the inspector.
#pragma once

#include <QAbstractItemView>
#include <QTableView>
#include <QTreeView>
#include <functional>

namespace heapscope::gui {

class ObjectViews {
 public:
  using OpenObject = std::function<void(quint64 object_id)>;

  // A sortable, row-selecting table with compact rows.
  static QTableView* make_table(QWidget* parent);
  static QTreeView* make_tree(QWidget* parent);
  // Calls `open` with the id of an activated cell that names an object.
  static void route_activation(QAbstractItemView* view, QObject* context, OpenObject open);
};

}  // namespace heapscope::gui
