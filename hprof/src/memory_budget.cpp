#include "heapscope/hprof/memory_budget.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

namespace heapscope::hprof {
namespace fs = std::filesystem;

namespace {

// v1 writes "no limit" as the largest page-aligned signed value (0x7FFFFFFFFFFFF000).
constexpr uint64_t kUnlimited = uint64_t{1} << 60;

// The first line of a cgroup file as a number; nullopt for "max", a missing file or junk.
std::optional<uint64_t> read_number(const fs::path& file) {
  std::ifstream in(file);
  std::string text;
  if (!(in >> text) || text.empty() || text[0] < '0' || text[0] > '9') return std::nullopt;
  try {
    return std::stoull(text);
  } catch (...) {
    return std::nullopt;
  }
}

struct Mount {
  std::string root;  // the cgroup path mounted at `point`
  fs::path point;
};

// Mount points of cgroup2 (v2) and of the v1 hierarchy holding the memory controller
// (/proc/self/mountinfo: "id parent dev root point opts [optional...] - fstype source superopts").
void find_mounts(const fs::path& root, std::optional<Mount>& v1, std::optional<Mount>& v2) {
  std::ifstream in(root / "proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string s; words >> s;) w.push_back(s);
    size_t dash = 0;
    while (dash < w.size() && w[dash] != "-") ++dash;
    if (dash < 5 || dash + 3 > w.size()) continue;
    const std::string& fstype = w[dash + 1];
    const std::string& super = w[dash + 3 < w.size() ? dash + 3 : dash + 2];
    Mount m{w[3], root / fs::path(w[4]).relative_path()};
    if (fstype == "cgroup2" && !v2) v2 = m;
    if (fstype == "cgroup" && !v1 && ("," + super + ",").find(",memory,") != std::string::npos)
      v1 = m;
  }
}

// The process's cgroup path in the v2 hierarchy ("0::/path") and in the v1 memory hierarchy
// ("4:memory:/path", controllers comma-separated).
void find_paths(const fs::path& root, std::optional<std::string>& v1,
                std::optional<std::string>& v2) {
  std::ifstream in(root / "proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    const size_t a = line.find(':');
    const size_t b = a == std::string::npos ? a : line.find(':', a + 1);
    if (b == std::string::npos) continue;
    const std::string controllers = line.substr(a + 1, b - a - 1);
    const std::string path = line.substr(b + 1);
    if (line.compare(0, a, "0") == 0 && controllers.empty()) v2 = path;
    if (("," + controllers + ",").find(",memory,") != std::string::npos) v1 = path;
  }
}

// The directory of cgroup `path` under a mount. Inside a container the mount's root is the
// container's own cgroup and the path may be given from the host's view or from the mount's.
fs::path cgroup_dir(const Mount& m, const std::string& path) {
  std::string rel = path;
  if (m.root != "/" && rel.compare(0, m.root.size(), m.root) == 0) rel = rel.substr(m.root.size());
  fs::path dir = m.point / fs::path(rel).relative_path();
  std::error_code ec;
  return fs::is_directory(dir, ec) ? dir : m.point;
}

fs::path without_trailing_slash(fs::path p) {
  p = p.lexically_normal();
  return p.has_relative_path() && p.filename().empty() ? p.parent_path() : p;
}

// Walks from `dir` up to the mount point; keeps the limit that leaves the least room.
void walk_up(const Mount& m, const fs::path& start, int version,
             std::optional<CgroupMemoryLimit>& best) {
  const char* limit_file = version == 2 ? "memory.max" : "memory.limit_in_bytes";
  const char* usage_file = version == 2 ? "memory.current" : "memory.usage_in_bytes";
  const fs::path stop = without_trailing_slash(m.point);
  for (fs::path dir = without_trailing_slash(start);; dir = dir.parent_path()) {
    const auto limit = read_number(dir / limit_file);
    if (limit && *limit < kUnlimited) {
      CgroupMemoryLimit c{version, *limit, read_number(dir / usage_file).value_or(0), dir};
      if (!best || c.room() < best->room()) best = c;
    }
    if (dir == stop || dir == dir.parent_path()) break;
  }
}

}  // namespace

std::optional<CgroupMemoryLimit> cgroup_memory_limit(const fs::path& root) {
  std::optional<Mount> mount_v1, mount_v2;
  std::optional<std::string> path_v1, path_v2;
  find_mounts(root, mount_v1, mount_v2);
  find_paths(root, path_v1, path_v2);
  std::optional<CgroupMemoryLimit> best;
  if (mount_v2 && path_v2) walk_up(*mount_v2, cgroup_dir(*mount_v2, *path_v2), 2, best);
  if (mount_v1 && path_v1) walk_up(*mount_v1, cgroup_dir(*mount_v1, *path_v1), 1, best);
  return best;
}

std::optional<uint64_t> available_memory(const fs::path& root) {
  std::ifstream meminfo(root / "proc/meminfo");
  std::string key, unit;
  uint64_t kb = 0;
  while (meminfo >> key >> kb >> unit) {
    if (key == "MemAvailable:") return kb * 1024;
  }
  return std::nullopt;
}

MemoryBudget default_memory_budget(const fs::path& root) {
  MemoryBudget b;
  if (auto avail = available_memory(root)) {
    b.bytes = *avail;
    b.source = "MemAvailable " + format_bytes(*avail);
  }
  if (auto c = cgroup_memory_limit(root)) {
    if (b.bytes == 0 || c->room() < b.bytes) {
      // Never 0 (that means "no limit"): a full cgroup spills everything.
      b.bytes = std::max<uint64_t>(c->room(), 1);
      b.source = std::string("cgroup ") +
                 (c->version == 2 ? "memory.max " : "memory.limit_in_bytes ") +
                 format_bytes(c->limit) + ", " + format_bytes(c->usage) + " in use";
    }
  }
  return b;
}

std::optional<uint64_t> parse_size(const std::string& text) {
  if (text.empty() || !(text[0] >= '0' && text[0] <= '9')) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  std::string suffix;
  for (const char* c = end; c && *c; ++c) {
    if (*c != ' ') suffix += static_cast<char>(std::tolower(static_cast<unsigned char>(*c)));
  }
  // k, kb, kib (and m, g, t): binary units, as -Xmx reads them; "b" or nothing: bytes.
  int shift = 0;
  if (!suffix.empty() && suffix != "b") {
    const std::string_view units = "kmgt";
    const auto u = units.find(suffix[0]);
    const std::string_view rest = std::string_view(suffix).substr(1);
    if (u == std::string_view::npos || !(rest.empty() || rest == "b" || rest == "ib")) {
      return std::nullopt;
    }
    shift = 10 * (static_cast<int>(u) + 1);
  }
  const double mult = static_cast<double>(1ull << shift);
  if (!(v >= 0) || v * mult > 1.8e19) return std::nullopt;
  return static_cast<uint64_t>(v * mult);
}

std::string format_bytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  }
  return buf;
}

}  // namespace heapscope::hprof
