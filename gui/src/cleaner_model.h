// Cleaners as a tree: one row per Cleaner (thread, registered, pending, never cleanable, what
// those keep alive, Android native bytes, the thread's verdict), under it its classes of
// referent, its Android NativeAllocationRegistries and a few never-cleanable registrations,
// each naming the referent (kObjectIdRole) and the path from its action to it.
#pragma once

#include <QAbstractItemModel>
#include <vector>

#include "heapscope/analysis/report.h"

namespace heapscope::gui {

class CleanerModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column {
    kName,
    kRegistered,
    kPending,
    kNeverCleanable,
    kKeptAlive,
    kNative,
    kState,
    kColumnCount
  };

  explicit CleanerModel(QObject* parent = nullptr);
  void set_cleaners(std::vector<analysis::CleanerReport> cleaners);

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QVariant cleaner_data(const analysis::CleanerReport& c, int column, int role) const;
  QVariant class_data(const analysis::CleanerClassStats& k, int column, int role) const;
  QVariant registry_data(const analysis::NativeRegistryStats& g, int column, int role) const;
  QVariant example_data(const analysis::NeverCleanableExample& x, int column, int role) const;

  std::vector<analysis::CleanerReport> cleaners_;
};

// "Action 0x1 --field arg$1--> Referent 0x2"
QString cleaner_path_text(const analysis::NeverCleanableExample& x);

}  // namespace heapscope::gui
