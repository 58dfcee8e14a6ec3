// diff and trend on the TrendLeak dumps: four dumps of one JVM taken after each step of a
// growing Timer leak and finalizer backlog; the sidecar has the exact counts of every step.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>

#include "heapscope/analysis/render_compare.h"
#include "heapscope/analysis/report_builder.h"
#include "heapscope/analysis/report_diff.h"
#include "heapscope/analysis/trend.h"
#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

constexpr const char* kTimer = "heapscope-trend-timer";
constexpr const char* kSlow = "com.example.leak.SlowResource";
constexpr const char* kTask = "heapscope.samples.TrendLeak$TrendTask";

// The header's timestamp read straight from the file: "JAVA PROFILE 1.0.2\0", u4 id size,
// u4 high and u4 low half of the milliseconds since the epoch.
uint64_t header_timestamp_ms(const std::filesystem::path& dump) {
  std::ifstream in(dump, std::ios::binary);
  std::string magic;
  std::getline(in, magic, '\0');
  std::array<unsigned char, 12> b{};
  in.read(reinterpret_cast<char*>(b.data()), b.size());
  uint64_t ms = 0;
  for (size_t i = 4; i < 12; ++i) ms = ms << 8 | b[i];
  return ms;
}

std::filesystem::path step_dump(int jdk, int step) {
  return Sample("TrendLeak", jdk, "-step" + std::to_string(step)).dump();
}

analysis::Report report_of(const std::filesystem::path& dump) {
  const Opened o = open_sample(dump);
  EXPECT_TRUE(o.error.empty()) << o.error;
  analysis::ReportOptions ro;
  ro.top = std::numeric_limits<size_t>::max();
  ro.dump_path = dump.string();
  return analysis::build_report(*o.heap, *o.engine, ro);
}

const analysis::TrendSeries* series(const analysis::Trend& t, const std::string& metric,
                                    const std::string& key) {
  for (const auto& s : t.series)
    if (s.metric == metric && s.key == key) return &s;
  return nullptr;
}

// Least squares written out as the normal equations, per hour from the first dump.
double expected_rate(const std::vector<uint64_t>& ms, const std::vector<double>& y) {
  double n = static_cast<double>(ms.size()), sx = 0, sy = 0, sxy = 0, sxx = 0;
  for (size_t i = 0; i < ms.size(); ++i) {
    const double x = static_cast<double>(ms[i] - ms[0]) / 3.6e6;
    sx += x;
    sy += y[i];
    sxy += x * y[i];
    sxx += x * x;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

class TrendLeak : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    sidecar_ = read_sidecar(Sample("TrendLeak", GetParam()));
    steps_ = sidecar_["steps"].size();
    ASSERT_GE(steps_, 2u);
    // Given out of time order on purpose: trend orders by the dumps' own timestamps.
    for (size_t i = steps_; i >= 1; --i) reports_.push_back(report_of(step_dump(GetParam(), i)));
  }
  uint64_t step_value(size_t i, const char* key) const {
    return sidecar_["steps"][i][key].get<uint64_t>();
  }

  nlohmann::json sidecar_;
  size_t steps_ = 0;
  std::vector<analysis::Report> reports_;  // newest first
};

