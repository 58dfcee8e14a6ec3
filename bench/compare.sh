#!/usr/bin/env bash
# End-to-end comparison on one dump: the `cat` floor, `heapscope info`, `heapscope dominators`,
# `heapscope analyze` (with the ratio analyze / dominators) and the VisualVM heap-library peer (open,index,retained), each REPS times under
# /usr/bin/time -v after warming the page cache. Prints a table of median wall seconds, peak RSS,
# RSS / dump size, MB/s and the ratios VisualVM / this; keeps every raw output in OUT.
#
#   bench/compare.sh DUMP [PEERS_DIR]
#
# Env:
#   HEAPSCOPE   the heapscope binary (default: build-release/, then build/ of this repo, then PATH);
#               measure a Release build
#   PEERS       directory with run-visualvm.sh (default: 2nd argument, else ../shared/peers next
#               to the repository)
#   REPS        repetitions of each step (default 3); VV_REPS for the VisualVM step (default REPS)
#   STEPS       comma list out of cat,info,dominators,analyze,visualvm (default: all)
#   THREADS     passed as --threads to heapscope (default: unset = all cores)
#   DOM_ARGS    extra arguments for `heapscope dominators` (e.g. --strong-only)
#   XMX, TIMEOUT, JAVA, PEERS_SCRATCH   passed to run-visualvm.sh (TIMEOUT in seconds; a run that
#               hits it is reported as killed, and its ratios become lower bounds)
#   NICE        priority of the cat and heapscope steps (e.g. -20 as root, on a busy machine):
#               `nice -n NICE`, and the scheduler autogroup's nice when this script is its
#               session leader (`setsid bench/compare.sh ...`): with autogroups, nice alone only
#               orders processes of one session. VV_NICE does the same for the VisualVM step.
#   OUT         where raw outputs go (default: a new /tmp/hs-compare.XXXXXX)
set -euo pipefail

die() { echo "compare.sh: $*" >&2; exit 2; }
dump="${1:-}"
[ -n "$dump" ] || die "usage: compare.sh DUMP [PEERS_DIR]"
[ -f "$dump" ] || die "$dump: no such file"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="${PEERS:-${2:-$repo/../shared/peers}}"
reps="${REPS:-3}"
vv_reps="${VV_REPS:-$reps}"
steps=",${STEPS:-cat,info,dominators,analyze,visualvm},"
out="${OUT:-$(mktemp -d /tmp/hs-compare.XXXXXX)}"
mkdir -p "$out"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install -y time)"

hs="${HEAPSCOPE:-}"
if [ -z "$hs" ]; then
  for c in "$repo/build-release/cli/heapscope" "$repo/build/cli/heapscope" "$(command -v heapscope || true)"; do
    if [ -n "$c" ] && [ -x "$c" ]; then hs="$c"; break; fi
  done
fi
hs_args=(-q)
[ -n "${THREADS:-}" ] && hs_args+=(--threads "$THREADS")
# shellcheck disable=SC2206
dom_args=(${DOM_ARGS:-})

dump_bytes=$(stat -L -c %s "$dump")
cores=$(nproc)
echo "dump      $dump ($dump_bytes bytes)"
echo "heapscope ${hs:-<not found>}${THREADS:+ --threads $THREADS}"
echo "peers     $peers"
echo "machine   $cores cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -r)"
echo "reps      $reps (VisualVM $vv_reps)${TIMEOUT:+, VisualVM timeout ${TIMEOUT} s}${NICE:+, nice $NICE}${VV_NICE:+, VisualVM nice $VV_NICE}; raw output in $out"

# Warm the page cache: every step then reads the dump from memory, as the floor does.
cat "$dump" > /dev/null
echo "loadavg   before: $(cut -d' ' -f1-3 /proc/loadavg)"

