#!/bin/sh
# analyze_in_cgroup.sh HEAPSCOPE RUNNER DUMP SCRATCH
# `heapscope analyze` on DUMP in a memory cgroup of 90% of the peak the same run reaches without a
# limit (both measured by RUNNER, scripts/run-in-memory-cgroup.sh): it must finish with the same
# JSON, take its budget from the cgroup (the real limit, read through /proc/self/cgroup), spill,
# and leave nothing in the spill directory. (On the FinalizerBacklog sample the same run with
# --memory-budget 0, tables in anonymous memory, is OOM-killed in that cgroup.)
set -u
heapscope=$1 runner=$2 dump=$3 scratch=$4
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$scratch" && mkdir -p "$scratch/spill" || fail "cannot make $scratch"

"$runner" 0 "$heapscope" analyze -q --format json "$dump" >"$scratch/free.json" 2>"$scratch/free.err"
rc=$?
cat "$scratch/free.err" >&2
[ $rc = 125 ] && fail "no memory cgroup could be made although root with a writable hierarchy"
# 1 = findings at the default --fail-on level; the constrained run must say the same.
[ $rc = 0 ] || [ $rc = 1 ] || fail "unconstrained run: exit $rc"
free_rc=$rc
peak=$(sed -n 's/^cgroup peak: \([0-9][0-9]*\) bytes.*/\1/p' "$scratch/free.err")
[ -n "$peak" ] || fail "no peak reported"
limit=$((peak * 9 / 10))
echo "unconstrained peak $peak bytes; limit $limit bytes" >&2

TMPDIR="$scratch/spill" "$runner" "$limit" "$heapscope" analyze --format json "$dump" \
  >"$scratch/limited.json" 2>"$scratch/limited.err"
rc=$?
grep -v '\.\.\.$' "$scratch/limited.err" >&2
[ $rc = $free_rc ] || fail "in a cgroup of $limit bytes: exit $rc, not $free_rc (137 = OOM-killed)"
cmp -s "$scratch/free.json" "$scratch/limited.json" || fail "the report differs from the unconstrained one"
grep -Eq "over the memory budget of .* \(cgroup memory\.(max|limit_in_bytes) .* in use\): tables in spill files in $scratch/spill" \
  "$scratch/limited.err" || fail "the budget did not come from the cgroup, or nothing spilled"
[ -z "$(ls -A "$scratch/spill")" ] || fail "spill files left in $scratch/spill"
rm -rf "$scratch"
echo "same report in $limit bytes (unconstrained peak $peak)"
