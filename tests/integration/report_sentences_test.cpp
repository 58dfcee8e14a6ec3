// Every sentence of the report true where it is printed, on the real sample dumps, in every
// face (text, Markdown, HTML, JSON): a heap whose finalizable objects are all in use says
// nothing about memory that finalization would free, and no backlog; the backlog says what it
// holds; the timer leak links its finalizable classes once, not once per class.
#include <gtest/gtest.h>

#include "heapscope/analysis/render.h"
#include "heapscope/analysis/report_builder.h"
#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

// Runs of white space as one space: the text face wraps sentences over lines.
std::string one_line(const std::string& doc) {
  std::string out;
  for (char c : doc) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (space && !out.empty() && out.back() == ' ') continue;
    out += space ? ' ' : c;
  }
  return out;
}

size_t occurrences(const std::string& text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class ReportSentences : public ::testing::TestWithParam<Sample> {
 protected:
  void SetUp() override {
    sidecar_ = read_sidecar(GetParam());
    ASSERT_TRUE(sidecar_.is_object()) << GetParam().sidecar();
    opened_ = open_sample(GetParam().dump(), EdgeFilter::kAll);
    ASSERT_TRUE(opened_.error.empty()) << opened_.error;
    analysis::ReportOptions ro;
    ro.dump_path = GetParam().dump().filename().string();
    report_ = analysis::build_report(*opened_.heap, *opened_.engine, ro);
    faces_ = {{"text", one_line(analysis::render_text(report_))},
              {"md", one_line(analysis::render_markdown(report_))},
              {"html", one_line(analysis::render_html(report_))},
              {"json", one_line(analysis::render_json(report_))}};
  }
  nlohmann::json sidecar_;
  Opened opened_;
  analysis::Report report_;
  std::vector<std::pair<std::string, std::string>> faces_;
};

TEST_P(ReportSentences, FreedMemoryAndBacklogOnlyWhenThereAreSome) {
  const bool backlog = sidecar_.contains("finalizer") &&
                       sidecar_["finalizer"]["pending"].get<uint64_t>() +
                               sidecar_["finalizer"]["being_finalized"].get<uint64_t>() >
                           0;
  for (const auto& [face, doc] : faces_) {
    SCOPED_TRACE(face);
    // Phrases of earlier versions that were printed on healthy heaps, and today's.
    EXPECT_EQ(occurrences(doc, "caught up"), 0u);
    if (face != "md") {  // Markdown gives the findings' titles, not their explanations
      EXPECT_EQ(occurrences(doc, "held only because they have not been finalized") > 0, backlog);
    }
    EXPECT_EQ(occurrences(doc, "wait for finalization") > 0, backlog);
    if (face == "json") continue;
    EXPECT_EQ(occurrences(doc, "would be freed once finalization is done with them") > 0, backlog);
    if (face != "md") {  // Markdown's one line leaves it out when there is nothing
      EXPECT_EQ(occurrences(doc, "no object is kept alive by finalization alone") > 0,
                report_.finalizer.machinery_present && !backlog);
    }
    if (report_.findings.empty()) {
      EXPECT_GT(occurrences(doc, "o finalizer backlog"), 0u);  // "No"/"no finalizer backlog"
    }
  }
}

TEST_P(ReportSentences, LinkedClassesNamedOncePerFinding) {
  for (const auto& f : report_.findings) {
    EXPECT_LE(occurrences(f.explanation, "are also registered for finalization"), 1u) << f.id;
    EXPECT_LE(occurrences(f.explanation, "that is the problem to fix"), 1u) << f.id;
  }
  const auto& [face, text] = faces_.front();
  size_t timers_linked = 0;
  for (const auto& f : report_.findings)
    timers_linked += !f.related.empty() && f.kind != "finalizable-pileup";
  EXPECT_EQ(occurrences(text, "are also registered for finalization"), timers_linked) << face;
}

INSTANTIATE_TEST_SUITE_P(Samples, ReportSentences, ::testing::ValuesIn(all_samples(false)),
                         [](const auto& info) { return info.param.name(); });

}  // namespace
}  // namespace heapscope::itest
