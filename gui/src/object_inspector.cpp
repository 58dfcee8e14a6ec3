#include "object_inspector.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "format.h"
#include "item_roles.h"

namespace heapscope::gui {

namespace {

// `stretch`: the column that takes the width left.
QTreeWidget* make_list(const QStringList& headers, int stretch, QWidget* parent) {
  auto* view = new QTreeWidget(parent);
  view->setHeaderLabels(headers);
  view->setRootIsDecorated(false);
  view->setAlternatingRowColors(true);
  view->setUniformRowHeights(true);
  view->setExpandsOnDoubleClick(false);
  view->header()->setStretchLastSection(false);
  view->header()->setSectionResizeMode(stretch, QHeaderView::Stretch);
  return view;
}

void link_item(QTreeWidgetItem* item, int column, uint64_t id) {
  if (id == 0) return;
  item->setData(column, kObjectIdRole, static_cast<qulonglong>(id));
  item->setForeground(column, QColor(0x1e, 0x6b, 0xc8));
  item->setToolTip(column, QObject::tr("Double-click to inspect %1").arg(hex_id(id)));
}

}  // namespace

ObjectInspector::ObjectInspector(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  auto* bar = new QHBoxLayout;
  back_ = new QToolButton(this);
  back_->setArrowType(Qt::LeftArrow);
  back_->setToolTip(tr("Back (Alt+Left)"));
  forward_ = new QToolButton(this);
  forward_->setArrowType(Qt::RightArrow);
  forward_->setToolTip(tr("Forward (Alt+Right)"));
  go_to_ = new QLineEdit(this);
  go_to_->setPlaceholderText(tr("Object id, e.g. 0xf008f718"));
  go_to_->setClearButtonEnabled(true);
  bar->addWidget(back_);
  bar->addWidget(forward_);
  bar->addWidget(go_to_, 1);
  layout->addLayout(bar);

  header_ = new QLabel(this);
  header_->setTextFormat(Qt::RichText);
  header_->setWordWrap(true);
  header_->setTextInteractionFlags(Qt::TextBrowserInteraction);
  header_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  layout->addWidget(header_);

  tabs_ = new QTabWidget(this);
  fields_ = make_list({tr("Name"), tr("Type"), tr("Value"), tr("Declared by")}, 2, tabs_);
  referrers_ = make_list({tr("Class"), tr("Object id"), tr("Via")}, 0, tabs_);
  paths_ = make_list({tr("Class"), tr("Object id"), tr("How"), tr("Retained")}, 2, tabs_);
  paths_->setRootIsDecorated(true);
  tabs_->addTab(fields_, tr("Fields"));
  tabs_->addTab(referrers_, tr("Referrers"));
  tabs_->addTab(paths_, tr("Paths to GC roots"));
  layout->addWidget(tabs_, 1);

  connect(back_, &QToolButton::clicked, this, &ObjectInspector::go_back);
  connect(forward_, &QToolButton::clicked, this, &ObjectInspector::go_forward);
  connect(go_to_, &QLineEdit::returnPressed, this, &ObjectInspector::go_to_typed_id);
  for (auto* view : {fields_, referrers_, paths_}) {
    connect(view, &QTreeWidget::itemActivated, this, &ObjectInspector::on_item_activated);
  }
  connect(header_, &QLabel::linkActivated, this, [this](const QString& link) {
    if (auto id = parse_object_id(link.mid(7))) show_object(*id);
  });
  set_session(nullptr);
}

void ObjectInspector::set_session(SessionPtr session) {
  session_ = std::move(session);
  shown_request_ = ++request_;  // drops what is still being gathered
  history_.clear();
  details_.reset();
  fields_->clear();
  referrers_->clear();
  paths_->clear();
  header_->setText(session_ ? tr("<i>Double-click an object id in any view to inspect it.</i>")
                            : tr("<i>No dump loaded.</i>"));
  update_buttons();
}

bool ObjectInspector::show_object(quint64 object_id) {
  if (!display(object_id)) return false;
  history_.visit(object_id);
  update_buttons();
  return true;
}

void ObjectInspector::go_back() {
  if (auto id = history_.back()) display(*id);
  update_buttons();
}

void ObjectInspector::go_forward() {
  if (auto id = history_.forward()) display(*id);
  update_buttons();
}

void ObjectInspector::go_to_typed_id() {
  const auto id = parse_object_id(go_to_->text());
  if (!id) {
    emit message(tr("\"%1\" is not an object id (use hex like 0x7ffd023d0)").arg(go_to_->text()));
    return;
  }
  show_object(*id);
}

bool ObjectInspector::display(quint64 object_id) {
  if (!session_) return false;
  if (session_->find(object_id) == hprof::kNoObject) {
    emit message(tr("The dump has no object with id %1").arg(hex_id(object_id)));
    return false;
  }
  const quint64 request = ++request_;
  header_->setText(tr("<i>Reading %1\u2026</i>").arg(hex_id(object_id)));
  using Watcher = QFutureWatcher<std::optional<ObjectDetails>>;
  auto* watcher = new Watcher(this);
  connect(watcher, &Watcher::finished, this, [this, watcher, request, object_id] {
    watcher->deleteLater();
    if (request != request_) return;  // another object was asked for since
    shown_request_ = request;
    show_details(object_id, watcher->result());
  });
  watcher->setFuture(QtConcurrent::run(
      [session = session_, object_id] { return ObjectDetails::collect(*session, object_id); }));
  return true;
}

void ObjectInspector::show_details(quint64 object_id, std::optional<ObjectDetails> details) {
  details_ = std::move(details);
  if (!details_) return;
  show_header(*details_);
  fill_fields(*details_);
  fill_referrers(*details_);
  fill_paths(*details_);
  emit object_shown(object_id);
}

void ObjectInspector::show_header(const ObjectDetails& d) {
  QString html = QStringLiteral("<span style='font-size:12pt'><b>%1</b></span> <tt>%2</tt> (%3)")
                     .arg(d.klass.toHtmlEscaped(), hex_id(d.id), d.kind);
  html += tr("<br>Shallow <b>%1</b>, retained <b>%2</b> in %3 objects")
              .arg(human_bytes(d.shallow_bytes), human_bytes(d.retained_bytes),
                   with_commas(d.retained_count));
  if (d.array_length) html += tr(", length %1").arg(with_commas(*d.array_length));
  if (!d.reachable) {
    html += tr("<br><span style='color:#b36b00'>Unreachable from GC roots</span>");
  } else if (d.dominator_id) {
    html += tr("<br>Immediate dominator <a href=\"object:%1\">%1</a>").arg(hex_id(d.dominator_id));
  } else {
    html += tr("<br>Dominated by the GC roots directly");
  }
  if (!d.gc_root.isEmpty()) {
    html += tr("<br>GC root: %1").arg(d.gc_root.join(QStringLiteral(", ")).toHtmlEscaped());
  }
  if (d.text) html += tr("<br>Text: \"%1\"").arg(d.text->toHtmlEscaped());
  header_->setText(html);
}

void ObjectInspector::fill_fields(const ObjectDetails& d) {
  fields_->clear();
  QList<QTreeWidgetItem*> items;
  for (const auto& f : d.fields) {
    auto* item = new QTreeWidgetItem({f.is_static ? QStringLiteral("static ") + f.name : f.name,
                                      f.type, f.value, f.declared_by});
    link_item(item, 2, f.ref_id);
    items << item;
  }
  if (d.fields_cut) {
    items << new QTreeWidgetItem({tr("\u2026"), QString(),
                                  tr("%1 elements in all; the first %2 are shown")
                                      .arg(with_commas(d.array_length.value_or(0)))
                                      .arg(ObjectDetails::kMaxElements)});
  }
  fields_->addTopLevelItems(items);
  fields_->resizeColumnToContents(0);
  fields_->resizeColumnToContents(1);
  tabs_->setTabText(0, tr("Fields (%1)").arg(d.fields.size()));
}

void ObjectInspector::fill_referrers(const ObjectDetails& d) {
  referrers_->clear();
  QList<QTreeWidgetItem*> items;
  for (const auto& r : d.referrers) {
    auto* item = new QTreeWidgetItem({r.klass, hex_id(r.id), r.via});
    link_item(item, 0, r.id);
    link_item(item, 1, r.id);
    items << item;
  }
  if (d.referrer_count > d.referrers.size()) {
    items << new QTreeWidgetItem(
        {tr("\u2026 %1 more").arg(with_commas(d.referrer_count - d.referrers.size()))});
  }
  referrers_->addTopLevelItems(items);
  referrers_->resizeColumnToContents(0);
  referrers_->resizeColumnToContents(1);
  tabs_->setTabText(1, tr("Referrers (%1)").arg(with_commas(d.referrer_count)));
}

void ObjectInspector::fill_paths(const ObjectDetails& d) {
  paths_->clear();
  if (d.paths.empty()) {
    paths_->addTopLevelItem(new QTreeWidgetItem(
        {d.reachable ? tr("This object is a GC root or only the roots reach it")
                     : tr("No path: the object is unreachable from GC roots")}));
  }
  for (size_t k = 0; k < d.paths.size(); ++k) {
    const auto& path = d.paths[k];
    auto* top = new QTreeWidgetItem(
        {tr("Path %1 (%2 steps)%3")
             .arg(k + 1)
             .arg(path.size())
             .arg(d.paths_need_weak ? tr(", through Reference.referent") : QString())});
    QFont bold = top->font(0);
    bold.setBold(true);
    top->setFont(0, bold);
    for (size_t i = 0; i < path.size(); ++i) {
      const auto& s = path[i];
      auto* item =
          new QTreeWidgetItem({QString(static_cast<qsizetype>(i) * 2, QLatin1Char(' ')) + s.klass,
                               hex_id(s.id), s.how, human_bytes(s.retained_bytes)});
      link_item(item, 0, s.id);
      link_item(item, 1, s.id);
      top->addChild(item);
    }
    paths_->addTopLevelItem(top);
    top->setExpanded(k == 0);
    top->setFirstColumnSpanned(true);
  }
  paths_->resizeColumnToContents(0);
  paths_->resizeColumnToContents(1);
  tabs_->setTabText(2, tr("Paths to GC roots (%1)").arg(d.paths.size()));
}

void ObjectInspector::on_item_activated(QTreeWidgetItem* item, int column) {
  QVariant id = item->data(column, kObjectIdRole);
  for (int c = 0; !id.isValid() && c < item->columnCount(); ++c) id = item->data(c, kObjectIdRole);
  if (id.isValid()) show_object(id.toULongLong());
}

void ObjectInspector::update_buttons() {
  back_->setEnabled(history_.can_go_back());
  forward_->setEnabled(history_.can_go_forward());
}

}  // namespace heapscope::gui
