// Pass 1: the top-level records, in file order. Heap-dump records are only located here.
#include "scan_records.h"

#include <algorithm>
#include <string>

#include "be.h"
#include "heapscope/hprof/tags.h"

namespace heapscope::hprof::detail {
namespace {

constexpr uint64_t k4GiB = uint64_t{1} << 32;

bool is_heap_tag(uint8_t t) {
  return t == 0x0C || t == 0x1C;
}

}  // namespace

Result<TopLevel> scan_records(std::span<const uint8_t> data, const Header& header,
                              uint32_t dump_number, Progress& progress,
                              const Dump* release_behind) {
  TopLevel out;
  const uint8_t* d = data.data();
  const uint64_t n = data.size();
  const uint32_t I = header.id_size;
  uint64_t pos = header.size;
  uint32_t current_dump = 0;
  bool segmented_open = false;
  uint64_t since_poll = 0;
  uint64_t released = 0;
  progress.begin("scan records", n);

  while (pos < n) {
    if (n - pos < 9) {
      out.anomalies.truncated = true;
      out.anomalies.warn("the data ends inside a record header at byte " + std::to_string(pos));
      break;
    }
    const uint8_t tag = d[pos];
    uint64_t len = load_u32(d + pos + 5);
    const uint64_t body = pos + 9;
    const uint64_t left = n - body;
    if (is_heap_tag(tag)) {
      if (len == 0 && left > 0) {
        len = left;  // a writer that never patched the length: to the end (as MAT does)
        out.anomalies.warn(std::string(tag == 0x0C ? "HEAP_DUMP" : "HEAP_DUMP_SEGMENT") +
                           " at byte " + std::to_string(pos) +
                           " has length 0; read it to the end of the file");
      } else if (tag == 0x0C && left >= k4GiB && (left - len) % k4GiB == 0) {
        len = left;  // a > 4 GiB record whose u4 length wrapped
      }
    }
    if (len > left) {
      out.anomalies.truncated = true;
      if (is_heap_tag(tag)) {
        out.anomalies.warn(std::string(*tag_name(tag)) + " at byte " + std::to_string(pos) +
                           " claims " + std::to_string(len) + " bytes, " + std::to_string(left) +
                           " present; read what is there");
        len = left;
      } else {
        auto name = tag_name(tag);
        out.anomalies.warn("the data ends inside " +
                           (name ? std::string(*name) : "record tag " + std::to_string(tag)) +
                           " at byte " + std::to_string(pos) + " (claims " + std::to_string(len) +
                           " bytes, " + std::to_string(left) + " present)");
        break;
      }
    }
    ++out.record_counts[tag];
    const uint8_t* b = d + body;
    auto short_record = [&](uint64_t need) {
      if (len >= need) return false;
      out.anomalies.warn(std::string(*tag_name(tag)) + " at byte " + std::to_string(pos) + " is " +
                         std::to_string(len) + " bytes, shorter than its " + std::to_string(need) +
                         "-byte layout; skipped");
      return true;
    };
    switch (tag) {
      case 0x01:  // UTF8
        if (!short_record(I))
          out.utf8.push_back({load_id(b, I), body + I, static_cast<uint32_t>(len - I)});
        break;
      case 0x02:  // LOAD_CLASS
        if (!short_record(8ull + 2 * I)) {
          out.loaded.push_back({load_u32(b), load_id(b + 4, I), load_id(b + 8 + I, I)});
        }
        break;
      case 0x04:  // FRAME
        if (!short_record(4ull * I + 8)) {
          Frame f;
          f.id = load_id(b, I);
          f.method_name_id = load_id(b + I, I);
          f.signature_id = load_id(b + 2 * I, I);
          f.source_file_id = load_id(b + 3 * I, I);
          f.class_serial = load_u32(b + 4 * I);
          f.line = static_cast<int32_t>(load_u32(b + 4 * I + 4));
          out.frames.push_back(f);
        }
        break;
      case 0x05:  // TRACE
        if (!short_record(12)) {
          StackTrace t;
          t.serial = load_u32(b);
          t.thread_serial = load_u32(b + 4);
          const uint64_t count = load_u32(b + 8);
          if (12 + count * I > len) {
            out.anomalies.warn("TRACE at byte " + std::to_string(pos) + " lists " +
                               std::to_string(count) + " frames that do not fit its length");
            break;
          }
          t.first_frame = static_cast<uint32_t>(out.trace_frame_ids.size());
          t.frame_count = static_cast<uint32_t>(count);
          for (uint64_t i = 0; i < count; ++i)
            out.trace_frame_ids.push_back(load_id(b + 12 + i * I, I));
          out.traces.push_back(t);
        }
        break;
      case 0x0C:  // HEAP_DUMP: one whole heap dump
        if (current_dump == dump_number) {
          out.segments.push_back({body, body + len, tag, pos});
        } else {
          out.bytes_used += len;  // intact, just not the dump asked for
        }
        ++current_dump;
        ++out.heap_dumps;
        break;
      case 0x1C:  // HEAP_DUMP_SEGMENT: part of a dump closed by HEAP_DUMP_END
        if (current_dump == dump_number) {
          out.segments.push_back({body, body + len, tag, pos});
        } else {
          out.bytes_used += len;
        }
        segmented_open = true;
        break;
      case 0x2C:  // HEAP_DUMP_END
        if (segmented_open) {
          ++current_dump;
          ++out.heap_dumps;
          segmented_open = false;
        }
        break;
      default:
        if (!tag_name(tag)) {
          ++out.anomalies.unknown_records;
          out.anomalies.warn("unknown record tag " + std::to_string(tag) + " at byte " +
                             std::to_string(pos) + "; skipped " + std::to_string(len) + " bytes");
        }
        break;
    }
    if (!is_heap_tag(tag))
      out.bytes_used += 9 + len;
    else
      out.bytes_used += 9;
    pos = body + len;
    since_poll += 9 + len;
    if (since_poll >= (16u << 20)) {
      if (release_behind) release_behind->release(released, pos);
      released = pos;
      progress.advance(pos);
      since_poll = 0;
      if (progress.cancelled()) return Error{ErrorCode::kCancelled, pos, -1, "cancelled"};
    }
  }
  if (release_behind) release_behind->release(released, pos);
  if (segmented_open) {
    // Every writer closes segments with HEAP_DUMP_END; without it the file was cut between
    // records, so the dump is as incomplete as one cut inside a record.
    ++out.heap_dumps;
    out.anomalies.truncated = true;
    out.anomalies.warn("the heap dump has no HEAP_DUMP_END: the data ends at byte " +
                       std::to_string(pos) + ", after a HEAP_DUMP_SEGMENT");
  }
  progress.advance(pos);

  std::sort(out.utf8.begin(), out.utf8.end(),
            [](const Utf8Ref& a, const Utf8Ref& b) { return a.id < b.id; });
  std::sort(out.loaded.begin(), out.loaded.end(),
            [](const LoadedClass& a, const LoadedClass& b) { return a.serial < b.serial; });
  std::sort(out.frames.begin(), out.frames.end(),
            [](const Frame& a, const Frame& b) { return a.id < b.id; });
  std::sort(out.traces.begin(), out.traces.end(),
            [](const StackTrace& a, const StackTrace& b) { return a.serial < b.serial; });
  if (out.heap_dumps == 0) {
    return Error{ErrorCode::kNoHeapDump, header.size, -1,
                 "the file holds no heap dump (no HEAP_DUMP or HEAP_DUMP_SEGMENT record)"};
  }
  if (dump_number >= out.heap_dumps) {
    return Error{ErrorCode::kNoHeapDump, header.size, -1,
                 "heap dump number " + std::to_string(dump_number) + " requested, the file has " +
                     std::to_string(out.heap_dumps)};
  }
  return out;
}

}  // namespace heapscope::hprof::detail
