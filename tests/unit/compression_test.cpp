// Compressed dumps (format A.15): plain gzip, the JVM's chunked multi-member gzip with the
// "HPROF BLOCKSIZE=" comment, zstd, bzip2. Dump::open must give the same bytes, and so the same
// Index, as the plain file; a cut or damaged stream gives what decoded, or a clean Error.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/iostreams/filter/bzip2.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filter/zstd.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <sstream>
#include <string>

#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/index.h"
#include "hprof_writer.h"
#include "small_dump.h"
#include "test_env.h"

namespace heapscope::testing {
namespace {

namespace io = boost::iostreams;
using Bytes = std::vector<uint8_t>;
using hprof::Compression;
using hprof::ErrorCode;

template <typename Compressor>
Bytes compress(const Bytes& in, Compressor compressor) {
  std::ostringstream sink;
  {
    io::filtering_ostream out;
    out.push(compressor);
    out.push(sink);
    out.write(reinterpret_cast<const char*>(in.data()), static_cast<std::streamsize>(in.size()));
  }
  const std::string s = sink.str();
  return {s.begin(), s.end()};
}

Bytes gzip(const Bytes& in, const std::string& comment = "") {
  io::gzip_params params;
  params.comment = comment;
  return compress(in, io::gzip_compressor(params));
}

// What `jcmd GC.heap_dump -gz=1` writes: one complete gzip member per block; the comment on
// the first two members (as JDK 17 does) and a short last member.
Bytes chunked_gzip(const Bytes& in, size_t block) {
  Bytes out;
  for (size_t at = 0, k = 0; at < in.size(); at += block, ++k) {
    const Bytes piece(in.begin() + static_cast<long>(at),
                      in.begin() + static_cast<long>(std::min(in.size(), at + block)));
    const Bytes member = gzip(piece, k < 2 ? "HPROF BLOCKSIZE=" + std::to_string(block) : "");
    out.insert(out.end(), member.begin(), member.end());
  }
  return out;
}

Bytes zstd(const Bytes& in) {
  return compress(in, io::zstd_compressor());
}
Bytes bzip2(const Bytes& in) {
  return compress(in, io::bzip2_compressor());
}
Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A dump of a few tens of KB: the small dump plus 2000 more Nodes in extra segments.
Bytes medium_dump() {
  const SmallDump d = make_small_dump({.model = RefModel::kIds8, .segments = true});
  Bytes bytes(d.bytes.begin(), d.bytes.end() - 9);  // drop HEAP_DUMP_END
  HprofWriter w(8);
  for (int seg = 0; seg < 4; ++seg) {
    w.begin_segment();
    for (uint64_t i = 0; i < 500; ++i) {
      const uint64_t id = 0x720000000 + (seg * 500 + i) * 40;
      w.instance_dump(id, d.c_node,
                      {Value::object(d.node1), Value::i32(int32_t(i)), Value::i64(int64_t(i) * 7),
                       Value::boolean(i & 1)});
    }
  }
  w.heap_dump_end();
  const Bytes more = w.bytes();
  bytes.insert(bytes.end(), more.begin() + 31, more.end());  // without its header
  return bytes;
}

struct Case {
  const char* name;
  Compression kind;
  Bytes (*make)(const Bytes&);
};

const Case kCases[] = {
    {"gzip", Compression::kGzip, [](const Bytes& b) { return gzip(b); }},
    {"gzip_with_other_comment", Compression::kGzip,
     [](const Bytes& b) { return gzip(b, "made by hand"); }},
    {"gzip_chunked", Compression::kChunkedGzip,
     [](const Bytes& b) { return chunked_gzip(b, 4096); }},
    {"gzip_members_without_comment", Compression::kGzip,
     [](const Bytes& b) {
       const size_t half = b.size() / 2;
       return concat(gzip({b.begin(), b.begin() + static_cast<long>(half)}),
                     gzip({b.begin() + static_cast<long>(half), b.end()}));
     }},
    {"zstd", Compression::kZstd, [](const Bytes& b) { return zstd(b); }},
    {"zstd_two_frames", Compression::kZstd,
     [](const Bytes& b) {
       const size_t half = b.size() / 3;
       return concat(zstd({b.begin(), b.begin() + static_cast<long>(half)}),
                     zstd({b.begin() + static_cast<long>(half), b.end()}));
     }},
    {"zstd_after_a_skippable_frame", Compression::kZstd,
     [](const Bytes& b) {
       // pzstd starts every file with a skippable frame (magic 0x184D2A50, 4-byte size, data)
       return concat({0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 1, 2, 3, 4}, zstd(b));
     }},
    {"bzip2", Compression::kBzip2, [](const Bytes& b) { return bzip2(b); }},
    {"bzip2_two_streams", Compression::kBzip2,
     [](const Bytes& b) {
       const size_t half = b.size() / 2;
       return concat(bzip2({b.begin(), b.begin() + static_cast<long>(half)}),
                     bzip2({b.begin() + static_cast<long>(half), b.end()}));
     }},
};

class Compressed : public ::testing::TestWithParam<Case> {};

TEST_P(Compressed, OpensToTheSameBytesAndIndex) {
  const Bytes plain = medium_dump();
  const auto expected = parse(plain);
  ASSERT_TRUE(expected.ok());
  ASSERT_EQ(expected.idx().object_count(), SmallDump::kObjects + 2000);

  TempDir dir, scratch;
  const auto path = dir.write("dump.hprof.x", GetParam().make(plain));
  auto dump = hprof::Dump::open(path, {.temp_dir = scratch.path()});
  ASSERT_TRUE(dump.ok()) << dump.error().describe();
  EXPECT_EQ(dump->compression(), GetParam().kind);
  EXPECT_EQ(dump->file_size(), std::filesystem::file_size(path));
  ASSERT_EQ(dump->bytes().size(), plain.size());
  EXPECT_TRUE(std::equal(plain.begin(), plain.end(), dump->bytes().begin()));
  // The decoded copy is unlinked once mapped: nothing is left behind.
  EXPECT_TRUE(std::filesystem::is_empty(scratch.path()));

  auto index = hprof::Index::build(*dump);
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->object_count(), expected.idx().object_count());
  EXPECT_EQ(index->stats().bytes_used, expected.idx().stats().bytes_used);
  EXPECT_FALSE(index->stats().truncated);
  EXPECT_EQ(index->record_counts(), expected.idx().record_counts());
  EXPECT_EQ(index->sub_record_counts(), expected.idx().sub_record_counts());
}

INSTANTIATE_TEST_SUITE_P(Formats, Compressed, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

// The command-line tools, when installed, as a second opinion on the stream formats.
TEST(Compression, FilesWrittenByTheCommandLineTools) {
  const Bytes plain = medium_dump();
  TempDir dir;
  int tried = 0;
  for (auto [tool, kind] :
       {std::pair{"gzip", Compression::kGzip}, std::pair{"zstd", Compression::kZstd},
        std::pair{"bzip2", Compression::kBzip2}}) {
    if (!have_tool(tool)) continue;
    ++tried;
    const auto path = dir.write(std::string("d-") + tool + ".hprof", plain);
    ASSERT_EQ(run(std::string(tool) + " -q -c '" + path.string() + "' > '" + path.string() + ".z'"),
              0);
    auto dump = hprof::Dump::open(path.string() + ".z");
    ASSERT_TRUE(dump.ok()) << tool << ": " << dump.error().describe();
    EXPECT_EQ(dump->compression(), kind) << tool;
    EXPECT_TRUE(std::equal(plain.begin(), plain.end(), dump->bytes().begin(), dump->bytes().end()))
        << tool;
  }
  if (tried == 0) GTEST_SKIP() << "none of gzip, zstd, bzip2 is installed";
}

TEST(Compression, CutChunkedGzipOpensWithWhatDecoded) {
  const Bytes plain = medium_dump();
  const Bytes gz = chunked_gzip(plain, 4096);
  TempDir dir;
  size_t ok = 0;
  for (size_t cut : {gz.size() / 2, gz.size() * 3 / 4, gz.size() - 5, gz.size() - 1}) {
    SCOPED_TRACE("cut at " + std::to_string(cut) + " of " + std::to_string(gz.size()));
    const auto path = dir.write("cut.hprof.gz", {gz.begin(), gz.begin() + static_cast<long>(cut)});
    auto dump = hprof::Dump::open(path);
    ASSERT_TRUE(dump.ok()) << dump.error().describe();
    EXPECT_EQ(dump->compression(), Compression::kChunkedGzip);
    const auto got = dump->bytes();
    ASSERT_LE(got.size(), plain.size());  // equal when only the last trailer is cut
    EXPECT_TRUE(std::equal(got.begin(), got.end(), plain.begin())) << "a prefix of the dump";
    EXPECT_TRUE(dump->truncated());
    // Every member before the damaged one decodes completely, and most of the damaged one.
    size_t complete = 0, packed = 0;
    for (size_t at = 0; at < plain.size(); at += 4096) {
      const Bytes piece(plain.begin() + static_cast<long>(at),
                        plain.begin() + static_cast<long>(std::min(plain.size(), at + 4096)));
      packed += gzip(piece, at < 8192 ? "HPROF BLOCKSIZE=4096" : "").size();
      if (packed > cut) break;
      complete = at + piece.size();
    }
    EXPECT_GE(got.size(), complete);
    auto index = hprof::Index::build(*dump);
    ASSERT_TRUE(index.ok()) << index.error().describe();
    EXPECT_TRUE(index->stats().truncated);
    ASSERT_FALSE(index->stats().warnings.empty());
    EXPECT_NE(index->stats().warnings.front().find("gzip-chunked stream is cut short"),
              std::string::npos)
        << index->stats().warnings.front();
    EXPECT_GT(index->object_count(), 0u);
    ++ok;
  }
  EXPECT_EQ(ok, 4u);
}

TEST(Compression, CutAnywhereIsAPrefixOrACleanError) {
  const Bytes plain = make_small_dump().bytes;
  TempDir dir;
  for (const Bytes& packed : {gzip(plain), zstd(plain), bzip2(plain)}) {
    for (size_t cut = 1; cut < packed.size(); cut += 7) {
      SCOPED_TRACE("cut at " + std::to_string(cut));
      const auto path =
          dir.write("cut.bin", {packed.begin(), packed.begin() + static_cast<long>(cut)});
      auto dump = hprof::Dump::open(path);
      if (!dump.ok()) {
        const auto code = dump.error().code;
        EXPECT_TRUE(code == ErrorCode::kCompression || code == ErrorCode::kTruncated ||
                    code == ErrorCode::kNotHprof)
            << dump.error().describe();
        continue;
      }
      const auto got = dump->bytes();
      ASSERT_LE(got.size(), plain.size());
      EXPECT_TRUE(std::equal(got.begin(), got.end(), plain.begin()));
      EXPECT_TRUE(dump->truncated()) << "a cut stream must say so";
      auto index = hprof::Index::build(*dump);
      if (index.ok()) {
        EXPECT_TRUE(index->stats().truncated || got.size() == plain.size());
      }
    }
  }
}

TEST(Compression, GarbageAfterTheMagicIsACleanError) {
  TempDir dir;
  const Bytes garbage_tail = {0x00, 0x13, 0x37, 0xAB, 0xCD, 0xEF, 0x01, 0x02, 0x03, 0x04,
                              0xFF, 0xFF, 0xFF, 0xFF, 0x55, 0xAA, 0x55, 0xAA, 0x00, 0x00};
  const std::pair<const char*, Bytes> magics[] = {
      {"gzip", {0x1f, 0x8b, 0x08}},
      {"gzip with header", {0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3}},
      {"zstd", {0x28, 0xb5, 0x2f, 0xfd}},
      {"bzip2", {'B', 'Z', 'h', '9'}},
  };
  for (const auto& [name, magic] : magics) {
    const auto path = dir.write("bad.bin", concat(magic, garbage_tail));
    auto dump = hprof::Dump::open(path);
    ASSERT_FALSE(dump.ok()) << name;
    EXPECT_TRUE(dump.error().code == ErrorCode::kCompression ||
                dump.error().code == ErrorCode::kNotHprof)
        << name << ": " << dump.error().describe();
    // Only the magic: nothing to decode.
    const auto bare = dir.write("bare.bin", magic);
    EXPECT_FALSE(hprof::Dump::open(bare).ok()) << name;
  }
}

TEST(Compression, CompressedNonHprofIsNotHprof) {
  const std::string text = "version https://git-lfs.github.com/spec/v1\noid sha256:00\n";
  TempDir dir;
  const auto path = dir.write("lfs.gz", gzip({text.begin(), text.end()}));
  auto dump = hprof::Dump::open(path);
  ASSERT_FALSE(dump.ok());
  EXPECT_EQ(dump.error().code, ErrorCode::kNotHprof);
  EXPECT_NE(dump.error().message.find("gzip"), std::string::npos) << dump.error().message;
}

TEST(Compression, MissingFileDirectoryAndEmptyFile) {
  TempDir dir;
  EXPECT_EQ(hprof::Dump::open(dir.path() / "nope.hprof").error().code, ErrorCode::kIo);
  EXPECT_EQ(hprof::Dump::open(dir.path()).error().code, ErrorCode::kIo);
  EXPECT_EQ(hprof::Dump::open(dir.write("empty.hprof", {})).error().code, ErrorCode::kEmpty);
}

// ---- decoding on several threads (decompress_parallel.h): the same bytes as on one thread

Bytes zstd_frames(const Bytes& in, size_t block) {
  Bytes out;
  for (size_t at = 0; at < in.size(); at += block) {
    out = concat(std::move(out),
                 zstd({in.begin() + static_cast<long>(at),
                       in.begin() + static_cast<long>(std::min(in.size(), at + block))}));
  }
  return out;
}

// What Dump::open makes of a file on `threads` threads: the bytes, or the error.
struct Opened {
  bool ok = false;
  Bytes bytes;
  bool truncated = false;
  std::string error;
  bool operator==(const Opened&) const = default;
};

Opened open_with(const std::filesystem::path& path, unsigned threads) {
  Opened o;
  auto dump = hprof::Dump::open(path, {.threads = threads});
  o.ok = dump.ok();
  if (!dump.ok()) {
    o.error = dump.error().describe();
    return o;
  }
  o.bytes.assign(dump->bytes().begin(), dump->bytes().end());
  o.truncated = dump->truncated();
  return o;
}

TEST(CompressionThreads, ManyMembersAndFramesDecodeToTheSameBytes) {
  const Bytes plain = medium_dump();
  TempDir dir;
  const std::pair<const char*, Bytes> cases[] = {
      {"chunked gzip", chunked_gzip(plain, 1024)},
      {"gzip members without comment",
       concat(concat(gzip({plain.begin(), plain.begin() + 5000}),
                     gzip({plain.begin() + 5000, plain.begin() + 9000})),
              gzip({plain.begin() + 9000, plain.end()}))},
      {"zstd frames", zstd_frames(plain, 1024)},
  };
  for (const auto& [name, packed] : cases) {
    SCOPED_TRACE(name);
    const auto path = dir.write("many.bin", packed);
    for (unsigned threads : {1u, 2u, 3u, 0u}) {
      const Opened o = open_with(path, threads);
      ASSERT_TRUE(o.ok) << threads << " threads: " << o.error;
      EXPECT_FALSE(o.truncated) << threads << " threads";
      EXPECT_TRUE(o.bytes == plain) << threads << " threads";
    }
  }
}

// Member headers inside a member's data: the guessed boundaries are wrong, the output is not.
TEST(CompressionThreads, FalseMemberStartsAreCaught) {
  const Bytes plain = medium_dump();
  Bytes data;
  const Bytes fake = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x03};
  for (size_t at = 0; at < plain.size(); at += 700) {
    const size_t end = std::min(plain.size(), at + 700);
    data.insert(data.end(), plain.begin() + static_cast<long>(at),
                plain.begin() + static_cast<long>(end));
    data.insert(data.end(), fake.begin(), fake.end());
  }
  io::gzip_params params(io::gzip::no_compression);
  params.comment = "HPROF BLOCKSIZE=1048576";
  const Bytes stored = compress(data, io::gzip_compressor(params));
  // the fake headers appear in the compressed bytes as they are
  ASSERT_NE(std::search(stored.begin() + 10, stored.end(), fake.begin(), fake.end()), stored.end());
  // two real members around it, so that the threads have work before and after
  const Bytes packed = concat(concat(chunked_gzip(plain, 2048), stored), chunked_gzip(plain, 4096));
  TempDir dir;
  const auto path = dir.write("fake.hprof.gz", packed);
  const Opened one = open_with(path, 1);
  ASSERT_TRUE(one.ok) << one.error;
  EXPECT_EQ(one.bytes.size(), 2 * plain.size() + data.size());
  EXPECT_TRUE(open_with(path, 2) == one);
  EXPECT_TRUE(open_with(path, 3) == one);
}

// Every cut and a damaged byte in every member: the same bytes, truncation flag and error on two
// threads as on one.
TEST(CompressionThreads, EveryCutAndDamageGivesWhatOneThreadGives) {
  const Bytes plain = make_small_dump().bytes;
  TempDir dir;
  size_t checked = 0;
  for (const Bytes& packed : {chunked_gzip(plain, 256), zstd_frames(plain, 256)}) {
    for (size_t cut = 1; cut <= packed.size(); ++cut) {
      SCOPED_TRACE("cut at " + std::to_string(cut) + " of " + std::to_string(packed.size()));
      const auto path =
          dir.write("cut.bin", {packed.begin(), packed.begin() + static_cast<long>(cut)});
      const Opened one = open_with(path, 1);
      ASSERT_TRUE(open_with(path, 2) == one);
      ++checked;
    }
    for (size_t at = 10; at < packed.size(); at += 13) {
      SCOPED_TRACE("damage at " + std::to_string(at));
      Bytes bad = packed;
      bad[at] ^= 0x5a;
      const auto path = dir.write("bad.bin", bad);
      ASSERT_TRUE(open_with(path, 2) == open_with(path, 1));
    }
  }
  EXPECT_GT(checked, 1000u);
}

}  // namespace
}  // namespace heapscope::testing
