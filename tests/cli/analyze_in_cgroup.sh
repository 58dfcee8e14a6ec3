#!/bin/sh
# analyze_in_cgroup.sh HEAPSCOPE RUNNER DUMP SCRATCH
# `heapscope analyze` on DUMP in a memory cgroup (RUNNER = scripts/run-in-memory-cgroup.sh) whose
# limit leaves less room than the tables need: it must take its budget from the cgroup (the real
# limit, read through /proc/self/cgroup), spill, finish with the same JSON as without a limit, and
# leave nothing in the spill directory.
#
# The limit is derived from the rule the analysis uses (tables need 3/4 of the dump's size,
# kTablesPerDumpByte in memory_plan.h), not from a measured peak: the peak depends on whether the
# dump's page cache is charged to the cgroup (cold: 14 MB, warm: 6.7 MB on FinalizerBacklog-jdk17)
# and 90 % of it either spilled nothing (cold) or thrashed until the OOM killer came (warm, 6.0 MB
# after 356 s). The dump is read once beforehand so that its pages are charged outside the cgroup;
# the limit is the need plus 1 MiB, which leaves the need minus what the process holds when it
# reads the budget (1.2 MiB measured) — so it spills, in as much memory as it needs without
# spilling. If the process held less than 1 MiB at that point, smaller margins are tried.
set -u
heapscope=$1 runner=$2 dump=$3 scratch=$4
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$scratch" && mkdir -p "$scratch/spill" || fail "cannot make $scratch"
cat "$dump" >/dev/null || fail "cannot read $dump"

"$runner" 0 "$heapscope" analyze -q --format json "$dump" >"$scratch/free.json" 2>"$scratch/free.err"
rc=$?
cat "$scratch/free.err" >&2
[ $rc = 125 ] && fail "no memory cgroup could be made although root with a writable hierarchy"
# 1 = findings at the default --fail-on level; the constrained run must say the same.
[ $rc = 0 ] || [ $rc = 1 ] || fail "unconstrained run: exit $rc"
free_rc=$rc

size=$(wc -c <"$dump")
need=$((size * 3 / 4))
for margin_kib in 1024 768 512; do
  limit=$((need + margin_kib * 1024))
  echo "tables need $need bytes; limit $limit bytes" >&2
  TMPDIR="$scratch/spill" timeout 120 "$runner" "$limit" "$heapscope" analyze --format json "$dump" \
    >"$scratch/limited.json" 2>"$scratch/limited.err"
  rc=$?
  grep -v '\.\.\.$' "$scratch/limited.err" >&2
  [ $rc = 124 ] && fail "in a cgroup of $limit bytes: no result in 120 s"
  [ $rc = $free_rc ] || fail "in a cgroup of $limit bytes: exit $rc, not $free_rc (137 = OOM-killed)"
  cmp -s "$scratch/free.json" "$scratch/limited.json" ||
    fail "the report differs from the unconstrained one"
  [ -z "$(ls -A "$scratch/spill")" ] || fail "spill files left in $scratch/spill"
  if grep -Eq "over the memory budget of .* \(cgroup memory\.(max|limit_in_bytes) .* in use\): tables in spill files in $scratch/spill" \
    "$scratch/limited.err"; then
    rm -rf "$scratch"
    echo "same report in a cgroup of $limit bytes, tables spilled"
    exit 0
  fi
done
fail "the budget did not come from the cgroup, or nothing spilled"
