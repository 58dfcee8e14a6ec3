// Every rendering of the hand-built reports against a golden file in tests/render/golden/.
// Regenerate after an intended change with HEAPSCOPE_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "heapscope/analysis/render.h"
#include "sample_report.h"

namespace heapscope::analysis {
namespace {

const std::string kGoldenDir = HEAPSCOPE_RENDER_GOLDEN_DIR;

bool updating() {
  const char* v = std::getenv("HEAPSCOPE_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The first line where `got` and `want` differ, with both versions, for the failure message.
std::string first_difference(const std::string& got, const std::string& want) {
  std::istringstream g(got), w(want);
  std::string gl, wl;
  for (int line = 1;; ++line) {
    const bool gm = static_cast<bool>(std::getline(g, gl));
    const bool wm = static_cast<bool>(std::getline(w, wl));
    if (!gm && !wm) return "(equal lines; differ in the final newline)";
    if (gm != wm || gl != wl) {
      return "line " + std::to_string(line) + ":\n  got:  " + (gm ? gl : "<end>") +
             "\n  want: " + (wm ? wl : "<end>");
    }
  }
}

void expect_golden(const std::string& name, const std::string& got) {
  const std::string path = kGoldenDir + "/" + name;
  if (updating()) {
    std::ofstream(path, std::ios::binary) << got;
    std::printf("updated %s\n", path.c_str());
    return;
  }
  const std::string want = read_file(path);
  ASSERT_FALSE(want.empty()) << path << " is missing; run with HEAPSCOPE_UPDATE_GOLDEN=1";
  EXPECT_TRUE(got == want) << name << " differs from the golden file at "
                           << first_difference(got, want)
                           << "\n(HEAPSCOPE_UPDATE_GOLDEN=1 regenerates it)";
}

struct Format {
  const char* extension;
  std::function<std::string(const Report&)> render;
};

const Format kFormats[] = {{"json", render_json},
                           {"txt", render_text},
                           {"md", render_markdown},
                           {"html", render_html},
                           {"om", render_openmetrics}};

TEST(RenderGolden, PostgresTimerReportInEveryFormat) {
  const Report r = test::postgres_timer_report();
  for (const auto& f : kFormats) {
    SCOPED_TRACE(f.extension);
    expect_golden(std::string("postgres-timer.") + f.extension, f.render(r));
  }
}

TEST(RenderGolden, CleanerReportInEveryFormat) {
  const Report r = test::cleaner_report();
  for (const auto& f : kFormats) {
    SCOPED_TRACE(f.extension);
    expect_golden(std::string("cleaner-leak.") + f.extension, f.render(r));
  }
}

TEST(RenderGolden, AndroidReportInEveryFormat) {
  const Report r = test::android_report();
  for (const auto& f : kFormats) {
    SCOPED_TRACE(f.extension);
    expect_golden(std::string("android.") + f.extension, f.render(r));
  }
}

TEST(RenderGolden, EmptyReportInEveryFormat) {
  const Report r = test::empty_report();
  for (const auto& f : kFormats) {
    SCOPED_TRACE(f.extension);
    expect_golden(std::string("empty.") + f.extension, f.render(r));
  }
}

TEST(RenderGolden, RenderingIsDeterministic) {
  const Report r = test::postgres_timer_report();
  for (const auto& f : kFormats) EXPECT_EQ(f.render(r), f.render(r)) << f.extension;
}

}  // namespace
}  // namespace heapscope::analysis
