// Names in a dump are untrusted: class and thread names can hold quotes, control characters,
// markup and invalid UTF-8. Every rendering must keep its document intact, and an empty report
// must still say that nothing was found.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>

#include "heapscope/analysis/render.h"
#include "sample_report.h"

namespace heapscope::analysis {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

Report with_hostile_names(const std::string& name) {
  Report r = test::postgres_timer_report();
  r.histogram[0].klass = name;
  r.dominators[0].klass = name;
  r.finalizer.by_class[0].klass = name;
  r.timers[0].thread_name = name;
  r.findings[0].title = "Timer " + name;
  r.findings[0].evidence.push_back({"class", std::nullopt, name});
  return r;
}

TEST(RenderEscape, JsonEscapesQuotesBackslashesAndControlCharacters) {
  const std::string name =
      "Evil\"Quote\\Back\x01"
      "ctl\ttab\nline";
  const std::string json = render_json(with_hostile_names(name));
  EXPECT_TRUE(contains(json, R"(Evil\"Quote\\Back\u0001ctl\ttab\nline)")) << json.substr(0, 2000);
  // no raw control character anywhere in the document (pretty-printing newlines aside)
  for (char c : json) {
    EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 && c != '\n') << int(c);
  }
  const auto parsed = nlohmann::json::parse(json);
  EXPECT_EQ(parsed["histogram"][0]["class"], name);
  EXPECT_EQ(parsed["timers"][0]["thread_name"], name);
  EXPECT_EQ(parsed["findings"][0]["evidence"]["class"], name);
}

