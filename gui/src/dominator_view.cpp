#include "dominator_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>

#include "dominator_model.h"
#include "format.h"
#include "item_roles.h"
#include "object_views.h"
#include "percent_bar_delegate.h"

namespace heapscope::gui {

DominatorView::DominatorView(QWidget* parent) : QWidget(parent), model_(new DominatorModel(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(12, 12, 12, 12);
  caption_ = new QLabel(this);
  caption_->setTextFormat(Qt::RichText);
  caption_->setWordWrap(true);
  layout->addWidget(caption_);
  collapse_chains_ = new QCheckBox(tr("Collapse single-child chains"), this);
  collapse_chains_->setToolTip(
      tr("When an expanded object has a single child that has children of its own, show them as "
         "one row (\u201cA \u25b8 B\u201d) down to where the tree branches"));
  collapse_chains_->setChecked(true);
  model_->set_collapse_chains(true);
  connect(collapse_chains_, &QCheckBox::toggled, model_, &DominatorModel::set_collapse_chains);
  group_by_class_ = new QCheckBox(tr("Group by class"), this);
  group_by_class_->setToolTip(
      tr("Show the children of each row as one row per class, \u201cclass (count)\u201d with the "
         "shallow and retained sums; expand a group for its objects, largest retained first"));
  connect(group_by_class_, &QCheckBox::toggled, model_, &DominatorModel::set_group_by_class);
  auto* options = new QHBoxLayout;
  options->addWidget(collapse_chains_);
  options->addWidget(group_by_class_);
  options->addStretch(1);
  layout->addLayout(options);
  tree_ = ObjectViews::make_tree(this);
  tree_->setModel(model_);
  auto* header = tree_->header();
  header->setSectionResizeMode(DominatorModel::kClass, QHeaderView::Stretch);
  header->setMinimumSectionSize(70);
  for (int c = DominatorModel::kObjectId; c < DominatorModel::kColumnCount; ++c) {
    header->setSectionResizeMode(c, QHeaderView::Interactive);
  }
  header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  tree_->setItemDelegateForColumn(DominatorModel::kRetainedPercent,
                                  new PercentBarDelegate(QColor(0x3b, 0x7d, 0xd8), tree_));
  layout->addWidget(tree_, 1);

  connect(tree_, &QTreeView::activated, this, [this](const QModelIndex& index) {
    if (model_->is_more_row(index)) {
      model_->load_more(index);
      return;
    }
    const QVariant id = index.data(kObjectIdRole);
    if (id.isValid()) emit object_activated(id.toULongLong());
  });
  clear();
}

void DominatorView::set_session(const SessionPtr& session) {
  model_->set_session(session);
  if (!session) {
    caption_->setText(tr("<i>No dump loaded.</i>"));
    return;
  }
  const auto& r = session->report();
  caption_->setText(
      tr("Objects that keep the most memory alive on their own, as the dominator tree shows them: "
         "an object's children are what it alone keeps reachable. %1 reachable objects, %2; "
         "retained sizes by the <b>%3</b> convention (View \u25b8 Retained Sizes). Expand a row to "
         "open it; double-click to inspect.")
          .arg(with_commas(session->engine().tree().reachable_count() - 1),
               human_bytes(session->reachable_bytes()),
               r.retained_convention == "mat" ? tr("Eclipse MAT") : tr("strong-only")));
  const QFontMetrics fm = tree_->fontMetrics();
  tree_->setColumnWidth(DominatorModel::kObjectId,
                        fm.horizontalAdvance(QStringLiteral("0x00000000000")) + 16);
  for (int c = DominatorModel::kShallow; c < DominatorModel::kColumnCount; ++c) {
    tree_->setColumnWidth(c, fm.horizontalAdvance(QStringLiteral("000,000,000")) + 16);
  }
}

}  // namespace heapscope::gui
