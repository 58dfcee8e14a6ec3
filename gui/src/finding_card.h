// One finding as a card: severity colour, title, what it would free, the explanation, the
// evidence numbers, the library it comes from, the fix and links. Object ids in the evidence
// are links to the inspector.
#pragma once

#include <QFrame>
#include <functional>
#include <string>

#include "heapscope/analysis/report.h"

class QLabel;
class QToolButton;
class QVBoxLayout;

namespace heapscope::gui {

class FindingCard : public QFrame {
  Q_OBJECT

 public:
  // `title_of` names a related finding by its id ("" when unknown).
  FindingCard(const analysis::Finding& finding,
              const std::function<QString(const std::string& id)>& title_of,
              QWidget* parent = nullptr);

  const std::string& finding_id() const { return id_; }
  // Details: explanation, evidence, library, fix, links. Critical and warning cards start
  // expanded, info cards collapsed.
  void set_expanded(bool expanded);
  bool expanded() const;

 signals:
  void object_activated(quint64 object_id);

 private:
  QLabel* text_label(const QString& html, QWidget* parent);
  void add_evidence(const analysis::Finding& finding, QVBoxLayout* layout);
  void on_link(const QString& link);

  std::string id_;
  QWidget* details_ = nullptr;
  QToolButton* toggle_ = nullptr;
};

}  // namespace heapscope::gui
