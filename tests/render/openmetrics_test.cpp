// analyze --format openmetrics: escaping of names from the dump, unique label sets, numbers.
// (The whole documents are checked by the reference parser in the openmetrics_valid test.)
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "heapscope/analysis/openmetrics.h"
#include "heapscope/analysis/render.h"
#include "sample_report.h"

namespace heapscope::analysis {
namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(RenderOpenMetrics, LabelValuesEscapeQuotesBackslashesNewlinesAndBadUtf8) {
  Report r = test::postgres_timer_report();
  r.timers[0].thread_name = "Evil\"Quote\\Back\nline\xff";
  const std::string out = render_openmetrics(r);
  EXPECT_TRUE(contains(out, "thread=\"Evil\\\"Quote\\\\Back\\nline\xEF\xBF\xBD\"")) << out;
  // every line is a comment or a sample: no raw newline escaped into a label
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(line.rfind("# ", 0) == 0 || line.rfind("heapscope_", 0) == 0) << line;
  }
  EXPECT_EQ(out.substr(out.size() - 6), "# EOF\n");
}

TEST(RenderOpenMetrics, ClassesWithTheSameNameAreAddedUpIntoOneSample) {
  Report r = test::postgres_timer_report();
  // two class loaders can each load a class of the same name
  r.finalizer.by_class.push_back(r.finalizer.by_class[1]);
  const std::string out = render_openmetrics(r);
  const std::string key =
      "heapscope_finalizer_class_objects{class=\"com.example.leak.SlowResource\","
      "state=\"pending\"} ";
  EXPECT_TRUE(contains(out, key + "3998\n")) << out;
  EXPECT_EQ(out.find(key), out.rfind(key));
}

TEST(RenderOpenMetrics, NoFindingsMeansWorstSeverityZeroAndZeroCounts) {
  const std::string out = render_openmetrics(test::empty_report());
  EXPECT_TRUE(contains(out, "\nheapscope_worst_severity 0\n"));
  EXPECT_TRUE(contains(out, "\nheapscope_findings{severity=\"critical\"} 0\n"));
  EXPECT_FALSE(contains(out, "heapscope_finalizer_thread{"));
}

TEST(OpenMetricsWriter, NumbersInTheFormatsGrammar) {
  EXPECT_EQ(OpenMetricsWriter::number(0.995), "0.995");
  EXPECT_EQ(OpenMetricsWriter::number(1748772000.123), "1748772000.123");
  EXPECT_EQ(OpenMetricsWriter::number(2.0), "2");
  EXPECT_EQ(OpenMetricsWriter::number(1.0 / 0.0), "+Inf");
  EXPECT_EQ(OpenMetricsWriter::number(-1.0 / 0.0), "-Inf");
  EXPECT_EQ(OpenMetricsWriter::number(0.0 / 0.0), "NaN");
}

TEST(OpenMetricsWriter, CounterAndHistogramFamilies) {
  OpenMetricsWriter w;
  w.family("x_seconds", OpenMetricsWriter::Type::kHistogram, "a \"b\"\\c", "seconds");
  w.sample("_bucket", {{"le", "+Inf"}}, uint64_t{2});
  w.sample("_count", {}, uint64_t{2});
  w.sample("_sum", {}, 0.5);
  w.family("y", OpenMetricsWriter::Type::kCounter, "d");
  w.sample("_total", {}, uint64_t{7});
  EXPECT_EQ(w.finish(),
            "# TYPE x_seconds histogram\n# UNIT x_seconds seconds\n"
            "# HELP x_seconds a \\\"b\\\"\\\\c\n"
            "x_seconds_bucket{le=\"+Inf\"} 2\nx_seconds_count 2\nx_seconds_sum 0.5\n"
            "# TYPE y counter\n# HELP y d\ny_total 7\n# EOF\n");
}

}  // namespace
}  // namespace heapscope::analysis
