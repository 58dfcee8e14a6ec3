#include "heapscope/hprof/spill.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace heapscope::hprof {

namespace {
thread_local SpillStorage* g_current = nullptr;

constexpr long kTmpfsMagic = 0x01021994;
constexpr long kRamfsMagic = 0x858458f6;

// A nameless file in `dir`: O_TMPFILE where the file system has it, else mkstemp + unlink.
int nameless_file(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)) return fd;
  std::string name = (dir / "heapscope-spill-XXXXXX").string();
  fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd >= 0) ::unlink(name.c_str());
  return fd;
}
}  // namespace

SpillStorage::SpillStorage(std::filesystem::path dir)
    : dir_(dir.empty() ? default_dir() : std::move(dir)) {}

std::filesystem::path SpillStorage::default_dir() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? std::filesystem::path(tmp) : std::filesystem::path("/tmp");
}

std::optional<uint64_t> SpillStorage::free_disk() const {
  struct statvfs s {};
  if (::statvfs(dir_.c_str(), &s) != 0) return std::nullopt;
  return uint64_t{s.f_bavail} * s.f_frsize;
}

bool SpillStorage::in_memory() const {
  struct statfs s {};
  if (::statfs(dir_.c_str(), &s) != 0) return false;
  return static_cast<long>(s.f_type) == kTmpfsMagic || static_cast<long>(s.f_type) == kRamfsMagic;
}

void* SpillStorage::map(size_t bytes) {
  auto fail = [&](const char* what) -> void* {
    throw SpillError(std::string(what) + " of " + std::to_string(bytes >> 20) + " MiB in " +
                     dir_.string() + ": " + std::strerror(errno));
  };
  const int fd = nameless_file(dir_);
  if (fd < 0) return fail("cannot create a spill file");
  if (::ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
    const int e = errno;
    ::close(fd);
    errno = e;
    return fail("cannot size a spill file");
  }
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int e = errno;
  ::close(fd);  // the mapping keeps the file; unmapping frees it
  errno = e;
  if (p == MAP_FAILED) return fail("cannot map a spill file");
  mapped_.fetch_add(bytes, std::memory_order_relaxed);
  return p;
}

SpillScope::SpillScope(SpillStorage* storage) : previous_(g_current) {
  g_current = storage;
}
SpillScope::~SpillScope() {
  g_current = previous_;
}
SpillStorage* SpillScope::current() {
  return g_current;
}

}  // namespace heapscope::hprof
