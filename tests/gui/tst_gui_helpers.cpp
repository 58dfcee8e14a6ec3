// The GUI's small parts: formatting, navigation history, export formats, the progress relay
// and the object details the inspector shows.
#include <QSignalSpy>
#include <QTest>
#include <thread>

#include "analysis_session.h"
#include "format.h"
#include "navigation_history.h"
#include "object_details.h"
#include "progress_relay.h"
#include "report_exporter.h"

using namespace heapscope::gui;

class TestGuiHelpers : public QObject {
  Q_OBJECT

 private slots:
  void formats_sizes_and_counts() {
    QCOMPARE(human_bytes(512), QStringLiteral("512 B"));
    QCOMPARE(human_bytes(2480000), QStringLiteral("2.4 MiB"));
    QCOMPARE(with_commas(2000), QStringLiteral("2,000"));
    QCOMPARE(with_commas(0), QStringLiteral("0"));
    QCOMPARE(with_commas(1234567), QStringLiteral("1,234,567"));
    QCOMPARE(hex_id(0xf008f718), QStringLiteral("0xf008f718"));
    QCOMPARE(duration_ms(3000000), QStringLiteral("in 50.0 min"));
    QCOMPARE(duration_ms(-2500), QStringLiteral("2.5 s ago"));
    QCOMPARE(percent(0.5), QStringLiteral("50.0 %"));
  }

  void parses_object_ids() {
    QCOMPARE(parse_object_id(QStringLiteral(" 0xF008f718 ")), std::optional<uint64_t>(0xf008f718));
    QCOMPARE(parse_object_id(QStringLiteral("42")), std::optional<uint64_t>(42));
    QVERIFY(!parse_object_id(QStringLiteral("0xzz")));
    QVERIFY(!parse_object_id(QString()));
  }

  void dump_text_neutralises_controls_and_bidi() {
    const QString t = dump_text(
        "a\nb\xE2\x80\xAE"
        "c");  // newline and RIGHT-TO-LEFT OVERRIDE
    QCOMPARE(t, QStringLiteral("a\uFFFDb\uFFFDc"));
  }

  void formats_evidence_like_the_cli() {
    QCOMPARE(evidence_label("held_only_bytes"), QStringLiteral("held only"));
    QCOMPARE(evidence_value("held_only_bytes", 2480000, {}), QStringLiteral("2.4 MiB"));
    QCOMPARE(evidence_value("queued_tasks", 2017, {}), QStringLiteral("2,017"));
    QCOMPARE(evidence_value("thread_name", std::nullopt, "T-1"), QStringLiteral("T-1"));
    QCOMPARE(evidence_object_id("queue_id", std::nullopt, "0xf008f718"),
             std::optional<uint64_t>(0xf008f718));
    QVERIFY(!evidence_object_id("thread_name", std::nullopt, "0x12"));
  }

  void navigation_history_behaves_like_a_browser() {
    NavigationHistory h;
    QVERIFY(!h.current());
    h.visit(1);
    h.visit(2);
    h.visit(2);  // the same object again: no new entry
    h.visit(3);
    QCOMPARE(h.size(), size_t{3});
    QCOMPARE(h.back(), std::optional<uint64_t>(2));
    QCOMPARE(h.back(), std::optional<uint64_t>(1));
    QVERIFY(!h.back());
    QCOMPARE(h.forward(), std::optional<uint64_t>(2));
    h.visit(7);  // drops 3
    QVERIFY(!h.can_go_forward());
    QCOMPARE(h.size(), size_t{3});
    QCOMPARE(h.current(), std::optional<uint64_t>(7));
  }

  void export_format_from_filter_or_extension() {
    using F = ReportExporter::Format;
    QCOMPARE(ReportExporter::format_for({}, QStringLiteral("r.JSON")), std::optional<F>(F::kJson));
    QCOMPARE(ReportExporter::format_for({}, QStringLiteral("r.md")),
             std::optional<F>(F::kMarkdown));
    QCOMPARE(
        ReportExporter::format_for(QStringLiteral("HTML report (*.html)"), QStringLiteral("r")),
        std::optional<F>(F::kHtml));
    QVERIFY(!ReportExporter::format_for({}, QStringLiteral("r.txt")));
  }

