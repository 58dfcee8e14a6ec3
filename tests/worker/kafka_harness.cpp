#include "kafka_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

extern char** environ;

namespace heapscope::test {
namespace {

void set(rd_kafka_conf_t* conf, const char* key, const std::string& value) {
  char err[256];
  if (rd_kafka_conf_set(conf, key, value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
    throw std::runtime_error(std::string(key) + ": " + err);
  }
}

rd_kafka_t* new_client(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
  char err[256];
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (!rk) throw std::runtime_error(err);
  return rk;
}

}  // namespace

MockKafka::MockKafka(int brokers) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "test.mock.num.brokers", std::to_string(brokers));
  set(conf, "enable.idempotence", "true");
  producer_ = new_client(RD_KAFKA_PRODUCER, conf);
  cluster_ = rd_kafka_handle_mock_cluster(producer_);
  bootstraps_ = rd_kafka_mock_cluster_bootstraps(cluster_);
}

MockKafka::~MockKafka() {
  rd_kafka_flush(producer_, 2000);
  rd_kafka_destroy(producer_);
}

void MockKafka::create_topic(const std::string& topic, int partitions) {
  rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1);
}

Record MockKafka::produce(const std::string& topic, const std::string& key,
                          const std::string& value) {
  const auto err =
      rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC(topic.c_str()),
                        RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
                        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  if (err) throw std::runtime_error(rd_kafka_err2str(err));
  if (rd_kafka_flush(producer_, 10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error("produce not acknowledged");
  }
  return {key, value, -1, -1};
}

std::vector<Record> MockKafka::read(const std::string& topic, size_t count,
                                    std::chrono::seconds timeout) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstraps_);
  set(conf, "group.id", "test-reader");
  set(conf, "enable.auto.commit", "false");
  set(conf, "auto.offset.reset", "earliest");
  rd_kafka_t* c = new_client(RD_KAFKA_CONSUMER, conf);
  // every partition from the beginning, without joining a group
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_topic_t* t = rd_kafka_topic_new(c, topic.c_str(), nullptr);
  rd_kafka_metadata(c, 0, t, &md, 5000);
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(4);
  if (md && md->topic_cnt == 1) {
    for (int p = 0; p < md->topics[0].partition_cnt; ++p) {
      rd_kafka_topic_partition_list_add(parts, topic.c_str(), p)->offset =
          RD_KAFKA_OFFSET_BEGINNING;
    }
  }
  if (md) rd_kafka_metadata_destroy(md);
  rd_kafka_topic_destroy(t);
  rd_kafka_assign(c, parts);
  rd_kafka_topic_partition_list_destroy(parts);
  std::vector<Record> out;
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (out.size() < count && std::chrono::steady_clock::now() < end) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(c, 100);
    if (!m) continue;
    if (!m->err) {
      out.push_back({m->key ? std::string(static_cast<char*>(m->key), m->key_len) : "",
                     std::string(static_cast<char*>(m->payload), m->len), m->partition, m->offset});
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(c);
  rd_kafka_destroy(c);
  return out;
}

std::map<int32_t, int64_t> MockKafka::committed(const std::string& group, const std::string& topic,
                                                int partitions) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstraps_);
  set(conf, "group.id", group);
  rd_kafka_t* c = new_client(RD_KAFKA_CONSUMER, conf);
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p) rd_kafka_topic_partition_list_add(parts, topic.c_str(), p);
  std::map<int32_t, int64_t> out;
  if (rd_kafka_committed(c, parts, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < parts->cnt; ++i) out[parts->elems[i].partition] = parts->elems[i].offset;
  }
  rd_kafka_topic_partition_list_destroy(parts);
  rd_kafka_destroy(c);
  return out;
}

WorkerProcess::WorkerProcess(const std::string& binary, const std::vector<std::string>& args) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
  std::vector<std::string> all{binary};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (posix_spawn(&pid_, binary.c_str(), &fa, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("cannot start " + binary);
  }
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  stderr_fd_ = fds[0];
  reader_ = std::thread([this] {
    char buf[4096];
    for (;;) {
      const ssize_t n = ::read(stderr_fd_, buf, sizeof buf);
      if (n <= 0) break;
      std::lock_guard lock(mutex_);
      log_.append(buf, static_cast<size_t>(n));
    }
  });
}

WorkerProcess::~WorkerProcess() {
  if (!exited_) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(10));
  }
  if (reader_.joinable()) reader_.join();
  close(stderr_fd_);
}

bool WorkerProcess::wait_for_log(const std::string& text, std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    {
      std::lock_guard lock(mutex_);
      if (log_.find(text) != std::string::npos) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void WorkerProcess::signal(int sig) {
  ::kill(pid_, sig);
}

int WorkerProcess::wait(std::chrono::seconds timeout) {
  if (exited_) return status_;
  const auto end = std::chrono::steady_clock::now() + timeout;
  int st = 0;
  while (std::chrono::steady_clock::now() < end) {
    if (waitpid(pid_, &st, WNOHANG) == pid_) {
      exited_ = true;
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      return status_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &st, 0);
  exited_ = true;
  status_ = -1;
  return -1;
}

std::string WorkerProcess::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

std::string http_get(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    const std::string req = "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n";
    send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    char buf[4096];
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 5000) <= 0) break;
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  close(fd);
  return out;
}

}  // namespace heapscope::test
