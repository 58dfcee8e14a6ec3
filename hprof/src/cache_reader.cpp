// Reading cache files: validation of the header and chunk table, parallel decompression.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "cache_format.h"

namespace heapscope::hprof {

using namespace detail;

namespace {

Error io_error(std::string what) {
  return Error{ErrorCode::kIo, 0, -1, std::move(what)};
}

}  // namespace

CacheReader::CacheReader() : impl_(std::make_unique<Impl>()) {}
CacheReader::~CacheReader() = default;
CacheReader::CacheReader(CacheReader&&) noexcept = default;
CacheReader& CacheReader::operator=(CacheReader&&) noexcept = default;

Result<CacheReader> CacheReader::open(const std::filesystem::path& path, const CacheKey& key) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("no cache file " + path.string());
  struct stat st {};
  if (::fstat(fd, &st) != 0 || static_cast<uint64_t>(st.st_size) < sizeof(FileHeader)) {
    ::close(fd);
    return Error{ErrorCode::kTruncated, 0, -1, "cache file too short"};
  }
  CacheReader r;
  r.impl_->size = static_cast<size_t>(st.st_size);
  void* map = ::mmap(nullptr, r.impl_->size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return io_error("cannot map " + path.string());
  r.impl_->data = static_cast<const uint8_t*>(map);
  ::madvise(map, r.impl_->size, MADV_WILLNEED);

  auto corrupt = [](const char* why) {
    return Error{ErrorCode::kCorrupt, 0, -1, std::string("cache file ignored: ") + why};
  };
  FileHeader h;
  std::memcpy(&h, r.impl_->data, sizeof h);
  const FileHeader want = make_header(key);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return corrupt("not a cache file");
  if (h.format_version != kCacheFormatVersion || h.byte_order != kByteOrder ||
      std::memcmp(h.version, want.version, sizeof h.version) != 0) {
    return corrupt("another version");
  }
  if (hash_header(h) != h.header_hash) return corrupt("header hash");
  if (h.decoded_size != want.decoded_size || h.file_size != want.file_size ||
      h.mtime_ns != want.mtime_ns || h.edge_hash != want.edge_hash ||
      h.heap_dump_number != want.heap_dump_number) {
    return corrupt("stale (another dump or heap dump number)");
  }
  const uint64_t table_bytes = uint64_t{h.chunk_count} * sizeof(ChunkEntry);
  if (h.table_offset < sizeof(FileHeader) || h.table_offset > r.impl_->size ||
      r.impl_->size - h.table_offset != table_bytes) {
    return corrupt("size");
  }
  const std::span<const uint8_t> table(r.impl_->data + h.table_offset, table_bytes);
  if (hash_bytes(table) != h.table_hash) return corrupt("table hash");
  auto& chunks = r.impl_->chunks;
  chunks.resize(h.chunk_count);
  std::memcpy(chunks.data(), table.data(), table_bytes);
  for (size_t i = 0; i < chunks.size(); ++i) {
    const ChunkEntry& c = chunks[i];
    if (c.file_offset < sizeof(FileHeader) || c.file_offset > h.table_offset ||
        c.stored_size > h.table_offset - c.file_offset || c.raw_size > kChunkBytes) {
      return corrupt("chunk bounds");
    }
    auto& raw = r.impl_->raw_size[c.section];
    if (c.raw_offset != raw) return corrupt("chunk order");
    raw += c.raw_size;
    r.impl_->by_id[c.section].push_back(i);
  }
  return r;
}

std::vector<uint32_t> CacheReader::sections() const {
  std::vector<uint32_t> out;
  for (const auto& entry : impl_->by_id) out.push_back(entry.first);
  return out;
}

bool CacheReader::has(uint32_t section) const {
  return impl_->by_id.count(section) != 0;
}

uint64_t CacheReader::size(uint32_t section) const {
  auto it = impl_->raw_size.find(section);
  return it == impl_->raw_size.end() ? 0 : it->second;
}

uint64_t CacheReader::stored_size() const {
  return impl_->size;
}

Status CacheReader::read(std::span<const Target> targets, uint32_t threads,
                         Progress* progress) const {
  struct Job {
    const ChunkEntry* chunk;
    uint8_t* out;
  };
  std::vector<Job> jobs;
  uint64_t total = 0;
  for (const auto& t : targets) {
    auto it = impl_->by_id.find(t.section);
    if (it == impl_->by_id.end() || size(t.section) != t.out.size()) {
      return Error{ErrorCode::kCorrupt, 0, -1, "cache section missing or of another size"};
    }
    for (size_t i : it->second) {
      const ChunkEntry& c = impl_->chunks[i];
      jobs.push_back({&c, t.out.data() + c.raw_offset});
      total += c.raw_size;
    }
  }
  // The biggest chunks first, so that no thread is left with a long one at the end.
  std::sort(jobs.begin(), jobs.end(),
            [](const Job& a, const Job& b) { return a.chunk->raw_size > b.chunk->raw_size; });
  if (progress) progress->begin("loading cache", total);
  std::atomic<bool> failed{false};
  std::atomic<uint64_t> done{0};
  const std::thread::id caller = std::this_thread::get_id();
  run_parallel(jobs.size(), thread_count(threads), [&](size_t j) {
    if (failed.load(std::memory_order_relaxed)) return;
    thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(ZSTD_createDCtx(),
                                                                         ZSTD_freeDCtx);
    const ChunkEntry& c = *jobs[j].chunk;
    if (hash_bytes({impl_->data + c.file_offset, c.stored_size}) != c.stored_hash) {
      failed = true;
      return;
    }
    uint8_t empty = 0;
    const size_t n = ZSTD_decompressDCtx(dctx.get(), c.raw_size ? jobs[j].out : &empty, c.raw_size,
                                         impl_->data + c.file_offset, c.stored_size);
    if (ZSTD_isError(n) || n != c.raw_size) failed = true;
    const uint64_t now = done.fetch_add(c.raw_size) + c.raw_size;
    if (progress && std::this_thread::get_id() == caller) {
      progress->advance(now);
      if (progress->cancelled()) failed = true;
    }
  });
  if (failed) return Error{ErrorCode::kCorrupt, 0, -1, "cache file ignored: a frame is damaged"};
  return Ok{};
}

Result<std::vector<uint8_t>> CacheReader::read(uint32_t section) const {
  std::vector<uint8_t> out(size(section));
  const Target t{section, out};
  auto st = read(std::span<const Target>(&t, 1), 1);
  if (!st) return st.error();
  return out;
}

}  // namespace heapscope::hprof