TEST_P(TrendLeak, TrendFindsEveryStepsCountsAndTheRate) {
  constexpr uint64_t kLimit = 256ull << 20;
  const auto trend = analysis::trend_reports(reports_, kLimit);
  ASSERT_EQ(trend.dumps.size(), steps_);
  std::vector<uint64_t> ms;
  for (size_t i = 0; i < steps_; ++i) {
    EXPECT_EQ(trend.dumps[i].path, step_dump(GetParam(), i + 1).string()) << "time order";
    ms.push_back(header_timestamp_ms(step_dump(GetParam(), i + 1)));
    EXPECT_EQ(trend.dumps[i].timestamp_ms, ms.back());
    if (i) {
      EXPECT_GT(ms[i], ms[i - 1]);
    }
  }
  const std::vector<std::tuple<std::string, std::string, const char*>> checks{
      {"timer.cancelled", kTimer, "timer_cancelled"},
      {"finalizer.pending", kSlow, "finalizer_pending"},
      {"finalizer.registered", kSlow, "finalizer_registered"}};
  for (const auto& [metric, key, field] : checks) {
    const auto* s = series(trend, metric, key);
    ASSERT_NE(s, nullptr) << metric;
    std::vector<double> y;
    for (size_t i = 0; i < steps_; ++i) {
      EXPECT_EQ(s->values[i], step_value(i, field)) << metric << " at step " << i + 1;
      y.push_back(static_cast<double>(step_value(i, field)));
    }
    const double rate = expected_rate(ms, y);
    EXPECT_GT(rate, 0);
    EXPECT_NEAR(s->rate_per_hour, rate, 1e-9 * rate) << metric;
    EXPECT_FALSE(s->eta_hours) << "only the heap has a time to the limit";
  }
  const auto* held = series(trend, "timer.held_only_bytes", kTimer);
  ASSERT_NE(held, nullptr);
  const auto* heap = series(trend, "heap.reachable_bytes", "");
  ASSERT_NE(heap, nullptr);
  for (size_t i = 1; i < steps_; ++i) {
    // every step adds tasks * payload bytes of byte[] held only by the cancelled tasks
    EXPECT_GE(held->values[i] - held->values[i - 1], sidecar_["tasks_per_step"].get<uint64_t>() *
                                                         sidecar_["payload_bytes"].get<uint64_t>());
    EXPECT_EQ(heap->values[i], trend.dumps[i].reachable_bytes);
  }
  ASSERT_TRUE(heap->eta_hours);
  EXPECT_NEAR(*heap->eta_hours,
              (static_cast<double>(kLimit) - static_cast<double>(heap->values.back())) /
                  heap->rate_per_hour,
              1e-9 * *heap->eta_hours);
  // The newest dump's timer finding carries the rate of its series.
  bool timer_finding = false;
  for (const auto& f : trend.findings) {
    if (f.finding.kind != "timer-cancelled-tasks") continue;
    timer_finding = true;
    EXPECT_EQ(f.metric, "timer.cancelled");
    EXPECT_NE(f.growth.find("cancelled tasks grow by "), std::string::npos) << f.growth;
  }
  EXPECT_TRUE(timer_finding);
}

TEST_P(TrendLeak, DiffOfFirstAndLastStepFindsTheKnownDeltas) {
  const auto& first = reports_.back();
  const auto& last = reports_.front();
  const auto d = analysis::diff_reports(first, last);
  const size_t n = steps_ - 1;
  const int64_t tasks =
      static_cast<int64_t>(step_value(n, "timer_cancelled") - step_value(0, "timer_cancelled"));
  ASSERT_EQ(d.queues.size(), 1u);
  const auto& q = d.queues[0];
  EXPECT_EQ(q.thread_name, kTimer);
  EXPECT_TRUE(q.in_base && q.in_next);
  EXPECT_EQ(q.cancelled.delta(), tasks);
  EXPECT_EQ(q.scheduled.delta(), 0);
  EXPECT_EQ(q.queue_size.delta(), tasks);
  bool slow = false;
  for (const auto& c : d.finalizer_by_class) {
    if (c.klass != kSlow) continue;
    slow = true;
    EXPECT_EQ(c.pending.delta(), static_cast<int64_t>(step_value(n, "finalizer_pending") -
                                                      step_value(0, "finalizer_pending")));
    EXPECT_EQ(c.registered.delta(), static_cast<int64_t>(step_value(n, "finalizer_registered") -
                                                         step_value(0, "finalizer_registered")));
    EXPECT_EQ(c.being_finalized.delta(), 0);
  }
  EXPECT_TRUE(slow);
  std::map<std::string, int64_t> instances;
  for (const auto& c : d.classes_changed) instances[c.klass] = c.instances.delta();
  EXPECT_EQ(instances[kTask], tasks);
  EXPECT_EQ(instances[kSlow], static_cast<int64_t>(step_value(n, "slow_resources") -
                                                   step_value(0, "slow_resources")));
  // Both leaks are findings in both dumps, and both grew.
  std::map<std::string, analysis::FindingChange> change;
  for (const auto& f : d.findings) change[f.kind] = f.change;
  EXPECT_EQ(change["timer-cancelled-tasks"], analysis::FindingChange::kGrew);
  EXPECT_EQ(change["finalizer-backlog"], analysis::FindingChange::kGrew);
  // Sorted by growth: the class with the biggest retained growth leads.
  for (size_t i = 1; i < d.classes_changed.size(); ++i) {
    EXPECT_GE(d.classes_changed[i - 1].retained_bytes.delta(),
              d.classes_changed[i].retained_bytes.delta());
  }
}

