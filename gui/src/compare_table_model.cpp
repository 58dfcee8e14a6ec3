#include "compare_table_model.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <cmath>

#include "format.h"
#include "item_roles.h"

namespace heapscope::gui {

CompareTableModel::CompareTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void CompareTableModel::set_rows(QStringList headers, std::vector<Row> rows) {
  beginResetModel();
  headers_ = std::move(headers);
  rows_ = std::move(rows);
  endResetModel();
}

int CompareTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int CompareTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(headers_.size());
}

QVariant CompareTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const Row& row = rows_[static_cast<size_t>(index.row())];
  if (static_cast<size_t>(index.column()) >= row.size()) return {};
  const CompareCell& cell = row[static_cast<size_t>(index.column())];
  switch (role) {
    case Qt::DisplayRole:
      return cell.text;
    case Qt::ToolTipRole:
      return cell.text.size() > 40 ? QVariant(cell.text) : QVariant();
    case kSortRole:
      // A number cell without a value (no time to the limit) sorts first and reads as none.
      if (cell.sort.isValid()) return cell.sort;
      return cell.number ? QVariant() : QVariant(cell.text);
    case Qt::TextAlignmentRole:
      return cell.number ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::ForegroundRole:
      if (cell.delta_sign > 0) return QBrush(QColor(0xb0, 0x20, 0x20));
      if (cell.delta_sign < 0) return QBrush(QColor(0x1b, 0x7a, 0x2e));
      return {};
  }
  return {};
}

QVariant CompareTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  if (section < 0 || section >= headers_.size()) return {};
  return headers_[section];
}

namespace {

CompareCell text(const QString& t) {
  return {t, t, 0, false};
}
CompareCell count(uint64_t n) {
  return {with_commas(n), static_cast<qulonglong>(n), 0, true};
}
CompareCell bytes(uint64_t n) {
  return {human_bytes(n), static_cast<qulonglong>(n), 0, true};
}
int sign_of(int64_t d) {
  return d > 0 ? 1 : d < 0 ? -1 : 0;
}
CompareCell count_delta(const analysis::Change& c) {
  return {signed_count(c.delta()), static_cast<qlonglong>(c.delta()), sign_of(c.delta()), true};
}
CompareCell bytes_delta(const analysis::Change& c) {
  return {signed_bytes(c.delta()), static_cast<qlonglong>(c.delta()), sign_of(c.delta()), true};
}

}  // namespace

void fill_class_table(CompareTableModel& model, const analysis::ReportDiff& diff) {
  std::vector<CompareTableModel::Row> rows;
  rows.reserve(diff.classes_changed.size());
  for (const auto& c : diff.classes_changed) {
    rows.push_back({text(dump_text(c.klass)),
                    text(c.loader.empty() ? QObject::tr("bootstrap") : dump_text(c.loader)),
                    count(c.instances.next), count_delta(c.instances), bytes(c.shallow_bytes.next),
                    bytes_delta(c.shallow_bytes), bytes(c.retained_bytes.next),
                    bytes_delta(c.retained_bytes)});
  }
  model.set_rows(
      {QObject::tr("Class"), QObject::tr("Loader"), QObject::tr("Instances"),
       QObject::tr("\u0394 instances"), QObject::tr("Shallow"), QObject::tr("\u0394 shallow"),
       QObject::tr("Retained"), QObject::tr("\u0394 retained")},
      std::move(rows));
}

void fill_finding_table(CompareTableModel& model, const analysis::ReportDiff& diff) {
  std::vector<CompareTableModel::Row> rows;
  for (const auto& f : diff.findings) {
    CompareCell change = text(QString::fromLatin1(analysis::to_string(f.change)));
    change.sort = static_cast<int>(f.change);
    change.delta_sign =
        f.change == analysis::FindingChange::kAppeared || f.change == analysis::FindingChange::kGrew
            ? 1
        : f.change == analysis::FindingChange::kUnchanged ? 0
                                                          : -1;
    CompareCell severity = text(QString::fromLatin1(analysis::to_string(f.severity)));
    severity.sort = static_cast<int>(f.severity);
    rows.push_back({change, severity, text(dump_text(f.title)), text(qs(f.kind)),
                    bytes(f.retained_bytes.base), bytes(f.retained_bytes.next),
                    bytes_delta(f.retained_bytes)});
  }
  model.set_rows(
      {QObject::tr("Change"), QObject::tr("Severity"), QObject::tr("Finding"), QObject::tr("Kind"),
       QObject::tr("Retained before"), QObject::tr("Retained now"), QObject::tr("\u0394 retained")},
      std::move(rows));
}

