// Test harness for `heapscope worker`: librdkafka's built-in mock cluster (real Kafka protocol on
// loopback ports, in this process) and the real worker binary as a child process.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <sys/types.h>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace heapscope::test {

struct Record {
  std::string key;
  std::string value;
  int32_t partition = 0;
  int64_t offset = 0;
};

class MockKafka {
 public:
  explicit MockKafka(int brokers = 3);
  ~MockKafka();
  const std::string& bootstraps() const { return bootstraps_; }
  rd_kafka_mock_cluster_t* cluster() { return cluster_; }
  void create_topic(const std::string& topic, int partitions);
  // Produces and waits for the acknowledgement; returns the record's partition and offset.
  Record produce(const std::string& topic, const std::string& key, const std::string& value);
  // Reads `topic` from the beginning until `count` records arrived or `timeout` passed.
  std::vector<Record> read(const std::string& topic, size_t count,
                           std::chrono::seconds timeout = std::chrono::seconds(20));
  // The group's committed offset per partition of `topic` (negative: none).
  std::map<int32_t, int64_t> committed(const std::string& group, const std::string& topic,
                                       int partitions);

 private:
  rd_kafka_t* producer_ = nullptr;  // owns the mock cluster
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstraps_;
};

class WorkerProcess {
 public:
  // Starts `binary args...` with stderr captured.
  WorkerProcess(const std::string& binary, const std::vector<std::string>& args);
  ~WorkerProcess();
  // True once stderr contains `text` (counting from the start of the log).
  bool wait_for_log(const std::string& text, std::chrono::seconds timeout);
  void signal(int sig);
  // The exit status, or -1 when it has not exited within `timeout` (then it is killed).
  int wait(std::chrono::seconds timeout);
  std::string log() const;

 private:
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::string log_;
  bool exited_ = false;
  int status_ = -1;
};

// A free TCP port on loopback (bound and released).
int free_port();
// GET http://127.0.0.1:port/path; the status line and body, "" when nothing answered.
std::string http_get(int port, const std::string& path);

}  // namespace heapscope::test
