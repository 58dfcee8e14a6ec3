// `heapscope worker` end to end: the real binary against librdkafka's mock cluster (loopback).
// Events in, reports out (equal to `heapscope analyze --format json`), dead letters, /metrics,
// SIGTERM within the grace period and after it, SIGKILL mid-dump and a restart, a broker going
// down and injected request errors.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "kafka_harness.h"

namespace heapscope::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using std::chrono::seconds;

const std::string kHeapscope = HEAPSCOPE_BINARY;
const std::string kDemo = HEAPSCOPE_DEMO_DUMP;
const std::string kCheckOpenMetrics = HEAPSCOPE_CHECK_OPENMETRICS;
constexpr int16_t kApiProduce = 0;       // Kafka protocol ApiKey
constexpr int16_t kApiOffsetCommit = 8;  // Kafka protocol ApiKey

class WorkerE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("heapscope-worker-" + std::string(info->name()) + "-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    kafka_.create_topic("dumps", 2);
    kafka_.create_topic("reports", 2);
    kafka_.create_topic("dead", 1);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> args(std::vector<std::string> extra = {}) {
    std::vector<std::string> a{"worker", "--brokers", kafka_.bootstraps(), "--input-topic", "dumps",
                               "--output-topic", "reports", "--dead-letter-topic", "dead",
                               "--group-id", "heapscope-test", "--cache-dir",
                               (dir_ / "cache").string(), "--threads", "2",
                               // a member that lost its session is replaced in seconds
                               "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=500"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  std::string event(const std::string& id, const std::string& dump) {
    return Json{{"id", id}, {"dump", dump}, {"service", "checkout"}, {"pod", "checkout-7f9c"}}
        .dump();
  }
  // The number of input events the group has committed, over both partitions.
  int64_t committed_total() {
    int64_t total = 0;
    for (const auto& [p, o] : kafka_.committed("heapscope-test", "dumps", 2)) {
      total += std::max<int64_t>(o, 0);
    }
    return total;
  }
  // The keys of the input events whose offsets the group has committed.
  std::set<std::string> committed_ids() {
    std::set<std::string> out;
    const auto committed = kafka_.committed("heapscope-test", "dumps", 2);
    for (const auto& in : kafka_.read("dumps", produced_, seconds(10))) {
      const auto it = committed.find(in.partition);
      if (it != committed.end() && in.offset < it->second) out.insert(in.key);
    }
    return out;
  }
  // Every committed input offset has an output (or dead letter) with its id.
  void expect_committed_have_outputs(const std::vector<Record>& outputs) {
    std::set<std::string> out_ids;
    for (const auto& r : outputs) out_ids.insert(r.key);
    for (const auto& id : committed_ids()) {
      EXPECT_TRUE(out_ids.count(id)) << id << ": offset committed without an output";
    }
  }
  void produce_event(const std::string& id, const std::string& dump) {
    kafka_.produce("dumps", id, event(id, dump));
    ++produced_;
  }

  MockKafka kafka_;
  fs::path dir_;
  size_t produced_ = 0;
};

std::string analyze_json(const std::string& dump) {
  FILE* p = popen((kHeapscope + " analyze -q --format json '" + dump + "'").c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

TEST_F(WorkerE2E, ReportsOutDeadLettersAndMetrics) {
  const std::string bad = (dir_ / "not-a-dump.hprof").string();
  std::ofstream(bad) << "this is not a heap dump\n";
  produce_event("demo-1", kDemo);
  produce_event("bad-1", bad);
  kafka_.produce("dumps", "junk", "{not json");
  kafka_.produce("dumps", "nodump", R"({"id": "nodump-1", "service": "x"})");
  produced_ += 2;

  const int port = free_port();
  WorkerProcess w(kHeapscope, args({"--metrics-port", std::to_string(port)}));
  const auto reports = kafka_.read("reports", 1);
  const auto dead = kafka_.read("dead", 3);
  ASSERT_EQ(reports.size(), 1u) << w.log();
  ASSERT_EQ(dead.size(), 3u) << w.log();

  // the report: keyed by id, the input's other keys passed through, the analyze JSON
  EXPECT_EQ(reports[0].key, "demo-1");
  const Json out = Json::parse(reports[0].value);
  EXPECT_EQ(out["id"], "demo-1");
  EXPECT_EQ(out["dump"], kDemo);
  EXPECT_EQ(out["exit_code"], 1);  // the demo has critical findings (--fail-on critical)
  EXPECT_EQ(out["service"], "checkout");
  EXPECT_EQ(out["pod"], "checkout-7f9c");
  EXPECT_EQ(out["report"], Json::parse(analyze_json(kDemo)));

  std::map<std::string, Json> by_key;
  for (const auto& r : dead) by_key[r.key] = Json::parse(r.value);
  EXPECT_EQ(by_key["bad-1"]["exit_code"], 3);
  EXPECT_EQ(by_key["bad-1"]["dump"], bad);
  EXPECT_NE(by_key["bad-1"]["error"].get<std::string>().find("byte"), std::string::npos)
      << by_key["bad-1"];
  EXPECT_EQ(by_key["junk"]["exit_code"], 2);
  EXPECT_EQ(by_key["junk"]["raw"], "{not json");
  EXPECT_EQ(by_key["junk"]["id"], nullptr);
  EXPECT_EQ(by_key["nodump"]["id"], "nodump-1");
  EXPECT_EQ(by_key["nodump"]["raw"], R"({"id": "nodump-1", "service": "x"})");

  // /metrics after the four events (the commit of the last one may still be under way)
  ASSERT_TRUE(w.wait_for_log("done id=bad-1", seconds(10))) << w.log();
  std::string metrics;
  for (int i = 0; i < 50; ++i) {
    metrics = http_get(port, "/metrics");
    if (metrics.find("outcome=\"malformed\"} 2") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(metrics.find("HTTP/1.0 200"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("application/openmetrics-text"), std::string::npos);
  const std::string body = metrics.substr(metrics.find("\r\n\r\n") + 4);
  const uint64_t bytes = fs::file_size(kDemo) + fs::file_size(bad);
  for (const std::string& line :
       std::vector<std::string>{"heapscope_worker_analyses_total{outcome=\"findings\"} 1",
                                "heapscope_worker_analyses_total{outcome=\"bad_input\"} 1",
                                "heapscope_worker_analyses_total{outcome=\"malformed\"} 2",
                                "heapscope_worker_analyses_total{outcome=\"ok\"} 0",
                                "heapscope_worker_analysis_duration_seconds_count 2",
                                "heapscope_worker_analysis_duration_seconds_bucket{le=\"+Inf\"} 2",
                                "heapscope_worker_analyzed_bytes_total " + std::to_string(bytes),
                                "heapscope_worker_findings_total{kind=\"timer-cancelled-tasks\","
                                "severity=\"critical\"} 1",
                                "heapscope_worker_in_flight 0"}) {
    EXPECT_NE(body.find("\n" + line + "\n"), std::string::npos) << line << "\n" << body;
  }
  const fs::path scraped = dir_ / "metrics.om";
  std::ofstream(scraped) << body;
  EXPECT_EQ(std::system(
                ("/usr/bin/python3 " + kCheckOpenMetrics + " " + scraped.string() + " > /dev/null")
                    .c_str()),
            0)
      << body;
  EXPECT_NE(http_get(port, "/healthz").find("200 OK"), std::string::npos);
  EXPECT_NE(http_get(port, "/nope").find("404"), std::string::npos);

  w.signal(SIGTERM);
  EXPECT_EQ(w.wait(seconds(15)), 0) << w.log();
  EXPECT_EQ(committed_total(), 4) << "every handled event's offset is committed";
  auto outputs = kafka_.read("dead", 3);
  outputs.insert(outputs.end(), reports.begin(), reports.end());
  expect_committed_have_outputs(outputs);
}

TEST_F(WorkerE2E, KilledMidDumpAndRestartedLosesNothingCommitted) {
  for (int i = 1; i <= 3; ++i) produce_event("k" + std::to_string(i), kDemo);
  std::vector<Record> before;
  {
    WorkerProcess w(kHeapscope, args());
    // the first dump completes, then the worker dies in the middle of the second
    ASSERT_TRUE(w.wait_for_log("done id=", seconds(60))) << w.log();
    const std::string log = w.log();
    const size_t done = log.find("done id=");
    ASSERT_TRUE(w.wait_for_log("analyzing id=", seconds(30)));
    for (int i = 0; i < 500 && w.log().find("analyzing id=", done) == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    w.signal(SIGKILL);
    EXPECT_EQ(w.wait(seconds(10)), 128 + SIGKILL);
    before = kafka_.read("reports", 3, seconds(3));
    expect_committed_have_outputs(before);
  }
  const std::set<std::string> committed_before = committed_ids();
  EXPECT_GE(committed_before.size(), 1u);
  EXPECT_LT(committed_before.size(), 3u);
  WorkerProcess w(kHeapscope, args());
  std::set<std::string> ids;
  std::vector<Record> after;
  const auto end = std::chrono::steady_clock::now() + seconds(90);
  while (ids.size() < 3 && std::chrono::steady_clock::now() < end) {
    after = kafka_.read("reports", 3, seconds(5));
    ids.clear();
    for (const auto& r : after) ids.insert(r.key);
  }
  EXPECT_EQ(ids, (std::set<std::string>{"k1", "k2", "k3"})) << w.log();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait(seconds(30)), 0) << w.log();
  // an event committed before the kill was not redone: its id is in the output once
  std::map<std::string, int> count;
  for (const auto& r : kafka_.read("reports", 10, seconds(3))) ++count[r.key];
  for (const auto& id : committed_before) EXPECT_EQ(count[id], 1) << id;
  EXPECT_EQ(committed_ids(), (std::set<std::string>{"k1", "k2", "k3"}));
  expect_committed_have_outputs(kafka_.read("reports", 10, seconds(3)));
}

TEST_F(WorkerE2E, SigtermFinishesTheDumpInFlightWithinTheGracePeriod) {
  produce_event("t1", kDemo);
  WorkerProcess w(kHeapscope, args({"--grace-period", "60"}));
  ASSERT_TRUE(w.wait_for_log("analyzing id=t1", seconds(30))) << w.log();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait(seconds(60)), 0) << w.log();
  EXPECT_NE(w.log().find("done id=t1"), std::string::npos) << w.log();
  EXPECT_EQ(kafka_.read("reports", 1, seconds(5)).size(), 1u);
  EXPECT_EQ(committed_total(), 1) << "the finished dump's offset is committed";
  expect_committed_have_outputs(kafka_.read("reports", 1, seconds(3)));
}

TEST_F(WorkerE2E, SigtermAfterTheGracePeriodAbandonsTheDumpUncommitted) {
  produce_event("t2", kDemo);
  WorkerProcess w(kHeapscope, args({"--grace-period", "0"}));
  ASSERT_TRUE(w.wait_for_log("analyzing id=t2", seconds(30))) << w.log();
  w.signal(SIGTERM);
  EXPECT_EQ(w.wait(seconds(20)), 0) << w.log();
  EXPECT_NE(w.log().find("abandoned id=t2"), std::string::npos) << w.log();
  EXPECT_TRUE(kafka_.read("reports", 1, seconds(3)).empty());
  for (const auto& [p, o] : kafka_.committed("heapscope-test", "dumps", 2)) {
    EXPECT_LT(o, 0) << "partition " << p << " has a committed offset without an output";
  }
}

TEST_F(WorkerE2E, SurvivesABrokerGoingDownAndRequestErrors) {
  for (int i = 1; i <= 3; ++i) produce_event("b" + std::to_string(i), kDemo);
  // the first produce and commit attempts fail with retriable errors
  rd_kafka_mock_push_request_errors(kafka_.cluster(), kApiProduce, 2,
                                    RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT);
  rd_kafka_mock_push_request_errors(kafka_.cluster(), kApiOffsetCommit, 2,
                                    RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE,
                                    RD_KAFKA_RESP_ERR_NOT_COORDINATOR);
  WorkerProcess w(kHeapscope, args({"--max-dumps", "3"}));
  ASSERT_TRUE(w.wait_for_log("analyzing id=", seconds(30))) << w.log();
  // every broker goes away for three seconds while a dump is analyzed
  for (int b = 1; b <= 3; ++b) rd_kafka_mock_broker_set_down(kafka_.cluster(), b);
  std::this_thread::sleep_for(seconds(3));
  for (int b = 1; b <= 3; ++b) rd_kafka_mock_broker_set_up(kafka_.cluster(), b);
  EXPECT_EQ(w.wait(seconds(120)), 0) << w.log();
  // at least once: an event whose commit failed may have been redone, so read past three
  std::set<std::string> ids;
  const auto reports = kafka_.read("reports", 6, seconds(5));
  for (const auto& r : reports) ids.insert(r.key);
  EXPECT_EQ(ids, (std::set<std::string>{"b1", "b2", "b3"})) << w.log();
  EXPECT_EQ(committed_total(), 3) << w.log();
  expect_committed_have_outputs(reports);
}

}  // namespace
}  // namespace heapscope::test