TEST_P(TrendLeak, DumpAgainstItselfIsAllZeros) {
  const auto d = analysis::diff_reports(reports_.front(), reports_.front());
  EXPECT_TRUE(d.classes_changed.empty());
  EXPECT_GT(d.classes_unchanged, 0u);
  EXPECT_EQ(d.objects.delta(), 0);
  EXPECT_EQ(d.reachable_bytes.delta(), 0);
  ASSERT_FALSE(d.findings.empty());
  for (const auto& f : d.findings) EXPECT_EQ(f.change, analysis::FindingChange::kUnchanged);
  for (const auto& q : d.queues) {
    EXPECT_EQ(q.cancelled.delta(), 0);
    EXPECT_EQ(q.held_only_bytes.delta(), 0);
  }
  for (const auto& c : d.finalizer_by_class) {
    EXPECT_EQ(c.pending.delta(), 0);
    EXPECT_EQ(c.registered.delta(), 0);
  }
}

TEST_P(TrendLeak, EveryFormatRenders) {
  const auto d = analysis::diff_reports(reports_.back(), reports_.front());
  const auto t = analysis::trend_reports(reports_, 1ull << 30);
  for (const char* format : {"text", "md", "html", "json"}) {
    for (const std::string& out :
         {analysis::render_diff(d, format), analysis::render_trend(t, format)}) {
      EXPECT_NE(out.find(kTimer), std::string::npos) << format;
    }
  }
  EXPECT_NE(analysis::render_trend(t, "html").find("<svg"), std::string::npos);
  EXPECT_NE(analysis::render_trend(t, "text").find("\u2588"), std::string::npos) << "sparkline";
  const auto j = nlohmann::json::parse(analysis::render_trend(t, "json"));
  for (const auto& s : j["series"]) {
    EXPECT_EQ(s["values"].size(), steps_);
    EXPECT_TRUE(s.contains("metric") && s.contains("key") && s.contains("rate_per_hour"));
  }
  EXPECT_EQ(j["dumps"].size(), steps_);
}

