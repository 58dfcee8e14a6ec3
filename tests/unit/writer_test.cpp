// The writer itself: the tests below rely on it producing the exact bytes of format Part A.
#include <gtest/gtest.h>

#include "hprof_writer.h"

namespace heapscope::testing {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes tail(const Bytes& b, size_t from) {
  return Bytes(b.begin() + from, b.end());
}

constexpr size_t kHeader = 19 + 4 + 8;  // "JAVA PROFILE 1.0.2\0", id size, timestamp

TEST(HprofWriter, HeaderIsByteExact) {
  const Bytes b = HprofWriter(4, "JAVA PROFILE 1.0.1", 0x0000018BCFE56800ull).bytes();
  Bytes expected = {'J', 'A', 'V', 'A', ' ',  'P',  'R',  'O',  'F', 'I', 'L',
                    'E', ' ', '1', '.', '0',  '.',  '1',  0,    0,   0,   0,
                    4,   0,   0,   1,   0x8B, 0xCF, 0xE5, 0x68, 0x00};
  EXPECT_EQ(b, expected);
}

TEST(HprofWriter, TopLevelRecordsAreByteExact) {
  HprofWriter w(4);
  w.set_record_time(7).utf8(0x11, "ab").load_class(3, 0x22, 1, 0x11);
  EXPECT_EQ(tail(w.bytes(), kHeader),
            (Bytes{0x01, 0,    0, 0, 7, 0, 0, 0, 6,  0,   0, 0, 0x11, 'a', 'b',  // UTF8
                   0x02, 0,    0, 0, 7, 0, 0, 0, 16, 0,   0, 0, 3,    0,   0,
                   0,    0x22, 0, 0, 0, 1, 0, 0, 0,  0x11}));
}

TEST(HprofWriter, HeapRecordLengthIsPatchedOrOverridden) {
  HprofWriter w(8);
  w.begin_segment().root_unknown(0x0102030405060708).end_record();
  w.begin_heap_dump().root_sticky_class(1).end_record(0);
  EXPECT_EQ(tail(w.bytes(), kHeader),
            (Bytes{0x1C, 0, 0, 0, 0, 0, 0, 0, 9, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8,  //
                   0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 1}));
}

TEST(HprofWriter, ObjectSubRecordsAreByteExact) {
  HprofWriter w(4);
  w.begin_heap_dump();
  w.instance_dump(0x10, 0x20, {Value::i32(-2), Value::object(0x30), Value::boolean(true)});
  w.obj_array_dump(0x40, 0x50, {0x10, 0});
  w.prim_array_dump(0x60, type::kShort, {0x1234});
  w.prim_array_nodata(0x70, 1, 9, type::kByte);
  w.end_record();
  const Bytes b = w.bytes();
  EXPECT_EQ(tail(b, kHeader), (Bytes{0x0C, 0, 0, 0, 0, 0, 0, 0, 81,
                                     // INSTANCE_DUMP: id, trace, class, n = 9, values
                                     0x21, 0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0, 0, 0x20, 0, 0, 0, 9,
                                     0xFF, 0xFF, 0xFF, 0xFE, 0, 0, 0, 0x30, 1,
                                     // OBJ_ARRAY_DUMP: id, trace, length, class, elements
                                     0x22, 0, 0, 0, 0x40, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0x50, 0,
                                     0, 0, 0x10, 0, 0, 0, 0,
                                     // PRIM_ARRAY_DUMP: id, trace, length, type, elements
                                     0x23, 0, 0, 0, 0x60, 0, 0, 0, 1, 0, 0, 0, 1, 9, 0x12, 0x34,
                                     // PRIMITIVE_ARRAY_NODATA: id, trace, length, type
                                     0xC3, 0, 0, 0, 0x70, 0, 0, 0, 1, 0, 0, 0, 9, 8}));
}

TEST(HprofWriter, ClassDumpIsByteExact) {
  HprofWriter w(4);
  w.begin_heap_dump().class_dump({.id = 1,
                                  .super_id = 2,
                                  .loader_id = 3,
                                  .constants = {{5, Value::byte(-1)}},
                                  .statics = {{6, Value::i16(0x0102)}},
                                  .fields = {{7, type::kObject}, {8, type::kLong}}});
  const Bytes b = w.bytes();
  EXPECT_EQ(
      tail(b, kHeader + 9),
      (Bytes{0x20, 0, 0, 0,  1, 0,    0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,  // id trace super loader
             0,    0, 0, 0,  0, 0,    0, 0, 0, 0, 0, 0, 0, 0, 0, 0,     // signers pd reserved
             0,    0, 0, 12,                                            // instance size
             0,    1, 0, 5,  8, 0xFF,                                   // constant pool
             0,    1, 0, 0,  0, 6,    9, 1, 2,                          // statics
             0,    2, 0, 0,  0, 7,    2, 0, 0, 0, 8, 11}));             // fields
}

TEST(HprofWriter, SubRecordOutsideAHeapRecordIsAProgrammerError) {
  HprofWriter w(8);
  EXPECT_THROW(w.root_unknown(1), std::logic_error);
}

}  // namespace
}  // namespace heapscope::testing
