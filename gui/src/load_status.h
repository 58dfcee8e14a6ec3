// The status bar's load indicator: the phase, a progress bar and a Cancel button, shown while a
// dump loads.
#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace heapscope::gui {

class LoadStatus : public QWidget {
  Q_OBJECT

 public:
  explicit LoadStatus(QWidget* parent = nullptr);

  void start(const QString& path);
  void set_phase(const QString& phase, quint64 total);
  void set_done(quint64 done);
  void stop();

  QProgressBar* bar() const { return bar_; }
  QPushButton* cancel_button() const { return cancel_; }
  QLabel* phase_label() const { return phase_; }

 signals:
  void cancel_requested();

 private:
  QLabel* phase_;
  QProgressBar* bar_;
  QPushButton* cancel_;
  quint64 total_ = 0;
  int shift_ = 0;  // totals above 2^31 are scaled down to fit QProgressBar's int range
};

}  // namespace heapscope::gui