TEST(RenderEscape, JsonReplacesInvalidUtf8InsteadOfFailing) {
  const std::string json = render_json(with_hostile_names("Bad\xff\xfeName\xc0\x80"));
  const auto parsed = nlohmann::json::parse(json);  // throws on invalid UTF-8
  EXPECT_EQ(parsed["histogram"][0]["class"],
            "Bad\xEF\xBF\xBD\xEF\xBF\xBDName\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(RenderEscape, HtmlEscapesMarkupInNames) {
  const std::string name = "<script>alert('x')</script>$Inner&amp\"<img src=x onerror=alert(1)>";
  const std::string html = render_html(with_hostile_names(name));
  EXPECT_FALSE(contains(lower(html), "<script")) << "a class name became markup";
  EXPECT_FALSE(contains(lower(html), "<img"));
  EXPECT_TRUE(
      contains(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;$Inner&amp;amp&quot;"));
}

TEST(RenderEscape, HtmlIsSelfContained) {
  const std::string html = lower(render_html(test::postgres_timer_report()));
  EXPECT_FALSE(contains(html, "<script"));
  EXPECT_FALSE(contains(html, "<link"));
  EXPECT_FALSE(contains(html, "<img"));
  EXPECT_FALSE(contains(html, "<iframe"));
  EXPECT_FALSE(contains(html, "@import"));
  EXPECT_FALSE(contains(html, "url("));
  EXPECT_FALSE(contains(html, " src="));
  EXPECT_TRUE(contains(html, "<style>"));
  EXPECT_TRUE(contains(html, "<svg"));
  EXPECT_TRUE(contains(html, "content-security-policy"));
}

TEST(RenderEscape, HtmlLinksOnlyForWebSchemes) {
  Report r = test::postgres_timer_report();
  r.findings[0].links = {"javascript:alert(1)", "https://example.org/a?b=1&c=\"2\""};
  const std::string html = render_html(r);
  EXPECT_FALSE(contains(html, "href=\"javascript:"));
  EXPECT_TRUE(contains(html, "href=\"https://example.org/a?b=1&amp;c=&quot;2&quot;\""));
}

TEST(RenderEscape, TextAndMarkdownDropTerminalControlSequences) {
  const std::string name =
      "Evil\x1b[31mRed\x1b]0;title\x07\xc2\x9b"
      "2J";
  const Report r = with_hostile_names(name);
  for (const std::string& out : {render_text(r), render_markdown(r)}) {
    EXPECT_FALSE(contains(out, "\x1b"));
    EXPECT_FALSE(contains(out, "\x07"));
    EXPECT_FALSE(contains(out, "\xc2\x9b"));  // C1 CSI
    EXPECT_TRUE(contains(out, "Red"));
  }
}

TEST(RenderEscape, MarkdownKeepsTablesAndCodeSpansIntact) {
  const std::string name = "a|b`c$d*e_f";
  const std::string md = render_markdown(with_hostile_names(name));
  EXPECT_TRUE(contains(md, "``")) << md;  // the name holds a backtick: a double-backtick span
  EXPECT_TRUE(contains(md, "a\\|b`c$d*e_f")) << md;
  EXPECT_FALSE(contains(md, "a|b")) << md;
  // outside code spans: Markdown and GitHub math markup escaped
  EXPECT_TRUE(contains(md, "Timer a\\|b\\`c\\$d\\*e\\_f")) << md;
}

TEST(RenderEmpty, EveryFormatSaysNoProblems) {
  const Report r = test::empty_report();
  EXPECT_TRUE(contains(lower(render_text(r)), "no problems found"));
  EXPECT_TRUE(contains(lower(render_markdown(r)), "no problems found"));
  EXPECT_TRUE(contains(lower(render_html(r)), "no problems found"));
  const auto j = nlohmann::json::parse(render_json(r));
  EXPECT_TRUE(j["findings"].empty());
  EXPECT_TRUE(j["verdict"]["worst_severity"].is_null());
  EXPECT_EQ(j["verdict"]["headline"], "No problems found");
  EXPECT_FALSE(j["finalizer"]["machinery_present"].get<bool>());
  EXPECT_TRUE(j["timers"].empty());
}

TEST(RenderEmpty, DefaultConstructedReportRenders) {
  const Report r;
  EXPECT_FALSE(render_text(r).empty());
  EXPECT_FALSE(render_markdown(r).empty());
  EXPECT_FALSE(render_html(r).empty());
  EXPECT_TRUE(nlohmann::json::accept(render_json(r)));
}

TEST(RenderEmpty, InfoFindingsAloneAreNotProblems) {
  Report r = test::empty_report();
  r.findings.push_back({});
  r.findings.back().title = "Just a note";
  EXPECT_TRUE(contains(lower(render_text(r)), "no problems found"));
  EXPECT_TRUE(contains(render_text(r), "Just a note"));
  EXPECT_EQ(nlohmann::json::parse(render_json(r))["verdict"]["worst_severity"], "info");
}

TEST(RenderLimits, MarkdownStaysShortForABigReport) {
  Report r = test::postgres_timer_report();
  for (int i = 0; i < 40; ++i) {
    r.findings.push_back(r.findings[i % 4]);
    r.findings.back().id += "-" + std::to_string(i);
    r.timers.push_back(r.timers[0]);
    r.finalizer.by_class.push_back(r.finalizer.by_class[0]);
  }
  const std::string md = render_markdown(r);
  EXPECT_LE(std::count(md.begin(), md.end(), '\n'), 62) << md;
  EXPECT_TRUE(contains(md, "and 34 more in the full report"));
}

TEST(ReportValues, WorstAndSeverityNames) {
  Report r = test::empty_report();
  EXPECT_FALSE(r.worst().has_value());
  r = test::postgres_timer_report();
  EXPECT_EQ(r.worst(), Severity::kCritical);
  r.findings.erase(r.findings.begin(), r.findings.begin() + 2);
  EXPECT_EQ(r.worst(), Severity::kWarning);
  EXPECT_STREQ(to_string(Severity::kInfo), "info");
  EXPECT_STREQ(to_string(Severity::kWarning), "warning");
  EXPECT_STREQ(to_string(Severity::kCritical), "critical");
}

}  // namespace
}  // namespace heapscope::analysis
