// Tables in spill files (hprof/spill.h): where they live, that they hold their values, and that
// their files vanish with them (the spill directory stays empty; /proc/self/maps forgets them).
#include "heapscope/hprof/spill.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include <numeric>
#include "proc_maps.h"

#include "heapscope/hprof/flat_array.h"

namespace heapscope::hprof {
namespace {

namespace fs = std::filesystem;
using detail::FlatArray;

fs::path make_dir(const char* name) {
  auto dir = fs::temp_directory_path() / ("heapscope-spill-" + std::to_string(::getpid()) + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

using heapscope::testing::mappings_in;

bool empty_dir(const fs::path& dir) {
  return fs::directory_iterator(dir) == fs::directory_iterator();
}

TEST(Spill, BigTablesGoToNamelessFilesThatVanishWithThem) {
  const auto dir = make_dir("big");
  SpillStorage storage(dir);
  {
    SpillScope scope(&storage);
    FlatArray<uint64_t> a(1 << 20);  // 8 MiB
    ASSERT_TRUE(a.file_backed());
    a.resize(1 << 20);
    std::iota(a.begin(), a.end(), uint64_t{7});
    FlatArray<uint32_t> small(1000);  // below kMinSpillBytes: anonymous
    EXPECT_FALSE(small.file_backed());
    EXPECT_EQ(mappings_in(dir), 1);
    EXPECT_TRUE(empty_dir(dir));  // no name, even while in use
    EXPECT_EQ(storage.bytes_mapped(), uint64_t{8} << 20);
    uint64_t sum = 0;
    for (uint64_t v : a) sum += v;
    const uint64_t n = 1 << 20;
    EXPECT_EQ(sum, n * 7 + n * (n - 1) / 2);
    // Pages past the size go back to the file system; what is below stays.
    a.resize(1000);
    a.trim();
    EXPECT_EQ(a[999], 1006u);
  }
  EXPECT_EQ(mappings_in(dir), 0);
  EXPECT_TRUE(empty_dir(dir));
  fs::remove_all(dir);
}

TEST(Spill, OutsideAScopeTablesStayInMemory) {
  const auto dir = make_dir("scope");
  SpillStorage storage(dir);
  {
    SpillScope outer(&storage);
    {
      SpillScope inner(nullptr);
      FlatArray<uint64_t> a(1 << 20);
      EXPECT_FALSE(a.file_backed());
    }
    EXPECT_EQ(SpillScope::current(), &storage);
    FlatArray<uint64_t> moved(1 << 20);
    FlatArray<uint64_t> b(std::move(moved));
    EXPECT_TRUE(b.file_backed());
    EXPECT_FALSE(moved.file_backed());
  }
  EXPECT_EQ(SpillScope::current(), nullptr);
  EXPECT_EQ(mappings_in(dir), 0);
  fs::remove_all(dir);
}

TEST(Spill, AMissingDirectoryIsAnErrorThatSaysWhere) {
  SpillStorage storage("/nonexistent/heapscope-spill");
  EXPECT_FALSE(storage.free_disk());
  SpillScope scope(&storage);
  try {
    FlatArray<uint64_t> a(1 << 20);
    FAIL() << "reserved in a missing directory";
  } catch (const SpillError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/heapscope-spill"), std::string::npos)
        << e.what();
  }
}

TEST(Spill, DefaultDirectoryFollowsTmpdir) {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  ::setenv("TMPDIR", "/var/tmp", 1);
  EXPECT_EQ(SpillStorage().dir(), fs::path("/var/tmp"));
  ::unsetenv("TMPDIR");
  EXPECT_EQ(SpillStorage().dir(), fs::path("/tmp"));
  if (old) ::setenv("TMPDIR", saved.c_str(), 1);
}

}  // namespace
}  // namespace heapscope::hprof
