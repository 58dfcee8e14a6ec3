// The worker's Kafka side (librdkafka's C++ API): a consumer in a group with manual commits and a
// producer with idempotence (acks=all), and the two waits the at-least-once contract needs:
// "the output is acknowledged" and "the input offset is committed".
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace heapscope::cli::worker {

struct KafkaSettings {
  std::string brokers;
  std::string group_id;
  std::string input_topic;
  uint32_t max_poll_interval_s = 1800;
  std::vector<std::string> options;  // "key=value", applied to both clients last
};

class KafkaClient {
 public:
  // nullptr with `error` set when librdkafka rejects the configuration.
  static std::unique_ptr<KafkaClient> create(const KafkaSettings& s, std::string& error);
  ~KafkaClient();

  // The next input message, or nullptr after `timeout` without one (errors are logged).
  std::unique_ptr<RdKafka::Message> next(std::chrono::milliseconds timeout);

  // Produces and waits for the broker's acknowledgement, producing again after a failed delivery,
  // until `give_up()` says stop. True once acknowledged.
  bool deliver(const std::string& topic, const std::string& key, const std::string& value,
               const std::function<bool()>& give_up);
  // Commits `message`'s offset + 1, retrying what can be retried until `give_up()`. False when
  // the commit failed for good (the partition went to another member: it redoes the event).
  bool commit(const RdKafka::Message& message, const std::function<bool()>& give_up);

  // Leaves the group (its partitions go to the other members) and flushes the producer.
  void close();

 private:
  KafkaClient() = default;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::unique_ptr<RdKafka::DeliveryReportCb> delivery_cb_;
  std::unique_ptr<RdKafka::RebalanceCb> rebalance_cb_;
  bool closed_ = false;
};

}  // namespace heapscope::cli::worker
