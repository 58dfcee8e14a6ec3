#include "timers_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QVBoxLayout>

#include "class_count_model.h"
#include "format.h"
#include "item_roles.h"
#include "object_views.h"
#include "timer_model.h"

namespace heapscope::gui {

namespace {

QWidget* titled(const QString& title, QWidget* body, QWidget* parent) {
  auto* box = new QWidget(parent);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 4, 0, 0);
  auto* label = new QLabel(title, box);
  label->setTextFormat(Qt::RichText);
  layout->addWidget(label);
  layout->addWidget(body, 1);
  return box;
}

QString yes_no(const std::optional<bool>& b) {
  return b ? (*b ? QStringLiteral("true") : QStringLiteral("false")) : QString();
}

}  // namespace

TimersView::TimersView(QWidget* parent)
    : QWidget(parent),
      timers_(new TimerModel(this)),
      proxy_(new QSortFilterProxyModel(this)),
      held_only_(new ClassCountModel(tr("Held-only bytes"), this)),
      task_classes_(new ClassCountModel(tr("Shallow"), this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(12, 12, 12, 12);
  auto* split = new QSplitter(Qt::Vertical, this);

  proxy_->setSourceModel(timers_);
  proxy_->setSortRole(kSortRole);
  table_ = ObjectViews::make_table(split);
  table_->setModel(proxy_);
  table_->sortByColumn(TimerModel::kHeldOnlyBytes, Qt::DescendingOrder);
  ObjectViews::route_activation(table_, this, [this](quint64 id) { emit object_activated(id); });
  split->addWidget(
      titled(tr("<b>Timers and scheduled executors</b> (double-click to inspect)"), table_, split));

  auto* lower = new QWidget(split);
  auto* ll = new QVBoxLayout(lower);
  ll->setContentsMargins(0, 0, 0, 0);
  details_ = new QLabel(lower);
  details_->setTextFormat(Qt::RichText);
  details_->setWordWrap(true);
  details_->setTextInteractionFlags(Qt::TextBrowserInteraction);
  connect(details_, &QLabel::linkActivated, this, [this](const QString& link) {
    if (auto id = parse_object_id(link.mid(7))) emit object_activated(*id);
  });
  ll->addWidget(details_);
  auto* tables = new QSplitter(Qt::Horizontal, lower);
  held_only_table_ = ObjectViews::make_table(tables);
  held_only_table_->setModel(held_only_);
  held_only_table_->setSortingEnabled(false);
  held_only_table_->horizontalHeader()->setSectionResizeMode(ClassCountModel::kClass,
                                                             QHeaderView::Stretch);
  tables->addWidget(
      titled(tr("<b>Held only by its cancelled tasks</b>, by class"), held_only_table_, tables));
  task_class_table_ = ObjectViews::make_table(tables);
  task_class_table_->setModel(task_classes_);
  task_class_table_->setSortingEnabled(false);
  task_class_table_->horizontalHeader()->setSectionResizeMode(ClassCountModel::kClass,
                                                              QHeaderView::Stretch);
  tables->addWidget(titled(tr("<b>Task classes</b> in its queue"), task_class_table_, tables));
  ll->addWidget(tables, 1);
  split->addWidget(lower);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 2);
  layout->addWidget(split);

  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &TimersView::on_current_changed);
  clear();
}

void TimersView::clear() {
  timers_->set_timers({});
  select_timer(-1);
}

void TimersView::set_session(const SessionPtr& session) {
  if (!session) {
    clear();
    return;
  }
  timers_->set_timers(session->report().timers);
  table_->resizeColumnsToContents();
  if (timers_->rowCount() > 0) {
    table_->selectRow(0);
    select_timer(proxy_->mapToSource(proxy_->index(0, 0)).row());
  } else {
    select_timer(-1);
  }
}

void TimersView::on_current_changed() {
  const QModelIndex current = proxy_->mapToSource(table_->currentIndex());
  select_timer(current.isValid() ? current.row() : -1);
}

void TimersView::select_timer(int row) {
  if (row < 0 || row >= timers_->rowCount()) {
    held_only_->set_rows({});
    task_classes_->set_rows({});
    details_->setText(
        timers_->rowCount() == 0
            ? tr("<i>No java.util.Timer or ScheduledThreadPoolExecutor in the dump.</i>")
            : QString());
    return;
  }
  const auto& t = timers_->timer(row);
  QString html =
      tr("<b>%1</b> <a href=\"object:%2\">%2</a>, queue <a href=\"object:%3\">%3</a>, "
         "thread \"%4\" (%5)")
          .arg(dump_text(t.klass).toHtmlEscaped(), hex_id(t.object_id), hex_id(t.queue_id),
               dump_text(t.thread_name).toHtmlEscaped(), t.alive ? tr("alive") : tr("not alive"));
  if (t.new_tasks_may_be_scheduled) {
    html += tr(", newTasksMayBeScheduled %1").arg(yes_no(t.new_tasks_may_be_scheduled));
  }
  if (t.remove_on_cancel) html += tr(", removeOnCancel %1").arg(yes_no(t.remove_on_cancel));
  html += tr("<br>%1 tasks: %2 scheduled, %3 cancelled, %4 executed, %5 virgin. Cancelled tasks "
             "alone keep <b>%6 objects, %7</b> alive.")
              .arg(with_commas(t.queue_size), with_commas(t.tasks.scheduled),
                   with_commas(t.tasks.cancelled), with_commas(t.tasks.executed),
                   with_commas(t.tasks.virgin), with_commas(t.held_only_count),
                   human_bytes(t.held_only_bytes));
  details_->setText(html);
  held_only_->set_rows(t.held_only_by_class);
  task_classes_->set_rows(t.task_classes);
  held_only_table_->resizeColumnToContents(ClassCountModel::kCount);
  task_class_table_->resizeColumnToContents(ClassCountModel::kCount);
  task_class_table_->setColumnHidden(ClassCountModel::kBytes, !task_classes_->has_bytes());
}

}  // namespace heapscope::gui