# time_v FILE: wall seconds (10 ms resolution), peak RSS kB, exit status and CPU seconds
# (user + system) from a /usr/bin/time -v report.
time_v() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    /Maximum resident set size/ { rss = $2 }
    /Exit status/ { if (st == "") st = $2 }
    /User time \(seconds\)|System time \(seconds\)/ { cpu += $2 }
    /Command terminated by signal/ { st = "sig" $0; sub(/.*signal /, "sig", st) }
    END { printf "%.3f %d %s %.2f\n", w, rss, st, cpu }' "$1"
}

# run STEP REP CMD...: one timed run; appends "wall rss status cpu" to $out/STEP.runs. The
# output goes to $out/STEP.REP.out, except for the floor (cat), whose output is thrown away.
run() {
  local step="$1" rep="$2"
  shift 2
  local t0 t1 stdout="$out/$step.$rep.out"
  [ "$step" = cat ] && stdout=/dev/null
  set +e
  t0=$EPOCHREALTIME
  ${prio:+nice -n "$prio"} /usr/bin/time -v -o "$out/$step.$rep.time" "$@" > "$stdout" 2> "$out/$step.$rep.err"
  t1=$EPOCHREALTIME
  set -e
  # Wall time from the shell's microsecond clock (time -v rounds to 10 ms); RSS and status
  # from time -v.
  # (`analyze` exits 1 when it reports a critical finding: that is its answer, not a failure.)
  time_v "$out/$step.$rep.time" | awk -v t0="$t0" -v t1="$t1" -v step="$step" '{
      st = (step == "analyze" && $3 == "1") ? "0" : $3
      printf "%.3f %d %s %.2f\n", t1 - t0, $2, st, $4 }' >> "$out/$step.runs"
}

# priority N: the nice value of the steps that follow (empty: leave it alone).
prio=""
priority() {
  prio="$1"
  # The autogroup is the session's: change it only when this script leads its own session.
  if [ "$(ps -o sid= -p $$ | tr -d ' ')" = "$$" ] && [ -w /proc/$$/autogroup ]; then
    echo "${1:-0}" > /proc/$$/autogroup 2> /dev/null || true
  fi
}

steps_run=()
step() {  # step NAME REPS CMD...
  local name="$1" n="$2"
  shift 2
  case "$steps" in *",$name,"*) ;; *) return 0 ;; esac
  : > "$out/$name.runs"
  for ((r = 1; r <= n; r++)); do
    run "$name" "$r" "$@"
    printf '  %-11s run %d: %s\n' "$name" "$r" "$(tail -1 "$out/$name.runs")"
  done
  steps_run+=("$name")
}

priority "${NICE:-}"
step cat "$reps" cat "$dump"
if [ -n "$hs" ]; then
  step info "$reps" env HEAPSCOPE_TRACE=1 "$hs" info "${hs_args[@]}" "$dump"
  step dominators "$reps" env HEAPSCOPE_TRACE=1 "$hs" dominators "${hs_args[@]}" "${dom_args[@]}" "$dump"
  step analyze "$reps" env HEAPSCOPE_TRACE=1 "$hs" analyze "${hs_args[@]}" --format json "$dump"
else
  echo "heapscope not found: set HEAPSCOPE=path/to/heapscope (skipping info, dominators)" >&2
fi
if [ -x "$peers/run-visualvm.sh" ]; then
  priority "${VV_NICE:-}"
  step visualvm "$vv_reps" env ${XMX:+XMX="$XMX"} ${TIMEOUT:+TIMEOUT="$TIMEOUT"} \
    "$peers/run-visualvm.sh" "$dump" open,index,retained
else
  echo "no $peers/run-visualvm.sh: skipping VisualVM (set PEERS or pass PEERS_DIR)" >&2
fi
priority ""
echo "loadavg   after:  $(cut -d' ' -f1-3 /proc/loadavg)"