void fill_finalizer_table(CompareTableModel& model, const analysis::ReportDiff& diff) {
  std::vector<CompareTableModel::Row> rows;
  for (const auto& c : diff.finalizer_by_class) {
    rows.push_back({text(dump_text(c.klass)), count(c.registered.next), count_delta(c.registered),
                    count(c.pending.next), count_delta(c.pending), count(c.being_finalized.next),
                    count_delta(c.being_finalized), bytes(c.held_only_bytes.next),
                    bytes_delta(c.held_only_bytes)});
  }
  model.set_rows({QObject::tr("Class"), QObject::tr("Registered"), QObject::tr("\u0394 registered"),
                  QObject::tr("Pending"), QObject::tr("\u0394 pending"),
                  QObject::tr("Being finalized"), QObject::tr("\u0394 being finalized"),
                  QObject::tr("Held only"), QObject::tr("\u0394 held only")},
                 std::move(rows));
}

void fill_queue_table(CompareTableModel& model, const analysis::ReportDiff& diff) {
  std::vector<CompareTableModel::Row> rows;
  for (const auto& q : diff.queues) {
    const QString in = q.in_base && q.in_next ? QObject::tr("both")
                       : q.in_next            ? QObject::tr("new only")
                                              : QObject::tr("base only");
    rows.push_back({text(qs(q.kind)), text(dump_text(q.thread_name)), text(dump_text(q.klass)),
                    text(in), count(q.queue_size.next), count_delta(q.queue_size),
                    count(q.scheduled.next), count_delta(q.scheduled), count(q.cancelled.next),
                    count_delta(q.cancelled), count(q.held_only_count.next),
                    count_delta(q.held_only_count), bytes(q.held_only_bytes.next),
                    bytes_delta(q.held_only_bytes)});
  }
  model.set_rows(
      {QObject::tr("Queue"), QObject::tr("Thread"), QObject::tr("Class"), QObject::tr("In"),
       QObject::tr("Queue size"), QObject::tr("\u0394 queue size"), QObject::tr("Scheduled"),
       QObject::tr("\u0394 scheduled"), QObject::tr("Cancelled"), QObject::tr("\u0394 cancelled"),
       QObject::tr("Held-only tasks"), QObject::tr("\u0394 held-only tasks"),
       QObject::tr("Held only"), QObject::tr("\u0394 held only")},
      std::move(rows));
}

bool metric_is_bytes(const std::string& metric) {
  return metric.ends_with("_bytes");
}

QString metric_value(const std::string& metric, double value) {
  const uint64_t v = static_cast<uint64_t>(std::llround(std::max(0.0, value)));
  return metric_is_bytes(metric) ? human_bytes(v) : with_commas(v);
}

QString metric_rate(const std::string& metric, double rate_per_hour) {
  const int64_t r = std::llround(rate_per_hour);
  return QObject::tr("%1 per hour")
      .arg(metric_is_bytes(metric) ? signed_bytes(r) : signed_count(r));
}

QString eta_text(const std::optional<double>& hours) {
  if (!hours) return QStringLiteral("\u2014");
  if (*hours < 1.0) return QObject::tr("in %1 min").arg(*hours * 60.0, 0, 'f', 1);
  return QObject::tr("in %1 h").arg(*hours, 0, 'f', 1);
}

void fill_series_table(CompareTableModel& model, const analysis::Trend& trend) {
  QStringList headers{QObject::tr("Metric"), QObject::tr("Key")};
  for (size_t i = 0; i < trend.dumps.size(); ++i) {
    const auto when =
        QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(trend.dumps[i].timestamp_ms), Qt::UTC);
    headers
        << QObject::tr("Dump %1 (%2)").arg(i + 1).arg(when.toString(QStringLiteral("HH:mm:ss")));
  }
  headers << QObject::tr("Rate per hour") << QObject::tr("Time to limit");
  std::vector<CompareTableModel::Row> rows;
  for (const auto& s : trend.series) {
    CompareTableModel::Row row{text(qs(s.metric)), text(dump_text(s.key))};
    for (uint64_t v : s.values) {
      row.push_back(
          {metric_value(s.metric, static_cast<double>(v)), static_cast<qulonglong>(v), 0, true});
    }
    row.push_back({metric_rate(s.metric, s.rate_per_hour), s.rate_per_hour,
                   s.rate_per_hour > 0   ? 1
                   : s.rate_per_hour < 0 ? -1
                                         : 0,
                   true});
    row.push_back(
        {eta_text(s.eta_hours), s.eta_hours ? QVariant(*s.eta_hours) : QVariant(), 0, true});
    rows.push_back(std::move(row));
  }
  model.set_rows(std::move(headers), std::move(rows));
}

}  // namespace heapscope::gui
