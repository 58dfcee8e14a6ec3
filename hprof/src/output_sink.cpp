// Buffered plain, gzip (zlib, level 1) and zstd (level 3) writers for redacted dumps.
#include "output_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace heapscope::hprof::detail {
namespace {

Error io_error(const std::string& what) {
  return Error{ErrorCode::kIo, 0, -1, what + ": " + std::strerror(errno)};
}

class PlainSink final : public OutputSink {
 public:
  using OutputSink::OutputSink;
  Status emit(const uint8_t* data, size_t n, bool) override { return write_fd(data, n); }
};

class GzipSink final : public OutputSink {
 public:
  GzipSink(std::filesystem::path target, std::filesystem::path temp, int fd)
      : OutputSink(std::move(target), std::move(temp), fd), out_(kBuffer) {
    std::memset(&z_, 0, sizeof z_);
    ok_ = deflateInit2(&z_, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~GzipSink() override { deflateEnd(&z_); }
  Status emit(const uint8_t* data, size_t n, bool end) override {
    if (!ok_) return Error{ErrorCode::kIo, 0, -1, "gzip: cannot start the encoder"};
    z_.next_in = const_cast<uint8_t*>(data);
    z_.avail_in = static_cast<uInt>(n);
    for (;;) {
      z_.next_out = out_.data();
      z_.avail_out = static_cast<uInt>(out_.size());
      const int rc = deflate(&z_, end ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) return Error{ErrorCode::kIo, 0, -1, "gzip: encoder error"};
      const size_t have = out_.size() - z_.avail_out;
      if (have > 0) {
        if (auto s = write_fd(out_.data(), have); !s) return s;
      }
      if (end ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out != 0)) break;
    }
    return Ok{};
  }

 private:
  z_stream z_;
  bool ok_ = false;
  std::vector<uint8_t> out_;
};

class ZstdSink final : public OutputSink {
 public:
  ZstdSink(std::filesystem::path target, std::filesystem::path temp, int fd)
      : OutputSink(std::move(target), std::move(temp), fd),
        cctx_(ZSTD_createCCtx()),
        out_(ZSTD_CStreamOutSize()) {
    if (cctx_ != nullptr) ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, 3);
  }
  ~ZstdSink() override { ZSTD_freeCCtx(cctx_); }
  Status emit(const uint8_t* data, size_t n, bool end) override {
    if (cctx_ == nullptr) return Error{ErrorCode::kIo, 0, -1, "zstd: cannot start the encoder"};
    ZSTD_inBuffer in{data, n, 0};
    for (;;) {
      ZSTD_outBuffer out{out_.data(), out_.size(), 0};
      const size_t rc = ZSTD_compressStream2(cctx_, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(rc)) {
        return Error{ErrorCode::kIo, 0, -1, std::string("zstd: ") + ZSTD_getErrorName(rc)};
      }
      if (out.pos > 0) {
        if (auto s = write_fd(out_.data(), out.pos); !s) return s;
      }
      if (end ? rc == 0 : in.pos == in.size) break;
    }
    return Ok{};
  }

 private:
  ZSTD_CCtx* cctx_;
  std::vector<uint8_t> out_;
};

}  // namespace

OutputSink::OutputSink(std::filesystem::path target, std::filesystem::path temp, int fd)
    : target_(std::move(target)), temp_(std::move(temp)), fd_(fd), buffer_(new uint8_t[kBuffer]) {}

OutputSink::~OutputSink() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

Result<std::unique_ptr<OutputSink>> OutputSink::create(const std::filesystem::path& target,
                                                       OutputCompression compression) {
  const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string pattern = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) return io_error("cannot create a temporary file in " + dir.string());
  ::fchmod(fd, 0644);
  std::unique_ptr<OutputSink> sink;
  switch (compression) {
    case OutputCompression::kGzip:
      sink.reset(new GzipSink(target, pattern, fd));
      break;
    case OutputCompression::kZstd:
      sink.reset(new ZstdSink(target, pattern, fd));
      break;
    default:
      sink.reset(new PlainSink(target, pattern, fd));
  }
  return sink;
}

Status OutputSink::write_fd(const uint8_t* data, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd_, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return io_error("cannot write " + temp_.string());
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return Ok{};
}

Status OutputSink::flush(bool end) {
  auto s = emit(buffer_.get(), used_, end);
  used_ = 0;
  return s;
}

Status OutputSink::write(const uint8_t* data, size_t n) {
  written_ += n;
  while (n > 0) {
    if (used_ == kBuffer) {
      if (auto s = flush(false); !s) return s;
    }
    const size_t k = std::min(n, kBuffer - used_);
    std::memcpy(buffer_.get() + used_, data, k);
    used_ += k;
    data += k;
    n -= k;
  }
  return Ok{};
}

Status OutputSink::write_zeros(uint64_t n) {
  written_ += n;
  while (n > 0) {
    if (used_ == kBuffer) {
      if (auto s = flush(false); !s) return s;
    }
    const size_t k = static_cast<size_t>(std::min<uint64_t>(n, kBuffer - used_));
    std::memset(buffer_.get() + used_, 0, k);
    used_ += k;
    n -= k;
  }
  return Ok{};
}

uint8_t* OutputSink::reserve(size_t n) {
  if (kBuffer - used_ < n) {
    if (!flush(false)) return nullptr;
  }
  return buffer_.get() + used_;
}

Status OutputSink::commit_buffer(size_t n) {
  used_ += n;
  written_ += n;
  return Ok{};
}

Status OutputSink::commit() {
  if (auto s = flush(true); !s) return s;
  if (::close(fd_) != 0) {
    fd_ = -1;
    return io_error("cannot close " + temp_.string());
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    return io_error("cannot rename " + temp_.string() + " to " + target_.string());
  }
  committed_ = true;
  return Ok{};
}

}  // namespace heapscope::hprof::detail
