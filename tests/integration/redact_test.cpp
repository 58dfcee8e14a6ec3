// `redact` on the sample dumps: the secrets RedactSecrets planted are gone byte for byte (Latin-1,
// UTF-16, byte[], char[], long), the report of the copy equals the original's apart from the file,
// with --level names the program's names are gone and the mapping gives them back, and every cut
// of a redacted dump fails like any damaged dump.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "heapscope/analysis/redact_policy.h"
#include "heapscope/analysis/render.h"
#include "heapscope/analysis/report_builder.h"
#include "heapscope/hprof/index.h"
#include "heapscope/hprof/redact.h"
#include "sample_dumps.h"

namespace heapscope::itest {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The report as JSON, with what names the file itself (path, size, container) removed.
nlohmann::json report_json(const fs::path& dump) {
  const Opened o = open_sample(dump);
  EXPECT_TRUE(o.error.empty()) << o.error;
  if (!o.error.empty()) return {};
  analysis::ReportOptions ro;
  ro.top = std::numeric_limits<size_t>::max();
  ro.dump_path = "dump";
  auto j =
      nlohmann::json::parse(analysis::render_json(analysis::build_report(*o.heap, *o.engine, ro)));
  for (const char* k : {"bytes", "compression"}) j["dump"].erase(k);
  return j;
}

// Lists in a fixed order: names decide the order of rows that tie (the histogram), and with
// --level names the names are others.
nlohmann::json canonical(nlohmann::json j) {
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) v = canonical(v);
  } else if (j.is_array()) {
    for (auto& v : j) v = canonical(v);
    std::sort(j.begin(), j.end(), [](const auto& a, const auto& b) { return a.dump() < b.dump(); });
  }
  return j;
}

hprof::RedactSummary redact(const fs::path& in, const fs::path& out, hprof::RedactLevel level) {
  auto dump = hprof::Dump::open(in);
  EXPECT_TRUE(dump.ok()) << dump.error().describe();
  hprof::RedactOptions o;
  o.compression = hprof::output_compression_for(out);
  auto s = hprof::redact(*dump, out, analysis::redact_rules(level), o);
  EXPECT_TRUE(s.ok()) << s.error().describe();
  return s.ok() ? *s : hprof::RedactSummary{};
}

// Latin-1 bytes of a UTF-8 string (the secrets are Latin-1 or ASCII when asked for this).
std::string latin1(const std::string& utf8) {
  std::string out;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(((c & 0x1F) << 6) | (utf8[++i] & 0x3F));
    }
  }
  return out;
}

// UTF-16 code units of a UTF-8 string (BMP only), little- or big-endian.
std::string utf16(const std::string& utf8, bool little) {
  std::string out;
  for (size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    uint32_t u;
    if (c < 0x80) {
      u = c, i += 1;
    } else if (c < 0xE0) {
      u = ((c & 0x1F) << 6) | (utf8[i + 1] & 0x3F), i += 2;
    } else {
      u = ((c & 0x0F) << 12) | ((utf8[i + 1] & 0x3F) << 6) | (utf8[i + 2] & 0x3F), i += 3;
    }
    const char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>(u >> 8);
    out += little ? lo : hi;
    out += little ? hi : lo;
  }
  return out;
}

// Every encoding a secret of this kind takes in the dump.
std::vector<std::string> encodings(const std::string& kind, const std::string& value) {
  if (kind == "latin1" || kind == "byte_arrays") return {latin1(value), value};
  if (kind == "utf16") return {utf16(value, true), utf16(value, false), value};
  if (kind == "char_arrays") return {utf16(value, false)};
  std::string be(8, '\0');
  const auto v = static_cast<uint64_t>(std::stoll(value));
  for (int k = 0; k < 8; ++k) be[k] = static_cast<char>(v >> (56 - 8 * k));
  return {be};
}