  void progress_relay_posts_to_the_gui_thread_and_cancels() {
    QObject receiver;
    QStringList phases;
    QList<quint64> done;
    const auto gui_thread = QThread::currentThread();
    bool wrong_thread = false;
    ProgressRelay relay(
        &receiver,
        [&](const QString& p, quint64) {
          wrong_thread |= QThread::currentThread() != gui_thread;
          phases << p;
        },
        [&](quint64 d) {
          wrong_thread |= QThread::currentThread() != gui_thread;
          done << d;
        });
    QStringList hooked;
    relay.set_phase_hook(
        [&](std::string_view p) { hooked << QString::fromUtf8(p.data(), p.size()); });
    std::thread worker([&] {
      relay.begin("scan records", 100);
      for (int i = 0; i < 1000; ++i) relay.advance(static_cast<uint64_t>(i));  // throttled
      QThread::msleep(60);
      relay.advance(1000);
      relay.begin("index objects", 0);
    });
    worker.join();
    QCOMPARE(hooked,
             QStringList({QStringLiteral("scan records"), QStringLiteral("index objects")}));
    QVERIFY(phases.isEmpty());  // queued: nothing ran yet
    QTRY_COMPARE(phases,
                 QStringList({QStringLiteral("scan records"), QStringLiteral("index objects")}));
    QVERIFY(!wrong_thread);
    QVERIFY2(done.size() <= 2, qPrintable(QString::number(done.size())));
    QVERIFY(!relay.cancelled());
    relay.cancel();
    QVERIFY(relay.cancelled());
  }

  void object_details_of_the_timer() {
    auto session = AnalysisSession::open(QStringLiteral(HEAPSCOPE_GUI_DEMO_DUMP));
    QVERIFY(session);
    const auto& timers = session.value()->report().timers;
    QVERIFY(!timers.empty());
    const auto d = ObjectDetails::collect(*session.value(), timers[0].object_id);
    QVERIFY(d);
    QCOMPARE(d->klass, QStringLiteral("java.util.Timer"));
    QCOMPARE(d->kind, QStringLiteral("instance"));
    QVERIFY(d->reachable);
    bool queue_field = false;
    for (const auto& f : d->fields) {
      if (f.name == QLatin1String("queue")) {
        queue_field = true;
        QCOMPARE(f.ref_id, timers[0].queue_id);
        QVERIFY(f.value.contains(QLatin1String("java.util.TaskQueue")));
      }
    }
    QVERIFY(queue_field);
    QVERIFY(d->referrer_count > 0);
    QVERIFY(!d->paths.empty());
    QVERIFY(d->paths[0].back().id == timers[0].object_id);
    QVERIFY(d->paths[0].front().how.startsWith(QLatin1String("GC root")));
    QVERIFY(!ObjectDetails::collect(*session.value(), 0x1));
  }

  void object_details_show_strings_as_text() {
    auto session = AnalysisSession::open(QStringLiteral(HEAPSCOPE_GUI_DEMO_DUMP));
    QVERIFY(session);
    const auto& s = *session.value();
    const auto& timers = s.report().timers;
    // The TimerThread's name is a String: find it through the Thread fields.
    const auto thread = ObjectDetails::collect(s, timers[0].object_id);
    QVERIFY(thread);
    uint64_t thread_id = 0;
    for (const auto& f : thread->fields) {
      if (f.name == QLatin1String("thread")) thread_id = f.ref_id;
    }
    QVERIFY(thread_id != 0);
    const auto t = ObjectDetails::collect(s, thread_id);
    QVERIFY(t);
    bool named = false;
    for (const auto& f : t->fields) {
      if (f.name == QLatin1String("name")) {
        named = f.value.contains(QLatin1String("\"PostgreSQL-JDBC-SharedTimer-1\""));
        const auto str = ObjectDetails::collect(s, f.ref_id);
        QVERIFY(str && str->text == QStringLiteral("PostgreSQL-JDBC-SharedTimer-1"));
      }
    }
    QVERIFY(named);
  }
};

QTEST_GUILESS_MAIN(TestGuiHelpers)
#include "tst_gui_helpers.moc"
