// What a cache file is keyed by and where it lives: the dump's identity, the cache directory,
// the file name, and the hash used for both.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "heapscope/hprof/cache_file.h"

namespace heapscope::hprof {

namespace {

constexpr uint64_t kEdgeBytes = 64 * 1024;

inline uint64_t mix(uint64_t x) {  // MurmurHash3's fmix64
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

bool read_at(int fd, uint64_t offset, uint8_t* out, uint64_t size) {
  while (size > 0) {
    const ssize_t n = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (n <= 0) return false;
    out += n;
    offset += static_cast<uint64_t>(n);
    size -= static_cast<uint64_t>(n);
  }
  return true;
}

}  // namespace

uint64_t hash_bytes(std::span<const uint8_t> bytes, uint64_t seed) {
  uint64_t h = mix(seed ^ 0x9e3779b97f4a7c15ULL ^ bytes.size());
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
    h = (h << 31) | (h >> 33);
  }
  uint64_t tail = 0;
  for (size_t k = 0; i + k < bytes.size(); ++k) tail |= uint64_t{bytes[i + k]} << (8 * k);
  return mix(h ^ tail);
}

Result<DumpIdentity> identify(const Dump& dump) {
  if (dump.path().empty()) {
    return Error{ErrorCode::kIo, 0, -1, "the dump has no file to identify"};
  }
  const int fd = ::open(dump.path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{ErrorCode::kIo, 0, -1, "cannot open " + dump.path().string()};
  struct stat st {};
  DumpIdentity id;
  bool ok = ::fstat(fd, &st) == 0;
  if (ok) {
    id.decoded_size = dump.bytes().size();
    id.file_size = static_cast<uint64_t>(st.st_size);
    id.mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
    // The head holds the header's timestamp, the tail the last records: a rewritten dump of the
    // same size and mtime (a copy with preserved times) still has to match both.
    const uint64_t head = std::min(kEdgeBytes, id.file_size);
    const uint64_t tail = std::min(kEdgeBytes, id.file_size - head);
    std::vector<uint8_t> buf(head + tail);
    ok = read_at(fd, 0, buf.data(), head) &&
         read_at(fd, id.file_size - tail, buf.data() + head, tail);
    id.edge_hash = hash_bytes(buf, id.file_size);
  }
  ::close(fd);
  if (!ok) return Error{ErrorCode::kIo, 0, -1, "cannot read " + dump.path().string()};
  return id;
}

std::filesystem::path default_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg == '/') return std::filesystem::path(xdg) / "heapscope";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::filesystem::path(home) / ".cache" / "heapscope";
  return {};
}

std::filesystem::path cache_file_path(const std::filesystem::path& dir, const Dump& dump,
                                      uint32_t heap_dump_number) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::weakly_canonical(dump.path(), ec);
  if (ec) p = std::filesystem::absolute(dump.path(), ec);
  const std::string s = p.string();
  const uint64_t h =
      hash_bytes({reinterpret_cast<const uint8_t*>(s.data()), s.size()}, heap_dump_number);
  char name[40];
  std::snprintf(name, sizeof name, "%016llx.hscache", static_cast<unsigned long long>(h));
  return dir / name;
}

std::string ByteReader::get_string() {
  const size_t n = get_count(1);
  std::string s(reinterpret_cast<const char*>(bytes_.data() + at_), n);
  at_ += n;
  return s;
}

size_t ByteReader::get_count(size_t min_item_bytes) {
  const uint64_t n = get<uint64_t>();
  if (!ok_) return 0;
  const uint64_t room = bytes_.size() - at_;
  if (min_item_bytes == 0) min_item_bytes = 1;
  if (n > room / min_item_bytes) {
    ok_ = false;
    return 0;
  }
  return static_cast<size_t>(n);
}

}  // namespace heapscope::hprof
