// The Compare tab: several dumps of one JVM side by side as the analysis library compares them
// (Comparison: ReportDiff oldest -> newest, Trend over every dump). A summary line, the heap
// limit that gives the trend its ETA, and tabs: Classes (per (class, loader) deltas, biggest
// growth first, sortable), Findings (appeared, grew, shrank, went away), Finalizer & queues,
// Trend (a small chart per series with three or more dumps, and the series table).
#pragma once

#include <QWidget>
#include <vector>

#include "comparison.h"

class QGridLayout;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace heapscope::gui {

class CompareTableModel;
class TrendChart;

class CompareView : public QWidget {
  Q_OBJECT

 public:
  explicit CompareView(QWidget* parent = nullptr);
  void set_comparison(ComparisonPtr comparison);
  const ComparisonPtr& comparison() const { return comparison_; }
  // Recomputes the trend with this -Xmx (nullopt: none) through Comparison::with_heap_limit.
  void set_heap_limit(std::optional<uint64_t> bytes);

  enum class Page { kClasses, kFindings, kFinalizerQueues, kTrend };
  void show_page(Page page);

  CompareTableModel* class_model() const { return classes_; }
  CompareTableModel* finding_model() const { return findings_; }
  CompareTableModel* finalizer_model() const { return finalizer_; }
  CompareTableModel* queue_model() const { return queues_; }
  CompareTableModel* series_model() const { return series_; }
  QTableView* class_table() const { return class_table_; }
  const std::vector<TrendChart*>& charts() const { return charts_; }
  QLabel* summary_label() const { return summary_; }
  QLineEdit* heap_limit_edit() const { return limit_; }

 private:
  QTableView* add_table(CompareTableModel* model, int default_sort_column);
  void rebuild_charts();
  void update_summary();

  ComparisonPtr comparison_;
  QStackedWidget* stack_;
  QLabel* empty_;
  QLabel* summary_;
  QLineEdit* limit_;
  QTabWidget* tabs_;
  CompareTableModel* classes_;
  CompareTableModel* findings_;
  CompareTableModel* finalizer_;
  CompareTableModel* queues_;
  CompareTableModel* series_;
  QTableView* class_table_ = nullptr;
  std::vector<QTableView*> tables_;
  QWidget* chart_box_;
  QGridLayout* chart_grid_;
  QLabel* chart_note_;
  std::vector<TrendChart*> charts_;
};

}  // namespace heapscope::gui
