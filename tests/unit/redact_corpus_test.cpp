// `redact` over the public corpus (shared/corpus): every file either redacts, and the copy indexes
// to the same objects and classes, or fails with an error and leaves no file behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <iterator>
#include <string>

#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/index.h"
#include "heapscope/hprof/redact.h"
#include "test_env.h"

namespace heapscope {
namespace {

namespace fs = std::filesystem;

// Every file of the public corpus: redact either succeeds, and the copy indexes to the same
// objects and classes, or fails with an error and leaves no file. (A few MB each: under a second.)
TEST(RedactCorpus, RedactsOrFailsCleanly) {
  const fs::path corpus = testing::corpus_dir();
  if (corpus.empty() || !fs::exists(corpus)) GTEST_SKIP() << "no corpus: set HEAPSCOPE_CORPUS_DIR";
  const fs::path dir =
      fs::temp_directory_path() / ("heapscope-redact-corpus-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto files = [&] { return static_cast<size_t>(std::distance(fs::directory_iterator(dir), {})); };
  size_t redacted = 0, refused = 0;
  for (const auto& e : fs::directory_iterator(corpus)) {
    if (!e.is_regular_file() || e.path().extension() == ".tsv") continue;
    SCOPED_TRACE(e.path().filename().string());
    auto dump = hprof::Dump::open(e.path());
    if (!dump) continue;  // not HPROF, empty: the reader's own tests cover these
    // Redact writes as fast as the disk does: the 500 MB and 60 MB dumps (decoded) would take
    // seconds.
    if (dump->bytes().size() > (16u << 20)) continue;
    const fs::path out = dir / "corpus.hprof";
    auto s = hprof::redact(*dump, out, hprof::RedactRules{});
    if (!s) {
      ++refused;
      EXPECT_EQ(files(), 0u) << s.error().describe();
      continue;
    }
    ++redacted;
    auto before = hprof::Index::build(*dump);
    auto copy = hprof::Dump::open(out);
    ASSERT_TRUE(copy.ok()) << copy.error().describe();
    auto after = hprof::Index::build(*copy);
    ASSERT_EQ(before.ok(), after.ok());
    if (before.ok()) {
      EXPECT_EQ(after->object_count(), before->object_count());
      EXPECT_EQ(after->class_count(), before->class_count());
      EXPECT_EQ(after->instance_count(), before->instance_count());
      EXPECT_EQ(after->primitive_array_count(), before->primitive_array_count());
    }
    fs::remove(out);
  }
  fs::remove_all(dir);
  EXPECT_GT(redacted, 10u);
  EXPECT_GT(refused, 0u);  // the truncated files
}

}  // namespace
}  // namespace heapscope
