// hprof::redact() on hand-built dumps: the exact bytes it writes (values zeroed, kept fields and
// thread names kept, unused symbols dropped, unknown records blanked), every cut of its input
// failing without leaving a file, and the pseudonyms of RedactLevel::kNames.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/redact.h"
#include "hprof_writer.h"

namespace heapscope {
namespace {

namespace fs = std::filesystem;
using testing::ClassDef;
using testing::HprofWriter;
using testing::Value;
namespace type = testing::type;

std::vector<uint64_t> chars(std::string_view s) {
  return {s.begin(), s.end()};
}

// One dump, written twice: as it is (`redacted` false) and as redact() must write it.
//  - a String and its byte[] (a thread's name) come before the Thread and before String's
//    CLASS_DUMP (the order of ART and the hprof agent);
//  - another Thread comes before its name String;
//  - java.lang.Thread.threadStatus and java.util.TimerTask.state are kept, com.acme.Vault.pin and
//    the static Vault.LIMIT are zeroed, so are the constant-pool value and a plain byte[];
//  - an instance of an unknown class and one whose length disagrees with its class are zeroed
//    whole; symbol 9 is referred to by nothing and dropped; the unknown record 0x77 is blanked.
std::vector<uint8_t> build(bool redacted, uint32_t id_size = 8) {
  auto v = [&](uint64_t secret) { return redacted ? 0 : secret; };
  HprofWriter w(id_size);
  w.utf8(1, "java/lang/Object").utf8(2, "java/lang/Thread").utf8(3, "java/lang/String");
  w.utf8(4, "name").utf8(5, "value").utf8(6, "coder").utf8(7, "com/acme/Vault").utf8(8, "pin");
  if (!redacted) w.utf8(9, "SELECT secret FROM symbols");
  w.utf8(10, "java/util/TimerTask").utf8(11, "state").utf8(12, "LIMIT").utf8(13, "threadStatus");
  w.load_class(1, 0x100, 1, 1).load_class(2, 0x200, 1, 2).load_class(3, 0x300, 1, 3);
  w.load_class(4, 0x400, 1, 7).load_class(5, 0x500, 1, 10);
  w.begin_segment();
  w.instance_dump(0x3001, 0x300, {Value::object(0x3002), Value::byte(0)});
  w.prim_array_dump(0x3002, type::kByte, chars("worker-1"));
  w.prim_array_dump(0x3003, type::kByte, redacted ? std::vector<uint64_t>(7, 0) : chars("hunter2"));
  w.prim_array_dump(0x3004, type::kChar, redacted ? std::vector<uint64_t>(3, 0) : chars("pwd"));
  w.class_dump({.id = 0x100});
  w.class_dump({.id = 0x200, .super_id = 0x100, .fields = {{4, type::kObject}, {13, type::kInt}}});
  w.class_dump({.id = 0x300, .super_id = 0x100, .fields = {{5, type::kObject}, {6, type::kByte}}});
  w.class_dump({.id = 0x400,
                .super_id = 0x100,
                .constants = {{1, Value::i64(v(77))}},
                .statics = {{12, Value::i64(v(0x1122334455667788))}, {5, Value::object(0x3003)}},
                .fields = {{8, type::kInt}}});
  w.class_dump({.id = 0x500, .super_id = 0x100, .fields = {{11, type::kInt}}});
  w.instance_dump(0x2001, 0x200, {Value::object(0x3001), Value::i32(0x15)});
  w.instance_dump(0x2002, 0x200, {Value::object(0x3011), Value::i32(0x15)});
  w.instance_dump(0x3011, 0x300, {Value::object(0x3012), Value::byte(1)});
  w.prim_array_dump(0x3012, type::kByte, {'t', 0, 'x', 0});  // UTF-16LE "tx"
  w.instance_dump(0x4001, 0x400, {Value::i32(v(1234))});
  w.instance_dump(0x5001, 0x500, {Value::i32(3)});
  w.instance_dump(0x7001, 0x999, {Value::i64(v(0x5EC12E7))});
  w.instance_dump(0x4002, 0x400, {Value::i32(v(99)), Value::i32(v(98))});
  w.heap_dump_end();
  w.record(0x77, redacted ? std::vector<uint8_t>(3, 0) : std::vector<uint8_t>{'a', 'b', 'c'});
  return w.bytes();
}

hprof::RedactRules rules(hprof::RedactLevel level = hprof::RedactLevel::kBasic) {
  hprof::RedactRules r;
  r.level = level;
  r.keep_fields = {{"java.lang.Thread", "threadStatus"},
                   {"java.util.TimerTask", "state"},
                   {"java.lang.String", "coder"}};
  r.is_platform_class = [](std::string_view n) { return n.substr(0, 5) == "java."; };
  r.is_platform_thread_name = [](std::string_view n) { return n == "main"; };
  return r;
}

std::vector<uint8_t> read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// "" when equal, else where the first difference is.
std::string first_difference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  if (a == b) return "";
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return "sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
         ", first difference at byte " + std::to_string(i);
}

class RedactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("heapscope-redact-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  size_t files() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {}));
  }
  fs::path dir_;
};