# summary STEP: "median_wall median_rss_kb failures min_wall max_wall median_cpu" over the runs.
# Wall times count every run (a killed run's is a lower bound); RSS and CPU only the runs that
# ended normally (a run killed by `timeout` loses its rusage), -1 when there are none.
summary() {
  awk '
    function median(a, n,   i, j, t) {
      if (n == 0) return -1
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { n++; w[n] = $1; if (n == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1
      if ($3 != "0") { bad++; next }
      k++; r[k] = $2; c[k] = $4 }
    END { printf "%.3f %d %d %.3f %.3f %.2f\n", median(w, n), median(r, k), bad, lo, hi, median(c, k) }' "$out/$1.runs"
}

vv_wall="" vv_rss="" vv_bad=0
if [ -s "$out/visualvm.runs" ]; then read -r vv_wall vv_rss vv_bad _ _ _ < <(summary visualvm); fi
echo
printf '%-11s %10s %15s %8s %10s %9s %9s %10s %10s\n' step "wall s" "min..max" "cpu s" "peak RSS" "RSS/dump" "MB/s" "VV/this t" "VV/this m"
for s in "${steps_run[@]}"; do
  read -r w rss bad lo hi cpu < <(summary "$s")
  note=""
  if [ "$bad" != 0 ]; then
    if [ "$s" = visualvm ] && [ -n "${TIMEOUT:-}" ]; then note="  ($bad runs killed at TIMEOUT=${TIMEOUT}s: times are lower bounds)"
    else note="  ($bad runs FAILED: see $out/$s.*.err)"; fi
  fi
  ratio_t="-" ratio_m="-"
  if [ -n "$vv_wall" ] && [ "$s" != visualvm ] && [ "$s" != cat ]; then
    ratio_t=$(awk -v a="$vv_wall" -v b="$w" -v lb="$vv_bad" 'BEGIN { printf "%s%.1fx", (lb > 0 ? ">" : ""), a / b }')
    ratio_m=$(awk -v a="$vv_rss" -v b="$rss" 'BEGIN { if (a < 0 || b <= 0) print "?"; else printf "%.1fx", a / b }')
  fi
  awk -v s="$s" -v w="$w" -v lo="$lo" -v hi="$hi" -v cpu="$cpu" -v rss="$rss" -v size="$dump_bytes" \
      -v rt="$ratio_t" -v rm="$ratio_m" -v note="$note" 'BEGIN {
    if (rss < 0) { m = "?"; f = "?" } else { m = sprintf("%.0f MB", rss * 1024 / 1e6); f = sprintf("%.2fx", rss * 1024 / size) }
    printf "%-11s %10.3f %15s %8s %10s %9s %9.0f %10s %10s%s\n", s, w, sprintf("%.3f..%.3f", lo, hi),
      cpu < 0 ? "?" : sprintf("%.2f", cpu), m, f, size / 1e6 / w, rt, rm, note }'
done
echo
echo "Medians over the runs. MB = 10^6 bytes; MB/s = dump size / wall; cpu = user + system seconds"
echo "(less sensitive than wall to other load); VV/this = VisualVM over this step (t = wall, m = RSS)."
if [ -s "$out/analyze.runs" ] && [ -s "$out/dominators.runs" ]; then
  read -r aw _ < <(summary analyze)
  read -r dw _ < <(summary dominators)
  awk -v a="$aw" -v d="$dw" 'BEGIN { printf "analyze / dominators (median wall): %.2fx\n", a / d }'
fi
echo "Last run's per-phase trace:"
for s in info dominators analyze; do
  [ -s "$out/$s.runs" ] || continue
  last=$(wc -l < "$out/$s.runs")
  echo "  $s:"
  grep 'trace:' "$out/$s.$last.err" | sed 's/^heapscope: trace: /    /' || true
done
if [ -s "$out/visualvm.runs" ]; then
  last=$(wc -l < "$out/visualvm.runs")
  echo "  visualvm (HeapPeer phase ms): $(grep -o '"ms":{[^}]*}' "$out/visualvm.$last.out" || echo "n/a (see $out/visualvm.$last.err)")"
fi
