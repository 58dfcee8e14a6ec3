// What DominatorModel's rows show: an object (or a collapsed chain), a class group, "N more…".
#include <QColor>
#include <QFont>

#include "dominator_item.h"
#include "dominator_model.h"
#include "format.h"
#include "item_roles.h"

namespace heapscope::gui {

QVariant DominatorModel::object_data(const Item* it, int column, int role) const {
  const auto& index = session_->index();
  const auto& retained = session_->engine().retained();
  const analysis::NodeIndex n = it->node;
  const uint64_t total = session_->reachable_bytes();
  const double fraction =
      total ? static_cast<double>(retained.bytes[n]) / static_cast<double>(total) : 0.0;
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case kClass:
          return it->chain.empty() ? session_->class_name(n) : chain_text(it);
        case kObjectId:
          return hex_id(index.object_id(n));
        case kShallow:
          return human_bytes(index.shallow_size(n));
        case kRetained:
          return human_bytes(retained.bytes[n]);
        case kRetainedPercent:
          return percent(fraction);
        case kObjects:
          return with_commas(retained.count[n]);
      }
      return {};
    case kSortRole:
      switch (column) {
        case kClass:
          return session_->class_name(n);
        case kObjectId:
          return static_cast<qulonglong>(index.object_id(n));
        case kShallow:
          return static_cast<qulonglong>(index.shallow_size(n));
        case kRetained:
          return static_cast<qulonglong>(retained.bytes[n]);
        case kRetainedPercent:
          return fraction;
        case kObjects:
          return static_cast<qulonglong>(retained.count[n]);
      }
      return {};
    case kObjectIdRole:
      return static_cast<qulonglong>(index.object_id(n));
    case Qt::ToolTipRole:
      return tr("%1 %2\nretains %3 bytes in %4 objects (double-click to inspect)")
                 .arg(session_->class_name(n), hex_id(index.object_id(n)),
                      with_commas(retained.bytes[n]), with_commas(retained.count[n])) +
             chain_tooltip(it);
    case Qt::TextAlignmentRole:
      if (column >= kShallow) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::FontRole:
      if (column == kObjectId) {
        QFont f(QStringLiteral("monospace"));
        f.setStyleHint(QFont::Monospace);
        return f;
      }
      return {};
    default:
      return {};
  }
}

QVariant DominatorModel::group_data(const Item* it, int column, int role) const {
  const analysis::ChildGroup& g = it->group_info();
  const uint64_t total = session_->reachable_bytes();
  const double fraction =
      total ? static_cast<double>(g.retained_bytes) / static_cast<double>(total) : 0.0;
  const QString name = dump_text(analysis::child_group_name(session_->index(), g));
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case kClass:
          return tr("%1 (%2)").arg(name, with_commas(g.count));
        case kShallow:
          return human_bytes(g.shallow_bytes);
        case kRetained:
          return human_bytes(g.retained_bytes);
        case kRetainedPercent:
          return percent(fraction);
        case kObjects:
          return with_commas(g.retained_objects);
      }
      return {};
    case kSortRole:
      switch (column) {
        case kClass:
          return name;
        case kShallow:
          return static_cast<qulonglong>(g.shallow_bytes);
        case kRetained:
          return static_cast<qulonglong>(g.retained_bytes);
        case kRetainedPercent:
          return fraction;
        case kObjects:
          return static_cast<qulonglong>(g.retained_objects);
      }
      return {};
    case Qt::ToolTipRole:
      return tr("%1 objects of %2 directly below the row above\nshallow %3 bytes, retained %4 "
                "bytes in %5 objects (expand to list them, largest first)")
          .arg(with_commas(g.count), name, with_commas(g.shallow_bytes),
               with_commas(g.retained_bytes), with_commas(g.retained_objects));
    case Qt::TextAlignmentRole:
      if (column >= kShallow) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::FontRole:
      if (column == kClass) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    default:
      return {};
  }
}

QString DominatorModel::chain_text(const Item* it) const {
  const QString head = session_->class_name(it->node);
  const QString tail = session_->class_name(it->chain.back());
  if (it->chain.size() == 1) return head + QStringLiteral(" \u25b8 ") + tail;
  return tr("%1 \u25b8 \u2026 \u25b8 %2 (chain of %3)")
      .arg(head, tail, with_commas(it->chain.size() + 1));
}

QString DominatorModel::chain_tooltip(const Item* it) const {
  if (it->chain.empty()) return {};
  constexpr size_t kShown = 12;
  QString text = tr("\n\nSingle-child chain of %1 objects, collapsed; below it:")
                     .arg(with_commas(it->chain.size() + 1));
  for (size_t i = 0; i < it->chain.size() && i < kShown; ++i) {
    const auto v = it->chain[i];
    text += QStringLiteral("\n  \u25b8 %1 %2")
                .arg(session_->class_name(v), hex_id(session_->index().object_id(v)));
  }
  if (it->chain.size() > kShown) {
    text += tr("\n  \u2026 %1 more, down to %2 %3")
                .arg(with_commas(it->chain.size() - kShown), session_->class_name(it->tail()),
                     hex_id(session_->index().object_id(it->tail())));
  }
  return text;
}

QVariant DominatorModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const Item* it = item(index);
  if (it->node != analysis::kNoNode) return object_data(it, index.column(), role);
  if (it->is_group()) return group_data(it, index.column(), role);
  // The "N more…" row.
  const size_t left = it->parent->total - it->parent->children.size();
  switch (role) {
    case Qt::DisplayRole:
      if (index.column() != kClass) return {};
      return tr("%1 more\u2026 (double-click to load %2)")
          .arg(with_commas(left))
          .arg(std::min<size_t>(left, kPageSize));
    case Qt::ForegroundRole:
      return QColor(0x1e, 0x6b, 0xc8);
    case Qt::FontRole: {
      QFont f;
      f.setItalic(true);
      return f;
    }
    default:
      return {};
  }
}

QVariant DominatorModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole && section == kRetainedPercent) {
    return tr("Share of the bytes reachable from GC roots");
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case kClass:
      return tr("Class");
    case kObjectId:
      return tr("Object id");
    case kShallow:
      return tr("Shallow");
    case kRetained:
      return tr("Retained");
    case kRetainedPercent:
      return tr("Retained %");
    case kObjects:
      return tr("Objects");
    default:
      return {};
  }
}

}  // namespace heapscope::gui
