// parse_header and Dump::from_bytes on the first bytes of a file (format A.2, A.16).
#include <gtest/gtest.h>

#include <string>

#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/header.h"
#include "hprof_writer.h"

namespace heapscope::testing {
namespace {

using hprof::ErrorCode;
using hprof::parse_header;

std::vector<uint8_t> text(std::string_view s) {
  return {s.begin(), s.end()};
}

// The error, or a failure when the header parsed.
hprof::Error header_error(const std::vector<uint8_t>& b) {
  auto h = parse_header(b);
  EXPECT_FALSE(h.ok()) << "parsed: " << h->version_string;
  return h.ok() ? hprof::Error{} : h.error();
}

TEST(Header, ParsesEachVersionAndIdSize) {
  for (std::string_view v : {"JAVA PROFILE 1.0.1", "JAVA PROFILE 1.0.2", "JAVA PROFILE 1.0.3"}) {
    for (uint32_t id : {4u, 8u}) {
      const auto b = HprofWriter(id, v, 0x0000018B12345678ull).bytes();
      auto h = parse_header(b);
      ASSERT_TRUE(h.ok()) << h.error().describe();
      EXPECT_EQ(h->version_string, v);
      EXPECT_EQ(h->id_size, id);
      EXPECT_EQ(h->timestamp_ms, 0x0000018B12345678ull);
      EXPECT_EQ(h->size, v.size() + 1 + 12);
    }
  }
  EXPECT_EQ(parse_header(HprofWriter(8, "JAVA PROFILE 1.0.1").bytes())->version,
            hprof::Version::k101);
  EXPECT_EQ(parse_header(HprofWriter(8, "JAVA PROFILE 1.0.3").bytes())->version,
            hprof::Version::k103);
}

TEST(Header, EmptyInputIsEmpty) {
  const auto e = header_error({});
  EXPECT_EQ(e.code, ErrorCode::kEmpty);
  EXPECT_NE(e.describe().find("at byte 0"), std::string::npos) << e.describe();
  // Dump::from_bytes reports the same.
  auto d = hprof::Dump::from_bytes({});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kEmpty);
}

TEST(Header, GitLfsPointerIsNotHprof) {
  const auto e = header_error(
      text("version https://git-lfs.github.com/spec/v1\n"
           "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
           "size 12345\n"));
  EXPECT_EQ(e.code, ErrorCode::kNotHprof);
  EXPECT_NE(e.describe().find("at byte 0"), std::string::npos) << e.describe();
  EXPECT_NE(e.message.find("version https:/"), std::string::npos) << e.message;
}

TEST(Header, HtmlPageAndBinaryGarbageAreNotHprof) {
  EXPECT_EQ(header_error(text("<!DOCTYPE html><html><body>404</body></html>")).code,
            ErrorCode::kNotHprof);
  EXPECT_EQ(header_error({0x00, 0x01, 0xFF, 0xFE, 0x7F}).code, ErrorCode::kNotHprof);
  // The magic without a NUL within 32 bytes, in a long file.
  EXPECT_EQ(header_error(text("JAVA PROFILE 1.0.2 and then a lot more text without any NUL")).code,
            ErrorCode::kNotHprof);
}

TEST(Header, UnknownVersionIsUnsupported) {
  for (std::string_view v : {"JAVA PROFILE 1.0.9", "JAVA PROFILE 1.0", "JAVA PROFILE 2.0.0"}) {
    const auto e = header_error(HprofWriter(8, v).bytes());
    EXPECT_EQ(e.code, ErrorCode::kUnsupportedVersion) << v;
    EXPECT_NE(e.message.find(std::string(v)), std::string::npos) << e.message;
    EXPECT_NE(e.describe().find("at byte 0"), std::string::npos) << e.describe();
  }
}

TEST(Header, IdSizeOtherThanFourOrEightIsRejected) {
  for (uint32_t id : {0u, 1u, 2u, 3u, 5u, 16u, 0xFFFFFFFFu}) {
    const auto e = header_error(HprofWriter(id).bytes());
    EXPECT_EQ(e.code, ErrorCode::kBadIdSize) << id;
    EXPECT_EQ(e.byte_offset, 19u) << "the id size field follows the 19-byte version string";
    EXPECT_NE(e.describe().find("at byte 19"), std::string::npos) << e.describe();
    EXPECT_NE(e.message.find(std::to_string(id)), std::string::npos) << e.message;
  }
}

TEST(Header, HeaderCutShortIsTruncated) {
  const auto full = HprofWriter(8).bytes();
  ASSERT_EQ(full.size(), 31u);
  // Every cut after the complete magic and before the end of the timestamp.
  for (size_t cut = 13; cut < full.size(); ++cut) {
    const auto e = header_error({full.begin(), full.begin() + static_cast<long>(cut)});
    EXPECT_EQ(e.code, ErrorCode::kTruncated) << "cut at " << cut;
    EXPECT_EQ(e.byte_offset, cut) << "the error names where the data ends";
    EXPECT_NE(e.describe().find("at byte " + std::to_string(cut)), std::string::npos)
        << e.describe();
  }
}

TEST(Header, CutInsideTheMagicIsTruncatedNotForeign) {
  // "JAVA PRO" is the start of an HPROF file that ended, not some other format.
  const auto full = HprofWriter(8).bytes();
  for (size_t cut = 1; cut < 13; ++cut) {
    const auto e = header_error({full.begin(), full.begin() + static_cast<long>(cut)});
    EXPECT_EQ(e.code, ErrorCode::kTruncated) << "cut at " << cut;
    EXPECT_EQ(e.byte_offset, cut);
  }
}

TEST(Header, DescribeNamesCodeOffsetAndRecord) {
  hprof::Error e{ErrorCode::kTruncated, 125406, 0x0C, "the data ends"};
  EXPECT_EQ(e.describe(), "truncated at byte 125406 in HEAP_DUMP (0x0c): the data ends");
  hprof::Error unknown{ErrorCode::kCorrupt, 7, 0x99, "x"};
  EXPECT_EQ(unknown.describe(), "corrupt at byte 7 in record 0x99: x");
}

}  // namespace
}  // namespace heapscope::testing
