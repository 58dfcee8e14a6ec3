// The default memory budget: MemAvailable against the process's cgroups, v1 and v2, read from
// fixture trees laid out as /proc and /sys/fs/cgroup are, and from the running system.
#include "heapscope/hprof/memory_budget.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace heapscope::hprof {
namespace {

namespace fs = std::filesystem;

class CgroupBudget : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("heapscope-budget-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    meminfo(8ull << 30);
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const fs::path& rel, const std::string& text) {
    const fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  void meminfo(uint64_t available) {
    write("proc/meminfo",
          "MemTotal:       24000000 kB\nMemFree:         1000 kB\nMemAvailable:   " +
              std::to_string(available / 1024) + " kB\n");
  }
  // A cgroup v2 hierarchy at /sys/fs/cgroup, the process in `path`.
  void v2(const std::string& path, const std::string& mount_root = "/") {
    write("proc/self/mountinfo",
          "22 1 0:21 / / rw - ext4 /dev/vda rw\n"
          "30 22 0:26 " +
              mount_root + " /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
    write("proc/self/cgroup", "0::" + path + "\n");
  }
  // A cgroup v1 memory hierarchy at /sys/fs/cgroup/memory (with cpu beside it).
  void v1(const std::string& path, const std::string& mount_root = "/") {
    write("proc/self/mountinfo",
          "22 1 0:21 / / rw - ext4 /dev/vda rw\n"
          "30 22 0:27 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n"
          "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
          "34 30 0:31 " +
              mount_root +
              " /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
              "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n");
    write("proc/self/cgroup", "8:pids:/\n4:memory:" + path + "\n1:cpu:/\n0::/\n");
  }
  void v2_limit(const std::string& dir, const std::string& max, uint64_t current) {
    write("sys/fs/cgroup/" + dir + "/memory.max", max + "\n");
    write("sys/fs/cgroup/" + dir + "/memory.current", std::to_string(current) + "\n");
  }
  void v1_limit(const std::string& dir, uint64_t limit, uint64_t usage) {
    write("sys/fs/cgroup/memory/" + dir + "/memory.limit_in_bytes", std::to_string(limit) + "\n");
    write("sys/fs/cgroup/memory/" + dir + "/memory.usage_in_bytes", std::to_string(usage) + "\n");
  }

  fs::path root_;
};

constexpr uint64_t kGiB = 1ull << 30, kMiB = 1ull << 20;
constexpr uint64_t kV1Unlimited = 9223372036854771712ull;

TEST_F(CgroupBudget, V2PodLimitBelowMemAvailable) {
  v2("/kubepods/pod1/c1");
  v2_limit("kubepods", "max", 5 * kGiB);
  v2_limit("kubepods/pod1", std::to_string(kGiB), 200 * kMiB);
  v2_limit("kubepods/pod1/c1", "max", 190 * kMiB);
  const auto c = cgroup_memory_limit(root_);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->version, 2);
  EXPECT_EQ(c->limit, kGiB);
  EXPECT_EQ(c->usage, 200 * kMiB);
  EXPECT_EQ(c->at, root_ / "sys/fs/cgroup/kubepods/pod1");
  const auto b = default_memory_budget(root_);
  EXPECT_EQ(b.bytes, kGiB - 200 * kMiB);
  EXPECT_EQ(b.source, "cgroup memory.max 1.0 GiB, 200.0 MiB in use");
}

TEST_F(CgroupBudget, V2TightestRoomUpTheHierarchyWins) {
  v2("/a/b");
  v2_limit("a", std::to_string(2 * kGiB), 1900 * kMiB);  // room 148 MiB
  v2_limit("a/b", std::to_string(kGiB), 100 * kMiB);     // room 924 MiB
  const auto c = cgroup_memory_limit(root_);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->limit, 2 * kGiB);
  EXPECT_EQ(default_memory_budget(root_).bytes, 2 * kGiB - 1900 * kMiB);
}

TEST_F(CgroupBudget, V2InsideACgroupNamespace) {
  // The container sees its own cgroup as "/" and the mount's root is it.
  v2("/", "/kubepods/pod2");
  v2_limit("", std::to_string(512 * kMiB), 12 * kMiB);
  const auto b = default_memory_budget(root_);
  EXPECT_EQ(b.bytes, 500 * kMiB);
  EXPECT_EQ(b.source, "cgroup memory.max 512.0 MiB, 12.0 MiB in use");
}

TEST_F(CgroupBudget, V2NoLimitLeavesMemAvailable) {
  v2("/user.slice");
  v2_limit("user.slice", "max", kGiB);
  EXPECT_FALSE(cgroup_memory_limit(root_));
  const auto b = default_memory_budget(root_);
  EXPECT_EQ(b.bytes, 8 * kGiB);
  EXPECT_EQ(b.source, "MemAvailable 8.0 GiB");
}

