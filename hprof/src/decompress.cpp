#include "decompress.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <boost/iostreams/copy.hpp>
#include <boost/iostreams/filter/bzip2.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filter/zstd.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace heapscope::hprof::detail {
namespace io = boost::iostreams;

Compression detect_compression(std::span<const uint8_t> h) {
  if (h.size() >= 3 && h[0] == 0x1f && h[1] == 0x8b && h[2] == 8) {
    // FLG.FCOMMENT set and the comment is "HPROF BLOCKSIZE=": the JVM's chunked writer.
    if (h.size() >= 10 && (h[3] & 0x10)) {
      size_t p = 10;
      if (h[3] & 0x04) {
        if (h.size() < p + 2) return Compression::kGzip;
        p += 2 + (h[p] | (h[p + 1] << 8));
      }
      if (h[3] & 0x08) {
        while (p < h.size() && h[p] != 0) ++p;
        ++p;
      }
      constexpr std::string_view kComment = "HPROF BLOCKSIZE=";
      if (p + kComment.size() <= h.size() &&
          std::memcmp(h.data() + p, kComment.data(), kComment.size()) == 0) {
        return Compression::kChunkedGzip;
      }
    }
    return Compression::kGzip;
  }
  if (h.size() >= 4 && h[0] == 0x28 && h[1] == 0xb5 && h[2] == 0x2f && h[3] == 0xfd) {
    return Compression::kZstd;
  }
  if (h.size() >= 3 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h') return Compression::kBzip2;
  return Compression::kNone;
}

namespace {

std::filesystem::path pick_temp_dir(const std::filesystem::path& requested) {
  if (!requested.empty()) return requested;
  if (const char* t = std::getenv("TMPDIR"); t && *t) return t;
  return "/tmp";
}

// Writes everything it is given to a file descriptor; counts bytes.
class FdSink {
 public:
  explicit FdSink(int fd) : fd_(fd) {}
  bool write(const char* p, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      p += w;
      n -= static_cast<size_t>(w);
      written_ += static_cast<uint64_t>(w);
    }
    return true;
  }
  uint64_t written() const { return written_; }

 private:
  int fd_;
  uint64_t written_ = 0;
};

}  // namespace

Result<Decoded> decompress_to_temp(const std::filesystem::path& source, Compression kind,
                                   const std::filesystem::path& temp_dir, Progress& progress) {
  std::ifstream in(source, std::ios::binary);
  if (!in) return Error{ErrorCode::kIo, 0, -1, "cannot open " + source.string()};
  std::error_code ec;
  const uint64_t compressed_size = std::filesystem::file_size(source, ec);

  std::string pattern = (pick_temp_dir(temp_dir) / "heapscope-XXXXXX.hprof").string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkstemps(name.data(), 6);
  if (fd < 0) {
    return Error{ErrorCode::kIo, 0, -1,
                 "cannot create a temporary file for decompression in " +
                     pick_temp_dir(temp_dir).string() + ": " + std::strerror(errno)};
  }
  Decoded out;
  out.path = name.data();

  io::filtering_istream stream;
  switch (kind) {
    case Compression::kGzip:
    case Compression::kChunkedGzip: stream.push(io::gzip_decompressor()); break;
    case Compression::kZstd: stream.push(io::zstd_decompressor()); break;
    case Compression::kBzip2: stream.push(io::bzip2_decompressor()); break;
    case Compression::kNone: break;
  }
  stream.push(in);

  progress.begin("decompress", compressed_size);
  FdSink sink(fd);
  // Decoded bytes are read in small steps into a large buffer: when the stream turns out to be
  // cut or damaged, the decoder throws and the step in progress is lost, so a step bounds what a
  // truncated file loses (a 1 MiB read lost up to 1 MiB of good data before the cut).
  constexpr size_t kStep = 4096;
  std::vector<char> buffer(1 << 20);
  size_t filled = 0;
  std::string failure;
  auto flush = [&] {
    const bool ok = filled == 0 || sink.write(buffer.data(), filled);
    filled = 0;
    if (!ok) failure = std::string("cannot write the decompressed dump: ") + std::strerror(errno);
    return ok;
  };
  try {
    while (true) {
      stream.read(buffer.data() + filled, static_cast<std::streamsize>(kStep));
      const auto got = static_cast<size_t>(stream.gcount());
      filled += got;
      if (got < kStep) break;
      if (filled + kStep <= buffer.size()) continue;
      if (!flush()) break;
      const auto pos = in.tellg();
      if (pos >= 0) progress.advance(static_cast<uint64_t>(pos));
      if (progress.cancelled()) {
        ::close(fd);
        std::filesystem::remove(out.path, ec);
        return Error{ErrorCode::kCancelled, 0, -1, "cancelled while decompressing"};
      }
    }
  } catch (const std::exception&) {
    // A damaged or cut stream: keep what decoded, like a truncated plain dump.
    out.truncated = true;
  }
  if (failure.empty()) flush();
  ::close(fd);
  out.bytes = sink.written();
  if (!failure.empty()) {
    std::filesystem::remove(out.path, ec);
    return Error{ErrorCode::kIo, 0, -1, failure};
  }
  if (out.bytes == 0) {
    std::filesystem::remove(out.path, ec);
    return Error{ErrorCode::kCompression, 0, -1,
                 std::string("the ") + to_string(kind) + " stream decodes to nothing"};
  }
  progress.advance(compressed_size);
  return out;
}

}  // namespace heapscope::hprof::detail
