// The object inspector: class, sizes, fields with values, referrers and shortest paths from GC
// roots of one object, with back/forward history. Every object id in it opens on a double-click.
// The details are gathered on a pool thread (referrers and paths scan the whole graph: about a
// second on 14 million objects); object_shown() says when they are on screen.
#pragma once

#include <QWidget>
#include <optional>

#include "analysis_session.h"
#include "navigation_history.h"
#include "object_details.h"

class QLabel;
class QLineEdit;
class QTabWidget;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace heapscope::gui {

class ObjectInspector : public QWidget {
  Q_OBJECT

 public:
  explicit ObjectInspector(QWidget* parent = nullptr);

  void set_session(SessionPtr session);
  // Shows the object and records it in the history; false when the dump has no such object.
  bool show_object(quint64 object_id);
  // True while details are being gathered.
  bool busy() const { return shown_request_ != request_; }
  void go_back();
  void go_forward();

  const NavigationHistory& history() const { return history_; }
  const std::optional<ObjectDetails>& details() const { return details_; }
  QTreeWidget* fields_view() const { return fields_; }
  QTreeWidget* referrers_view() const { return referrers_; }
  QTreeWidget* paths_view() const { return paths_; }

 signals:
  void object_shown(quint64 object_id);
  void message(const QString& text);

 private:
  bool display(quint64 object_id);
  void show_header(const ObjectDetails& d);
  void fill_fields(const ObjectDetails& d);
  void fill_referrers(const ObjectDetails& d);
  void fill_paths(const ObjectDetails& d);
  void update_buttons();
  void show_details(quint64 object_id, std::optional<ObjectDetails> details);
  void on_item_activated(QTreeWidgetItem* item, int column);
  void go_to_typed_id();

  SessionPtr session_;
  NavigationHistory history_;
  std::optional<ObjectDetails> details_;
  quint64 request_ = 0;        // the latest object asked for
  quint64 shown_request_ = 0;  // the one on screen
  QToolButton* back_;
  QToolButton* forward_;
  QLineEdit* go_to_;
  QLabel* header_;
  QTabWidget* tabs_;
  QTreeWidget* fields_;
  QTreeWidget* referrers_;
  QTreeWidget* paths_;
};

}  // namespace heapscope::gui