TEST_F(CgroupBudget, V1DockerLimit) {
  v1("/docker/abc");
  v1_limit("", kV1Unlimited, 9 * kGiB);
  v1_limit("docker", kV1Unlimited, 3 * kGiB);
  v1_limit("docker/abc", 2 * kGiB, kGiB);
  const auto c = cgroup_memory_limit(root_);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->version, 1);
  EXPECT_EQ(c->at, root_ / "sys/fs/cgroup/memory/docker/abc");
  const auto b = default_memory_budget(root_);
  EXPECT_EQ(b.bytes, kGiB);
  EXPECT_EQ(b.source, "cgroup memory.limit_in_bytes 2.0 GiB, 1.0 GiB in use");
}

TEST_F(CgroupBudget, V1MountRootIsTheContainersCgroup) {
  // Without a cgroup namespace the path is the host's; the mount shows only the container.
  v1("/docker/abc", "/docker/abc");
  v1_limit("", 768 * kMiB, 256 * kMiB);
  EXPECT_EQ(default_memory_budget(root_).bytes, 512 * kMiB);
}

TEST_F(CgroupBudget, V1UnlimitedEverywhere) {
  v1("/process_api/x");
  v1_limit("process_api/x", kV1Unlimited, 3 * kMiB);
  v1_limit("process_api", kV1Unlimited, 9 * kMiB);
  EXPECT_FALSE(cgroup_memory_limit(root_));
  EXPECT_EQ(default_memory_budget(root_).source, "MemAvailable 8.0 GiB");
}

TEST_F(CgroupBudget, MemAvailableBelowTheCgroupRoom) {
  meminfo(300 * kMiB);
  v2("/a");
  v2_limit("a", std::to_string(4 * kGiB), 0);
  const auto b = default_memory_budget(root_);
  EXPECT_EQ(b.bytes, 300 * kMiB);
  EXPECT_EQ(b.source, "MemAvailable 300.0 MiB");
}

TEST_F(CgroupBudget, AFullCgroupStillGivesABudget) {
  v2("/a");
  v2_limit("a", std::to_string(kGiB), kGiB + kMiB);
  EXPECT_EQ(default_memory_budget(root_).bytes, 1u);  // 0 would mean "no limit"
}

TEST_F(CgroupBudget, NothingReadable) {
  fs::remove_all(root_ / "proc");
  const auto b = default_memory_budget(root_);
  EXPECT_EQ(b.bytes, 0u);
  EXPECT_EQ(b.source, "");
}

// The running system: the budget never exceeds MemAvailable, and a cgroup limit found on the
// way up is respected (this runs inside a limited cgroup in the cgroup CTest and in pods).
TEST(MemoryBudgetReal, BoundedByMemAvailableAndTheCgroup) {
  const auto avail = available_memory();
  ASSERT_TRUE(avail) << "/proc/meminfo has no MemAvailable";
  const auto b = default_memory_budget();
  EXPECT_GT(b.bytes, 0u);
  EXPECT_LE(b.bytes, *avail + (64u << 20));  // MemAvailable moves between the two reads
  if (auto c = cgroup_memory_limit()) {
    EXPECT_LE(b.bytes, c->limit);
    EXPECT_TRUE(fs::exists(c->at)) << c->at;
  }
}

// The one size parser of --memory-budget, --heap-limit and the GUI's heap limit.
TEST(ParseSize, BinaryUnitsInAnyCaseWithOrWithoutB) {
  EXPECT_EQ(parse_size("1024"), 1024u);
  EXPECT_EQ(parse_size("900B"), 900u);
  EXPECT_EQ(parse_size("1K"), 1024u);
  EXPECT_EQ(parse_size("1k"), 1024u);
  EXPECT_EQ(parse_size("1KiB"), 1024u);
  EXPECT_EQ(parse_size("800M"), 800ull << 20);
  EXPECT_EQ(parse_size("800mb"), 800ull << 20);
  EXPECT_EQ(parse_size("4G"), 4ull << 30);
  EXPECT_EQ(parse_size("4 gb"), 4ull << 30);
  EXPECT_EQ(parse_size("1.5GiB"), 3ull << 29);
  EXPECT_EQ(parse_size("2T"), 2ull << 40);
  EXPECT_EQ(parse_size("0"), 0u);
}

TEST(ParseSize, WhatIsNotASize) {
  for (const char* text : {"", "abc", "-5", "4X", "4KX", "4kibb", "G", " 4G", "1e30T"}) {
    EXPECT_EQ(parse_size(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace heapscope::hprof
