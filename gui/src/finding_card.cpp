#include "finding_card.h"

#include <QDesktopServices>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include "format.h"
#include "severity_style.h"

namespace heapscope::gui {

namespace {

QString esc(const std::string& s) {
  return dump_text(s).toHtmlEscaped();
}

}  // namespace

FindingCard::FindingCard(const analysis::Finding& f,
                         const std::function<QString(const std::string&)>& title_of,
                         QWidget* parent)
    : QFrame(parent), id_(f.id) {
  const SeverityStyle style = SeverityStyle::of(f.severity);
  setObjectName(QStringLiteral("findingCard"));
  setStyleSheet(QStringLiteral("#findingCard { background: %1; border: 1px solid %2; "
                               "border-left: 6px solid %2; border-radius: 6px; }"
                               "#findingCard QLabel { background: transparent; border: none; }")
                    .arg(style.background.name(), style.accent.name()));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(14, 10, 14, 12);
  layout->setSpacing(6);

  auto* head = new QHBoxLayout;
  auto* chip = new QLabel(style.label, this);
  chip->setStyleSheet(QStringLiteral("background: %1; color: white; border-radius: 3px; "
                                     "padding: 2px 6px; font-weight: bold; font-size: 8pt;")
                          .arg(style.accent.name()));
  chip->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
  head->addWidget(chip, 0, Qt::AlignTop);
  auto* title = text_label(QStringLiteral("<b>%1</b>").arg(esc(f.title)), this);
  QFont tf = title->font();
  tf.setPointSizeF(tf.pointSizeF() * 1.15);
  title->setFont(tf);
  head->addWidget(title, 1);
  toggle_ = new QToolButton(this);
  toggle_->setAutoRaise(true);
  toggle_->setCursor(Qt::PointingHandCursor);
  head->addWidget(toggle_, 0, Qt::AlignTop);
  layout->addLayout(head);

  if (f.retained_bytes > 0) {
    layout->addWidget(
        text_label(tr("Fixing it would free <b>%1</b> (%2 bytes).")
                       .arg(human_bytes(f.retained_bytes), with_commas(f.retained_bytes)),
                   this));
  }
  details_ = new QWidget(this);
  auto* dl = new QVBoxLayout(details_);
  dl->setContentsMargins(0, 0, 0, 0);
  dl->setSpacing(6);
  dl->addWidget(text_label(esc(f.explanation), details_));
  add_evidence(f, dl);
  if (!f.library.empty()) {
    dl->addWidget(text_label(tr("<b>Library:</b> %1").arg(esc(f.library)), details_));
  }
  if (!f.fix.empty()) dl->addWidget(text_label(tr("<b>Fix:</b> %1").arg(esc(f.fix)), details_));
  QStringList links;
  for (const auto& l : f.links) {
    const QString url = dump_text(l);
    if (url.startsWith(QLatin1String("https://")) || url.startsWith(QLatin1String("http://"))) {
      links << QStringLiteral("<a href=\"%1\">%1</a>").arg(url.toHtmlEscaped());
    }
  }
  if (!links.isEmpty()) {
    dl->addWidget(text_label(tr("<b>See:</b> ") + links.join(QStringLiteral("<br>")), details_));
  }
  if (!f.related.empty()) {
    QStringList related;
    for (const auto& id : f.related) {
      const QString t = title_of(id);
      related << (t.isEmpty() ? esc(id) : t.toHtmlEscaped());
    }
    dl->addWidget(text_label(
        tr("<i>Same problem as:</i> %1").arg(related.join(QStringLiteral("; "))), details_));
  }
  layout->addWidget(details_);
  connect(toggle_, &QToolButton::clicked, this, [this] { set_expanded(!expanded()); });
  set_expanded(f.severity != analysis::Severity::kInfo);
}

void FindingCard::set_expanded(bool expanded) {
  details_->setVisible(expanded);
  toggle_->setText(expanded ? tr("Hide details \u25b4") : tr("Details \u25be"));
}

bool FindingCard::expanded() const {
  return !details_->isHidden();
}

QLabel* FindingCard::text_label(const QString& html, QWidget* parent) {
  auto* label = new QLabel(html, parent);
  label->setTextFormat(Qt::RichText);
  label->setWordWrap(true);
  label->setTextInteractionFlags(Qt::TextBrowserInteraction);
  label->setOpenExternalLinks(false);
  connect(label, &QLabel::linkActivated, this, &FindingCard::on_link);
  return label;
}

void FindingCard::add_evidence(const analysis::Finding& f, QVBoxLayout* layout) {
  if (f.evidence.empty()) return;
  auto* grid = new QGridLayout;
  grid->setHorizontalSpacing(14);
  grid->setVerticalSpacing(2);
  constexpr int kPairsPerRow = 3;
  int i = 0;
  for (const auto& e : f.evidence) {
    const QString value = evidence_value(e.key, e.number, e.text);
    QString html = value.toHtmlEscaped();
    if (const auto id = evidence_object_id(e.key, e.number, e.text)) {
      html = QStringLiteral("<a href=\"object:%1\">%1</a>").arg(hex_id(*id));
    }
    auto* key = new QLabel(evidence_label(e.key), details_);
    key->setTextFormat(Qt::PlainText);
    key->setStyleSheet(QStringLiteral("color: #555;"));
    auto* val = text_label(QStringLiteral("<b>%1</b>").arg(html), details_);
    val->setWordWrap(false);
    const int row = i / kPairsPerRow;
    const int col = (i % kPairsPerRow) * 2;
    grid->addWidget(key, row, col, Qt::AlignLeft);
    grid->addWidget(val, row, col + 1, Qt::AlignLeft);
    ++i;
  }
  for (int c = 0; c < kPairsPerRow * 2; c += 2) grid->setColumnStretch(c + 1, 1);
  layout->addLayout(grid);
}

void FindingCard::on_link(const QString& link) {
  if (link.startsWith(QLatin1String("object:"))) {
    if (auto id = parse_object_id(link.mid(7))) emit object_activated(*id);
    return;
  }
  QDesktopServices::openUrl(QUrl(link));
}

}  // namespace heapscope::gui
