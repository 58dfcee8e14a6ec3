#include "heapscope/hprof/dump.h"

#include <sys/mman.h>
#include <unistd.h>

#include <boost/iostreams/device/mapped_file.hpp>
#include <fstream>

#include "decompress.h"

namespace heapscope::hprof {

const char* to_string(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kChunkedGzip:
      return "gzip-chunked";
    case Compression::kZstd:
      return "zstd";
    case Compression::kBzip2:
      return "bzip2";
  }
  return "none";
}

struct Dump::Mapping {
  boost::iostreams::mapped_file_source file;
};

Dump::Dump() = default;
Dump::Dump(Dump&&) noexcept = default;
Dump& Dump::operator=(Dump&&) noexcept = default;
Dump::~Dump() = default;

namespace {

Result<std::unique_ptr<boost::iostreams::mapped_file_source>> map_file(
    const std::filesystem::path& path) {
  try {
    auto m = std::make_unique<boost::iostreams::mapped_file_source>(path.string());
    return m;
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, 0, -1, "cannot map " + path.string() + ": " + e.what()};
  }
}

}  // namespace

Result<Dump> Dump::open(const std::filesystem::path& path, const OpenOptions& options) {
  Progress& progress = options.progress ? *options.progress : null_progress();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Error{ErrorCode::kIo, 0, -1, "cannot open " + path.string() + ": no such file"};
  }
  if (std::filesystem::is_directory(status)) {
    return Error{ErrorCode::kIo, 0, -1, path.string() + " is a directory"};
  }
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return Error{ErrorCode::kIo, 0, -1, "cannot read " + path.string() + ": " + ec.message()};
  if (size == 0) return Error{ErrorCode::kEmpty, 0, -1, "the file is empty (0 bytes)"};

  std::array<uint8_t, 64> head{};
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{ErrorCode::kIo, 0, -1, "cannot open " + path.string()};
    in.read(reinterpret_cast<char*>(head.data()), head.size());
  }
  const auto kind = detail::detect_compression(
      std::span<const uint8_t>(head.data(), std::min<uint64_t>(size, head.size())));

  Dump dump;
  dump.path_ = path;
  dump.file_size_ = size;
  dump.compression_ = kind;
  dump.mapping_ = std::make_unique<Mapping>();
  std::filesystem::path to_map = path;
  bool remove_after = false;
  if (kind != Compression::kNone) {
    auto decoded =
        detail::decompress_to_temp(path, kind, options.temp_dir, progress, options.threads);
    if (!decoded) return decoded.error();
    to_map = decoded->path;
    remove_after = true;
    dump.truncated_ = decoded->truncated;
  }
  auto mapped = map_file(to_map);
  if (remove_after) std::filesystem::remove(to_map, ec);  // the mapping keeps the data alive
  if (!mapped) return mapped.error();
  dump.mapping_->file = std::move(**mapped);
  dump.bytes_ = {reinterpret_cast<const uint8_t*>(dump.mapping_->file.data()),
                 dump.mapping_->file.size()};
  auto header = parse_header(dump.bytes_);
  if (!header) {
    Error e = header.error();
    if (kind != Compression::kNone)
      e.message += std::string(" (after ") + to_string(kind) + " decompression)";
    return e;
  }
  dump.header_ = std::move(*header);
  return dump;
}

Result<Dump> Dump::from_bytes(std::span<const uint8_t> bytes) {
  auto header = parse_header(bytes);
  if (!header) return header.error();
  Dump dump;
  dump.bytes_ = bytes;
  dump.file_size_ = bytes.size();
  dump.header_ = std::move(*header);
  return dump;
}

namespace {
constexpr uint64_t kPage = 4096;
}

void Dump::release(uint64_t begin, uint64_t end) const {
  if (!mapping_ || end > bytes_.size()) return;
  const auto base = reinterpret_cast<uintptr_t>(bytes_.data());
  uint64_t b = (base + begin + kPage - 1) & ~(kPage - 1);
  uint64_t e = (base + end) & ~(kPage - 1);
  if (e > b) ::madvise(reinterpret_cast<void*>(b), e - b, MADV_DONTNEED);
}

void Dump::will_need(uint64_t begin, uint64_t end) const {
  if (!mapping_ || end > bytes_.size()) return;
  const auto base = reinterpret_cast<uintptr_t>(bytes_.data());
  uint64_t b = (base + begin) & ~(kPage - 1);
  uint64_t e = base + end;
  if (e > b) ::madvise(reinterpret_cast<void*>(b), e - b, MADV_WILLNEED);
}

}  // namespace heapscope::hprof
