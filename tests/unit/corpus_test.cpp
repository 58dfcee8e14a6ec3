// Every file of the public corpus (shared/corpus) opens with the numbers in corpus_table.h or
// fails with the right ErrorCode. Skipped, with a message, when the corpus is not there.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "corpus_table.h"
#include "heapscope/hprof/index.h"
#include "test_env.h"

namespace heapscope::testing {
namespace {

using hprof::Compression;
using hprof::ErrorCode;
using hprof::kNoClass;
using hprof::kNoObject;
using hprof::ObjectIndex;

// The corpus file, or skips the test.
#define CORPUS_FILE_OR_SKIP(var, name)                                       \
  const auto corpus = corpus_dir();                                          \
  if (corpus.empty()) GTEST_SKIP() << "no corpus: set HEAPSCOPE_CORPUS_DIR"; \
  const auto var = corpus / (name);                                          \
  if (!std::filesystem::exists(var)) GTEST_SKIP() << "not in the corpus: " << var.string()

template <typename Map>
std::map<uint8_t, uint64_t> non_zero(const Map& counts) {
  std::map<uint8_t, uint64_t> out;
  for (size_t t = 0; t < counts.size(); ++t) {
    if (counts[t]) out[static_cast<uint8_t>(t)] = counts[t];
  }
  return out;
}

class CorpusFile : public ::testing::TestWithParam<CorpusExpectation> {};

TEST_P(CorpusFile, OpensWithTheKnownNumbersOrFailsCleanly) {
  const CorpusExpectation& e = GetParam();
  CORPUS_FILE_OR_SKIP(path, e.file);
  const Parsed p = parse_file(path, {.heap_dump_number = e.dump});
  if (e.error) {
    ASSERT_FALSE(p.ok()) << "expected " << hprof::to_string(*e.error);
    EXPECT_EQ(p.error->code, *e.error) << p.error->describe();
    EXPECT_FALSE(p.error->describe().empty());
    return;
  }
  ASSERT_TRUE(p.ok()) << p.error->describe();
  const auto& d = *p.dump;
  const auto& x = p.idx();
  EXPECT_EQ(d.header().version_string, std::string("JAVA PROFILE ") + e.version);
  EXPECT_EQ(d.header().id_size, e.id_size);
  EXPECT_EQ(d.compression(), e.compression);
  EXPECT_FALSE(d.truncated());
  const auto& s = x.stats();
  EXPECT_EQ(s.bytes_total, e.bytes_total);
  EXPECT_EQ(s.bytes_used, e.bytes_used);
  EXPECT_EQ(s.truncated, e.truncated);
  EXPECT_EQ(s.heap_dumps_in_file, e.heap_dumps);
  EXPECT_EQ(non_zero(x.record_counts()), e.records);
  EXPECT_EQ(non_zero(x.sub_record_counts()), e.sub_records);
  EXPECT_EQ(x.instance_count(), e.instances);
  EXPECT_EQ(x.object_array_count(), e.object_arrays);
  EXPECT_EQ(x.primitive_array_count(), e.primitive_arrays);
  EXPECT_EQ(x.class_count(), e.classes);
  EXPECT_EQ(x.object_count(), e.objects);
  EXPECT_EQ(x.roots().size(), e.roots);
  EXPECT_EQ(x.threads().size(), e.threads);
  EXPECT_EQ(x.traces().size(), e.traces);
  EXPECT_EQ(x.layout().reference_size, e.reference_size);
  EXPECT_EQ(x.layout().compressed_oops, e.id_size == 8 && e.reference_size == 4);
  EXPECT_EQ(s.dangling_references, e.dangling);
  EXPECT_EQ(s.missing_classes, e.missing_classes);
  EXPECT_EQ(s.unknown_records, 0u);
  EXPECT_EQ(s.unknown_sub_records, 0u);
  EXPECT_EQ(s.duplicate_objects, 0u);
  EXPECT_EQ(s.field_size_mismatches, 0u);

  // Every object is consistent with its record, and its bytes lie inside the dump.
  const auto bytes = d.bytes();
  uint64_t shallow = 0;
  for (ObjectIndex o = 0; o < x.object_count(); ++o) {
    ASSERT_LT(x.offset(o), bytes.size());
    ASSERT_NE(x.class_of(o), kNoClass);
    const uint8_t tag = bytes[x.offset(o)];
    switch (x.kind(o)) {
      case hprof::ObjectKind::kInstance:
        ASSERT_EQ(tag, 0x21);
        break;
      case hprof::ObjectKind::kObjectArray:
        ASSERT_EQ(tag, 0x22);
        break;
      case hprof::ObjectKind::kPrimitiveArray:
        ASSERT_TRUE(tag == 0x23 || tag == 0xC3);
        break;
      case hprof::ObjectKind::kClass:
        ASSERT_EQ(tag, 0x20);
        break;
    }
    for (auto span : {x.instance_data(o), x.array_data(o)}) {
      ASSERT_LE(span.data() + span.size(), bytes.data() + bytes.size());
    }
    shallow += x.shallow_size(o);
  }
  EXPECT_EQ(shallow, e.shallow_total);
  for (const auto& r : x.roots()) {
    if (r.object != kNoObject) {
      ASSERT_EQ(x.object_id(r.object), r.object_id);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusFile, ::testing::ValuesIn(kCorpus), [](const auto& info) {
  std::string n = info.param.file;
  if (info.param.dump) n += "_dump" + std::to_string(info.param.dump);
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
});

TEST(Corpus, TableCoversEveryFileInTheIndex) {
  const auto corpus = corpus_dir();
  if (corpus.empty()) GTEST_SKIP() << "no corpus: set HEAPSCOPE_CORPUS_DIR";
  std::ifstream tsv(corpus / "INDEX.tsv");
  if (!tsv) GTEST_SKIP() << "no INDEX.tsv in " << corpus.string();
  std::set<std::string> table;
  for (const auto& e : kCorpus) table.insert(e.file);
  std::string line;
  std::getline(tsv, line);  // column names
  size_t listed = 0;
  while (std::getline(tsv, line)) {
    const std::string file = line.substr(0, line.find('\t'));
    if (file.empty()) continue;
    ++listed;
    EXPECT_TRUE(table.count(file)) << file << " is in INDEX.tsv: add it to corpus_table.h";
  }
  EXPECT_EQ(listed, table.size());
}

TEST(Corpus, TruncatedFileUsesLessThanAllOfItsBytes) {
  CORPUS_FILE_OR_SKIP(path, "derived__hprof-32.bin__truncated-at-200000.hprof");
  const Parsed p = parse_file(path);
  ASSERT_TRUE(p.ok());
  const auto& s = p.idx().stats();
  EXPECT_TRUE(s.truncated);
  const double percent = 100.0 * double(s.bytes_used) / double(s.bytes_total);
  EXPECT_LT(percent, 100.0);
  EXPECT_GT(percent, 90.0);
  EXPECT_GT(s.skipped_bytes, 0u);
}

TEST(Corpus, TruncatedFileIsAPrefixOfItsOriginal) {
  CORPUS_FILE_OR_SKIP(cut_path, "derived__hprof-32.bin__truncated-at-200000.hprof");
  const auto full_path = corpus / "agourlay__hprof-slurp__test-heap-dumps_hprof-32.bin";
  if (!std::filesystem::exists(full_path)) GTEST_SKIP() << "no " << full_path.string();
  const Parsed cut = parse_file(cut_path), full = parse_file(full_path);
  ASSERT_TRUE(cut.ok() && full.ok());
  // Every object the cut file has is in the full file, at the same offset, with the same length.
  for (ObjectIndex o = 0; o < cut.idx().object_count(); ++o) {
    const ObjectIndex f = full.idx().find(cut.idx().object_id(o));
    ASSERT_NE(f, kNoObject);
    EXPECT_EQ(full.idx().offset(f), cut.idx().offset(o));
    EXPECT_EQ(full.idx().length(f), cut.idx().length(o));
  }
}

TEST(Corpus, ChunkedGzipDecodesEveryMember) {
  // Four members; Python's gzip module decodes the file to 3461507 bytes.
  CORPUS_FILE_OR_SKIP(path, "local-generated__jdk17_g1.hprof.gz");
  auto d = hprof::Dump::open(path);
  ASSERT_TRUE(d.ok()) << d.error().describe();
  EXPECT_EQ(d->compression(), Compression::kChunkedGzip);
  EXPECT_EQ(d->bytes().size(), 3461507u);
  EXPECT_FALSE(d->truncated());
}

TEST(Corpus, CutChunkedGzipKeepsWhatDecoded) {
  CORPUS_FILE_OR_SKIP(path, "local-generated__jdk17_g1.hprof.gz");
  const auto gz = read_file(path);
  TempDir dir;
  // Cut in the third of four members: the first two (2087465 bytes) decode whole.
  const auto cut = dir.write("cut.hprof.gz", {gz.begin(), gz.begin() + long(gz.size() * 3 / 4)});
  const Parsed p = parse_file(cut);
  ASSERT_TRUE(p.ok()) << p.error->describe();
  EXPECT_TRUE(p.dump->truncated());
  EXPECT_GT(p.dump->bytes().size(), 2087465u);
  EXPECT_LT(p.dump->bytes().size(), 3461507u);
  EXPECT_TRUE(p.idx().stats().truncated);
  EXPECT_GT(p.idx().object_count(), 1000u);
}

TEST(Corpus, CompressedOopsPairDiffersOnlyInReferenceSize) {
  CORPUS_FILE_OR_SKIP(
      with,
      "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_sun_jdk6_30_x64_compressedOops.hprof");
  const auto without = corpus /
                       "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_sun_jdk6_30_x64_"
                       "nocompressedOops.hprof";
  const Parsed a = parse_file(with), b = parse_file(without);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a.idx().layout().compressed_oops);
  EXPECT_FALSE(b.idx().layout().compressed_oops);
  EXPECT_EQ(a.idx().object_count(), b.idx().object_count());
  // The same program: the same classes and the same object-array lengths.
  EXPECT_EQ(a.idx().class_count(), b.idx().class_count());
  const auto string_a = a.idx().find_classes_by_name("java.lang.String");
  ASSERT_EQ(string_a.size(), 1u);
  // JDK 6 String: value, offset, count, hash.
  EXPECT_EQ(a.idx().class_info(string_a[0]).shallow_instance_size, 32u);  // 12 + 4 + 3 * 4 = 28
  const auto string_b = b.idx().find_classes_by_name("java.lang.String");
  ASSERT_EQ(string_b.size(), 1u);
  EXPECT_EQ(b.idx().class_info(string_b[0]).shallow_instance_size, 40u);  // 16 + 8 + 3 * 4 = 36
}

TEST(Corpus, HotSpotThreadRootsResolveToTheirTraces) {
  // Format A.11: thread i has trace serial i + 1 whose thread serial is i.
  CORPUS_FILE_OR_SKIP(path, "local-generated__jdk17_serial.hprof");
  const Parsed p = parse_file(path);
  ASSERT_TRUE(p.ok());
  const auto& x = p.idx();
  ASSERT_EQ(x.threads().size(), 7u);
  for (const auto& t : x.threads()) {
    EXPECT_NE(t.object, kNoObject);
    EXPECT_EQ(t.trace_serial, t.serial + 1);
    const auto* trace = x.find_trace(t.trace_serial);
    ASSERT_NE(trace, nullptr);
    EXPECT_EQ(trace->thread_serial, t.serial);
    for (uint32_t i = 0; i < trace->frame_count; ++i) {
      const auto* f = x.find_frame(x.trace_frame_ids()[trace->first_frame + i]);
      ASSERT_NE(f, nullptr);
      EXPECT_FALSE(x.utf8(f->method_name_id).empty());
      EXPECT_FALSE(x.class_name_by_serial(f->class_serial).empty());
    }
  }
  EXPECT_EQ(x.find_classes_by_name("java.lang.String").size(), 1u);
  EXPECT_EQ(x.class_info(x.find_classes_by_name("int[]").at(0)).array_element_type, 10);
}

TEST(Corpus, AndroidNamesAreDottedAlready) {
  CORPUS_FILE_OR_SKIP(
      path, "square__leakcanary__leakcanary-analyzer_src_test_resources_leak_service_binder.hprof");
  const Parsed p = parse_file(path);
  ASSERT_TRUE(p.ok());
  const auto& x = p.idx();
  EXPECT_EQ(x.find_classes_by_name("java.lang.String").size(), 1u);
  EXPECT_FALSE(x.find_classes_by_name("int[][]").empty());
  for (const auto& c : x.classes()) {
    EXPECT_EQ(c.name.find('/'), std::string::npos) << c.name;
  }
}

}  // namespace
}  // namespace heapscope::testing