class RedactSample : public ::testing::TestWithParam<Sample> {
 protected:
  void SetUp() override {
    if (!fs::exists(GetParam().dump())) GTEST_SKIP() << "no dump " << GetParam().dump();
    dir_ = fs::temp_directory_path() /
           ("heapscope-redact-" + GetParam().name() + "-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_P(RedactSample, SecretsAreGoneByteForByte) {
  const auto sidecar = read_sidecar(GetParam());
  const fs::path out = dir_ / "out.hprof";
  redact(GetParam().dump(), out, hprof::RedactLevel::kBasic);
  const std::string original = read_file(GetParam().dump()), copy = read_file(out);
  ASSERT_EQ(copy.size() > 0, true);
  size_t checked = 0;
  for (const auto& [kind, values] : sidecar.at("secrets").items()) {
    for (const auto& v : values) {
      for (const auto& bytes : encodings(kind, v.get<std::string>())) {
        if (original.find(bytes) == std::string::npos) continue;  // e.g. UTF-8 of a UTF-16 one
        ++checked;
        EXPECT_EQ(copy.find(bytes), std::string::npos) << kind << " " << v;
      }
    }
  }
  EXPECT_GE(checked, 5u * sidecar.at("count").get<size_t>());
  // Thread names stay: the report names the timer by its thread.
  EXPECT_NE(copy.find(sidecar.at("timer_thread").get<std::string>()), std::string::npos);
}

TEST_P(RedactSample, ReportIsTheSame) {
  const fs::path out = dir_ / "out.hprof.zst";
  redact(GetParam().dump(), out, hprof::RedactLevel::kBasic);
  EXPECT_EQ(report_json(out), report_json(GetParam().dump()));
}

TEST_P(RedactSample, NamesAreGoneAndTheMappingGivesThemBack) {
  const auto sidecar = read_sidecar(GetParam());
  const fs::path out = dir_ / "out.hprof";
  const auto summary = redact(GetParam().dump(), out, hprof::RedactLevel::kNames);
  const std::string copy = read_file(out);
  std::map<std::string, std::string> back;  // pseudonym -> original
  for (const auto& n : summary.names) back[n.pseudonym] = n.original;
  for (const auto& c : sidecar.at("user_classes")) {
    std::string slashed = c.get<std::string>();
    std::replace(slashed.begin(), slashed.end(), '.', '/');
    EXPECT_EQ(copy.find(slashed), std::string::npos) << c;
    EXPECT_TRUE(std::any_of(summary.names.begin(), summary.names.end(),
                            [&](const hprof::NameMapping& n) { return n.original == c; }))
        << c;
  }
  for (const char* f : {"sqlLatin1", "sqlUtf16", "accountNumber", "staticSecret"}) {
    EXPECT_EQ(copy.find(f), std::string::npos) << f;
  }
  EXPECT_EQ(copy.find(sidecar.at("timer_thread").get<std::string>()), std::string::npos);
  // The report with the pseudonyms put back is the original report.
  std::string text = report_json(out).dump();
  std::vector<std::pair<std::string, std::string>> order(back.begin(), back.end());
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [ps, original] : order) {
    const std::string quoted = nlohmann::json(original).dump();
    const std::string original_text = quoted.substr(1, quoted.size() - 2);
    // Whole words only: "f0002" is not the field inside the object id "0xf00024b8".
    auto word = [&](size_t i) {
      return i < text.size() && std::isalnum(static_cast<unsigned char>(text[i]));
    };
    for (size_t at = 0; (at = text.find(ps, at)) != std::string::npos;) {
      if ((at > 0 && word(at - 1)) || word(at + ps.size())) {
        at += ps.size();
        continue;
      }
      text.replace(at, ps.size(), original_text);
      at += original_text.size();
    }
  }
  EXPECT_EQ(canonical(nlohmann::json::parse(text)), canonical(report_json(GetParam().dump())));
}

// Cuts of a redacted dump: the reader takes each like any damaged dump (an error, or the part
// before the cut), and redact refuses all but the cuts at record boundaries, leaving no file.
TEST_P(RedactSample, EveryCutOfTheCopyFailsCleanly) {
  const fs::path out = dir_ / "out.hprof";
  redact(GetParam().dump(), out, hprof::RedactLevel::kBasic);
  const std::string copy = read_file(out);
  const auto* bytes = reinterpret_cast<const uint8_t*>(copy.data());
  size_t refused = 0;
  const size_t cuts = 97;
  for (size_t k = 1; k <= cuts; ++k) {
    const size_t cut = copy.size() * k / (cuts + 1) + k;  // never on a round number
    auto dump = hprof::Dump::from_bytes({bytes, cut});
    ASSERT_TRUE(dump.ok()) << cut;
    auto index = hprof::Index::build(*dump);
    if (index.ok()) {
      EXPECT_TRUE(index->stats().truncated || index->stats().bytes_used < copy.size()) << cut;
    }
    const fs::path again = dir_ / "again.hprof";
    auto s = hprof::redact(*dump, again, analysis::redact_rules(hprof::RedactLevel::kBasic));
    if (!s.ok()) {
      ++refused;
      EXPECT_FALSE(fs::exists(again)) << cut;
    }
    fs::remove(again);
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 1);
  EXPECT_GE(refused, cuts - 2);
}

INSTANTIATE_TEST_SUITE_P(Samples, RedactSample, ::testing::ValuesIn(samples({"RedactSecrets"})),
                         [](const auto& info) { return info.param.name(); });

// The finalizer and timer findings of the other samples survive redaction too, from a plain dump
// and from the JVM's own chunked gzip.
class RedactOtherSample : public RedactSample {};

TEST_P(RedactOtherSample, ReportIsTheSame) {
  const fs::path out = dir_ / "out.hprof";
  redact(GetParam().dump(), out, hprof::RedactLevel::kBasic);
  EXPECT_EQ(report_json(out), report_json(GetParam().dump()));
}

INSTANTIATE_TEST_SUITE_P(Samples, RedactOtherSample,
                         ::testing::ValuesIn(samples({"PgTimerLeak", "FinalizerBacklog"},
                                                     /*with_chunked=*/true)),
                         [](const auto& info) { return info.param.name(); });

}  // namespace
}  // namespace heapscope::itest
