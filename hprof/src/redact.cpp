// The writing pass of redaction (heapscope/hprof/redact.h): one sequential walk over the records
// that copies each one to the output with its secret-bearing bytes zeroed.
#include "heapscope/hprof/redact.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "be.h"
#include "heapscope/hprof/tags.h"
#include "output_sink.h"
#include "redact_plan.h"

namespace heapscope::hprof {
namespace detail {
namespace {

constexpr uint64_t kStep = 8ull << 20;  // progress, cancellation and page release

void append_utf8(std::string& out, uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// A thread name's characters, as UTF-8: byte[] Latin-1 (coder 0) or UTF-16 in host order
// (coder 1, little-endian on the machines that write dumps), or char[] big-endian.
std::string decode_name(const uint8_t* p, uint64_t n, uint8_t type, uint8_t coder) {
  std::string out;
  if (type == 8 && coder == 0) {
    for (uint64_t i = 0; i < n; ++i) append_utf8(out, p[i]);
    return out;
  }
  const uint64_t units = type == 8 ? n / 2 : n;
  for (uint64_t i = 0; i < units; ++i) {
    uint32_t u = type == 8 ? (p[2 * i] | (p[2 * i + 1] << 8)) : load_u16(p + 2 * i);
    if (u >= 0xD800 && u < 0xDC00 && i + 1 < units) {
      const uint32_t lo =
          type == 8 ? (p[2 * i + 2] | (p[2 * i + 3] << 8)) : load_u16(p + 2 * i + 2);
      if (lo >= 0xDC00 && lo < 0xE000) {
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        ++i;
      }
    }
    append_utf8(out, u);
  }
  return out;
}

class Writer {
 public:
  Writer(RedactPlan& plan, OutputSink& sink, const Dump& in, Progress& progress,
         RedactSummary& summary)
      : plan_(plan),
        sink_(sink),
        in_(in),
        progress_(progress),
        summary_(summary),
        d_(plan.data()),
        size_(in.bytes().size()),
        I_(plan.id_size()) {}

  Status run() {
    progress_.begin("redact: writing", size_);
    if (auto s = sink_.write(d_, plan_.header_size()); !s) return s;
    uint64_t p = plan_.header_size();
    uint64_t next_step = p + kStep, released = 0;
    while (p < size_) {
      if (p >= next_step) {
        if (progress_.cancelled()) return Error{ErrorCode::kCancelled, p, -1, "cancelled"};
        progress_.advance(p);
        in_.release(released, p);
        released = p;
        next_step = p + kStep;
      }
      const uint8_t tag = d_[p];
      const uint64_t len = load_u32(d_ + p + 5);
      const uint64_t b = p + 9;
      const auto t = static_cast<Tag>(tag);
      Status s = Ok{};
      if (t == Tag::kUtf8) {
        s = utf8(p, b, len);
      } else if (t == Tag::kHeapDump || t == Tag::kHeapDumpSegment) {
        s = sink_.write(d_ + p, 9);
        if (s) s = heap(b, b + len, tag);
      } else if (tag_name(tag)) {
        s = sink_.write(d_ + p, 9 + len);
      } else {
        s = sink_.write(d_ + p, 9);
        if (s) s = sink_.write_zeros(len);
      }
      if (!s) return s;
      p = b + len;
    }
    progress_.advance(size_);
    return Ok{};
  }

 private:
  Status utf8(uint64_t p, uint64_t b, uint64_t len) {
    if (len < I_) return sink_.write(d_ + p, 9 + len);
    const uint64_t id = load_id(d_ + b, I_);
    if (const std::string* name = plan_.renamed(id)) {
      uint8_t head[9];
      std::memcpy(head, d_ + p, 5);
      const uint32_t n = static_cast<uint32_t>(I_ + name->size());
      for (int k = 0; k < 4; ++k) head[5 + k] = static_cast<uint8_t>(n >> (24 - 8 * k));
      if (auto s = sink_.write(head, 9); !s) return s;
      if (auto s = sink_.write(d_ + b, I_); !s) return s;
      return sink_.write(reinterpret_cast<const uint8_t*>(name->data()), name->size());
    }
    if (plan_.utf8_referenced(id)) return sink_.write(d_ + p, 9 + len);
    ++summary_.utf8_dropped;
    return Ok{};
  }

  Status heap(uint64_t q, uint64_t e, uint8_t tag) {
    while (q < e) {
      const uint8_t st = d_[q];
      auto body = sub_record_body_size(d_, q + 1, e, st, I_);
      if (!body) {
        Error err = body.error();
        err.record_tag = tag;
        return err;
      }
      const uint64_t s = q + 1, n = *body;
      Status r = Ok{};
      if (st == 0x21) {
        r = instance(q, s, n);
      } else if (st == 0x23) {
        r = primitive_array(q, s, n);
      } else if (st == 0x20) {
        r = class_dump(q, s, n);
      } else {
        r = sink_.write(d_ + q, 1 + n);
      }
      if (!r) return r;
      q = s + n;
    }
    return Ok{};
  }

  Status instance(uint64_t q, uint64_t s, uint64_t n) {
    ++summary_.instances;
    const uint64_t head = 1 + 2ull * I_ + 8;
    const uint64_t payload = n - (head - 1);
    const uint64_t cid = load_id(d_ + s + I_ + 4, I_);
    if (cid != last_class_id_ || last_layout_ == nullptr) {
      last_class_id_ = cid;
      last_layout_ = plan_.layout(cid);
    }
    const ClassLayout* c = last_layout_;
    if (c == nullptr || c->payload_size != payload) {
      ++summary_.unknown_layout_instances;
      if (auto st = sink_.write(d_ + q, head); !st) return st;
      return sink_.write_zeros(payload);
    }
    const uint64_t size = head + payload;
    if (size <= OutputSink::kBuffer) {
      // The usual case: copy the record into the buffer whole, then zero the runs in place.
      uint8_t* o = sink_.reserve(size);
      if (o == nullptr) return Error{ErrorCode::kIo, q, -1, "cannot write the redacted dump"};
      std::memcpy(o, d_ + q, size);
      for (const auto& [off, len] : c->zero_runs) std::memset(o + head + off, 0, len);
      return sink_.commit_buffer(size);
    }
    if (auto st = sink_.write(d_ + q, head); !st) return st;
    const uint64_t pb = q + head;
    uint64_t at = 0;
    for (const auto& [off, len] : c->zero_runs) {
      if (off > at) {
        if (auto st = sink_.write(d_ + pb + at, off - at); !st) return st;
      }
      if (auto st = sink_.write_zeros(len); !st) return st;
      at = off + len;
    }
    if (payload > at) return sink_.write(d_ + pb + at, payload - at);
    return Ok{};
  }

  Status primitive_array(uint64_t q, uint64_t s, uint64_t n) {
    ++summary_.primitive_arrays;
    const uint64_t head = 1 + I_ + 9ull;
    if (auto st = sink_.write(d_ + q, head); !st) return st;
    const uint64_t data = n - (head - 1);
    const uint64_t id = load_id(d_ + s, I_);
    const uint8_t type = d_[s + I_ + 8];
    const ThreadNameArray* name = (type == 8 || type == 5) ? plan_.thread_name_array(id) : nullptr;
    if (name == nullptr) return sink_.write_zeros(data);
    ++summary_.thread_names_kept;
    const uint8_t* chars = d_ + q + head;
    if (plan_.rules().level != RedactLevel::kNames || !name->thread) {
      return sink_.write(chars, data);
    }
    const std::string original = decode_name(chars, data, type, name->coder);
    const auto& platform = plan_.rules().is_platform_thread_name;
    if (platform && platform(original)) return sink_.write(chars, data);
    // The same number of characters, in the same encoding: the array keeps its size.
    const uint64_t units = (type == 8 && name->coder == 1) || type == 5 ? data / 2 : data;
    std::string ps = "t" + std::to_string(++threads_renamed_);
    if (ps.size() > units) ps.resize(units);
    ps.resize(units, '_');
    plan_.names().push_back({"thread", ps, original});
    std::vector<uint8_t> out(data, 0);
    for (uint64_t i = 0; i < units; ++i) {
      const auto c = static_cast<uint8_t>(ps[i]);
      if (type == 8 && name->coder == 0)
        out[i] = c;
      else if (type == 8)
        out[2 * i] = c;  // UTF-16, little-endian
      else
        out[2 * i + 1] = c;  // char[], big-endian
    }
    return sink_.write(out.data(), out.size());
  }

  Status class_dump(uint64_t q, uint64_t s, uint64_t n) {
    std::vector<uint8_t> rec(d_ + q, d_ + s + n);
    uint8_t* r = rec.data() + 1;
    const uint64_t cid = load_id(r, I_);
    uint64_t at = 7ull * I_ + 8;
    const uint32_t cp = load_u16(r + at);
    at += 2;
    for (uint32_t i = 0; i < cp; ++i) {
      const uint8_t type = r[at + 2];
      const uint32_t vs = basic_type_size(type, I_);
      if (type != 2) std::memset(r + at + 3, 0, vs);
      at += 3 + vs;
    }
    const uint32_t statics = load_u16(r + at);
    at += 2;
    for (uint32_t i = 0; i < statics; ++i) {
      const uint8_t type = r[at + I_];
      const uint32_t vs = basic_type_size(type, I_);
      if (type != 2 && !plan_.keep_static(cid, load_id(r + at, I_))) {
        std::memset(r + at + I_ + 1, 0, vs);
      }
      at += I_ + 1 + vs;
    }
    return sink_.write(rec.data(), rec.size());
  }

  RedactPlan& plan_;
  OutputSink& sink_;
  const Dump& in_;
  Progress& progress_;
  RedactSummary& summary_;
  const uint8_t* d_;
  uint64_t size_;
  uint32_t I_;
  uint64_t threads_renamed_ = 0;
  uint64_t last_class_id_ = 0;
  const ClassLayout* last_layout_ = nullptr;
};

}  // namespace
}  // namespace detail

OutputCompression output_compression_for(const std::filesystem::path& path) {
  const auto ext = path.extension().string();
  if (ext == ".gz") return OutputCompression::kGzip;
  if (ext == ".zst") return OutputCompression::kZstd;
  return OutputCompression::kNone;
}

Result<RedactSummary> redact(const Dump& in, const std::filesystem::path& out,
                             const RedactRules& rules, const RedactOptions& options) {
  Progress& progress = options.progress != nullptr ? *options.progress : null_progress();
  if (in.truncated()) {
    return Error{ErrorCode::kTruncated, in.bytes().size(), -1,
                 "the compressed dump is cut short: a part of it cannot be redacted"};
  }
  RedactSummary summary;
  summary.bytes_in = in.bytes().size();
  detail::RedactPlan plan(in.bytes(), in.header().id_size, in.header().size, rules);
  uint64_t released = 0;
  auto release = [&](uint64_t upto) {
    if (upto < released) released = 0;  // the next pass starts again at the top
    in.release(released, upto);
    released = upto;
  };
  if (auto s = plan.build(progress, release); !s) return s.error();
  in.release(0, in.bytes().size());
  auto sink = detail::OutputSink::create(out, options.compression);
  if (!sink) return sink.error();
  detail::Writer writer(plan, **sink, in, progress, summary);
  if (auto s = writer.run(); !s) return s.error();
  summary.bytes_out = (*sink)->bytes_written();
  if (auto s = (*sink)->commit(); !s) return s.error();
  in.release(0, in.bytes().size());
  summary.names = std::move(plan.names());
  return summary;
}

}  // namespace heapscope::hprof