TEST_F(RedactTest, WritesExactlyTheRedactedBytes) {
  const auto in = build(false);
  auto dump = hprof::Dump::from_bytes(in);
  ASSERT_TRUE(dump.ok()) << dump.error().describe();
  auto s = hprof::redact(*dump, dir_ / "out.hprof", rules());
  ASSERT_TRUE(s.ok()) << s.error().describe();
  EXPECT_EQ(first_difference(read(dir_ / "out.hprof"), build(true)), "");
  EXPECT_EQ(s->instances, 8u);
  EXPECT_EQ(s->primitive_arrays, 4u);
  EXPECT_EQ(s->thread_names_kept, 2u);
  EXPECT_EQ(s->utf8_dropped, 1u);
  EXPECT_EQ(s->unknown_layout_instances, 2u);
  EXPECT_TRUE(s->names.empty());
  EXPECT_EQ(files(), 1u);  // no temporary file left
}

TEST_F(RedactTest, WritesExactlyTheRedactedBytesWith4ByteIds) {
  const auto in = build(false, 4);
  auto dump = hprof::Dump::from_bytes(in);
  ASSERT_TRUE(dump.ok()) << dump.error().describe();
  auto s = hprof::redact(*dump, dir_ / "out.hprof", rules());
  ASSERT_TRUE(s.ok()) << s.error().describe();
  EXPECT_EQ(first_difference(read(dir_ / "out.hprof"), build(true, 4)), "");
  EXPECT_EQ(s->thread_names_kept, 2u);
  EXPECT_EQ(s->unknown_layout_instances, 2u);
}

TEST_F(RedactTest, CompressedOutputDecodesToThePlainOne) {
  const auto in = build(false);
  auto dump = hprof::Dump::from_bytes(in);
  ASSERT_TRUE(dump.ok());
  for (const char* name : {"out.hprof.gz", "out.hprof.zst"}) {
    hprof::RedactOptions o;
    o.compression = hprof::output_compression_for(name);
    ASSERT_NE(o.compression, hprof::OutputCompression::kNone);
    ASSERT_TRUE(hprof::redact(*dump, dir_ / name, rules(), o).ok()) << name;
    auto back = hprof::Dump::open(dir_ / name);
    ASSERT_TRUE(back.ok()) << back.error().describe();
    EXPECT_NE(back->compression(), hprof::Compression::kNone);
    const auto out = build(true);
    EXPECT_EQ(first_difference({back->bytes().begin(), back->bytes().end()}, out), "") << name;
  }
}

