// Every call of the C ABI against the CLI on the same dump: the same bytes, the same codes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "capi_support.h"

using namespace capi_test;

namespace {

const std::string kDemo = HEAPSCOPE_DEMO_DUMP;
// Objects of the demo dump (PgTimerLeak, JDK 17; tests/cli/golden_tests.cmake names them).
constexpr uint64_t kTask = 0xf0000938;       // a cancelled TimerTask
constexpr uint64_t kStatement = 0xf0000470;  // its closed statement
constexpr uint64_t kTaskArray = 0xffb0dc60;  // the Timer's TimerTask[]
constexpr uint64_t kFinalizerClass = 0xffe023d0;

std::string hex(uint64_t id) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(id));
  return buf;
}

std::vector<std::string> cli(std::vector<std::string> args) {
  args.insert(args.begin() + 1, {"-q", "--format", "json"});
  args.push_back(kDemo);
  return args;
}

class DemoDump : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { analysis_ = open_or_fail(kDemo).release(); }
  static void TearDownTestSuite() { heapscope_close(analysis_); }
  static heapscope_analysis* analysis_;
};
heapscope_analysis* DemoDump::analysis_ = nullptr;

void expect_same(const Answer& abi, const CliRun& cli_run, int cli_rc = 0) {
  EXPECT_EQ(abi.rc, HEAPSCOPE_OK) << abi.json;
  EXPECT_EQ(cli_run.exit_code, cli_rc);
  EXPECT_FALSE(abi.json.empty());
  EXPECT_EQ(abi.json, cli_run.out);
}

}  // namespace

TEST(CApi, VersionIsTheProjects) {
  EXPECT_STREQ(heapscope_version(), "0.1.0");
}

TEST_F(DemoDump, ReportEqualsAnalyzeJson) {
  const auto abi = ask([&](char** out) { return heapscope_report_json(analysis_, out); });
  // The demo dump has a critical finding: analyze exits 1, the ABI call succeeds.
  expect_same(abi, run_cli(cli({"analyze"})), 1);
  EXPECT_NE(abi.json.find("\"schema_version\""), std::string::npos);
}

TEST_F(DemoDump, InfoEqualsCli) {
  expect_same(ask([&](char** out) { return heapscope_info_json(analysis_, out); }),
              run_cli(cli({"info"})));
}

TEST_F(DemoDump, HistogramEqualsCliInEveryOrder) {
  expect_same(
      ask([&](char** out) { return heapscope_histogram_json(analysis_, nullptr, 10, 0, out); }),
      run_cli(cli({"histogram", "--top", "10"})));
  expect_same(
      ask([&](char** out) { return heapscope_histogram_json(analysis_, "count", 0, 0, out); }),
      run_cli(cli({"histogram", "--sort", "count"})));
  expect_same(
      ask([&](char** out) { return heapscope_histogram_json(analysis_, "retained", 10, 0, out); }),
      run_cli(cli({"histogram", "--sort", "retained", "--top", "10"})));
  expect_same(ask([&](char** out) {
                return heapscope_histogram_json(analysis_, "retained", 10,
                                                HEAPSCOPE_RETAINED_STRONG_ONLY, out);
              }),
              run_cli(cli({"histogram", "--sort", "retained", "--strong-only", "--top", "10"})));
}

TEST_F(DemoDump, DominatorsEqualCli) {
  expect_same(
      ask([&](char** out) { return heapscope_dominators_json(analysis_, 0, 5, 2, 0, out); }),
      run_cli(cli({"dominators", "--top", "5", "--depth", "2"})));
  expect_same(ask([&](char** out) {
                return heapscope_dominators_json(analysis_, 0, 3, 3, HEAPSCOPE_RETAINED_STRONG_ONLY,
                                                 out);
              }),
              run_cli(cli({"dominators", "--strong-only", "--top", "3", "--depth", "3"})));
}

