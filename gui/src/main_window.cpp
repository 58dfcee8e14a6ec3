#include "main_window.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>

#include "compare_loader.h"
#include "compare_view.h"
#include "dominator_view.h"
#include "finalizer_view.h"
#include "format.h"
#include "histogram_view.h"
#include "load_status.h"
#include "loader.h"
#include "object_inspector.h"
#include "overview_view.h"
#include "recent_files.h"
#include "timers_view.h"
#include "welcome_page.h"

namespace heapscope::gui {

std::optional<MainWindow::View> MainWindow::view_from_name(const QString& name) {
  const QString n = name.toLower();
  if (n == QLatin1String("overview")) return View::kOverview;
  if (n == QLatin1String("finalizer")) return View::kFinalizer;
  if (n == QLatin1String("timers")) return View::kTimers;
  if (n == QLatin1String("dominators")) return View::kDominators;
  if (n == QLatin1String("histogram")) return View::kHistogram;
  if (n == QLatin1String("compare")) return View::kCompare;
  return std::nullopt;
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), loader_(new Loader(this)), compare_loader_(new CompareLoader(this)) {
  setWindowTitle(tr("Heapscope"));
  setAcceptDrops(true);
  pages_ = new QStackedWidget(this);
  auto* welcome = new WelcomePage(pages_);
  welcome_ = welcome;
  tabs_ = new QTabWidget(pages_);
  tabs_->setDocumentMode(true);
  overview_ = new OverviewView(tabs_);
  finalizer_ = new FinalizerView(tabs_);
  timers_ = new TimersView(tabs_);
  dominators_ = new DominatorView(tabs_);
  histogram_ = new HistogramView(tabs_);
  compare_ = new CompareView(tabs_);
  tabs_->addTab(overview_, tr("Overview"));
  tabs_->addTab(finalizer_, tr("Finalizer"));
  tabs_->addTab(timers_, tr("Timers"));
  tabs_->addTab(dominators_, tr("Dominator tree"));
  tabs_->addTab(histogram_, tr("Histogram"));
  tabs_->addTab(compare_, tr("Compare"));
  pages_->addWidget(welcome_);
  pages_->addWidget(tabs_);
  setCentralWidget(pages_);

  inspector_ = new ObjectInspector(this);
  inspector_dock_ = new QDockWidget(tr("Object inspector"), this);
  inspector_dock_->setObjectName(QStringLiteral("inspectorDock"));
  inspector_dock_->setWidget(inspector_);
  addDockWidget(Qt::RightDockWidgetArea, inspector_dock_);
  inspector_dock_->hide();

  load_status_ = new LoadStatus(statusBar());
  statusBar()->addWidget(load_status_);
  summary_label_ = new QLabel(statusBar());
  statusBar()->addPermanentWidget(summary_label_);

  create_menus();
  connect(welcome, &WelcomePage::open_requested, this, &MainWindow::choose_and_open);
  connect(welcome, &WelcomePage::recent_requested, this, &MainWindow::open_dump);
  connect(load_status_, &LoadStatus::cancel_requested, this, &MainWindow::cancel_load);
  connect(loader_, &Loader::started, this, &MainWindow::on_started);
  connect(loader_, &Loader::phase_changed, load_status_, &LoadStatus::set_phase);
  connect(loader_, &Loader::progressed, load_status_, &LoadStatus::set_done);
  connect(loader_, &Loader::indexed, this, &MainWindow::on_indexed);
  connect(loader_, &Loader::reported, this, &MainWindow::on_reported);
  connect(loader_, &Loader::loaded, this, &MainWindow::on_loaded);
  connect(loader_, &Loader::failed, this, &MainWindow::on_failed);
  connect(loader_, &Loader::cancelled, this, &MainWindow::on_cancelled);
  connect_compare_loader();
  auto open = [this](quint64 id) { open_object(id); };
  connect(overview_, &OverviewView::object_activated, this, open);
  connect(finalizer_, &FinalizerView::object_activated, this, open);
  connect(timers_, &TimersView::object_activated, this, open);
  connect(dominators_, &DominatorView::object_activated, this, open);
  connect(histogram_, &HistogramView::object_activated, this, open);
  connect(inspector_, &ObjectInspector::message, this,
          [this](const QString& text) { statusBar()->showMessage(text, 6000); });
  resize(1280, 820);
  QSettings settings;
  restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
  inspector_dock_->hide();  // until an object is opened
  update_actions();
}

MainWindow::~MainWindow() = default;

FindingsModel* MainWindow::findings_model() const {
  return overview_->findings_model();
}

void MainWindow::create_menus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open\u2026"), QKeySequence::Open, this, &MainWindow::choose_and_open);
  recent_menu_ = file->addMenu(tr("Open &Recent"));
  connect(recent_menu_, &QMenu::aboutToShow, this, &MainWindow::rebuild_recent_menu);
  session_actions_ << file->addAction(tr("&Compare With\u2026"), QKeySequence(tr("Ctrl+K")), this,
                                      &MainWindow::choose_and_compare);
  session_actions_ << file->addAction(tr("&Export Report\u2026"), QKeySequence(tr("Ctrl+E")), this,
                                      &MainWindow::choose_and_export);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  const QStringList names = {tr("&Overview"),       tr("&Finalizer"), tr("&Timers"),
                             tr("&Dominator tree"), tr("&Histogram"), tr("&Compare")};
  for (int i = 0; i < names.size(); ++i) {
    session_actions_ << view->addAction(names[i],
                                        QKeySequence(QStringLiteral("Ctrl+%1").arg(i + 1)), this,
                                        [this, i] { show_view(static_cast<View>(i)); });
  }
  view->addSeparator();
  QMenu* sizes = view->addMenu(tr("&Retained Sizes"));
  auto* conventions = new QActionGroup(this);
  mat_action_ = sizes->addAction(tr("&Eclipse MAT (every reference retains)"), this,
                                 [this] { set_retained_convention(analysis::EdgeFilter::kAll); });
  strong_action_ =
      sizes->addAction(tr("&Strong References Only (Reference.referent does not retain)"), this,
                       [this] { set_retained_convention(analysis::EdgeFilter::kStrongOnly); });
  for (QAction* a : {mat_action_, strong_action_}) {
    a->setCheckable(true);
    conventions->addAction(a);
  }
  sync_convention_actions();
  view->addSeparator();
  view->addAction(inspector_dock_->toggleViewAction());

