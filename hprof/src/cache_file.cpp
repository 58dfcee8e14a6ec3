// Cache files: a fixed header, then zstd frames (a section is split into chunks of at most
// kChunkBytes, each its own frame), then the chunk table. The header is written last, so a file
// cut anywhere fails the size checks; hashes cover the header, the table and each stored chunk,
// zstd's content checksum what each frame decodes to.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "heapscope/hprof/cache_file.h"

#ifndef HEAPSCOPE_VERSION
#define HEAPSCOPE_VERSION "unknown"
#endif

namespace heapscope::hprof {

namespace {

constexpr char kMagic[8] = {'H', 'S', 'C', 'A', 'C', 'H', 'E', '\0'};
constexpr uint32_t kByteOrder = 0x01020304;
constexpr uint64_t kChunkBytes = 8u << 20;
// Level 1: the cache exists to save time; higher levels compress little better here and
// write several times slower (docs/notes/index-cache.md).
constexpr int kLevel = 1;

struct FileHeader {
  char magic[8];
  uint32_t format_version;
  uint32_t byte_order;
  char version[16];
  uint64_t decoded_size;
  uint64_t file_size;
  int64_t mtime_ns;
  uint64_t edge_hash;
  uint32_t heap_dump_number;
  uint32_t chunk_count;
  uint64_t table_offset;
  uint64_t table_hash;
  uint64_t header_hash;  // of the bytes above
};
static_assert(sizeof(FileHeader) == 96);

struct ChunkEntry {
  uint32_t section;
  uint32_t reserved;
  uint64_t raw_offset;  // in the section
  uint64_t raw_size;
  uint64_t file_offset;
  uint64_t stored_size;
  // Of the stored (compressed) bytes. zstd's content checksum misses damage that decodes to the
  // same bytes (a redundant bit of a Huffman table); this one makes every flipped byte count.
  uint64_t stored_hash;
};
static_assert(sizeof(ChunkEntry) == 48);

FileHeader make_header(const CacheKey& key) {
  FileHeader h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.format_version = kCacheFormatVersion;
  h.byte_order = kByteOrder;
  std::strncpy(h.version, HEAPSCOPE_VERSION, sizeof h.version - 1);
  h.decoded_size = key.identity.decoded_size;
  h.file_size = key.identity.file_size;
  h.mtime_ns = key.identity.mtime_ns;
  h.edge_hash = key.identity.edge_hash;
  h.heap_dump_number = key.heap_dump_number;
  return h;
}

uint64_t hash_header(const FileHeader& h) {
  return hash_bytes({reinterpret_cast<const uint8_t*>(&h), offsetof(FileHeader, header_hash)});
}

uint32_t thread_count(uint32_t wanted) {
  if (wanted) return wanted;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Runs job(i) for i in [0, n) on up to `threads` threads (the caller's included).
template <typename Job>
void run_parallel(size_t n, uint32_t threads, Job job) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) job(i);
  };
  std::vector<std::thread> pool;
  const size_t extra = std::min<size_t>(threads, n) - (n ? 1 : 0);
  for (size_t t = 0; t < extra; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

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

// ---- reader ----

struct CacheReader::Impl {
  const uint8_t* data = nullptr;
  size_t size = 0;
  std::vector<ChunkEntry> chunks;                 // as in the file
  std::map<uint32_t, std::vector<size_t>> by_id;  // section -> its chunks, in raw order
  std::map<uint32_t, uint64_t> raw_size;
  ~Impl() {
    if (data) ::munmap(const_cast<uint8_t*>(data), size);
  }
};

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
  for (const auto& [id, chunks] : impl_->by_id) out.push_back(id);
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

// ---- writer ----

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
