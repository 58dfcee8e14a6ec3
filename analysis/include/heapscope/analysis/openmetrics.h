// A writer of OpenMetrics text (https://github.com/OpenObservability/OpenMetrics, "text format";
// also read by Prometheus and the Pushgateway): metric families with # TYPE / # UNIT / # HELP,
// samples with escaped label values, and the closing "# EOF". Used by `analyze --format
// openmetrics` (render.h) and by the worker's /metrics.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace heapscope::analysis {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class OpenMetricsWriter {
 public:
  enum class Type { kGauge, kCounter, kHistogram, kUnknown };

  // Starts a family. `name` is [a-zA-Z_:][a-zA-Z0-9_:]* and, when `unit` is given, ends in
  // "_<unit>" (the spec requires it). A counter's samples are written as name_total.
  void family(std::string_view name, Type type, std::string_view help, std::string_view unit = {});
  // A sample of the current family; `suffix` is "" or "_total", "_bucket", "_count", "_sum".
  // Label values are any text: escaped (\\, \", \n) and made valid UTF-8.
  void sample(std::string_view suffix, const MetricLabels& labels, uint64_t value);
  void sample(std::string_view suffix, const MetricLabels& labels, double value);
  // The whole exposition, ending in "# EOF\n".
  std::string finish();

  // OpenMetrics number text for a double: "0.995", "+Inf", "NaN" (shortest round-trip form).
  static std::string number(double v);
  // A label value as it appears between the quotes.
  static std::string escape_label_value(std::string_view v);

 private:
  void write_sample(std::string_view suffix, const MetricLabels& labels, const std::string& value);
  std::string out_;
  std::string name_;
};

}  // namespace heapscope::analysis
