// The first tab: the verdict, the findings as cards (most severe first), the heap in numbers
// and two bar charts (biggest dominators, classes that retain most).
#pragma once

#include <QScrollArea>

#include "analysis_session.h"

class QLabel;
class QVBoxLayout;

namespace heapscope::gui {

class BarChart;
class FindingsModel;

class OverviewView : public QScrollArea {
  Q_OBJECT

 public:
  explicit OverviewView(QWidget* parent = nullptr);

  // Stage 1: what the index tells, while the analysis still runs.
  void show_index_summary(const IndexSummary& summary);
  // Stage 2: the report (findings first), while the views that need the session wait.
  void show_report(const ReportPtr& report);
  // Stage 3: the session; shows its report unless show_report() showed it already.
  void set_session(const SessionPtr& session);
  void clear();

  FindingsModel* findings_model() const { return findings_; }
  BarChart* dominators_chart() const { return dominators_chart_; }
  BarChart* classes_chart() const { return classes_chart_; }

 signals:
  void object_activated(quint64 object_id);

 private:
  void rebuild_cards();
  void show_verdict(const analysis::Report& report);
  void show_summary(const analysis::Report& report);
  void show_charts(const analysis::Report& report);

  ReportPtr report_;  // the report shown, if any
  FindingsModel* findings_;
  QLabel* verdict_;
  QWidget* cards_;
  QVBoxLayout* cards_layout_;
  QLabel* summary_;
  BarChart* dominators_chart_;
  BarChart* classes_chart_;
};

}  // namespace heapscope::gui
