// The analyzers behind `heapscope analyze`, on every sample dump: each count in the Report equals
// the sample program's sidecar, the stuck class and thread are named, and the clean control
// raises nothing at warning or above.
#include <gtest/gtest.h>

#include "heapscope/analysis/report_builder.h"
#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

class Analyzers : public ::testing::TestWithParam<Sample> {
 protected:
  void SetUp() override {
    sidecar_ = read_sidecar(GetParam());
    ASSERT_TRUE(sidecar_.is_object()) << GetParam().sidecar();
    opened_ = open_sample(GetParam().dump(), EdgeFilter::kAll);
    ASSERT_TRUE(opened_.error.empty()) << opened_.error;
    analysis::ReportOptions ro;
    ro.dump_path = GetParam().dump().string();
    report_ = analysis::build_report(*opened_.heap, *opened_.engine, ro);
  }
  const analysis::FinalizerClassStats* finalizer_class(const std::string& klass) const {
    for (const auto& c : report_.finalizer.by_class) {
      if (c.klass == klass) return &c;
    }
    return nullptr;
  }
  const analysis::Finding* finding(std::string_view kind) const {
    for (const auto& f : report_.findings) {
      if (f.kind == kind) return &f;
    }
    return nullptr;
  }

  nlohmann::json sidecar_;
  Opened opened_;
  analysis::Report report_;
};

TEST_P(Analyzers, FinalizerStatesMatchSidecar) {
  if (!sidecar_.contains("finalizer")) {
    // The program registers nothing for finalization: no finalizer finding above info.
    for (const auto& f : report_.findings) {
      if (f.kind.starts_with("finaliz")) {
        EXPECT_EQ(f.severity, analysis::Severity::kInfo) << f.title;
      }
    }
    return;
  }
  const auto& fin = sidecar_["finalizer"];
  ASSERT_TRUE(report_.finalizer.machinery_present);
  const auto* c = finalizer_class(fin["referent_class"].get<std::string>());
  ASSERT_NE(c, nullptr) << "no finalizer row for " << fin["referent_class"];
  EXPECT_EQ(c->registered, fin["registered"].get<uint64_t>());
  EXPECT_EQ(c->pending, fin["pending"].get<uint64_t>());
  EXPECT_EQ(c->being_finalized, fin["being_finalized"].get<uint64_t>());
  ASSERT_TRUE(report_.finalizer.queue_length_field);
  EXPECT_EQ(*report_.finalizer.queue_length_field, fin["queue_length_all_classes"].get<int64_t>());
  EXPECT_EQ(report_.finalizer.pending, fin["queue_length_all_classes"].get<uint64_t>());
  EXPECT_TRUE(report_.finalizer.thread.present);
  EXPECT_EQ(report_.finalizer.thread.state, fin["finalizer_thread_state"].get<std::string>());
  if (fin["being_finalized"].get<uint64_t>() > 0) {
    EXPECT_EQ(report_.finalizer.thread.finalize_class, fin["finalize_class"].get<std::string>());
    EXPECT_EQ(report_.finalizer.thread.verdict, "blocked");
    EXPECT_NE(report_.finalizer.thread.blocked_on.find("\"main\""), std::string::npos)
        << report_.finalizer.thread.blocked_on;
    const auto* f = finding("finalizer-backlog");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, analysis::Severity::kCritical);
    EXPECT_NE(f->title.find(fin["finalize_class"].get<std::string>()), std::string::npos);
  }
}

TEST_P(Analyzers, TimerQueuesMatchSidecar) {
  if (!sidecar_.contains("timers")) {
    // The program schedules nothing: no queue holds a cancelled task.
    for (const auto& t : report_.timers) EXPECT_EQ(t.tasks.cancelled, 0u) << t.thread_name;
    return;
  }
  for (const auto& want : sidecar_["timers"]) {
    const analysis::TimerReport* got = nullptr;
    for (const auto& t : report_.timers) {
      if (t.thread_name == want["thread_name"].get<std::string>()) got = &t;
    }
    ASSERT_NE(got, nullptr) << "no timer for thread " << want["thread_name"];
    EXPECT_EQ(got->queue_size, want["queue_size"].get<uint64_t>());
    EXPECT_EQ(got->capacity, want["capacity"].get<uint64_t>());
    EXPECT_EQ(got->tasks.cancelled, want["tasks"]["cancelled"].get<uint64_t>());
    EXPECT_EQ(got->tasks.scheduled, want["tasks"]["scheduled"].get<uint64_t>());
    EXPECT_EQ(got->head_state, want["head_state"].get<std::string>());
    // What only the cancelled tasks keep alive, per class (the sidecar leaves out the tasks).
    for (const auto& [klass, count] : want["held_only_by_cancelled_all"].items()) {
      uint64_t n = 0;
      for (const auto& c : got->held_only_by_class) {
        if (c.klass == klass) n = c.count;
      }
      EXPECT_EQ(n, count.get<uint64_t>()) << klass;
    }
    const bool leaking = want["tasks"]["cancelled"].get<uint64_t>() > 0 &&
                         !want["held_only_by_cancelled_all"].empty();
    if (leaking && want["kind"] == "java.util.Timer") {
      EXPECT_EQ(got->library, "PostgreSQL JDBC driver (pgjdbc)");
    }
  }
}

// The tests of one program, instantiated on that program's dumps only.
class CleanControl : public Analyzers {};
class PgTimerLeakReport : public Analyzers {};

TEST_P(CleanControl, HasNoWarnings) {
  for (const auto& f : report_.findings) {
    EXPECT_EQ(f.severity, analysis::Severity::kInfo) << f.title;
  }
}

TEST_P(PgTimerLeakReport, TimerAndFinalizerFindingsAreOneProblem) {
  const auto* timer = finding("timer-cancelled-tasks");
  const auto* pileup = finding("finalizable-pileup");
  ASSERT_NE(timer, nullptr);
  ASSERT_NE(pileup, nullptr);
  EXPECT_EQ(timer->severity, analysis::Severity::kCritical);
  EXPECT_EQ(timer->related, std::vector<std::string>{pileup->id});
  EXPECT_EQ(pileup->related, std::vector<std::string>{timer->id});
  EXPECT_NE(timer->title.find("PostgreSQL-JDBC-SharedTimer-1"), std::string::npos);
  // Each side says it once: one paragraph naming the linked classes, not one per class.
  auto occurrences = [](const std::string& text, std::string_view what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(occurrences(timer->explanation, "are also registered for finalization"), 1u);
  EXPECT_EQ(occurrences(pileup->explanation, "that is the problem to fix"), 1u);
}

std::string name(const ::testing::TestParamInfo<Sample>& info) {
  return info.param.name();
}

INSTANTIATE_TEST_SUITE_P(Samples, Analyzers, ::testing::ValuesIn(all_samples(true)), name);
INSTANTIATE_TEST_SUITE_P(Samples, CleanControl, ::testing::ValuesIn(samples({"CleanControl"})),
                         name);
INSTANTIATE_TEST_SUITE_P(Samples, PgTimerLeakReport,
                         ::testing::ValuesIn(samples({"PgTimerLeak"}, true)), name);

}  // namespace
}  // namespace heapscope::itest
