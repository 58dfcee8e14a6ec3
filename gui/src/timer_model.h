// Every java.util.Timer and ScheduledThreadPoolExecutor in the dump: its thread, queue, tasks by
// state, what its cancelled tasks alone keep alive and when they would leave by themselves.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "heapscope/analysis/report.h"

namespace heapscope::gui {

class TimerModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    kThread,
    kKind,
    kAlive,
    kQueueSize,
    kCapacity,
    kScheduled,
    kCancelled,
    kExecuted,
    kVirgin,
    kHeldOnlyCount,
    kHeldOnlyBytes,
    kHeadState,
    kHeadDue,
    kLastCancelledLeaves,
    kLibrary,
    kObjectId,
    kColumnCount
  };

  explicit TimerModel(QObject* parent = nullptr);
  void set_timers(std::vector<analysis::TimerReport> timers);
  const analysis::TimerReport& timer(int row) const { return timers_[static_cast<size_t>(row)]; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QVariant display(const analysis::TimerReport& t, int column) const;
  QVariant sort_key(const analysis::TimerReport& t, int column) const;
  std::vector<analysis::TimerReport> timers_;
};

}  // namespace heapscope::gui
