// Writing cache files: chunks compressed in parallel windows, written in order to a temporary
// file that is renamed over the target.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "cache_format.h"

namespace heapscope::hprof {

using namespace detail;

namespace {

bool write_all(int fd, const void* data, size_t size) {
  auto p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

Error io_error(std::string what) {
  return Error{ErrorCode::kIo, 0, -1, std::move(what)};
}

}  // namespace

struct CacheWriter::Impl {
  CacheKey key;
  uint32_t threads = 0;
  struct Piece {
    uint32_t section;
    uint64_t raw_offset;
    std::span<const uint8_t> raw;     // to compress
    std::span<const uint8_t> stored;  // already compressed (copied from a reader)
    uint64_t stored_raw_size = 0;
    uint64_t stored_hash = 0;
  };
  std::vector<Piece> pieces;
  std::vector<std::unique_ptr<std::vector<uint8_t>>> owned;
};

CacheWriter::CacheWriter(const CacheKey& key, uint32_t threads) : impl_(std::make_unique<Impl>()) {
  impl_->key = key;
  impl_->threads = thread_count(threads);
}
CacheWriter::~CacheWriter() = default;
CacheWriter::CacheWriter(CacheWriter&&) noexcept = default;
CacheWriter& CacheWriter::operator=(CacheWriter&&) noexcept = default;

void CacheWriter::add(uint32_t section, std::span<const uint8_t> bytes) {
  uint64_t at = 0;
  do {
    const uint64_t n = std::min<uint64_t>(kChunkBytes, bytes.size() - at);
    impl_->pieces.push_back({section, at, bytes.subspan(at, n), {}, 0, 0});
    at += n;
  } while (at < bytes.size());
}

void CacheWriter::add(uint32_t section, std::vector<uint8_t> owned) {
  impl_->owned.push_back(std::make_unique<std::vector<uint8_t>>(std::move(owned)));
  add(section, std::span<const uint8_t>(*impl_->owned.back()));
}

void CacheWriter::copy(const CacheReader& from, uint32_t section) {
  auto it = from.impl_->by_id.find(section);
  if (it == from.impl_->by_id.end()) return;
  for (size_t i : it->second) {
    const ChunkEntry& c = from.impl_->chunks[i];
    impl_->pieces.push_back({section,
                             c.raw_offset,
                             {},
                             {from.impl_->data + c.file_offset, c.stored_size},
                             c.raw_size,
                             c.stored_hash});
  }
}

Status CacheWriter::write(const std::filesystem::path& path, Progress* progress) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  static std::atomic<uint32_t> serial{0};
  const std::filesystem::path temp = path.string() + ".tmp." + std::to_string(::getpid()) + "." +
                                     std::to_string(serial.fetch_add(1));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot create " + temp.string());
  auto fail = [&](const std::string& why) -> Status {
    ::close(fd);
    ::unlink(temp.c_str());
    return io_error(why + " " + temp.string());
  };

  FileHeader header = make_header(impl_->key);
  if (!write_all(fd, &header, sizeof header)) return fail("cannot write");
  uint64_t at = sizeof header;
  const auto& pieces = impl_->pieces;
  uint64_t total = 0;
  for (const auto& p : pieces) total += p.raw.size() + p.stored_raw_size;
  if (progress) progress->begin("writing cache", total);
  std::vector<ChunkEntry> table;
  table.reserve(pieces.size());
  // Windows of a few chunks: compressed in parallel, then written in order. Memory stays at a
  // few compressed chunks whatever the size of the cache.
  const size_t window = size_t{impl_->threads} * 2;
  std::vector<std::vector<uint8_t>> out(window);
  std::vector<uint64_t> hashes(window);
  uint64_t done = 0;
  for (size_t first = 0; first < pieces.size(); first += window) {
    const size_t n = std::min(window, pieces.size() - first);
    std::atomic<bool> failed{false};
    run_parallel(n, impl_->threads, [&](size_t k) {
      const auto& p = pieces[first + k];
      if (!p.stored.empty()) return;
      thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> cctx(ZSTD_createCCtx(),
                                                                           ZSTD_freeCCtx);
      ZSTD_CCtx_reset(cctx.get(), ZSTD_reset_session_and_parameters);
      ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, kLevel);
      ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
      out[k].resize(ZSTD_compressBound(p.raw.size()));
      const size_t z =
          ZSTD_compress2(cctx.get(), out[k].data(), out[k].size(), p.raw.data(), p.raw.size());
      if (ZSTD_isError(z)) failed = true;
      out[k].resize(ZSTD_isError(z) ? 0 : z);
      hashes[k] = hash_bytes(out[k]);
    });
    if (failed) return fail("cannot compress");
    for (size_t k = 0; k < n; ++k) {
      const auto& p = pieces[first + k];
      const std::span<const uint8_t> bytes = p.stored.empty() ? out[k] : p.stored;
      if (!write_all(fd, bytes.data(), bytes.size())) return fail("cannot write");
      // A copied chunk keeps its hash: damage it already had stays visible.
      const uint64_t hash = p.stored.empty() ? hashes[k] : p.stored_hash;
      table.push_back(
          {p.section, 0, p.raw_offset, p.raw.size() + p.stored_raw_size, at, bytes.size(), hash});
      at += bytes.size();
      done += table.back().raw_size;
    }
    if (progress) {
      progress->advance(done);
      if (progress->cancelled()) return fail("cancelled writing");
    }
  }
  const std::span<const uint8_t> table_bytes(reinterpret_cast<const uint8_t*>(table.data()),
                                             table.size() * sizeof(ChunkEntry));
  if (!write_all(fd, table_bytes.data(), table_bytes.size())) return fail("cannot write");
  header.chunk_count = static_cast<uint32_t>(table.size());
  header.table_offset = at;
  header.table_hash = hash_bytes(table_bytes);
  header.header_hash = hash_header(header);
  if (::pwrite(fd, &header, sizeof header, 0) != static_cast<ssize_t>(sizeof header)) {
    return fail("cannot write");
  }
  if (::close(fd) != 0) {
    ::unlink(temp.c_str());
    return io_error("cannot write " + temp.string());
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return io_error("cannot rename to " + path.string());
  }
  return Ok{};
}

}  // namespace heapscope::hprof
