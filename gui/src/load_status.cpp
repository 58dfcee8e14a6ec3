#include "load_status.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace heapscope::gui {

LoadStatus::LoadStatus(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  phase_ = new QLabel(this);
  phase_->setMinimumWidth(
      fontMetrics().horizontalAdvance(QStringLiteral("dominators: predecessors")) + 10);
  bar_ = new QProgressBar(this);
  bar_->setFixedWidth(220);
  bar_->setTextVisible(true);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setToolTip(tr("Stop loading this dump"));
  layout->addWidget(phase_);
  layout->addWidget(bar_);
  layout->addWidget(cancel_);
  connect(cancel_, &QPushButton::clicked, this, [this] {
    cancel_->setEnabled(false);
    phase_->setText(tr("cancelling\u2026"));
    emit cancel_requested();
  });
  hide();
}

void LoadStatus::start(const QString&) {
  phase_->setText(tr("opening\u2026"));
  bar_->setRange(0, 0);
  cancel_->setEnabled(true);
  show();
}

void LoadStatus::set_phase(const QString& phase, quint64 total) {
  if (!cancel_->isEnabled()) return;  // keep "cancelling…"
  phase_->setText(phase);
  total_ = total;
  shift_ = 0;
  while ((total >> shift_) > 0x7fffffffu) ++shift_;
  bar_->setRange(0, total ? static_cast<int>(total >> shift_) : 0);
  bar_->setValue(0);
}

void LoadStatus::set_done(quint64 done) {
  if (total_ == 0) return;
  bar_->setValue(static_cast<int>(std::min(done, total_) >> shift_));
}

void LoadStatus::stop() {
  hide();
  total_ = 0;
}

}  // namespace heapscope::gui
