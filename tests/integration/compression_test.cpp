// One PgTimerLeak dump, plain, gzip and zstd (the same bytes compressed by the gzip and zstd
// tools), must give identical indexes; the JVM's own chunked gzip (a separate live dump) opens
// as kChunkedGzip and matches its own sidecar. The bundled demo dump (zstd -19) too.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <fstream>

#include "sample_dumps.h"
#include "test_env.h"

namespace heapscope::itest {
namespace {

struct Summary {
  hprof::Compression compression{};
  std::string version;
  uint32_t id_size = 0;
  uint64_t timestamp_ms = 0;
  std::array<uint64_t, 256> records{};
  std::array<uint64_t, 256> sub_records{};
  uint32_t objects = 0;
  uint64_t instances = 0, object_arrays = 0, primitive_arrays = 0;
  uint32_t classes = 0;
  size_t roots = 0, threads = 0;
  uint64_t shallow_bytes = 0;
  uint64_t bytes_total = 0, bytes_used = 0;
  bool truncated = false;
  std::vector<uint64_t> ids;
  std::map<std::string, uint64_t> per_class;
};

std::optional<Summary> summarize(const std::filesystem::path& path, std::string& error) {
  auto heap = analysis::Heap::open(path);
  if (!heap) {
    error = heap.error().describe();
    return std::nullopt;
  }
  const auto& idx = heap->index();
  Summary s;
  s.compression = heap->dump().compression();
  s.version = heap->dump().header().version_string;
  s.id_size = heap->dump().header().id_size;
  s.timestamp_ms = heap->dump().header().timestamp_ms;
  s.records = idx.record_counts();
  s.sub_records = idx.sub_record_counts();
  s.objects = idx.object_count();
  s.instances = idx.instance_count();
  s.object_arrays = idx.object_array_count();
  s.primitive_arrays = idx.primitive_array_count();
  s.classes = idx.class_count();
  s.roots = idx.roots().size();
  s.threads = idx.threads().size();
  for (ObjectIndex o = 0; o < idx.object_count(); ++o) s.shallow_bytes += idx.shallow_size(o);
  s.bytes_total = idx.stats().bytes_total;
  s.bytes_used = idx.stats().bytes_used;
  s.truncated = idx.stats().truncated;
  for (ObjectIndex o = 0; o < idx.object_count(); ++o) s.ids.push_back(idx.object_id(o));
  s.per_class = count_by_class_name(idx);
  return s;
}

class PgTimerLeakCompressed : public ::testing::TestWithParam<int> {};

TEST_P(PgTimerLeakCompressed, PlainGzipAndZstdGiveTheSameIndex) {
  const Sample plain{"PgTimerLeak", GetParam()};
  std::string error;
  const auto base = summarize(plain.dump(), error);
  ASSERT_TRUE(base) << plain.dump() << ": " << error;
  EXPECT_EQ(base->compression, hprof::Compression::kNone);
  EXPECT_FALSE(base->truncated);
  EXPECT_EQ(base->bytes_used, base->bytes_total);
  EXPECT_EQ(base->bytes_total, std::filesystem::file_size(plain.dump()));

  for (const auto& [ext, kind] : {std::pair{".hprof.gz", hprof::Compression::kGzip},
                                  std::pair{".hprof.zst", hprof::Compression::kZstd}}) {
    SCOPED_TRACE(ext);
    Sample packed = plain;
    packed.extension = ext;
    const auto s = summarize(packed.dump(), error);
    ASSERT_TRUE(s) << packed.dump() << ": " << error;
    EXPECT_EQ(s->compression, kind);
    EXPECT_EQ(s->version, base->version);
    EXPECT_EQ(s->id_size, base->id_size);
    EXPECT_EQ(s->timestamp_ms, base->timestamp_ms);
    EXPECT_EQ(s->records, base->records);
    EXPECT_EQ(s->sub_records, base->sub_records);
    EXPECT_EQ(s->objects, base->objects);
    EXPECT_EQ(s->instances, base->instances);
    EXPECT_EQ(s->object_arrays, base->object_arrays);
    EXPECT_EQ(s->primitive_arrays, base->primitive_arrays);
    EXPECT_EQ(s->classes, base->classes);
    EXPECT_EQ(s->roots, base->roots);
    EXPECT_EQ(s->threads, base->threads);
    EXPECT_EQ(s->shallow_bytes, base->shallow_bytes);
    EXPECT_EQ(s->bytes_total, base->bytes_total);
    EXPECT_EQ(s->bytes_used, base->bytes_used);
    EXPECT_EQ(s->truncated, base->truncated);
    EXPECT_TRUE(s->ids == base->ids) << "object ids differ";
    EXPECT_EQ(s->per_class, base->per_class);
  }
}

TEST_P(PgTimerLeakCompressed, JvmChunkedGzipOpensAsChunked) {
  const Sample chunked{"PgTimerLeak", GetParam(), "-chunked", ".hprof.gz"};
  const auto sidecar = read_sidecar(chunked);
  ASSERT_TRUE(sidecar.is_object()) << chunked.sidecar();
  EXPECT_TRUE(sidecar["live"].get<bool>());
  std::string error;
  const auto s = summarize(chunked.dump(), error);
  ASSERT_TRUE(s) << chunked.dump() << ": " << error;
  EXPECT_EQ(s->compression, hprof::Compression::kChunkedGzip);
  EXPECT_FALSE(s->truncated);
  EXPECT_EQ(s->bytes_used, s->bytes_total);
  EXPECT_GT(s->bytes_total, std::filesystem::file_size(chunked.dump()));
  for (const auto& [name, n] : sidecar["classes"].items()) {
    const auto it = s->per_class.find(name);
    EXPECT_EQ(it == s->per_class.end() ? 0 : it->second, n.get<uint64_t>()) << name;
  }
}

// The JVM's own chunked gzip (hundreds of members in a big dump, several here) and a pzstd
// (multi-frame) copy of the plain dump decode to the same bytes on two threads as on one, and
// as the command-line tools decode them.
std::vector<uint8_t> open_bytes(const std::filesystem::path& path, unsigned threads,
                                bool& truncated) {
  auto dump = hprof::Dump::open(path, {.threads = threads});
  EXPECT_TRUE(dump.ok()) << path << ": " << dump.error().describe();
  if (!dump.ok()) return {};
  truncated = dump->truncated();
  return {dump->bytes().begin(), dump->bytes().end()};
}

TEST_P(PgTimerLeakCompressed, ChunkedGzipAndZstdFramesGiveTheSameBytesOnTwoThreads) {
  const Sample chunked{"PgTimerLeak", GetParam(), "-chunked", ".hprof.gz"};
  testing::TempDir dir;
  const auto gunzipped = dir.path() / "chunked.hprof";
  ASSERT_EQ(
      testing::run("gzip -dc '" + chunked.dump().string() + "' > '" + gunzipped.string() + "'"), 0);
  const auto expected = testing::read_file(gunzipped);
  bool truncated = true;
  EXPECT_TRUE(open_bytes(chunked.dump(), 1, truncated) == expected);
  EXPECT_FALSE(truncated);
  truncated = true;
  EXPECT_TRUE(open_bytes(chunked.dump(), 2, truncated) == expected) << "two threads";
  EXPECT_FALSE(truncated);

  const Sample plain{"PgTimerLeak", GetParam()};
  const auto frames = dir.path() / "frames.hprof.zst";
  // pzstd (Debian's zstd package) writes one frame per job (2 MB at level 1): 3-4 here
  ASSERT_EQ(testing::run("pzstd -1 -q -p 2 -c '" + plain.dump().string() + "' > '" +
                         frames.string() + "'"),
            0);
  const auto original = testing::read_file(plain.dump());
  truncated = true;
  EXPECT_TRUE(open_bytes(frames, 2, truncated) == original) << "pzstd frames on two threads";
  EXPECT_FALSE(truncated);
  // cut inside the third frame: the same prefix and flag on two threads as on one
  const auto packed = testing::read_file(frames);
  const auto cut = dir.write(
      "cut.hprof.zst", {packed.begin(), packed.begin() + static_cast<long>(packed.size() * 2 / 3)});
  bool t1 = false, t2 = false;
  const auto one = open_bytes(cut, 1, t1);
  EXPECT_TRUE(open_bytes(cut, 2, t2) == one);
  EXPECT_TRUE(t1);
  EXPECT_TRUE(t2);
  EXPECT_TRUE(std::equal(one.begin(), one.end(), original.begin()));
}

INSTANTIATE_TEST_SUITE_P(Jdks, PgTimerLeakCompressed, ::testing::ValuesIn(jdks()),
                         [](const auto& info) { return "jdk" + std::to_string(info.param); });

// The bundled demo dump needs no JDK: samples/demo/pg-timer-leak.hprof.zst + its sidecar.
TEST(DemoDump, ZstdDemoMatchesItsSidecar) {
  const std::filesystem::path demo = HEAPSCOPE_ITEST_SOURCE_DIR "/samples/demo";
  std::ifstream in(demo / "pg-timer-leak.json");
  ASSERT_TRUE(in) << demo;
  const auto sidecar = nlohmann::json::parse(in);
  std::string error;
  const auto s = summarize(demo / "pg-timer-leak.hprof.zst", error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->compression, hprof::Compression::kZstd);
  EXPECT_EQ(s->bytes_used, s->bytes_total);
  for (const auto& [name, n] : sidecar["classes"].items()) {
    const auto it = s->per_class.find(name);
    EXPECT_EQ(it == s->per_class.end() ? 0 : it->second, n.get<uint64_t>()) << name;
  }
}

}  // namespace
}  // namespace heapscope::itest
