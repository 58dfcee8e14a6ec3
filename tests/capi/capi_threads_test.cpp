// Cancellation from the progress callback in every phase, and threads: several on one analysis,
// two analyses at once. (The ASan pass runs these too.)
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "capi_support.h"

using namespace capi_test;

namespace {

const std::string kDemo = HEAPSCOPE_DEMO_DUMP;
constexpr uint64_t kStatement = 0xf0000470;

struct Recorder {
  std::mutex mutex;
  std::vector<std::string> phases;  // in order of first appearance
  std::string cancel_in;            // return 1 in this phase
  int calls_after_cancel = 0;
  bool cancelled = false;
};

int record(void* user, const char* phase, double fraction) {
  auto* r = static_cast<Recorder*>(user);
  std::lock_guard lock(r->mutex);
  EXPECT_TRUE(fraction == -1.0 || (fraction >= 0.0 && fraction <= 1.0)) << fraction;
  if (r->phases.empty() || r->phases.back() != phase) {
    bool seen = false;
    for (const auto& p : r->phases) seen = seen || p == phase;
    if (!seen) r->phases.push_back(phase);
  }
  if (r->cancelled) ++r->calls_after_cancel;
  if (!r->cancel_in.empty() && r->cancel_in == phase) {
    r->cancelled = true;
    return 1;
  }
  return 0;
}

// Open and the report with the recorder: the first failing code, or OK.
int open_and_report(Recorder& recorder) {
  heapscope_options* options = heapscope_options_new();
  heapscope_options_set_progress(options, &record, &recorder);
  heapscope_analysis* raw = nullptr;
  int rc = heapscope_open(kDemo.c_str(), options, &raw, nullptr);
  heapscope_options_free(options);
  Analysis a(raw);
  if (rc != HEAPSCOPE_OK) return rc;
  char* json = nullptr;
  rc = heapscope_report_json(a.get(), &json);
  heapscope_string_free(json);
  return rc;
}

std::string report_of(heapscope_analysis* a) {
  return ask([&](char** out) { return heapscope_report_json(a, out); }).json;
}

}  // namespace

TEST(CApiCancel, EveryPhaseCancels) {
  Recorder all;
  ASSERT_EQ(open_and_report(all), HEAPSCOPE_OK);
  // decompress, scan records, index objects, ..., build graph, dominators: dfs, ...
  ASSERT_GE(all.phases.size(), 7u) << ::testing::PrintToString(all.phases);
  for (const auto& phase : all.phases) {
    SCOPED_TRACE(phase);
    Recorder r;
    r.cancel_in = phase;
    EXPECT_EQ(open_and_report(r), HEAPSCOPE_CANCELLED);
    EXPECT_TRUE(r.cancelled);
  }
}

// A cancelled build leaves nothing half-made: the next call builds again and succeeds.
TEST(CApiCancel, AQueryAfterACancelledOneSucceeds) {
  Recorder r;
  heapscope_options* options = heapscope_options_new();
  heapscope_options_set_progress(options, &record, &r);
  auto a = open_or_fail(kDemo, options);
  heapscope_options_free(options);
  ASSERT_TRUE(a);
  {
    std::lock_guard lock(r.mutex);
    r.cancel_in = "dominators: dfs";
  }
  const auto cancelled = ask([&](char** out) { return heapscope_report_json(a.get(), out); });
  ASSERT_EQ(cancelled.rc, HEAPSCOPE_CANCELLED) << "phases: " << ::testing::PrintToString(r.phases);
  EXPECT_NE(cancelled.json.find("\"code\":6"), std::string::npos);
  {
    std::lock_guard lock(r.mutex);
    r.cancel_in.clear();
  }
  EXPECT_EQ(ask([&](char** out) { return heapscope_report_json(a.get(), out); }).rc, HEAPSCOPE_OK);
}

// Four threads on one analysis, asking everything at once while the engines are still being
// built: every answer equals the one a single thread gets.
TEST(CApiThreads, OneAnalysisServesSeveralThreads) {
  std::vector<std::string> expected;
  {
    auto a = open_or_fail(kDemo);
    expected.push_back(report_of(a.get()));
    expected.push_back(
        ask([&](char** out) { return heapscope_object_json(a.get(), kStatement, 20, out); }).json);
    expected.push_back(
        ask([&](char** out) { return heapscope_path_json(a.get(), kStatement, 2, 1, out); }).json);
    expected.push_back(ask([&](char** out) {
                         return heapscope_dominators_json(a.get(), 0, 5, 3,
                                                          HEAPSCOPE_RETAINED_STRONG_ONLY, out);
                       }).json);
    expected.push_back(ask([&](char** out) {
                         return heapscope_histogram_json(a.get(), "retained", 10, 0, out);
                       }).json);
  }
  auto a = open_or_fail(kDemo);
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      // Each thread starts elsewhere, so that the engines are built under contention.
      for (size_t k = 0; k < expected.size(); ++k) {
        const size_t q = (k + t) % expected.size();
        std::string answer;
        switch (q) {
          case 0:
            answer = report_of(a.get());
            break;
          case 1:
            answer = ask([&](char** out) {
                       return heapscope_object_json(a.get(), kStatement, 20, out);
                     }).json;
            break;
          case 2:
            answer = ask([&](char** out) {
                       return heapscope_path_json(a.get(), kStatement, 2, 1, out);
                     }).json;
            break;
          case 3:
            answer = ask([&](char** out) {
                       return heapscope_dominators_json(a.get(), 0, 5, 3,
                                                        HEAPSCOPE_RETAINED_STRONG_ONLY, out);
                     }).json;
            break;
          default:
            answer = ask([&](char** out) {
                       return heapscope_histogram_json(a.get(), "retained", 10, 0, out);
                     }).json;
        }
        got[t].resize(expected.size());
        got[t][q] = std::move(answer);
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
}

TEST(CApiThreads, TwoAnalysesAtOnce) {
  std::string expected;
  {
    auto a = open_or_fail(kDemo);
    expected = report_of(a.get());
  }
  std::string got[2];
  std::thread threads[2];
  for (int t = 0; t < 2; ++t) {
    threads[t] = std::thread([&, t] {
      auto a = open_or_fail(kDemo);
      if (a) got[t] = report_of(a.get());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(got[0], expected);
  EXPECT_EQ(got[1], expected);
}
