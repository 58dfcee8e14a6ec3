#include "format.h"

#include <cmath>

#include "heapscope/hprof/memory_budget.h"

namespace heapscope::gui {

QString human_bytes(uint64_t bytes) {
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  if (u == 0) return QStringLiteral("%1 B").arg(bytes);
  return QStringLiteral("%1 %2").arg(v, 0, 'f', 1).arg(QLatin1String(units[u]));
}

QString with_commas(uint64_t n) {
  const QString digits = QString::number(n);
  QString out;
  out.reserve(digits.size() + digits.size() / 3);
  for (qsizetype i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += QLatin1Char(',');
    out += digits[i];
  }
  return out;
}

namespace {
uint64_t magnitude(int64_t n) {
  return n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
}
QString sign(int64_t n) {
  return n > 0 ? QStringLiteral("+") : n < 0 ? QStringLiteral("\u2212") : QString();
}
}  // namespace

QString signed_count(int64_t n) {
  return sign(n) + with_commas(magnitude(n));
}

QString signed_bytes(int64_t n) {
  return sign(n) + human_bytes(magnitude(n));
}

std::optional<uint64_t> parse_size(const QString& text) {
  return hprof::parse_size(text.trimmed().toStdString());
}

QString hex_id(uint64_t id) {
  return QStringLiteral("0x") + QString::number(id, 16);
}

QString percent(double fraction) {
  return QStringLiteral("%1 %").arg(fraction * 100.0, 0, 'f', fraction < 0.01 ? 2 : 1);
}

QString duration_ms(int64_t ms) {
  const bool past = ms < 0;
  const double s = std::abs(static_cast<double>(ms)) / 1000.0;
  QString amount;
  if (s < 1) {
    amount = QStringLiteral("%1 ms").arg(std::llabs(ms));
  } else if (s < 60) {
    amount = QStringLiteral("%1 s").arg(s, 0, 'f', 1);
  } else if (s < 3600) {
    amount = QStringLiteral("%1 min").arg(s / 60, 0, 'f', 1);
  } else if (s < 86400 * 2) {
    amount = QStringLiteral("%1 h").arg(s / 3600, 0, 'f', 1);
  } else {
    amount = QStringLiteral("%1 days").arg(s / 86400, 0, 'f', 1);
  }
  return past ? amount + QStringLiteral(" ago") : QStringLiteral("in ") + amount;
}

QString optional_duration_ms(const std::optional<int64_t>& ms) {
  return ms ? duration_ms(*ms) : QStringLiteral("\u2014");
}

QString qs(const std::string& s) {
  return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

std::optional<uint64_t> parse_object_id(const QString& text) {
  const QString t = text.trimmed();
  bool ok = false;
  uint64_t id = 0;
  if (t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)) {
    id = t.mid(2).toULongLong(&ok, 16);
  } else {
    id = t.toULongLong(&ok, 10);
  }
  if (!ok) return std::nullopt;
  return id;
}

}  // namespace heapscope::gui

namespace heapscope::gui {

QString dump_text(const std::string& s) {
  QString out = qs(s);
  for (auto& ch : out) {
    const char16_t c = ch.unicode();
    const bool control = c < 0x20 || (c >= 0x7F && c < 0xA0);
    const bool bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    if (control || bidi) ch = QChar(0xFFFD);
  }
  return out;
}

QString evidence_label(const std::string& key) {
  std::string k = key;
  for (const std::string unit : {"_bytes", "_ms"}) {
    if (k.size() > unit.size() && k.ends_with(unit)) k.resize(k.size() - unit.size());
  }
  QString out = dump_text(k);
  out.replace(QLatin1Char('_'), QLatin1Char(' '));
  return out;
}

std::optional<uint64_t> evidence_object_id(const std::string& key,
                                           const std::optional<int64_t>& number,
                                           const std::string& text) {
  if (!key.ends_with("_id")) return std::nullopt;
  if (number)
    return *number > 0 ? std::optional<uint64_t>(static_cast<uint64_t>(*number)) : std::nullopt;
  if (!text.starts_with("0x")) return std::nullopt;
  return parse_object_id(qs(text));
}

QString evidence_value(const std::string& key, const std::optional<int64_t>& number,
                       const std::string& text) {
  if (!number) return dump_text(text);
  const int64_t n = *number;
  if (n >= 0 && key.ends_with("bytes")) return human_bytes(static_cast<uint64_t>(n));
  if (key.ends_with("_ms")) return duration_ms(n);
  if (n >= 0 && key.ends_with("_id")) return hex_id(static_cast<uint64_t>(n));
  if (n < 0) return QStringLiteral("-") + with_commas(uint64_t{0} - static_cast<uint64_t>(n));
  return with_commas(static_cast<uint64_t>(n));
}

}  // namespace heapscope::gui
