// What each file of the public corpus (shared/corpus, see its INDEX.tsv) must give. The numbers
// were produced once with the reader and checked against corpus/_tools/hprof_inspect.py:
//  - record counts agree everywhere, except the length-0 file, which the inspector reads without
//    MAT's "length 0 means to the end" rule (its counts there are of sub-records taken for
//    records); a separate walk of that file's one HEAP_DUMP gives exactly the counts below;
//  - sub-record counts agree everywhere, except PRIM_ARRAY_DUMP in truncated-at-200000: the
//    inspector counts the array cut by the end of the file (673), the reader only complete
//    ones (672);
//  - the hprof-agent file holds two heap dumps: the inspector's counts are their sums.
// Shallow totals follow MAT's rule as implemented (hprof/src/layout.h); they guard against
// unintended change, they were not compared with MAT itself.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/error.h"

namespace heapscope::testing {

struct CorpusExpectation {
  const char* file = "";
  uint32_t dump = 0;                      // IndexOptions::heap_dump_number
  std::optional<hprof::ErrorCode> error;  // Dump::open or Index::build fails with this

  const char* version = "";  // "1.0.2"
  uint32_t id_size = 0;
  hprof::Compression compression = hprof::Compression::kNone;
  uint64_t bytes_total = 0;  // decoded
  uint64_t bytes_used = 0;
  bool truncated = false;
  uint32_t heap_dumps = 0;
  std::map<uint8_t, uint64_t> records;      // every non-zero top-level tag count
  std::map<uint8_t, uint64_t> sub_records;  // every non-zero sub-record tag count, this dump
  uint64_t instances = 0, object_arrays = 0, primitive_arrays = 0;
  uint32_t classes = 0, objects = 0;
  uint64_t roots = 0, threads = 0, traces = 0;
  uint32_t reference_size = 0;  // 4 for 4-byte ids or compressed oops
  uint64_t shallow_total = 0;
  uint64_t dangling = 0, missing_classes = 0;
};

using hprof::Compression;
using hprof::ErrorCode;

// clang-format off
inline const CorpusExpectation kCorpus[] = {
    {.file = "agourlay__hprof-slurp__nexio-heap-bug1fix.hprof", .error = ErrorCode::kEmpty},
    {.file = "agourlay__hprof-slurp__test-heap-dumps_hprof-32.bin",
     .version = "1.0.1", .id_size = 4, .compression = Compression::kNone,
     .bytes_total = 282310, .bytes_used = 282310, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 1496}, {0x02, 361}, {0x04, 365}, {0x05, 216}, {0x06, 1}, {0x0A, 5}, {0x0B, 1}, {0x0C, 1}, {0x0E, 1}},
     .sub_records = {{0x01, 395}, {0x02, 1}, {0x03, 14}, {0x05, 381}, {0x06, 7}, {0x07, 2}, {0x08, 8}, {0x20, 361}, {0x21, 1293}, {0x22, 423}, {0x23, 849}, {0xFF, 54}},
     .instances = 1293, .object_arrays = 423, .primitive_arrays = 849, .classes = 361,
     .objects = 2926, .roots = 862, .threads = 8, .traces = 216,
     .reference_size = 4, .shallow_total = 144376,
     .dangling = 0, .missing_classes = 0},
    {.file = "agourlay__hprof-slurp__test-heap-dumps_hprof-64.bin",
     .version = "1.0.1", .id_size = 8, .compression = Compression::kNone,
     .bytes_total = 3214090, .bytes_used = 3214090, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 10768}, {0x02, 531}, {0x04, 20}, {0x05, 10}, {0x0C, 1}},
     .sub_records = {{0x01, 5}, {0x03, 22}, {0x05, 413}, {0x07, 4}, {0x08, 9}, {0x20, 474}, {0x21, 4149}, {0x22, 748}, {0x23, 2891}},
     .instances = 4149, .object_arrays = 748, .primitive_arrays = 2891, .classes = 474,
     .objects = 8262, .roots = 453, .threads = 9, .traces = 10,
     .reference_size = 4, .shallow_total = 2547248,
     .dangling = 0, .missing_classes = 0},
    {.file = "derived__hprof-32.bin__heapdump-len0-truncated-at-250000.hprof",
     .version = "1.0.1", .id_size = 4, .compression = Compression::kNone,
     .bytes_total = 250000, .bytes_used = 250000, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 1496}, {0x02, 361}, {0x04, 365}, {0x05, 216}, {0x0A, 5}, {0x0B, 1}, {0x0C, 1}, {0x0E, 1}},
     .sub_records = {{0x01, 395}, {0x02, 1}, {0x03, 14}, {0x05, 381}, {0x06, 7}, {0x07, 2}, {0x08, 8}, {0x20, 161}, {0x21, 1293}, {0x22, 423}, {0x23, 849}, {0xFF, 54}},
     .instances = 1293, .object_arrays = 423, .primitive_arrays = 849, .classes = 256,
     .objects = 2726, .roots = 862, .threads = 8, .traces = 216,
     .reference_size = 4, .shallow_total = 124472,
     .dangling = 428, .missing_classes = 90},
    {.file = "derived__hprof-32.bin__truncated-at-200000.hprof",
     .version = "1.0.1", .id_size = 4, .compression = Compression::kNone,
     .bytes_total = 200000, .bytes_used = 192173, .truncated = true, .heap_dumps = 1,
     .records = {{0x01, 1496}, {0x02, 361}, {0x04, 365}, {0x05, 216}, {0x0A, 5}, {0x0B, 1}, {0x0C, 1}, {0x0E, 1}},
     .sub_records = {{0x01, 395}, {0x02, 1}, {0x03, 14}, {0x05, 381}, {0x06, 7}, {0x07, 2}, {0x08, 8}, {0x21, 1038}, {0x22, 399}, {0x23, 672}, {0xFF, 54}},
     .instances = 1038, .object_arrays = 399, .primitive_arrays = 672, .classes = 155,
     .objects = 2109, .roots = 862, .threads = 8, .traces = 216,
     .reference_size = 4, .shallow_total = 83672,
     .dangling = 797, .missing_classes = 149},
    {.file = "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_java_pid1884.0001.hprof.gz",
     .version = "1.0.2", .id_size = 8, .compression = Compression::kGzip,
     .bytes_total = 522836448, .bytes_used = 522836448, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 17455}, {0x02, 628}, {0x04, 17}, {0x05, 7}, {0x1C, 1}, {0x2C, 1}},
     .sub_records = {{0x01, 40}, {0x02, 2}, {0x03, 21}, {0x05, 476}, {0x08, 6}, {0x20, 560}, {0x21, 7900}, {0x22, 1199}, {0x23, 2282}},
     .instances = 7900, .object_arrays = 1199, .primitive_arrays = 2282, .classes = 560,
     .objects = 11941, .roots = 545, .threads = 6, .traces = 7,
     .reference_size = 4, .shallow_total = 521726024,
     .dangling = 0, .missing_classes = 0},
    {.file = "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_openjdk_jdk11_04_x64.hprof.gz",
     .version = "1.0.2", .id_size = 8, .compression = Compression::kGzip,
     .bytes_total = 14080024, .bytes_used = 14080024, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 47179}, {0x02, 2108}, {0x04, 46}, {0x05, 7}, {0x1C, 1}, {0x2C, 1}},
     .sub_records = {{0x01, 46}, {0x02, 2}, {0x03, 111}, {0x05, 1545}, {0x08, 6}, {0x20, 1912}, {0x21, 129433}, {0x22, 8566}, {0x23, 48038}},
     .instances = 129433, .object_arrays = 8566, .primitive_arrays = 48038, .classes = 1912,
     .objects = 187949, .roots = 1710, .threads = 6, .traces = 7,
     .reference_size = 4, .shallow_total = 7732304,
     .dangling = 0, .missing_classes = 0},
    {.file = "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_oracle_jdk7_21_x64.hprof",
     .version = "1.0.1", .id_size = 8, .compression = Compression::kNone,
     .bytes_total = 2243719, .bytes_used = 2243719, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 10167}, {0x02, 541}, {0x04, 12}, {0x05, 6}, {0x0C, 1}},
     .sub_records = {{0x01, 6}, {0x02, 2}, {0x03, 19}, {0x05, 554}, {0x07, 2}, {0x08, 5}, {0x20, 541}, {0x21, 10217}, {0x22, 2430}, {0x23, 8853}},
     .instances = 10217, .object_arrays = 2430, .primitive_arrays = 8853, .classes = 541,
     .objects = 22041, .roots = 588, .threads = 5, .traces = 6,
     .reference_size = 4, .shallow_total = 1413728,
     .dangling = 0, .missing_classes = 0},
    {.file = "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_oracle_jdk8_05_x64.hprof",
     .version = "1.0.1", .id_size = 8, .compression = Compression::kNone,
     .bytes_total = 1816527, .bytes_used = 1816527, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 12408}, {0x02, 677}, {0x04, 12}, {0x05, 6}, {0x0C, 1}},
     .sub_records = {{0x01, 17}, {0x02, 2}, {0x03, 20}, {0x05, 523}, {0x07, 2}, {0x08, 5}, {0x20, 603}, {0x21, 7920}, {0x22, 1752}, {0x23, 4965}},
     .instances = 7920, .object_arrays = 1752, .primitive_arrays = 4965, .classes = 603,
     .objects = 15240, .roots = 569, .threads = 5, .traces = 6,
     .reference_size = 4, .shallow_total = 914808,
     .dangling = 0, .missing_classes = 0},
    {.file = "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_sun_jdk5_13_x32.hprof",
     .version = "1.0.1", .id_size = 4, .compression = Compression::kNone,
     .bytes_total = 1691635, .bytes_used = 1691635, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 42830}, {0x02, 336}, {0x05, 1}, {0x0C, 1}},
     .sub_records = {{0x01, 14}, {0x03, 11}, {0x05, 346}, {0x07, 2}, {0x08, 4}, {0x20, 336}, {0x21, 544}, {0x22, 289}, {0x23, 196}},
     .instances = 544, .object_arrays = 289, .primitive_arrays = 196, .classes = 336,
     .objects = 1365, .roots = 377, .threads = 4, .traces = 1,
     .reference_size = 4, .shallow_total = 120736,
     .dangling = 0, .missing_classes = 0},
    {.file = "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_sun_jdk5_64bit.hprof",
     .version = "1.0.1", .id_size = 8, .compression = Compression::kNone,
     .bytes_total = 696789, .bytes_used = 696789, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 8113}, {0x02, 411}, {0x05, 1}, {0x0C, 1}},
     .sub_records = {{0x01, 30}, {0x02, 4}, {0x03, 14}, {0x05, 409}, {0x07, 2}, {0x08, 6}, {0x20, 411}, {0x21, 1036}, {0x22, 454}, {0x23, 1963}},
     .instances = 1036, .object_arrays = 454, .primitive_arrays = 1963, .classes = 411,
     .objects = 3864, .roots = 465, .threads = 6, .traces = 1,
     .reference_size = 8, .shallow_total = 335344,
     .dangling = 0, .missing_classes = 0},
    {.file = "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_sun_jdk6_18_x32.hprof",
     .version = "1.0.1", .id_size = 4, .compression = Compression::kNone,
     .bytes_total = 3074873, .bytes_used = 3074873, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 49068}, {0x02, 1260}, {0x04, 111}, {0x05, 14}, {0x0C, 1}},
     .sub_records = {{0x01, 30}, {0x02, 3}, {0x03, 279}, {0x05, 1143}, {0x07, 5}, {0x08, 13}, {0x20, 1260}, {0x21, 8518}, {0x22, 2399}, {0x23, 3933}},
     .instances = 8518, .object_arrays = 2399, .primitive_arrays = 3933, .classes = 1260,
     .objects = 16110, .roots = 1473, .threads = 13, .traces = 14,
     .reference_size = 4, .shallow_total = 1023392,
     .dangling = 2, .missing_classes = 0},
    {.file = "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_sun_jdk6_18_x64.hprof",
     .version = "1.0.1", .id_size = 8, .compression = Compression::kNone,
     .bytes_total = 3020841, .bytes_used = 3020841, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 19903}, {0x02, 1262}, {0x04, 128}, {0x05, 15}, {0x0C, 1}},
     .sub_records = {{0x01, 30}, {0x02, 3}, {0x03, 357}, {0x05, 1143}, {0x07, 5}, {0x08, 14}, {0x20, 1262}, {0x21, 13831}, {0x22, 3934}, {0x23, 9105}},
     .instances = 13831, .object_arrays = 3934, .primitive_arrays = 9105, .classes = 1262,
     .objects = 28132, .roots = 1552, .threads = 14, .traces = 15,
     .reference_size = 8, .shallow_total = 1959400,
     .dangling = 0, .missing_classes = 0},
    {.file = "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_sun_jdk6_30_x64_compressedOops.hprof",
     .version = "1.0.1", .id_size = 8, .compression = Compression::kNone,
     .bytes_total = 710081, .bytes_used = 710081, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 7365}, {0x02, 376}, {0x04, 12}, {0x05, 6}, {0x0C, 1}},
     .sub_records = {{0x01, 67}, {0x02, 2}, {0x03, 15}, {0x05, 380}, {0x07, 2}, {0x08, 5}, {0x20, 376}, {0x21, 1453}, {0x22, 434}, {0x23, 2088}},
     .instances = 1453, .object_arrays = 434, .primitive_arrays = 2088, .classes = 376,
     .objects = 4351, .roots = 471, .threads = 5, .traces = 6,
     .reference_size = 4, .shallow_total = 311736,
     .dangling = 0, .missing_classes = 0},
    {.file = "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_sun_jdk6_30_x64_nocompressedOops.hprof",
     .version = "1.0.1", .id_size = 8, .compression = Compression::kNone,
     .bytes_total = 710081, .bytes_used = 710081, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 7365}, {0x02, 376}, {0x04, 12}, {0x05, 6}, {0x0C, 1}},
     .sub_records = {{0x01, 67}, {0x02, 2}, {0x03, 15}, {0x05, 380}, {0x07, 2}, {0x08, 5}, {0x20, 376}, {0x21, 1453}, {0x22, 434}, {0x23, 2088}},
     .instances = 1453, .object_arrays = 434, .primitive_arrays = 2088, .classes = 376,
     .objects = 4351, .roots = 471, .threads = 5, .traces = 6,
     .reference_size = 8, .shallow_total = 362216,
     .dangling = 0, .missing_classes = 0},
    {.file = "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_sun_jdk6_31_hprofagent_compressedOops.hprof",
     .version = "1.0.2", .id_size = 4, .compression = Compression::kNone,
     .bytes_total = 486947, .bytes_used = 486947, .truncated = false, .heap_dumps = 2,
     .records = {{0x01, 1622}, {0x02, 380}, {0x03, 1}, {0x04, 440}, {0x05, 276}, {0x0A, 4}, {0x0B, 2}, {0x0E, 1}, {0x1C, 2}, {0x2C, 2}},
     .sub_records = {{0x01, 515}, {0x02, 2}, {0x03, 15}, {0x05, 381}, {0x06, 6}, {0x07, 2}, {0x08, 7}, {0x20, 377}, {0x21, 1270}, {0x22, 423}, {0x23, 763}, {0xFF, 56}},
     .instances = 1270, .object_arrays = 423, .primitive_arrays = 763, .classes = 377,
     .objects = 2833, .roots = 984, .threads = 7, .traces = 276,
     .reference_size = 4, .shallow_total = 146240,
     .dangling = 0, .missing_classes = 0},
    {.file = "eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_sun_jdk6_31_hprofagent_compressedOops.hprof",
     .dump = 1,
     .version = "1.0.2", .id_size = 4, .compression = Compression::kNone,
     .bytes_total = 486947, .bytes_used = 486947, .truncated = false, .heap_dumps = 2,
     .records = {{0x01, 1622}, {0x02, 380}, {0x03, 1}, {0x04, 440}, {0x05, 276}, {0x0A, 4}, {0x0B, 2}, {0x0E, 1}, {0x1C, 2}, {0x2C, 2}},
     .sub_records = {{0x01, 518}, {0x02, 1}, {0x03, 14}, {0x05, 384}, {0x06, 7}, {0x07, 3}, {0x08, 8}, {0x20, 380}, {0x21, 1297}, {0x22, 425}, {0x23, 784}, {0xFF, 56}},
     .instances = 1297, .object_arrays = 425, .primitive_arrays = 784, .classes = 380,
     .objects = 2886, .roots = 991, .threads = 8, .traces = 276,
     .reference_size = 4, .shallow_total = 147472,
     .dangling = 0, .missing_classes = 0},
    {.file = "frohoff__jdk8u-jdk__test_sun_tools_jhat_jmap.bin",
     .version = "1.0.1", .id_size = 4, .compression = Compression::kNone,
     .bytes_total = 1732977, .bytes_used = 1732977, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 41273}, {0x02, 352}, {0x05, 1}, {0x0C, 1}},
     .sub_records = {{0x01, 14}, {0x03, 8}, {0x05, 371}, {0x07, 2}, {0x08, 5}, {0x20, 352}, {0x21, 1088}, {0x22, 484}, {0x23, 576}},
     .instances = 1088, .object_arrays = 484, .primitive_arrays = 576, .classes = 352,
     .objects = 2500, .roots = 400, .threads = 5, .traces = 1,
     .reference_size = 4, .shallow_total = 188488,
     .dangling = 0, .missing_classes = 0},
    {.file = "frohoff__jdk8u-jdk__test_sun_tools_jhat_minimal.bin", .error = ErrorCode::kNoHeapDump},
    {.file = "local-generated__jdk17_g1.hprof.gz",
     .version = "1.0.2", .id_size = 8, .compression = Compression::kChunkedGzip,
     .bytes_total = 3461507, .bytes_used = 3461507, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 40222}, {0x02, 764}, {0x04, 14}, {0x05, 8}, {0x1C, 3}, {0x2C, 1}},
     .sub_records = {{0x01, 38}, {0x03, 19}, {0x05, 539}, {0x08, 7}, {0x20, 657}, {0x21, 14491}, {0x22, 1667}, {0x23, 7905}},
     .instances = 14491, .object_arrays = 1667, .primitive_arrays = 7905, .classes = 657,
     .objects = 24720, .roots = 603, .threads = 7, .traces = 8,
     .reference_size = 4, .shallow_total = 1045944,
     .dangling = 0, .missing_classes = 0},
    {.file = "local-generated__jdk17_serial.hprof",
     .version = "1.0.2", .id_size = 8, .compression = Compression::kNone,
     .bytes_total = 2882740, .bytes_used = 2882740, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 40222}, {0x02, 782}, {0x04, 14}, {0x05, 8}, {0x1C, 2}, {0x2C, 1}},
     .sub_records = {{0x01, 37}, {0x03, 19}, {0x05, 553}, {0x08, 7}, {0x20, 673}, {0x21, 8358}, {0x22, 1300}, {0x23, 2431}},
     .instances = 8358, .object_arrays = 1300, .primitive_arrays = 2431, .classes = 673,
     .objects = 12762, .roots = 616, .threads = 7, .traces = 8,
     .reference_size = 4, .shallow_total = 595280,
     .dangling = 0, .missing_classes = 0},
    {.file = "marinesnow34__dump-example__dump.hprof", .error = ErrorCode::kNotHprof},
    {.file = "square__leakcanary__leakcanary-analyzer_src_test_resources_leak_service_binder.hprof",
     .version = "1.0.3", .id_size = 4, .compression = Compression::kNone,
     .bytes_total = 3755395, .bytes_used = 3755395, .truncated = false, .heap_dumps = 1,
     .records = {{0x01, 23108}, {0x02, 3645}, {0x05, 1}, {0x1C, 647}, {0x2C, 1}},
     .sub_records = {{0x01, 268}, {0x02, 7}, {0x03, 100}, {0x05, 3645}, {0x08, 12}, {0x20, 3645}, {0x21, 25183}, {0x22, 1980}, {0x23, 13610}, {0x89, 7388}, {0x8A, 1}, {0x8B, 3}, {0xFE, 558}},
     .instances = 25183, .object_arrays = 1980, .primitive_arrays = 13610, .classes = 3645,
     .objects = 44418, .roots = 11424, .threads = 12, .traces = 1,
     .reference_size = 4, .shallow_total = 2319808,
     .dangling = 0, .missing_classes = 0},
};
// clang-format on

}  // namespace heapscope::testing
