// The main window: File ▸ Open / Open Recent / Export, drag and drop, loading in the background
// with progress and Cancel in the status bar, and the views (Overview, Finalizer, Timers,
// Dominator tree, Histogram, Compare) plus the object inspector in a dock. File ▸ Compare With…
// loads more dumps of the same JVM into the Compare view (main_window_compare.cpp). View ▸
// Retained Sizes switches between the two retained-size conventions (Eclipse MAT's, strong
// references only): the dump is analysed again in the background with the same progress and
// Cancel, the old figures stay on screen until the new ones replace them in every view, and a
// cancel keeps the old ones.
#pragma once

#include <QMainWindow>
#include <optional>

#include "analysis_session.h"
#include "report_exporter.h"

class QDockWidget;
class QLabel;
class QMenu;
class QStackedWidget;
class QTabWidget;

namespace heapscope::gui {

class CompareLoader;
class CompareView;
class DominatorView;
class FinalizerView;
class FindingsModel;
class HistogramView;
class LoadStatus;
class Loader;
class ObjectInspector;
class OverviewView;
class TimersView;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  enum class View { kOverview, kFinalizer, kTimers, kDominators, kHistogram, kCompare };
  // "overview", "finalizer", "timers", "dominators", "histogram", "compare".
  static std::optional<View> view_from_name(const QString& name);

  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Loads in the background; the window stays usable and shows the stages as they finish.
  void open_dump(const QString& path);
  // Loads on the calling (GUI) thread; returns false after reporting the error.
  bool open_dump_sync(const QString& path);
  void cancel_load();
  // Compares the open dump with `others` (same JVM) in the background and shows the Compare view;
  // `heap_limit_bytes` gives the trend its time to the limit.
  void compare_with(const QStringList& others, std::optional<uint64_t> heap_limit_bytes = {});
  // The same on the calling (GUI) thread; false after reporting the error.
  bool compare_with_sync(const QStringList& others, std::optional<uint64_t> heap_limit_bytes = {});
  void show_view(View view);
  // Retained sizes by this convention from now on: reanalyses the open (or loading) dump.
  void set_retained_convention(analysis::EdgeFilter convention);
  analysis::EdgeFilter retained_convention() const { return convention_; }
  QAction* convention_action(analysis::EdgeFilter convention) const;
  // Shows the object in the inspector; false when the dump has no such object.
  bool open_object(quint64 object_id);
  // Writes the report without asking; returns "" or the error.
  QString export_report(ReportExporter::Format format, const QString& path);

  const SessionPtr& session() const { return session_; }
  Loader* loader() const { return loader_; }
  LoadStatus* load_status() const { return load_status_; }
  QTabWidget* tabs() const { return tabs_; }
  OverviewView* overview() const { return overview_; }
  FindingsModel* findings_model() const;
  FinalizerView* finalizer_view() const { return finalizer_; }
  TimersView* timers_view() const { return timers_; }
  DominatorView* dominator_view() const { return dominators_; }
  HistogramView* histogram_view() const { return histogram_; }
  CompareView* compare_view() const { return compare_; }
  CompareLoader* compare_loader() const { return compare_loader_; }
  ObjectInspector* inspector() const { return inspector_; }
  QDockWidget* inspector_dock() const { return inspector_dock_; }

 signals:
  void session_loaded(const QString& path);
  void load_cancelled(const QString& path);
  void comparison_ready();
  // Every error the user is told about, in the words of the library (Error::describe()).
  void error_reported(const QString& message);

 protected:
  // How an error reaches the user; a QMessageBox here. Tests override it (no modal dialog).
  virtual void present_error(const QString& title, const QString& message);
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void create_menus();
  void rebuild_recent_menu();
  void choose_and_open();
  void choose_and_export();
  void choose_and_compare();
  void connect_compare_loader();
  QStringList compare_paths(const QStringList& others) const;
  void go_to_object();
  void report_error(const QString& title, const QString& message);
  void on_started(const QString& path);
  void on_indexed(const IndexSummary& summary);
  void on_reported(const ReportPtr& report);
  void on_loaded(const SessionPtr& session);
  void on_failed(const QString& path, const QString& message);
  void on_cancelled(const QString& path);
  void set_session(SessionPtr session);
  void update_actions();
  void sync_convention_actions();
  void revert_convention();

  Loader* loader_;
  SessionPtr session_;
  QStackedWidget* pages_;
  QWidget* welcome_;
  QTabWidget* tabs_;
  OverviewView* overview_;
  FinalizerView* finalizer_;
  TimersView* timers_;
  DominatorView* dominators_;
  HistogramView* histogram_;
  CompareView* compare_;
  CompareLoader* compare_loader_;
  QString compare_prefix_;  // "dump 2 of 4: " before the phase while comparing
  ObjectInspector* inspector_;
  QDockWidget* inspector_dock_;
  LoadStatus* load_status_;
  QLabel* summary_label_;
  QMenu* recent_menu_ = nullptr;
  QList<QAction*> session_actions_;
  analysis::EdgeFilter convention_ = analysis::EdgeFilter::kAll;
  QAction* mat_action_ = nullptr;
  QAction* strong_action_ = nullptr;
  // The load in progress reanalyses the shown dump: the old session stays until it is done.
  bool reloading_ = false;
};

}  // namespace heapscope::gui