#ifdef HEAPSCOPE_ITEST_CLI
std::string run_cli(const std::string& args) {
  std::string out;
  FILE* p = ::popen((std::string("'") + HEAPSCOPE_ITEST_CLI + "' " + args).c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  return out;
}

TEST_P(TrendLeak, CliDiffAndTrendJson) {
  const std::string first = "'" + step_dump(GetParam(), 1).string() + "'";
  const std::string last = "'" + step_dump(GetParam(), steps_).string() + "'";
  const auto diff = nlohmann::json::parse(run_cli("diff -q --format json " + first + " " + last));
  ASSERT_EQ(diff["queues"].size(), 1u);
  EXPECT_EQ(diff["queues"][0]["cancelled"]["delta"].get<int64_t>(),
            static_cast<int64_t>(step_value(steps_ - 1, "timer_cancelled") -
                                 step_value(0, "timer_cancelled")));
  const auto trend = nlohmann::json::parse(
      run_cli("trend -q --format json --heap-limit 1G " + last + " " + first));
  ASSERT_EQ(trend["dumps"].size(), 2u);
  EXPECT_LT(trend["dumps"][0]["timestamp_ms"].get<uint64_t>(),
            trend["dumps"][1]["timestamp_ms"].get<uint64_t>());
  bool heap = false;
  for (const auto& s : trend["series"]) {
    if (s["metric"] != "heap.reachable_bytes") continue;
    heap = true;
    EXPECT_TRUE(s.contains("eta_hours"));
  }
  EXPECT_TRUE(heap);
}
#endif

std::vector<int> trend_jdks() {
  return jdks();
}

INSTANTIATE_TEST_SUITE_P(Samples, TrendLeak, ::testing::ValuesIn(trend_jdks()),
                         [](const auto& info) { return "jdk" + std::to_string(info.param); });

// AppHeap's three PluginClassLoaders ("plugin-tax", "plugin-promotions", "plugin-shipping") each
// define their own com.example.plugin.Rule and PluginImpl: the histogram keeps them apart by
// loader, and diff matches them by (name, loader), not by name alone.
class AppHeapLoaders : public ::testing::TestWithParam<int> {};

TEST_P(AppHeapLoaders, ClassesAreMatchedByNameAndLoader) {
  const Sample app("AppHeap", GetParam());
  const auto sidecar = read_sidecar(app);
  const auto report = report_of(app.dump());
  constexpr const char* kRule = "com.example.plugin.Rule";
  const std::string loader_class = "com.example.shop.PluginClassLoader";
  std::map<std::string, uint64_t> rules_by_loader;
  size_t impls = 0;
  for (const auto& h : report.histogram) {
    if (h.klass == kRule) rules_by_loader[h.loader] += h.count;
    if (h.klass == "com.example.plugin.PluginImpl") {
      ++impls;
      EXPECT_EQ(h.count, 1u) << h.loader;
    }
    if (h.klass == "java.lang.String") {
      EXPECT_EQ(h.loader, "");
    }
    if (h.klass == "com.example.shop.Shop") {
      EXPECT_EQ(h.loader, "jdk.internal.loader.ClassLoaders$AppClassLoader \"app\"");
    }
  }
  EXPECT_EQ(impls, 3u);
  ASSERT_EQ(rules_by_loader.size(), sidecar["shop"]["plugin_loaders"].size());
  for (const auto& l : sidecar["shop"]["plugin_loaders"]) {
    const std::string label = loader_class + " \"plugin-" + l["loader"].get<std::string>() + "\"";
    EXPECT_EQ(rules_by_loader[label], l["rules"].get<uint64_t>()) << label;
  }

  // Ten Rules move from the tax plugin to the shipping plugin: by name alone nothing changed.
  analysis::Report next = report;
  for (auto& h : next.histogram) {
    if (h.klass != kRule) continue;
    const int64_t sign = h.loader.ends_with("\"plugin-tax\"")        ? -1
                         : h.loader.ends_with("\"plugin-shipping\"") ? 1
                                                                     : 0;
    const uint64_t each = h.shallow_bytes / h.count;
    h.count += static_cast<uint64_t>(sign * 10);
    h.shallow_bytes += static_cast<uint64_t>(sign * 10 * static_cast<int64_t>(each));
  }
  const auto d = analysis::diff_reports(report, next);
  ASSERT_EQ(d.classes_changed.size(), 2u);
  std::map<std::string, int64_t> delta;
  for (const auto& c : d.classes_changed) {
    EXPECT_EQ(c.klass, kRule);
    delta[c.loader] = c.instances.delta();
  }
  EXPECT_EQ(delta[loader_class + " \"plugin-tax\""], -10);
  EXPECT_EQ(delta[loader_class + " \"plugin-shipping\""], 10);
  EXPECT_NE(analysis::render_diff(d, "text").find("(" + loader_class + " \"plugin-tax\")"),
            std::string::npos)
      << "the text names the loader of a class several loaders define";
  EXPECT_EQ(nlohmann::json::parse(analysis::render_diff(d, "json"))["classes"][0]["loader"]
                .get<std::string>()
                .rfind(loader_class, 0),
            0u);
}

INSTANTIATE_TEST_SUITE_P(Samples, AppHeapLoaders, ::testing::ValuesIn(trend_jdks()),
                         [](const auto& info) { return "jdk" + std::to_string(info.param); });

TEST(LeastSquares, SlopeOfKnownLines) {
  EXPECT_DOUBLE_EQ(analysis::least_squares_slope({0, 1, 2, 3}, {5, 7, 9, 11}), 2.0);
  // y = 1, 2, 2, 5 over 0..3: slope (4*(0+2+4+15) - 6*10) / (4*14 - 36) = 24/20
  EXPECT_DOUBLE_EQ(analysis::least_squares_slope({0, 1, 2, 3}, {1, 2, 2, 5}), 1.2);
  EXPECT_EQ(analysis::least_squares_slope({1, 1}, {0, 5}), 0.0) << "no spread in time";
  EXPECT_EQ(analysis::least_squares_slope({1}, {5}), 0.0);
}

}  // namespace
}  // namespace heapscope::itest
