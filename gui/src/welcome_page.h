// What the window shows before a dump is open: how to open one, and the recent dumps.
#pragma once

#include <QWidget>

class QVBoxLayout;

namespace heapscope::gui {

class WelcomePage : public QWidget {
  Q_OBJECT

 public:
  explicit WelcomePage(QWidget* parent = nullptr);
  // Re-reads the recent files.
  void refresh();

 signals:
  void open_requested();
  void recent_requested(const QString& path);

 private:
  QVBoxLayout* recent_;
};

}  // namespace heapscope::gui
