// How much memory an analysis may use by default: the smallest of what the host has available
// (MemAvailable) and what the process's memory cgroup still allows (its limit minus its usage,
// at every level up the hierarchy; cgroup v2 memory.max/memory.current, v1
// memory.limit_in_bytes/memory.usage_in_bytes). A Kubernetes pod's memory limit is such a
// cgroup. Over the budget the analysis keeps its tables in spill files (spill.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace heapscope::hprof {

// One limit found in the process's cgroups.
struct CgroupMemoryLimit {
  int version = 2;           // 1 or 2
  uint64_t limit = 0;        // bytes (memory.max or memory.limit_in_bytes)
  uint64_t usage = 0;        // bytes (memory.current or memory.usage_in_bytes)
  std::filesystem::path at;  // the cgroup directory that holds the limit
  uint64_t room() const { return limit > usage ? limit - usage : 0; }
};

struct MemoryBudget {
  uint64_t bytes = 0;  // 0 = nothing known (no /proc): no limit
  // Which limit applied, for messages: "cgroup memory.max 1.0 GiB, 0.2 GiB in use" or
  // "MemAvailable 21.3 GiB".
  std::string source;
};

// The tightest limit (smallest room) of the cgroups the process is in, v1 and v2 alike, walking
// up from the process's cgroup to the root of each mounted hierarchy; nullopt when none sets a
// limit. Everything is read below `root`: root/proc/self/cgroup, root/proc/self/mountinfo and
// root/<mount point>/... (tests pass a fixture tree; "/" is the running system).
std::optional<CgroupMemoryLimit> cgroup_memory_limit(const std::filesystem::path& root = "/");

// MemAvailable of root/proc/meminfo in bytes; nullopt when unreadable.
std::optional<uint64_t> available_memory(const std::filesystem::path& root = "/");

// min(MemAvailable, the tightest cgroup's limit - usage), with the source named.
MemoryBudget default_memory_budget(const std::filesystem::path& root = "/");

// "1.0 GiB", "512.0 MiB", "900 B": how the budget messages print sizes.
std::string format_bytes(uint64_t bytes);

// "800M", "4g", "1.5GiB", "512 kb", "1024" -> bytes (binary units, as -Xmx reads them; the
// suffix in any case); nullopt when it is not a size. The CLI's options and the GUI's heap limit.
std::optional<uint64_t> parse_size(const std::string& text);

}  // namespace heapscope::hprof