  QMenu* go = menuBar()->addMenu(tr("&Go"));
  session_actions_ << go->addAction(tr("&Back"), QKeySequence::Back, inspector_,
                                    &ObjectInspector::go_back);
  session_actions_ << go->addAction(tr("&Forward"), QKeySequence::Forward, inspector_,
                                    &ObjectInspector::go_forward);
  session_actions_ << go->addAction(tr("Go to &Object\u2026"), QKeySequence(tr("Ctrl+G")), this,
                                    &MainWindow::go_to_object);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Heapscope"), this, [this] {
    QMessageBox::about(this, tr("About Heapscope"),
                       tr("<b>Heapscope %1</b><br>JVM heap dump analyzer: finalizer backlogs and "
                          "java.util.Timer retention, dominator tree, class histogram.")
                           .arg(QApplication::applicationVersion()));
  });
}

QAction* MainWindow::convention_action(analysis::EdgeFilter convention) const {
  return convention == analysis::EdgeFilter::kAll ? mat_action_ : strong_action_;
}

void MainWindow::sync_convention_actions() {
  mat_action_->setChecked(convention_ == analysis::EdgeFilter::kAll);
  strong_action_->setChecked(convention_ == analysis::EdgeFilter::kStrongOnly);
}

void MainWindow::set_retained_convention(analysis::EdgeFilter convention) {
  if (convention == convention_) return;
  convention_ = convention;
  sync_convention_actions();
  if (loader_->busy()) {
    loader_->start(loader_->path(), convention_);  // the same load again, by the new convention
  } else if (session_) {
    reloading_ = true;
    loader_->start(session_->path(), convention_);
  }
}