// Every cut of the input: a cut at a record boundary is a shorter valid dump; any other cut
// fails with kTruncated, and no file is left behind.
TEST_F(RedactTest, EveryCutFailsCleanlyOrIsARecordBoundary) {
  const auto in = build(false);
  std::vector<size_t> boundaries;
  for (size_t p = 31; p < in.size();) {  // "JAVA PROFILE 1.0.2\0" + u4 + u8
    boundaries.push_back(p);
    p += 9 + ((in[p + 5] << 24) | (in[p + 6] << 16) | (in[p + 7] << 8) | in[p + 8]);
  }
  boundaries.push_back(in.size());
  size_t failed = 0;
  for (size_t cut = 31; cut < in.size(); ++cut) {
    std::vector<uint8_t> part(in.begin(), in.begin() + static_cast<long>(cut));
    auto dump = hprof::Dump::from_bytes(part);
    ASSERT_TRUE(dump.ok());
    auto s = hprof::redact(*dump, dir_ / "cut.hprof", rules());
    const bool boundary = std::count(boundaries.begin(), boundaries.end(), cut) != 0;
    EXPECT_EQ(s.ok(), boundary) << "cut at " << cut;
    if (!s.ok()) {
      ++failed;
      EXPECT_EQ(s.error().code, hprof::ErrorCode::kTruncated) << s.error().describe();
      EXPECT_EQ(files(), 0u) << "cut at " << cut;
    }
    fs::remove(dir_ / "cut.hprof");
  }
  EXPECT_GT(failed, in.size() / 2);
}

TEST_F(RedactTest, UnknownSubRecordIsAnErrorAndWritesNothing) {
  HprofWriter w(8);
  w.begin_segment().raw(std::vector<uint8_t>{0x55, 1, 2, 3}).heap_dump_end();
  const auto in = w.bytes();
  auto dump = hprof::Dump::from_bytes(in);
  ASSERT_TRUE(dump.ok());
  auto s = hprof::redact(*dump, dir_ / "out.hprof", rules());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, hprof::ErrorCode::kCorrupt);
  EXPECT_EQ(files(), 0u);
}

TEST_F(RedactTest, NamesLevelGivesPseudonymsOutsideThePlatform) {
  const auto in = build(false);
  auto dump = hprof::Dump::from_bytes(in);
  ASSERT_TRUE(dump.ok());
  auto s = hprof::redact(*dump, dir_ / "out.hprof", rules(hprof::RedactLevel::kNames));
  ASSERT_TRUE(s.ok()) << s.error().describe();
  const auto out = read(dir_ / "out.hprof");
  const std::string text(out.begin(), out.end());
  EXPECT_EQ(text.find("com/acme/Vault"), std::string::npos);
  EXPECT_EQ(text.find("worker-1"), std::string::npos);
  EXPECT_NE(text.find("p0001/C0001"), std::string::npos);
  EXPECT_NE(text.find("java/lang/Thread"), std::string::npos);
  EXPECT_NE(text.find("threadStatus"), std::string::npos);
  // "pin" and "LIMIT" belong to Vault only; "value" is String's too, so it stays.
  EXPECT_EQ(text.find("LIMIT"), std::string::npos);
  std::map<std::string, std::string> m;
  for (const auto& n : s->names) m[n.kind + ":" + n.original] = n.pseudonym;
  EXPECT_EQ(m["class:com.acme.Vault"], "p0001.C0001");
  EXPECT_EQ(m["field:LIMIT"].substr(0, 1), "f");
  EXPECT_EQ(m["field:pin"].substr(0, 1), "f");
  EXPECT_EQ(m.count("field:value"), 0u);
  EXPECT_EQ(m["thread:worker-1"].size(), 8u);  // as many characters as the name
  EXPECT_EQ(m["thread:tx"].size(), 2u);
  // "com/acme/Vault" (14) -> "p0001/C0001" (11), "pin" (3) -> "f000n" (5), "LIMIT" -> "f000n".
  EXPECT_EQ(out.size() + 3, build(true).size() + 2);
}

}  // namespace
}  // namespace heapscope