TEST_F(DemoDump, DominatorChildrenEqualCli) {
  constexpr uint64_t kTaskQueue = 0xf008f718;
  expect_same(
      ask([&](char** out) {
        return heapscope_dominators_json(analysis_, kTaskQueue, 3, 2, 0, out);
      }),
      run_cli(cli({"dominators", "--object", hex(kTaskQueue), "--top", "3", "--depth", "2"})));
}

// The children of an object are the subtree the CLI shows under it.
TEST_F(DemoDump, DominatorChildrenOfAnObjectAreItsSubtree) {
  const auto whole =
      nlohmann::json::parse(run_cli(cli({"dominators", "--top", "4", "--depth", "3"})).out);
  int checked = 0;
  for (const auto& node : whole["dominators"]) {
    if (node["children"].empty()) continue;
    const uint64_t id = std::stoull(node["object_id"].get<std::string>(), nullptr, 16);
    const auto abi =
        ask([&](char** out) { return heapscope_dominators_json(analysis_, id, 4, 2, 0, out); });
    ASSERT_EQ(abi.rc, HEAPSCOPE_OK) << abi.json;
    const auto sub = nlohmann::json::parse(abi.json);
    EXPECT_EQ(sub["object_id"], node["object_id"]);
    EXPECT_EQ(sub["dominators"], node["children"]);
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST_F(DemoDump, PathsEqualCli) {
  expect_same(ask([&](char** out) { return heapscope_path_json(analysis_, kTask, 1, 0, out); }),
              run_cli(cli({"path", "--object", hex(kTask)})));
  expect_same(
      ask([&](char** out) { return heapscope_path_json(analysis_, kStatement, 2, 1, out); }),
      run_cli(cli({"path", "--object", hex(kStatement), "--all-references", "--max-paths", "2"})));
}

TEST_F(DemoDump, ObjectsEqualCli) {
  for (const uint64_t id : {kTask, kStatement, kTaskArray, kFinalizerClass}) {
    expect_same(ask([&](char** out) { return heapscope_object_json(analysis_, id, 20, out); }),
                run_cli(cli({"object", "--object", hex(id)})));
  }
  expect_same(ask([&](char** out) { return heapscope_object_json(analysis_, kTaskArray, 3, out); }),
              run_cli(cli({"object", "--object", hex(kTaskArray), "--elements", "3"})));
}

TEST_F(DemoDump, BadArgumentsAreUsageErrorsAsInTheCli) {
  const auto missing =
      ask([&](char** out) { return heapscope_object_json(analysis_, 0x12345, 20, out); });
  EXPECT_EQ(missing.rc, HEAPSCOPE_ERROR_USAGE);
  EXPECT_EQ(run_cli(cli({"object", "--object", "0x12345"})).exit_code, missing.rc);
  const auto error = nlohmann::json::parse(missing.json);
  EXPECT_EQ(error["error"]["code"], HEAPSCOPE_ERROR_USAGE);
  EXPECT_EQ(error["error"]["message"], "the dump has no object with id 0x12345");
  EXPECT_EQ(ask([&](char** out) { return heapscope_path_json(analysis_, 0x12345, 1, 0, out); }).rc,
            HEAPSCOPE_ERROR_USAGE);
  EXPECT_EQ(ask([&](char** out) {
              return heapscope_dominators_json(analysis_, 0x12345, 1, 1, 0, out);
            }).rc,
            HEAPSCOPE_ERROR_USAGE);
  EXPECT_EQ(
      ask([&](char** out) { return heapscope_dominators_json(analysis_, 0, 1, 0, 0, out); }).rc,
      HEAPSCOPE_ERROR_USAGE);
  EXPECT_EQ(
      ask([&](char** out) { return heapscope_dominators_json(analysis_, 0, 1, 1, 7, out); }).rc,
      HEAPSCOPE_ERROR_USAGE);
  EXPECT_EQ(
      ask([&](char** out) { return heapscope_histogram_json(analysis_, "size", 1, 0, out); }).rc,
      HEAPSCOPE_ERROR_USAGE);
  EXPECT_EQ(heapscope_info_json(analysis_, nullptr), HEAPSCOPE_ERROR_USAGE);
  EXPECT_EQ(ask([&](char** out) { return heapscope_info_json(nullptr, out); }).rc,
            HEAPSCOPE_ERROR_USAGE);
  heapscope_analysis* out = nullptr;
  EXPECT_EQ(heapscope_open(nullptr, nullptr, &out, nullptr), HEAPSCOPE_ERROR_USAGE);
  EXPECT_EQ(out, nullptr);
  EXPECT_EQ(heapscope_options_set_retained_convention(nullptr, HEAPSCOPE_RETAINED_MAT),
            HEAPSCOPE_ERROR_USAGE);
}

TEST(CApi, UnderATinyBudgetSpillsLikeTheCli) {
  // Over the budget the tables go to spill files (memory_plan.h) instead of failing: the ABI and
  // the CLI give the same report as without a budget.
  heapscope_options* options = heapscope_options_new();
  ASSERT_NE(options, nullptr);
  heapscope_options_set_memory_budget(options, 1);
  auto a = open_or_fail(kDemo, options);
  heapscope_options_free(options);  // copied by open
  ASSERT_TRUE(a);
  const auto abi = ask([&](char** out) { return heapscope_report_json(a.get(), out); });
  expect_same(abi, run_cli(cli({"analyze", "--memory-budget", "1"})), 1);
  EXPECT_EQ(abi.json, run_cli(cli({"analyze"})).out);
  EXPECT_EQ(ask([&](char** out) { return heapscope_info_json(a.get(), out); }).rc, HEAPSCOPE_OK);
}

TEST(CApi, MissingFileIsBadInputWithAMessage) {
  heapscope_analysis* a = nullptr;
  char* error = nullptr;
  EXPECT_EQ(heapscope_open("/nonexistent/dump.hprof", nullptr, &a, &error),
            HEAPSCOPE_ERROR_BAD_INPUT);
  EXPECT_EQ(a, nullptr);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(std::string(error).find("/nonexistent/dump.hprof"), std::string::npos) << error;
  heapscope_string_free(error);
  EXPECT_EQ(run_cli({"info", "-q", "/nonexistent/dump.hprof"}).exit_code,
            HEAPSCOPE_ERROR_BAD_INPUT);
}

// Every file of the public corpus: open = `info`'s exit code; what opens answers `info` and
// `analyze` with the CLI's bytes.
TEST(CApi, CorpusGivesTheCliBytesAndCodes) {
  const auto files = corpus_files();
  ASSERT_GE(files.size(), 10u) << "the corpus (" HEAPSCOPE_CORPUS ") is missing";
  for (const auto& file : files) {
    SCOPED_TRACE(file);
    const auto info = run_cli({"info", "-q", "--format", "json", file});
    heapscope_analysis* raw = nullptr;
    char* error = nullptr;
    const int rc = heapscope_open(file.c_str(), nullptr, &raw, &error);
    Analysis a(raw);
    EXPECT_EQ(rc, info.exit_code) << (error ? error : "");
    EXPECT_EQ(rc == HEAPSCOPE_OK, error == nullptr);
    heapscope_string_free(error);
    if (rc != HEAPSCOPE_OK) continue;
    EXPECT_EQ(ask([&](char** out) { return heapscope_info_json(a.get(), out); }).json, info.out);
    const auto analyze = run_cli({"analyze", "-q", "--format", "json", file});
    const auto report = ask([&](char** out) { return heapscope_report_json(a.get(), out); });
    EXPECT_EQ(report.rc == HEAPSCOPE_OK, analyze.exit_code == 0 || analyze.exit_code == 1);
    if (report.rc == HEAPSCOPE_OK) {
      EXPECT_EQ(report.json, analyze.out);
    } else {
      EXPECT_EQ(report.rc, analyze.exit_code);
    }
  }
}