void MainWindow::rebuild_recent_menu() {
  recent_menu_->clear();
  const QStringList files = RecentFiles::list();
  for (int i = 0; i < files.size(); ++i) {
    const QString path = files[i];
    recent_menu_->addAction(QStringLiteral("&%1  %2").arg(i + 1).arg(path), this,
                            [this, path] { open_dump(path); });
  }
  if (files.isEmpty()) recent_menu_->addAction(tr("(none)"))->setEnabled(false);
  recent_menu_->addSeparator();
  recent_menu_->addAction(tr("&Clear Recent Files"), this, [this] {
    RecentFiles::clear();
    static_cast<WelcomePage*>(welcome_)->refresh();
  });
}

void MainWindow::update_actions() {
  for (QAction* a : session_actions_) a->setEnabled(session_ != nullptr);
}

void MainWindow::choose_and_open() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open Heap Dump"), QString(),
      tr("Heap dumps (*.hprof *.hprof.gz *.hprof.zst *.bin);;All files (*)"));
  if (!path.isEmpty()) open_dump(path);
}

void MainWindow::open_dump(const QString& path) {
  if (!QFileInfo(path).isFile()) {
    RecentFiles::remove(path);
    report_error(tr("Cannot open %1").arg(QFileInfo(path).fileName()),
                 tr("cannot open %1: no such file").arg(path));
    return;
  }
  RecentFiles::add(path);
  static_cast<WelcomePage*>(welcome_)->refresh();
  compare_loader_->cancel();  // it compares the dump that is being replaced
  reloading_ = false;
  loader_->start(path, convention_);
}

bool MainWindow::open_dump_sync(const QString& path) {
  on_started(path);
  auto result = AnalysisSession::open(
      path, nullptr, [this](const IndexSummary& s) { on_indexed(s); },
      [this](const ReportPtr& r) { on_reported(r); }, convention_);
  if (!result) {
    on_failed(path, QString::fromStdString(result.error().describe()));
    return false;
  }
  on_loaded(result.value());
  return true;
}

void MainWindow::cancel_load() {
  loader_->cancel();
  compare_loader_->cancel();
}

void MainWindow::on_started(const QString& path) {
  statusBar()->clearMessage();  // a message would hide the progress
  load_status_->start(path);
  load_status_->setToolTip(tr("Loading %1").arg(path));
}

void MainWindow::on_indexed(const IndexSummary& summary) {
  if (reloading_) return;  // the old figures stay until the new ones are ready
  set_session(nullptr);
  compare_->set_comparison(nullptr);
  pages_->setCurrentWidget(tabs_);
  tabs_->setCurrentWidget(overview_);
  overview_->show_index_summary(summary);
  setWindowTitle(
      tr("%1 \u2014 Heapscope (analysing\u2026)").arg(QFileInfo(summary.path).fileName()));
  summary_label_->setText(tr("%1 objects \u00b7 %2 classes")
                              .arg(with_commas(summary.objects), with_commas(summary.classes)));
}

void MainWindow::on_reported(const ReportPtr& report) {
  // The findings come first; the other views follow with the session.
  if (!reloading_) overview_->show_report(report);
}

void MainWindow::on_loaded(const SessionPtr& session) {
  load_status_->stop();
  statusBar()->clearMessage();
  const bool reloaded = reloading_;
  reloading_ = false;
  set_session(session);
  if (reloaded) {
    statusBar()->showMessage(session->convention() == analysis::EdgeFilter::kAll
                                 ? tr("Retained sizes by the Eclipse MAT convention")
                                 : tr("Retained sizes by strong references only"),
                             6000);
  }
  emit session_loaded(session->path());
}

void MainWindow::on_failed(const QString& path, const QString& message) {
  load_status_->stop();
  revert_convention();
  statusBar()->clearMessage();
  if (!session_) pages_->setCurrentWidget(welcome_);
  report_error(tr("Cannot open %1").arg(QFileInfo(path).fileName()), message);
}

