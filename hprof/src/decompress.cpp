#include "decompress.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <array>
#include <boost/iostreams/filter/bzip2.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "decompress_parallel.h"

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
  // A zstd skippable frame (magic 0x184D2A5?): pzstd starts its files with one.
  if (h.size() >= 4 && (h[0] & 0xf0) == 0x50 && h[1] == 0x2a && h[2] == 0x4d && h[3] == 0x18) {
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

// How a decoding loop ended, besides the bytes it wrote.
struct Outcome {
  bool truncated = false;  // the stream was cut short or damaged
  bool cancelled = false;
  std::string failure;  // writing the decoded copy failed
};

std::string write_failure() {
  return std::string("cannot write the decompressed dump: ") + std::strerror(errno);
}

bool poll(std::ifstream& in, Progress& progress) {
  const auto pos = in.tellg();
  if (pos >= 0) progress.advance(static_cast<uint64_t>(pos));
  return !progress.cancelled();
}

// zstd with libzstd's streaming API: it reads every frame in turn (skippable ones too), and
// tells a stream that ends inside a frame (a non-zero hint at the end) from a complete one.
Outcome decode_zstd(std::ifstream& in, FdSink& sink, Progress& progress) {
  Outcome r;
  std::unique_ptr<ZSTD_DStream, size_t (*)(ZSTD_DStream*)> ds(ZSTD_createDStream(),
                                                              ZSTD_freeDStream);
  if (!ds) {
    r.failure = "cannot create a zstd decoder";
    return r;
  }
  std::vector<char> input(ZSTD_DStreamInSize());
  std::vector<char> output(std::max<size_t>(ZSTD_DStreamOutSize(), 1 << 20));
  size_t hint = 1;  // 0 once a frame is complete
  bool any_input = false;
  while (true) {
    in.read(input.data(), static_cast<std::streamsize>(input.size()));
    const auto got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    any_input = true;
    ZSTD_inBuffer zin{input.data(), got, 0};
    while (zin.pos < zin.size) {
      ZSTD_outBuffer zout{output.data(), output.size(), 0};
      hint = ZSTD_decompressStream(ds.get(), &zout, &zin);
      if (zout.pos > 0 && !sink.write(output.data(), zout.pos)) {
        r.failure = write_failure();
        return r;
      }
      if (ZSTD_isError(hint)) {
        r.truncated = true;  // damaged: keep what decoded before it
        return r;
      }
    }
    if (!poll(in, progress)) {
      r.cancelled = true;
      return r;
    }
  }
  // Data still buffered in the decoder (the last input can decode to more than one buffer).
  while (any_input && hint != 0) {
    ZSTD_inBuffer zin{nullptr, 0, 0};
    ZSTD_outBuffer zout{output.data(), output.size(), 0};
    hint = ZSTD_decompressStream(ds.get(), &zout, &zin);
    if (ZSTD_isError(hint) || zout.pos == 0) break;
    if (!sink.write(output.data(), zout.pos)) {
      r.failure = write_failure();
      return r;
    }
  }
  r.truncated = hint != 0;
  return r;
}

// gzip with zlib: member after member (the JVM's chunked files have hundreds), every byte a
// member yields before a cut or damage is kept, and a stream that ends inside a member is told
// from a complete one. Boost's gzip filter could do neither: it dropped the partial block and
// sometimes returned a cut stream as complete.
Outcome decode_gzip(std::ifstream& in, FdSink& sink, Progress& progress) {
  Outcome r;
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) {  // 15 + 16: a gzip header and trailer
    r.failure = "cannot create a gzip decoder";
    return r;
  }
  std::vector<unsigned char> input(1 << 18);
  std::vector<unsigned char> output(1 << 20);
  bool in_member = false;  // a member was started and not finished
  bool done = false;
  while (!done) {
    in.read(reinterpret_cast<char*>(input.data()), static_cast<std::streamsize>(input.size()));
    const auto got = static_cast<uInt>(in.gcount());
    if (got == 0) break;
    zs.next_in = input.data();
    zs.avail_in = got;
    while (zs.avail_in > 0) {
      if (!in_member && zs.next_in[0] != 0x1f) {
        // Bytes after the last member that start no new one (padding, junk): the data is whole,
        // but say so when they are not zeros.
        for (uInt i = 0; i < zs.avail_in && !r.truncated; ++i) r.truncated = zs.next_in[i] != 0;
        done = true;
        break;
      }
      in_member = true;
      zs.next_out = output.data();
      zs.avail_out = static_cast<uInt>(output.size());
      const int z = inflate(&zs, Z_NO_FLUSH);
      const size_t produced = output.size() - zs.avail_out;
      if (produced > 0 && !sink.write(reinterpret_cast<const char*>(output.data()), produced)) {
        r.failure = write_failure();
        inflateEnd(&zs);
        return r;
      }
      if (z == Z_STREAM_END) {
        in_member = false;
        inflateReset(&zs);
      } else if (z != Z_OK && !(z == Z_BUF_ERROR && produced > 0)) {
        r.truncated = true;  // damaged: keep what decoded before it
        done = true;
        break;
      }
    }
    if (!done && !poll(in, progress)) {
      r.cancelled = true;
      break;
    }
  }
  // Output zlib still holds when the input ran out (it stops when the output buffer fills).
  while (in_member && !done && !r.cancelled) {
    zs.next_out = output.data();
    zs.avail_out = static_cast<uInt>(output.size());
    const int z = inflate(&zs, Z_NO_FLUSH);
    const size_t produced = output.size() - zs.avail_out;
    if (produced > 0 && !sink.write(reinterpret_cast<const char*>(output.data()), produced)) {
      r.failure = write_failure();
      break;
    }
    if (z == Z_STREAM_END) in_member = false;
    if (z != Z_OK || produced == 0) break;
  }
  // A member still open at the end of the file was cut.
  if (in_member) r.truncated = true;
  inflateEnd(&zs);
  return r;
}

