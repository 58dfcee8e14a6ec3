#include "finalizer_view.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

#include "cleaner_model.h"
#include "finalizer_class_model.h"
#include "format.h"
#include "item_roles.h"
#include "object_views.h"

namespace heapscope::gui {

namespace {

QString esc(const std::string& s) {
  return dump_text(s).toHtmlEscaped();
}

QString verdict_colour(const std::string& verdict) {
  if (verdict == "blocked" || verdict == "absent") return QStringLiteral("#c62828");
  if (verdict == "running" || verdict == "sleeping") return QStringLiteral("#d98c00");
  return QStringLiteral("#1d7a4f");
}

}  // namespace

FinalizerView::FinalizerView(QWidget* parent)
    : QWidget(parent),
      model_(new FinalizerClassModel(this)),
      proxy_(new QSortFilterProxyModel(this)),
      cleaners_(new CleanerModel(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(12, 12, 12, 12);

  auto* top = new QHBoxLayout;
  auto* thread_box = new QGroupBox(tr("Finalizer thread"), this);
  auto* tl = new QVBoxLayout(thread_box);
  thread_ = new QLabel(thread_box);
  thread_->setTextFormat(Qt::RichText);
  thread_->setWordWrap(true);
  thread_->setTextInteractionFlags(Qt::TextBrowserInteraction);
  tl->addWidget(thread_);
  stack_ = new QPlainTextEdit(thread_box);
  stack_->setReadOnly(true);
  stack_->setLineWrapMode(QPlainTextEdit::NoWrap);
  QFont mono(QStringLiteral("monospace"));
  mono.setStyleHint(QFont::Monospace);
  stack_->setFont(mono);
  stack_->setMaximumHeight(stack_->fontMetrics().height() * 9);
  tl->addWidget(stack_);
  top->addWidget(thread_box, 3);

  auto* totals_box = new QGroupBox(tr("Finalizable objects"), this);
  auto* bl = new QVBoxLayout(totals_box);
  totals_ = new QLabel(totals_box);
  totals_->setTextFormat(Qt::RichText);
  totals_->setWordWrap(true);
  bl->addWidget(totals_);
  bl->addStretch(1);
  top->addWidget(totals_box, 2);
  layout->addLayout(top);

  auto* per_class = new QLabel(tr("<b>Per class</b> (class of the object waiting for "
                                  "finalization)"),
                               this);
  layout->addWidget(per_class);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(kSortRole);
  table_ = ObjectViews::make_table(this);
  table_->setModel(proxy_);
  table_->horizontalHeader()->setSectionResizeMode(FinalizerClassModel::kClass,
                                                   QHeaderView::Stretch);
  table_->sortByColumn(FinalizerClassModel::kHeldOnlyBytes, Qt::DescendingOrder);
  layout->addWidget(table_, 1);

  layout->addWidget(new QLabel(tr("<b>Cleaners</b> (java.lang.ref.Cleaner and the internal "
                                  "lists; on Android the native memory of each "
                                  "NativeAllocationRegistry; a never-cleanable "
                                  "registration's action reaches its own object)"),
                               this));
  cleaner_tree_ = new QTreeView(this);
  cleaner_tree_->setModel(cleaners_);
  cleaner_tree_->setUniformRowHeights(true);
  cleaner_tree_->header()->setSectionResizeMode(CleanerModel::kName, QHeaderView::Stretch);
  layout->addWidget(cleaner_tree_, 1);
  connect(cleaner_tree_, &QTreeView::activated, this, [this](const QModelIndex& index) {
    const QVariant id = index.data(kObjectIdRole);
    if (id.isValid()) emit object_activated(id.toULongLong());
  });

  connect(thread_, &QLabel::linkActivated, this, [this](const QString& link) {
    if (auto id = parse_object_id(link.mid(7))) emit object_activated(*id);
  });
  clear();
}

void FinalizerView::clear() {
  model_->set_rows({});
  cleaners_->set_cleaners({});
  thread_->setText(tr("<i>No dump loaded.</i>"));
  totals_->clear();
  stack_->clear();
}

void FinalizerView::set_session(const SessionPtr& session) {
  if (!session) {
    clear();
    return;
  }
  const auto& r = session->report().finalizer;
  show_thread(r);
  show_totals(r);
  model_->set_rows(r.by_class);
  cleaners_->set_cleaners(session->report().cleaners);
  cleaner_tree_->expandAll();
  for (int c = 1; c < FinalizerClassModel::kColumnCount; ++c) table_->resizeColumnToContents(c);
}

// Android's FinalizerWatchdogDaemon: its verdict and the finalize() it times ("" on the JVM).
QString watchdog_html(const analysis::FinalizerWatchdogReport& w) {
  if (!w.present) return {};
  const QString colour = w.verdict == "stuck"      ? QStringLiteral("#c62828")
                         : w.verdict == "watching" ? QStringLiteral("#d98c00")
                                                   : QStringLiteral("#2e7d32");
  QString html = FinalizerView::tr("<br>Watchdog %1 <b style='color:%2'>%3</b>")
                     .arg(w.thread_name.empty() ? FinalizerView::tr("(no thread)")
                                                : QStringLiteral("\"%1\"").arg(esc(w.thread_name)),
                          colour, esc(w.verdict));
  if (w.watched_object_id) {
    html += FinalizerView::tr(", timing %1.finalize() of <a href=\"object:%2\">%2</a>")
                .arg(esc(w.watched_class), hex_id(w.watched_object_id));
  }
  if (w.verdict == "stuck" || w.verdict == "watching")
    html += FinalizerView::tr(" (it kills the app when one finalize() takes 10 s)");
  return html;
}

void FinalizerView::show_thread(const analysis::FinalizerReport& r) {
  const auto& t = r.thread;
  if (!r.machinery_present) {
    thread_->setText(tr("The dump has no java.lang.ref.Finalizer: nothing is finalizable."));
    stack_->clear();
    return;
  }
  if (!t.present) {
    thread_->setText(
        tr("<span style='color:#c62828'><b>No Finalizer thread</b></span> in the "
           "dump: nothing runs finalize()."));
    stack_->clear();
    return;
  }
  QString html = QStringLiteral(
                     "<span style='font-size:13pt'>\"%1\" <b style='color:%2'>%3</b></span>"
                     "&nbsp; %4")
                     .arg(esc(t.name), verdict_colour(t.verdict), esc(t.verdict),
                          tr("(Thread.State %1)").arg(esc(t.state)));
  if (t.object_id) {
    html += QStringLiteral(" &nbsp;<a href=\"object:%1\">%1</a>").arg(hex_id(t.object_id));
  }
  if (!t.finalize_class.empty()) {
    html += tr("<br>Running <b>%1.finalize()</b>").arg(esc(t.finalize_class));
  }
  if (!t.blocked_on.empty()) html += tr("<br>Waiting for %1").arg(esc(t.blocked_on));
  if (!r.enabled) html += tr("<br>Finalization is disabled (--finalization=disabled).");
  html += watchdog_html(r.watchdog);
  thread_->setText(html);
  QStringList frames;
  for (const auto& f : t.frames) frames << QStringLiteral("at ") + dump_text(f);
  stack_->setPlainText(frames.isEmpty() ? tr("(no stack in the dump)") : frames.join('\n'));
}

void FinalizerView::show_totals(const analysis::FinalizerReport& r) {
  auto line = [](const QString& key, const QString& value) {
    return QStringLiteral(
               "<tr><td style='color:#555; padding-right:14px'>%1</td>"
               "<td align='right'><b>%2</b></td></tr>")
        .arg(key, value);
  };
  QString html = QStringLiteral("<table>");
  html += line(tr("Registered"), with_commas(r.registered));
  html += line(tr("Pending (queued)"), with_commas(r.pending));
  html += line(tr("Being finalized"), with_commas(r.being_finalized));
  html += line(tr("Finalized, not collected"), with_commas(r.finalized_not_collected));
  if (r.queue_length_field) {
    html +=
        line(tr("Queue length field"),
             *r.queue_length_field >= 0 ? with_commas(static_cast<uint64_t>(*r.queue_length_field))
                                        : QString::number(*r.queue_length_field));
  }
  html += line(tr("Unfinalized list"), with_commas(r.longest_chain));
  // The sum of the table's held-only column (analysis/src/analyzers/finalizer.cpp).
  html += line(tr("Held only by finalization"),
               r.held_only_count == 0
                   ? tr("nothing")
                   : tr("%1 objects, %2")
                         .arg(with_commas(r.held_only_count), human_bytes(r.held_only_bytes)));
  if (r.bookkeeping_count > 0) {
    html += line(tr("Their Finalizer objects"),
                 tr("%1 objects, %2")
                     .arg(with_commas(r.bookkeeping_count), human_bytes(r.bookkeeping_bytes)));
  }
  html += QStringLiteral("</table>");
  totals_->setText(html);
}

}  // namespace heapscope::gui