void MainWindow::on_cancelled(const QString& path) {
  load_status_->stop();
  revert_convention();
  if (!session_) {
    pages_->setCurrentWidget(welcome_);
    setWindowTitle(tr("Heapscope"));
    summary_label_->clear();
  }
  statusBar()->showMessage(tr("Loading %1 was cancelled").arg(QFileInfo(path).fileName()), 6000);
  emit load_cancelled(path);
}

void MainWindow::revert_convention() {
  // A reanalysis that did not finish leaves the shown session, and its convention, in place.
  reloading_ = false;
  if (session_ && session_->convention() != convention_) {
    convention_ = session_->convention();
    sync_convention_actions();
  }
}

void MainWindow::set_session(SessionPtr session) {
  session_ = std::move(session);
  if (session_) {
    overview_->set_session(session_);
  } else {
    overview_->clear();
  }
  finalizer_->set_session(session_);
  timers_->set_session(session_);
  dominators_->set_session(session_);
  histogram_->set_session(session_);
  inspector_->set_session(session_);
  update_actions();
  if (!session_) return;
  const auto& r = session_->report();
  pages_->setCurrentWidget(tabs_);
  setWindowTitle(tr("%1 \u2014 Heapscope").arg(QFileInfo(session_->path()).fileName()));
  summary_label_->setText(tr("%1 objects \u00b7 %2 classes \u00b7 %3 reachable")
                              .arg(with_commas(r.summary.objects), with_commas(r.summary.classes),
                                   human_bytes(r.summary.reachable_bytes)));
}

void MainWindow::show_view(View view) {
  pages_->setCurrentWidget(tabs_);
  tabs_->setCurrentIndex(static_cast<int>(view));
}

bool MainWindow::open_object(quint64 object_id) {
  if (!session_) return false;
  if (inspector_dock_->isHidden()) {
    inspector_dock_->show();
    resizeDocks({inspector_dock_}, {std::max(440, width() * 2 / 5)}, Qt::Horizontal);
  }
  return inspector_->show_object(object_id);
}

void MainWindow::go_to_object() {
  bool ok = false;
  const QString text = QInputDialog::getText(this, tr("Go to Object"), tr("Object id:"),
                                             QLineEdit::Normal, QString(), &ok);
  if (!ok || text.isEmpty()) return;
  if (auto id = parse_object_id(text)) {
    open_object(*id);
  } else {
    statusBar()->showMessage(tr("\"%1\" is not an object id").arg(text), 6000);
  }
}

QString MainWindow::export_report(ReportExporter::Format format, const QString& path) {
  if (!session_) return tr("no dump is loaded");
  return ReportExporter::write(session_->report(), format, path);
}

void MainWindow::choose_and_export() {
  if (!session_) return;
  QString filter;
  const QString base =
      QFileInfo(session_->path()).completeBaseName() + QStringLiteral("-report.html");
  QString path = QFileDialog::getSaveFileName(this, tr("Export Report"), base,
                                              ReportExporter::dialog_filters(), &filter);
  if (path.isEmpty()) return;
  const auto format =
      ReportExporter::format_for(filter, path).value_or(ReportExporter::Format::kHtml);
  if (QFileInfo(path).suffix().isEmpty())
    path += QLatin1Char('.') + ReportExporter::extension(format);
  const QString error = export_report(format, path);
  if (!error.isEmpty()) {
    report_error(tr("Cannot export the report"), tr("cannot write %1: %2").arg(path, error));
    return;
  }
  statusBar()->showMessage(tr("Report written to %1").arg(path), 6000);
}

void MainWindow::report_error(const QString& title, const QString& message) {
  emit error_reported(message);
  present_error(title, message);
}

void MainWindow::present_error(const QString& title, const QString& message) {
  QMessageBox::critical(this, title, message);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  const auto urls = event->mimeData()->urls();
  if (!urls.isEmpty() && urls.first().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const auto urls = event->mimeData()->urls();
  if (urls.isEmpty() || !urls.first().isLocalFile()) return;
  event->acceptProposedAction();
  open_dump(urls.first().toLocalFile());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  loader_->cancel();
  compare_loader_->cancel();
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  QMainWindow::closeEvent(event);
}

}  // namespace heapscope::gui
