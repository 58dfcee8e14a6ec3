#!/bin/sh
# run-in-memory-cgroup.sh LIMIT COMMAND [ARGS...]
# Runs COMMAND in a new memory cgroup limited to LIMIT bytes with swap off, as a Kubernetes pod's
# resources.limits.memory does, and removes the cgroup afterwards. cgroup v2 (memory.max,
# memory.swap.max) or the v1 memory controller (memory.limit_in_bytes), whichever the machine
# has; needs root. LIMIT 0 = no limit (to measure the peak). The peak usage of the cgroup is
# printed on stderr as "cgroup peak: N bytes". Exits with COMMAND's status (137 when
# OOM-killed), or 125 with the reason when no cgroup can be made.
set -eu
limit=$1
shift
fail() { echo "run-in-memory-cgroup: $*" >&2; exit 125; }
[ "$(id -u)" = 0 ] || fail "needs root to create a cgroup"
name="heapscope-run-$$"
if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
  version=2
  base=/sys/fs/cgroup
  grep -qw memory "$base/cgroup.subtree_control" ||
    echo +memory > "$base/cgroup.subtree_control" || fail "cannot enable memory in $base"
  dir="$base/$name"
else
  version=1
  mount=$(awk '$9 == "cgroup" && $NF ~ /(^|,)memory(,|$)/ { print $5; exit }' /proc/self/mountinfo)
  [ -n "$mount" ] || fail "no cgroup v2 memory controller and no v1 memory hierarchy mounted"
  own=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3; exit }' /proc/self/cgroup)
  [ -d "$mount$own" ] || own=
  dir="$mount$own/$name"
fi
mkdir "$dir" || fail "cannot create $dir"
cleanup() {
  # Move ourselves out first: a cgroup with processes cannot be removed.
  rmdir "$dir" 2>/dev/null || true
}
trap cleanup EXIT
if [ "$limit" != 0 ]; then
  if [ $version = 2 ]; then
    echo "$limit" > "$dir/memory.max" || fail "cannot set $dir/memory.max"
    echo 0 > "$dir/memory.swap.max" 2>/dev/null || true
  else
    echo "$limit" > "$dir/memory.limit_in_bytes" || fail "cannot set $dir/memory.limit_in_bytes"
    echo "$limit" > "$dir/memory.memsw.limit_in_bytes" 2>/dev/null || true
  fi
fi
set +e
sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$dir" "$@"
rc=$?
set -e
if [ $version = 2 ]; then
  peak=$(cat "$dir/memory.peak" 2>/dev/null || echo unknown)
else
  peak=$(cat "$dir/memory.max_usage_in_bytes")
fi
echo "cgroup peak: $peak bytes (cgroup v$version, limit $limit)" >&2
# The cgroup is empty once the command has exited; its page cache moves to the parent.
for _ in 1 2 3 4 5; do rmdir "$dir" 2>/dev/null && break; sleep 0.2; done
exit $rc
