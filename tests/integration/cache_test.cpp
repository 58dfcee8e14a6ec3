// The on-disk cache (hprof/cache_file.h) on the sample dumps: an index and engine read back from
// the cache equal a fresh build table by table, and the report is byte-identical; a cache of
// another dump state (mtime) or a damaged one is ignored and rewritten, never an error; a second
// `heapscope dominators --cache-dir` prints the same as the first and leaves one file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "cache_test_support.h"
#include "heapscope/analysis/render.h"
#include "heapscope/analysis/report_builder.h"
#include "heapscope/hprof/cache_file.h"

namespace heapscope::itest {
namespace {

class CacheOnSample : public ::testing::TestWithParam<Sample> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(GetParam().dump())) << GetParam().dump();
    fresh_ = open_with_cache(GetParam().dump(), {});
    ASSERT_TRUE(fresh_.error.empty()) << fresh_.error;
  }
  ScratchDir dir_;
  CachedOpen fresh_;
};

TEST_P(CacheOnSample, LoadedIndexAndEngineEqualAFreshBuild) {
  const auto dump = GetParam().dump();
  const CachedOpen first = open_with_cache(dump, dir_.path());
  ASSERT_TRUE(first.error.empty()) << first.error;
  EXPECT_FALSE(first.heap->cache_use().loaded);
  EXPECT_TRUE(first.heap->cache_use().written) << first.heap->cache_use().warning;
  EXPECT_FALSE(first.engine->cache_use().loaded);
  EXPECT_TRUE(first.engine->cache_use().written) << first.engine->cache_use().warning;
  EXPECT_EQ(dir_.files(), 1u);

  const CachedOpen second = open_with_cache(dump, dir_.path());
  ASSERT_TRUE(second.error.empty()) << second.error;
  EXPECT_TRUE(second.heap->cache_use().loaded);
  EXPECT_TRUE(second.engine->cache_use().loaded);
  EXPECT_FALSE(second.engine->cache_use().written);
  expect_same_index(fresh_.heap->index(), second.heap->index());
  expect_same_engine(*fresh_.engine, *second.engine);
  EXPECT_EQ(report_json(*fresh_.heap, *fresh_.engine, dump.string()),
            report_json(*second.heap, *second.engine, dump.string()));
}

TEST_P(CacheOnSample, BothFiltersShareOneFile) {
  const auto dump = GetParam().dump();
  const CachedOpen fresh_strong = open_with_cache(dump, {}, EdgeFilter::kStrongOnly);
  ASSERT_TRUE(open_with_cache(dump, dir_.path()).error.empty());
  // The graph comes from the file, the strong-only tree is computed and added to it.
  const CachedOpen strong = open_with_cache(dump, dir_.path(), EdgeFilter::kStrongOnly);
  ASSERT_TRUE(strong.error.empty()) << strong.error;
  EXPECT_FALSE(strong.engine->cache_use().loaded);
  EXPECT_TRUE(strong.engine->cache_use().written);
  const CachedOpen all = open_with_cache(dump, dir_.path(), EdgeFilter::kAll);
  const CachedOpen strong2 = open_with_cache(dump, dir_.path(), EdgeFilter::kStrongOnly);
  EXPECT_TRUE(all.engine->cache_use().loaded);
  EXPECT_TRUE(strong2.engine->cache_use().loaded);
  EXPECT_EQ(dir_.files(), 1u);
  expect_same_engine(*fresh_.engine, *all.engine);
  expect_same_engine(*fresh_strong.engine, *strong2.engine);
}

TEST_P(CacheOnSample, AChangedDumpMtimeRebuilds) {
  // A copy of the dump, so that touching it leaves the shared sample alone.
  const auto copy = dir_.path() / "dump" / GetParam().dump().filename();
  std::filesystem::create_directories(copy.parent_path());
  std::filesystem::copy_file(GetParam().dump(), copy);
  const auto cache = dir_.path() / "cache";
  ASSERT_TRUE(open_with_cache(copy, cache).error.empty());
  const struct timespec times[2] = {{0, UTIME_OMIT}, {1234567890, 5}};
  ASSERT_EQ(::utimensat(AT_FDCWD, copy.c_str(), times, 0), 0);
  const CachedOpen again = open_with_cache(copy, cache);
  ASSERT_TRUE(again.error.empty()) << again.error;
  EXPECT_FALSE(again.heap->cache_use().loaded);
  EXPECT_FALSE(again.engine->cache_use().loaded);
  EXPECT_TRUE(again.engine->cache_use().written);
  expect_same_index(fresh_.heap->index(), again.heap->index());
  expect_same_engine(*fresh_.engine, *again.engine);
  // The stale file was replaced in place, and the new one is used.
  EXPECT_EQ(ScratchDir::count_files(cache), 1u);
  EXPECT_TRUE(open_with_cache(copy, cache).engine->cache_use().loaded);
}

