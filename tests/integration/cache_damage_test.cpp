// Every damage a cache file can take is ignored: on the small reference dump, whose cache file
// is a few KiB, each cut of the file and each flipped byte leads to a rebuild (of the engine at
// least; of the index too when the damage is in its sections) with the same results, and the
// file is rewritten as it was.
#include <gtest/gtest.h>

#include "cache_test_support.h"
#include "heapscope/hprof/cache_file.h"
#include "small_dump.h"

namespace heapscope::itest {
namespace {

class CacheOnSmallDump : public ::testing::Test {
 protected:
  void SetUp() override {
    dump_ = dir_.path() / "dump" / "small.hprof";
    std::filesystem::create_directories(dump_.parent_path());
    write_file(dump_, heapscope::testing::make_small_dump().bytes);
    const CachedOpen fresh = open_with_cache(dump_, {});
    ASSERT_TRUE(fresh.error.empty()) << fresh.error;
    want_ = fingerprint(*fresh.heap, *fresh.engine);
    const CachedOpen first = open_with_cache(dump_, dir_.path());
    ASSERT_TRUE(first.error.empty()) << first.error;
    ASSERT_TRUE(first.engine->cache_use().written);
    file_ = dir_.only_file();
    good_ = read_file(file_);
    ASSERT_GT(good_.size(), 200u);
    ASSERT_TRUE(open_with_cache(dump_, dir_.path()).engine->cache_use().loaded);
  }

  // Opens the dump over a damaged cache file; "" when that went as it should.
  std::string open_over(const std::vector<uint8_t>& damaged) {
    write_file(file_, damaged);
    // One thread: thousands of opens of a tiny dump, where starting threads is the cost.
    const CachedOpen o = open_with_cache(dump_, dir_.path(), EdgeFilter::kAll, 1);
    if (!o.error.empty()) return o.error;
    // Damage past the index sections leaves the index usable: only the engine must notice.
    if (o.engine->cache_use().loaded) return "engine loaded";
    if (fingerprint(*o.heap, *o.engine) != want_) return "other results";
    if (read_file(file_) != good_) return "not rewritten as before";
    return "";
  }

  ScratchDir dir_;
  std::filesystem::path dump_, file_;
  std::string want_;
  std::vector<uint8_t> good_;
};

TEST_F(CacheOnSmallDump, EveryCutIsIgnored) {
  size_t failures = 0;
  for (size_t cut = 0; cut < good_.size(); ++cut) {
    const std::string why = open_over({good_.begin(), good_.begin() + cut});
    if (!why.empty() && ++failures <= 5) ADD_FAILURE() << "cut at " << cut << ": " << why;
  }
  EXPECT_EQ(failures, 0u) << "of " << good_.size() << " cuts";
}

TEST_F(CacheOnSmallDump, EveryFlippedByteIsIgnored) {
  size_t failures = 0;
  for (size_t at = 0; at < good_.size(); ++at) {
    // The lowest bit, the highest bit, or both, in turn.
    const uint8_t mask = at % 3 == 0 ? 0x01 : at % 3 == 1 ? 0x80 : 0x81;
    std::vector<uint8_t> bad = good_;
    bad[at] ^= mask;
    const std::string why = open_over(bad);
    if (!why.empty() && ++failures <= 5) {
      ADD_FAILURE() << "byte " << at << " ^ " << int{mask} << ": " << why;
    }
  }
  EXPECT_EQ(failures, 0u) << "of " << good_.size() << " flips";
}

TEST_F(CacheOnSmallDump, ExtraBytesAndAnotherHeapDumpNumberAreIgnored) {
  std::vector<uint8_t> longer = good_;
  longer.push_back(0);
  EXPECT_EQ(open_over(longer), "");
  // The same file under the name of heap dump 1 is not taken for it.
  auto dump = hprof::Dump::open(dump_);
  ASSERT_TRUE(dump.ok());
  auto id = hprof::identify(*dump);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(hprof::CacheReader::open(file_, hprof::CacheKey{*id, 0}).ok());
  EXPECT_FALSE(hprof::CacheReader::open(file_, hprof::CacheKey{*id, 1}).ok());
  EXPECT_NE(hprof::cache_file_path(dir_.path(), *dump, 0),
            hprof::cache_file_path(dir_.path(), *dump, 1));
}

TEST(CacheDir, DefaultFollowsXdgThenHome) {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const std::string saved = xdg ? xdg : "";
  ::setenv("XDG_CACHE_HOME", "/x/cache", 1);
  EXPECT_EQ(hprof::default_cache_dir(), std::filesystem::path("/x/cache/heapscope"));
  ::unsetenv("XDG_CACHE_HOME");
  if (const char* home = std::getenv("HOME")) {
    EXPECT_EQ(hprof::default_cache_dir(), std::filesystem::path(home) / ".cache" / "heapscope");
  }
  if (xdg) ::setenv("XDG_CACHE_HOME", saved.c_str(), 1);
}

}  // namespace
}  // namespace heapscope::itest
