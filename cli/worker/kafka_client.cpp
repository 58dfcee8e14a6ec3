#include "kafka_client.h"

#include <cstdio>
#include <thread>
#include <vector>

namespace heapscope::cli::worker {
namespace {

using RdKafka::ErrorCode;

struct Delivery {
  bool done = false;
  ErrorCode error = RdKafka::ERR_NO_ERROR;
};

class DeliveryReports final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& m) override {
    auto* d = static_cast<Delivery*>(m.msg_opaque());
    if (!d) return;
    d->done = true;
    d->error = m.err();
  }
};

std::string partitions_text(const std::vector<RdKafka::TopicPartition*>& ps) {
  std::string out;
  for (const auto* p : ps) {
    if (!out.empty()) out += ",";
    out += p->topic() + "/" + std::to_string(p->partition());
  }
  return out.empty() ? "none" : out;
}

// Eager (range) rebalancing, logged: the loop handles one event at a time and commits it before
// asking for the next, so a revocation never interrupts an event half-way.
class Rebalances final : public RdKafka::RebalanceCb {
 public:
  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      std::fprintf(stderr, "heapscope worker: assigned %s\n", partitions_text(partitions).c_str());
      consumer->assign(partitions);
    } else {
      std::fprintf(stderr, "heapscope worker: revoked %s\n", partitions_text(partitions).c_str());
      consumer->unassign();
    }
  }
};

bool set(RdKafka::Conf& conf, const std::string& key, const std::string& value,
         std::string& error) {
  std::string e;
  if (conf.set(key, value, e) != RdKafka::Conf::CONF_OK) {
    error = key + ": " + e;
    return false;
  }
  return true;
}

// The user's -X settings; a consumer-only key on the producer (or the reverse) is ignored by
// librdkafka with a warning.
bool set_user_options(RdKafka::Conf& conf, const std::vector<std::string>& options,
                      std::string& error) {
  for (const auto& kv : options) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      error = "-X " + kv + ": expected KEY=VALUE";
      return false;
    }
    if (!set(conf, kv.substr(0, eq), kv.substr(eq + 1), error)) return false;
  }
  return true;
}