// A file of the previous format version, intact in every hash (as that version wrote it), is
// not read with this version's layout (format 1 kept 64-bit edge offsets): it is rebuilt.
TEST_P(CacheOnSample, AFileOfThePreviousFormatVersionIsRebuilt) {
  const auto dump = GetParam().dump();
  ASSERT_TRUE(open_with_cache(dump, dir_.path()).error.empty());
  const auto file = dir_.only_file();
  const std::vector<uint8_t> good = read_file(file);
  ASSERT_GT(good.size(), 96u);
  std::vector<uint8_t> old = good;
  // FileHeader: format_version at byte 8, header_hash (of bytes 0..87) at byte 88.
  uint32_t version = 0;
  std::memcpy(&version, old.data() + 8, 4);
  ASSERT_EQ(version, hprof::kCacheFormatVersion);
  version -= 1;
  std::memcpy(old.data() + 8, &version, 4);
  const uint64_t header_hash = hprof::hash_bytes({old.data(), 88});
  std::memcpy(old.data() + 88, &header_hash, 8);
  write_file(file, old);
  const CachedOpen o = open_with_cache(dump, dir_.path());
  ASSERT_TRUE(o.error.empty()) << o.error;
  EXPECT_FALSE(o.heap->cache_use().loaded);
  EXPECT_FALSE(o.engine->cache_use().loaded);
  EXPECT_TRUE(o.engine->cache_use().written);
  EXPECT_EQ(fingerprint(*o.heap, *o.engine), fingerprint(*fresh_.heap, *fresh_.engine));
  EXPECT_EQ(read_file(file), good) << "rewritten in this version's format";
}

TEST_P(CacheOnSample, CutOrFlippedCacheFilesAreIgnoredAndRewritten) {
  const auto dump = GetParam().dump();
  ASSERT_TRUE(open_with_cache(dump, dir_.path()).error.empty());
  const auto file = dir_.only_file();
  const std::vector<uint8_t> good = read_file(file);
  ASSERT_GT(good.size(), 1000u);
  const std::string want = fingerprint(*fresh_.heap, *fresh_.engine);
  // Cuts and flips spread over the file, and in the header and the chunk table at the end.
  std::vector<size_t> at = {0, 1, 7, 8, 50, 95, 96, 97, good.size() - 1, good.size() - 40};
  for (size_t k = 1; k < 24; ++k) at.push_back(good.size() * k / 24);
  for (size_t pos : at) {
    for (bool flip : {false, true}) {
      std::vector<uint8_t> bad(good.begin(), good.begin() + (flip ? good.size() : pos));
      if (flip) bad[pos] ^= 0x5a;
      write_file(file, bad);
      const CachedOpen o = open_with_cache(dump, dir_.path());
      ASSERT_TRUE(o.error.empty()) << o.error;
      // A flip past the index's sections leaves the index usable; a cut loses the chunk table.
      if (!flip) {
        EXPECT_FALSE(o.heap->cache_use().loaded) << "cut at " << pos;
      }
      EXPECT_FALSE(o.engine->cache_use().loaded) << (flip ? "flip at " : "cut at ") << pos;
      EXPECT_EQ(fingerprint(*o.heap, *o.engine), want) << (flip ? "flip at " : "cut at ") << pos;
      EXPECT_EQ(read_file(file), good) << "the damaged file is rewritten";
    }
  }
}