// bzip2 through Boost.Iostreams (it reads concatenated streams, as pbzip2 writes them).
Outcome decode_bzip2(std::ifstream& in, FdSink& sink, Progress& progress) {
  Outcome r;
  io::filtering_istream stream;
  stream.push(io::bzip2_decompressor());
  stream.push(in);
  // Decoded bytes are read in small steps into a large buffer: when the stream turns out to be
  // cut or damaged, the decoder throws and the step in progress is lost, so a step bounds what a
  // truncated file loses.
  constexpr size_t kStep = 4096;
  std::vector<char> buffer(1 << 20);
  size_t filled = 0;
  auto flush = [&] {
    const bool ok = filled == 0 || sink.write(buffer.data(), filled);
    filled = 0;
    if (!ok) r.failure = write_failure();
    return ok;
  };
  try {
    while (true) {
      stream.read(buffer.data() + filled, static_cast<std::streamsize>(kStep));
      const auto got = static_cast<size_t>(stream.gcount());
      filled += got;
      if (got < kStep) break;
      if (filled + kStep <= buffer.size()) continue;
      if (!flush()) return r;
      if (!poll(in, progress)) {
        r.cancelled = true;
        return r;
      }
    }
  } catch (const std::exception&) {
    // A damaged or cut stream: keep what decoded, like a truncated plain dump.
    r.truncated = true;
  }
  flush();
  return r;
}

// The compressed file mapped read-only for the threads of decode_parallel.
class SourceMap {
 public:
  explicit SourceMap(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    const off_t size = ::lseek(fd, 0, SEEK_END);
    if (size > 0) {
      void* p = ::mmap(nullptr, static_cast<size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        ::madvise(p, static_cast<size_t>(size), MADV_SEQUENTIAL);
        data_ = static_cast<const uint8_t*>(p);
        size_ = static_cast<size_t>(size);
      }
    }
    ::close(fd);
  }
  ~SourceMap() {
    if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
  }
  SourceMap(const SourceMap&) = delete;
  SourceMap& operator=(const SourceMap&) = delete;
  std::span<const uint8_t> bytes() const { return {data_, size_}; }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Members or frames with known ends on several threads (decompress_parallel.h); returns where
// the one-thread decoder continues. Gzip and zstd only; bzip2 stays on one thread.
ParallelOutcome decode_on_threads(const std::filesystem::path& source, Compression kind,
                                  unsigned threads, FdSink& sink, Progress& progress) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, 16u);
  if (threads < 2 || kind == Compression::kBzip2 || kind == Compression::kNone) return {};
  SourceMap map(source);
  if (map.bytes().empty()) return {};
  return decode_parallel(
      map.bytes(), kind, threads, [&](const char* p, size_t n) { return sink.write(p, n); },
      progress);
}

}  // namespace

Result<Decoded> decompress_to_temp(const std::filesystem::path& source, Compression kind,
                                   const std::filesystem::path& temp_dir, Progress& progress,
                                   unsigned threads) {
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

  progress.begin("decompress", compressed_size);
  FdSink sink(fd);
  Outcome r;
  const ParallelOutcome par = decode_on_threads(source, kind, threads, sink, progress);
  const bool finished = par.resume == compressed_size && compressed_size > 0;
  if (par.cancelled) {
    r.cancelled = true;
  } else if (par.write_failed) {
    r.failure = write_failure();
  } else if (finished) {
    // every member or frame decoded on the threads
  } else if (!in.seekg(static_cast<std::streamoff>(par.resume))) {
    r.failure = "cannot read " + source.string();
  } else
    switch (kind) {
      case Compression::kGzip:
      case Compression::kChunkedGzip:
        r = decode_gzip(in, sink, progress);
        break;
      case Compression::kZstd:
        r = decode_zstd(in, sink, progress);
        break;
      case Compression::kBzip2:
        r = decode_bzip2(in, sink, progress);
        break;
      case Compression::kNone:
        break;
    }
  ::close(fd);
  out.bytes = sink.written();
  out.truncated = r.truncated;
  if (r.cancelled || !r.failure.empty() || out.bytes == 0) {
    std::filesystem::remove(out.path, ec);
  }
  if (r.cancelled) return Error{ErrorCode::kCancelled, 0, -1, "cancelled while decompressing"};
  if (!r.failure.empty()) return Error{ErrorCode::kIo, 0, -1, r.failure};
  if (out.bytes == 0) {
    return Error{ErrorCode::kCompression, 0, -1,
                 std::string("the ") + to_string(kind) + " stream decodes to nothing" +
                     (r.truncated ? " (it is damaged or cut short)" : "")};
  }
  progress.advance(compressed_size);
  return out;
}

}  // namespace heapscope::hprof::detail