bool retriable_commit_error(ErrorCode e) {
  switch (e) {
    case RdKafka::ERR__TIMED_OUT:
    case RdKafka::ERR__TRANSPORT:
    case RdKafka::ERR__WAIT_COORD:
    case RdKafka::ERR_REQUEST_TIMED_OUT:
    case RdKafka::ERR_NETWORK_EXCEPTION:
    case RdKafka::ERR_COORDINATOR_NOT_AVAILABLE:
    case RdKafka::ERR_NOT_COORDINATOR:
    case RdKafka::ERR_COORDINATOR_LOAD_IN_PROGRESS:
    case RdKafka::ERR__ALL_BROKERS_DOWN:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::unique_ptr<KafkaClient> KafkaClient::create(const KafkaSettings& s, std::string& error) {
  std::unique_ptr<KafkaClient> c(new KafkaClient());
  c->delivery_cb_ = std::make_unique<DeliveryReports>();
  c->rebalance_cb_ = std::make_unique<Rebalances>();
  std::unique_ptr<RdKafka::Conf> cc(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string e;
  if (!set(*cc, "bootstrap.servers", s.brokers, error) ||
      !set(*cc, "group.id", s.group_id, error) || !set(*cc, "enable.auto.commit", "false", error) ||
      !set(*cc, "enable.auto.offset.store", "false", error) ||
      !set(*cc, "auto.offset.reset", "earliest", error) ||
      !set(*cc, "max.poll.interval.ms", std::to_string(s.max_poll_interval_s * 1000ull), error) ||
      !set(*cc, "client.id", "heapscope-worker", error) ||
      !set_user_options(*cc, s.options, error)) {
    return nullptr;
  }
  if (cc->set("rebalance_cb", c->rebalance_cb_.get(), e) != RdKafka::Conf::CONF_OK) {
    error = e;
    return nullptr;
  }
  c->consumer_.reset(RdKafka::KafkaConsumer::create(cc.get(), e));
  if (!c->consumer_) {
    error = "consumer: " + e;
    return nullptr;
  }
  std::unique_ptr<RdKafka::Conf> pc(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  if (!set(*pc, "bootstrap.servers", s.brokers, error) ||
      !set(*pc, "enable.idempotence", "true", error) || !set(*pc, "acks", "all", error) ||
      !set(*pc, "client.id", "heapscope-worker", error) ||
      !set_user_options(*pc, s.options, error)) {
    return nullptr;
  }
  if (pc->set("dr_cb", c->delivery_cb_.get(), e) != RdKafka::Conf::CONF_OK) {
    error = e;
    return nullptr;
  }
  c->producer_.reset(RdKafka::Producer::create(pc.get(), e));
  if (!c->producer_) {
    error = "producer: " + e;
    return nullptr;
  }
  const auto err = c->consumer_->subscribe({s.input_topic});
  if (err != RdKafka::ERR_NO_ERROR) {
    error = "subscribe " + s.input_topic + ": " + RdKafka::err2str(err);
    return nullptr;
  }
  return c;
}

KafkaClient::~KafkaClient() {
  close();
}

std::unique_ptr<RdKafka::Message> KafkaClient::next(std::chrono::milliseconds timeout) {
  std::unique_ptr<RdKafka::Message> m(consumer_->consume(static_cast<int>(timeout.count())));
  producer_->poll(0);
  if (m->err() == RdKafka::ERR_NO_ERROR) return m;
  if (m->err() != RdKafka::ERR__TIMED_OUT && m->err() != RdKafka::ERR__PARTITION_EOF) {
    std::fprintf(stderr, "heapscope worker: consumer: %s\n", m->errstr().c_str());
  }
  return nullptr;
}

bool KafkaClient::deliver(const std::string& topic, const std::string& key,
                          const std::string& value, const std::function<bool()>& give_up) {
  for (;;) {
    Delivery d;
    const auto err = producer_->produce(
        topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
        const_cast<char*>(value.data()), value.size(), key.data(), key.size(), 0, &d);
    if (err == RdKafka::ERR_NO_ERROR) {
      while (!d.done) {
        producer_->poll(100);
        // The report still arrives later and would write into `d`: purge it first.
        if (!d.done && give_up()) {
          producer_->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
          for (int i = 0; i < 40 && !d.done; ++i) producer_->poll(50);
          return d.done && d.error == RdKafka::ERR_NO_ERROR;
        }
      }
      if (d.error == RdKafka::ERR_NO_ERROR) return true;
      std::fprintf(stderr, "heapscope worker: delivery to %s failed: %s; producing again\n",
                   topic.c_str(), RdKafka::err2str(d.error).c_str());
    } else {
      std::fprintf(stderr, "heapscope worker: produce to %s: %s\n", topic.c_str(),
                   RdKafka::err2str(err).c_str());
      producer_->poll(100);
    }
    if (give_up()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

bool KafkaClient::commit(const RdKafka::Message& m, const std::function<bool()>& give_up) {
  for (int attempt = 1;; ++attempt) {
    std::unique_ptr<RdKafka::TopicPartition> tp(
        RdKafka::TopicPartition::create(m.topic_name(), m.partition(), m.offset() + 1));
    std::vector<RdKafka::TopicPartition*> list{tp.get()};
    ErrorCode err = consumer_->commitSync(list);
    if (err == RdKafka::ERR_NO_ERROR) err = tp->err();
    if (err == RdKafka::ERR_NO_ERROR) return true;
    std::fprintf(stderr, "heapscope worker: commit %s/%d@%lld (attempt %d): %s\n",
                 m.topic_name().c_str(), m.partition(), static_cast<long long>(m.offset() + 1),
                 attempt, RdKafka::err2str(err).c_str());
    if (!retriable_commit_error(err) || give_up()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(200 * attempt, 2000)));
  }
}

void KafkaClient::close() {
  if (closed_) return;
  closed_ = true;
  if (consumer_) consumer_->close();
  if (producer_) producer_->flush(5000);
}

}  // namespace heapscope::cli::worker
