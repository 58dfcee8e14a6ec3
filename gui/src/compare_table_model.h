// The tables of the Compare view: rows of cells (text, the value to sort by, and for a delta its
// sign, which colours it), built from a ReportDiff or a Trend by the functions below. One
// generic model, so that every table sorts, aligns and colours the same way.
#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <vector>

#include "heapscope/analysis/report_diff.h"
#include "heapscope/analysis/trend.h"

namespace heapscope::gui {

struct CompareCell {
  QString text;
  QVariant sort;       // kSortRole: numbers as numbers
  int delta_sign = 0;  // +1 growth (shown red), -1 shrink (green), 0 plain
  bool number = false;
};

class CompareTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  using Row = std::vector<CompareCell>;
  explicit CompareTableModel(QObject* parent = nullptr);
  void set_rows(QStringList headers, std::vector<Row> rows);
  // The column with this header, or -1.
  int column(const QString& header) const { return static_cast<int>(headers_.indexOf(header)); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QStringList headers_;
  std::vector<Row> rows_;
};

// Each fills `model` with one table of the comparison.
// Class | Loader | Instances | Δ instances | Shallow | Δ shallow | Retained | Δ retained
// (every class that changed, in the diff's order: biggest retained growth first).
void fill_class_table(CompareTableModel& model, const analysis::ReportDiff& diff);
// Change | Severity | Finding | Kind | Retained before | Retained now | Δ retained
void fill_finding_table(CompareTableModel& model, const analysis::ReportDiff& diff);
// Class | Registered | Δ registered | Pending | Δ pending | Being finalized | Δ being finalized |
// Held only | Δ held only
void fill_finalizer_table(CompareTableModel& model, const analysis::ReportDiff& diff);
// Queue | Thread | Class | In | Queue size | Δ queue size | Scheduled | Δ scheduled | Cancelled |
// Δ cancelled | Held-only tasks | Δ held-only tasks | Held only | Δ held only
void fill_queue_table(CompareTableModel& model, const analysis::ReportDiff& diff);
// Metric | Key | Dump 1 ... Dump n | Rate per hour | Time to limit
void fill_series_table(CompareTableModel& model, const analysis::Trend& trend);

// "timer.held_only_bytes" and "heap.reachable_bytes" count bytes; the others objects.
bool metric_is_bytes(const std::string& metric);
// A value of the metric: "2.4 MiB" or "1,500".
QString metric_value(const std::string& metric, double value);
// "+1,500 per hour", "+2.4 MiB per hour".
QString metric_rate(const std::string& metric, double rate_per_hour);
// "in 3.2 h" (an ETA in hours); "—" when absent.
QString eta_text(const std::optional<double>& hours);

}  // namespace heapscope::gui
