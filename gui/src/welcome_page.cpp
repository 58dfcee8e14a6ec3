#include "welcome_page.h"

#include <QCommandLinkButton>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "recent_files.h"

namespace heapscope::gui {

WelcomePage::WelcomePage(QWidget* parent) : QWidget(parent) {
  auto* outer = new QVBoxLayout(this);
  outer->addStretch(1);
  auto* column = new QWidget(this);
  column->setMaximumWidth(620);
  auto* layout = new QVBoxLayout(column);
  auto* title = new QLabel(tr("Heapscope"), column);
  QFont f = title->font();
  f.setPointSizeF(f.pointSizeF() * 2.2);
  f.setBold(true);
  title->setFont(f);
  layout->addWidget(title);
  auto* text =
      new QLabel(tr("Open a JVM heap dump (.hprof, .hprof.gz, .hprof.zst) for a verdict on "
                    "finalizer backlogs and java.util.Timer queues that keep cancelled "
                    "tasks alive, with the dominator tree, the class histogram and an "
                    "object inspector.<br><br>Use <b>File \u25b8 Open</b> (Ctrl+O) or drop "
                    "a dump on this window."),
                 column);
  text->setWordWrap(true);
  text->setTextFormat(Qt::RichText);
  layout->addWidget(text);
  auto* open = new QPushButton(tr("Open a heap dump\u2026"), column);
  open->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
  connect(open, &QPushButton::clicked, this, &WelcomePage::open_requested);
  layout->addSpacing(8);
  layout->addWidget(open);
  layout->addSpacing(12);
  auto* recent_box = new QWidget(column);
  recent_ = new QVBoxLayout(recent_box);
  recent_->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(recent_box);
  outer->addWidget(column, 0, Qt::AlignHCenter);
  outer->addStretch(2);
  refresh();
}

void WelcomePage::refresh() {
  while (auto* item = recent_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  const QStringList files = RecentFiles::list();
  if (files.isEmpty()) return;
  auto* label = new QLabel(tr("<b>Recent dumps</b>"), this);
  recent_->addWidget(label);
  constexpr int kShown = 5;
  for (const QString& path : files.mid(0, kShown)) {
    auto* button = new QCommandLinkButton(QFileInfo(path).fileName(), path, this);
    connect(button, &QCommandLinkButton::clicked, this,
            [this, path] { emit recent_requested(path); });
    recent_->addWidget(button);
  }
}

}  // namespace heapscope::gui