// The analyzers' results kept beside the cache file: read back equal (the report built on them
// is byte-identical); a cut, a flipped byte or another dump state gives nothing (recomputed).
TEST_P(CacheOnSample, AnalyzerResultsRoundTripAndDamageIsIgnored) {
  const auto dump = GetParam().dump();
  const CachedOpen opened = open_with_cache(dump, dir_.path());
  ASSERT_TRUE(opened.error.empty()) << opened.error;
  const uint64_t now = opened.heap->dump().header().timestamp_ms;
  EXPECT_FALSE(analysis::load_cached_machinery(*opened.heap, dir_.path()));
  const auto computed = analysis::analyze_machinery(*opened.engine, now);
  ASSERT_TRUE(analysis::save_cached_machinery(*opened.heap, dir_.path(), computed));
  const auto loaded = analysis::load_cached_machinery(*opened.heap, dir_.path());
  ASSERT_TRUE(loaded);
  auto json = [&](const analysis::MachineryReport& m) {
    analysis::ReportOptions ro;
    ro.dump_path = dump.string();
    ro.machinery = &m;
    return analysis::render_json(analysis::build_report(*opened.heap, *opened.engine, ro));
  };
  EXPECT_EQ(json(computed), json(*loaded));
  EXPECT_EQ(report_json(*fresh_.heap, *fresh_.engine, dump.string()), json(*loaded));

  std::filesystem::path file;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path())) {
    if (e.path().string().ends_with(".analyzers")) file = e.path();
  }
  ASSERT_FALSE(file.empty());
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto write = [&](const std::string& b) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << b;
  };
  for (size_t cut : {size_t{0}, bytes.size() / 2, bytes.size() - 1}) {
    write(bytes.substr(0, cut));
    EXPECT_FALSE(analysis::load_cached_machinery(*opened.heap, dir_.path())) << "cut " << cut;
  }
  for (size_t at = 0; at < bytes.size(); at += 7) {
    std::string flipped = bytes;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x10);
    write(flipped);
    EXPECT_FALSE(analysis::load_cached_machinery(*opened.heap, dir_.path())) << "flip " << at;
  }
}

INSTANTIATE_TEST_SUITE_P(Samples, CacheOnSample,
                         ::testing::ValuesIn(samples({"PgTimerLeak", "FinalizerBacklog"})),
                         [](const auto& info) { return info.param.name(); });

// A compressed dump is keyed by the compressed file; its decoded temp file changes every open.
TEST(CacheOnCompressedDump, SecondOpenLoads) {
  const auto dump =
      std::filesystem::path(HEAPSCOPE_ITEST_SOURCE_DIR) / "samples/demo/pg-timer-leak.hprof.zst";
  ScratchDir dir;
  const CachedOpen fresh = open_with_cache(dump, {});
  ASSERT_TRUE(fresh.error.empty()) << fresh.error;
  ASSERT_TRUE(open_with_cache(dump, dir.path()).error.empty());
  const CachedOpen second = open_with_cache(dump, dir.path());
  ASSERT_TRUE(second.error.empty()) << second.error;
  EXPECT_TRUE(second.heap->cache_use().loaded);
  EXPECT_TRUE(second.engine->cache_use().loaded);
  expect_same_index(fresh.heap->index(), second.heap->index());
  expect_same_engine(*fresh.engine, *second.engine);
  EXPECT_EQ(report_json(*fresh.heap, *fresh.engine, dump.string()),
            report_json(*second.heap, *second.engine, dump.string()));
}

#ifdef HEAPSCOPE_ITEST_CLI
std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  return out;
}

TEST(CacheCli, DominatorsTwiceSameOutputOneFile) {
  const auto dump =
      std::filesystem::path(HEAPSCOPE_ITEST_SOURCE_DIR) / "samples/demo/pg-timer-leak.hprof.zst";
  ScratchDir dir;
  const std::string command = std::string("'") + HEAPSCOPE_ITEST_CLI +
                              "' dominators -q --format json --depth 3 --cache-dir '" +
                              dir.path().string() + "' '" + dump.string() + "'";
  const std::string first = run(command);
  ASSERT_NE(first.find("\"dominators\""), std::string::npos) << first;
  ASSERT_EQ(dir.files(), 1u);
  const auto written = std::filesystem::last_write_time(dir.only_file());
  const std::string second = run(command);
  EXPECT_EQ(first, second);
  EXPECT_EQ(dir.files(), 1u);
  EXPECT_EQ(std::filesystem::last_write_time(dir.only_file()), written) << "not rewritten";
  // Without --cache-dir nothing is written and the output is the same.
  const std::string uncached =
      run(std::string("'") + HEAPSCOPE_ITEST_CLI + "' dominators -q --format json --depth 3 '" +
          dump.string() + "'");
  EXPECT_EQ(first, uncached);
}
#endif

}  // namespace
}  // namespace heapscope::itest
