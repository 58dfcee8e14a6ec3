#!/usr/bin/env bash
# End-to-end comparison on one or more dumps, side by side with the peers in the same run: the
# `cat` floor, `heapscope info` next to hprof-slurp (one streaming pass: histogram, record
# counts), `heapscope dominators` and `heapscope analyze` next to hprof-analyzer (parse, dominator
# tree, retained sizes, report), and optionally the VisualVM heap-library peer
# (open,index,retained). Each step runs REPS times under /usr/bin/time -v after warming the page
# cache, the steps interleaved (rep 1 of every step, then rep 2, ...) so that a peer and the step
# it is compared with run under the same load. Prints per dump a table of median wall seconds,
# peak RSS, RSS / dump size, bytes of peak RSS per object, MB/s, and the paired ratios peer /
# this (the median over the reps of peer_wall_r / this_wall_r, robust on a noisy machine); keeps
# every raw output in OUT.
#
#   bench/compare.sh DUMP... [PEERS_DIR]      (a directory argument is PEERS_DIR)
#
# Dumps to run it on: the realistic application heaps (samples/make-dumps.sh --only AppHeap
# --size large, ~1 GB; --app-mb 4400 for ~4 GB) and the leak samples (--size large).
#
# Env:
#   HEAPSCOPE   the heapscope binary (default: build-release/, then build/ of this repo, then PATH);
#               measure a Release build
#   PEERS       directory with bin/hprof-slurp, bin/hprof-analyzer, run-visualvm.sh (default: the
#               directory argument, else ../shared/peers next to the repository)
#   REPS        repetitions of each step (default 3); VV_REPS for the VisualVM step (default REPS)
#   STEPS       comma list out of cat,info,slurp,dominators,analyze,analyzer,visualvm (default:
#               all but visualvm, which needs a JVM of XMX=16g and minutes per GB)
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
dumps=() peers_arg=""
for a in "$@"; do
  if [ -d "$a" ]; then peers_arg="$a"; else dumps+=("$a"); fi
done
[ ${#dumps[@]} -gt 0 ] || die "usage: compare.sh DUMP... [PEERS_DIR]"
for d in "${dumps[@]}"; do [ -f "$d" ] || die "$d: no such file"; done
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="${PEERS:-${peers_arg:-$repo/../shared/peers}}"
reps="${REPS:-3}"
vv_reps="${VV_REPS:-$reps}"
steps=",${STEPS:-cat,info,slurp,dominators,analyze,analyzer},"
out_root="${OUT:-$(mktemp -d /tmp/hs-compare.XXXXXX)}"
mkdir -p "$out_root"
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

cores=$(nproc)
echo "heapscope ${hs:-<not found>}${THREADS:+ --threads $THREADS}"
echo "peers     $peers"
echo "machine   $cores cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -r)"
echo "reps      $reps (VisualVM $vv_reps)${TIMEOUT:+, VisualVM timeout ${TIMEOUT} s}${NICE:+, nice $NICE}${VV_NICE:+, VisualVM nice $VV_NICE}; raw output in $out_root"

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

# want STEP: true when STEP was asked for (and its program exists)
want() {
  case "$steps" in *",$1,"*) ;; *) return 1 ;; esac
  case "$1" in
    info | dominators | analyze) [ -n "$hs" ] ;;
    slurp) [ -x "$peers/bin/hprof-slurp" ] ;;
    analyzer) [ -x "$peers/bin/hprof-analyzer" ] ;;
    visualvm) [ -x "$peers/run-visualvm.sh" ] ;;
    *) true ;;
  esac
}

# one_step NAME REP: one timed run of step NAME on $dump
one_step() {
  local name="$1" r="$2"
  case "$name" in
    cat) run cat "$r" cat "$dump" ;;
    info) run info "$r" env HEAPSCOPE_TRACE=1 "$hs" info "${hs_args[@]}" "$dump" ;;
    slurp) run slurp "$r" "$peers/bin/hprof-slurp" -i "$dump" -t 20 ;;
    dominators) run dominators "$r" env HEAPSCOPE_TRACE=1 "$hs" dominators "${hs_args[@]}" "${dom_args[@]}" "$dump" ;;
    analyze) run analyze "$r" env HEAPSCOPE_TRACE=1 "$hs" analyze "${hs_args[@]}" --format json "$dump" ;;
    analyzer) run analyzer "$r" "$peers/bin/hprof-analyzer" --progress never -v "$dump" "$out/analyzer-report.json" ;;
    visualvm)
      priority "${VV_NICE:-}"
      run visualvm "$r" env ${XMX:+XMX="$XMX"} ${TIMEOUT:+TIMEOUT="$TIMEOUT"} \
        "$peers/run-visualvm.sh" "$dump" open,index,retained
      priority "${NICE:-}" ;;
  esac
  printf '  %-11s run %d: %s\n' "$name" "$r" "$(tail -1 "$out/$name.runs")"
}

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

# paired STEP PEER: the median over the reps of PEER's wall / STEP's wall (runs in the same rep
# ran one after the other, under about the same load); "-" when either is missing.
paired() {
  [ -s "$out/$1.runs" ] && [ -s "$out/$2.runs" ] || { echo "-"; return; }
  paste -d' ' "$out/$1.runs" "$out/$2.runs" | awk '
    { n++; r[n] = ($5 > 0 && $1 > 0) ? $5 / $1 : 0; if ($7 != "0") lb = 1 }
    END {
      for (i = 2; i <= n; i++) { t = r[i]; for (j = i - 1; j >= 1 && r[j] > t; j--) r[j + 1] = r[j]; r[j + 1] = t }
      m = n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
      printf "%s%.2fx\n", (lb ? ">" : ""), m }'
}

# compare_dump DUMP: every wanted step REPS times (interleaved), then the table
compare_dump() {
  dump="$1"
  dump_bytes=$(stat -L -c %s "$dump")
  out="$out_root/$(basename "$dump")"
  mkdir -p "$out"
  echo
  echo "dump      $dump ($dump_bytes bytes)"
  # Warm the page cache: every step then reads the dump from memory, as the floor does.
  cat "$dump" > /dev/null
  objects=""
  if [ -n "$hs" ]; then
    objects=$("$hs" info -q --format json "$dump" 2> /dev/null | awk -F'[:,]' '
      /"(instances|object_arrays|primitive_arrays)":/ { gsub(/ /, "", $2); n += $2 } END { if (n) print n }')
  fi
  echo "objects   ${objects:-?} (instances + arrays, from heapscope info)"
  echo "loadavg   before: $(cut -d' ' -f1-3 /proc/loadavg)"
  steps_run=()
  for name in cat info slurp dominators analyze analyzer visualvm; do
    if want "$name"; then steps_run+=("$name"); : > "$out/$name.runs"; fi
  done
  priority "${NICE:-}"
  for ((r = 1; r <= reps; r++)); do
    for name in "${steps_run[@]}"; do
      [ "$name" = visualvm ] && ((r > vv_reps)) && continue
      one_step "$name" "$r"
    done
  done
  priority ""
  echo "loadavg   after:  $(cut -d' ' -f1-3 /proc/loadavg)"

  echo
  printf '%-11s %9s %15s %8s %9s %8s %7s %6s  %s\n' step "wall s" "min..max" "cpu s" "peak RSS" "RSS/dump" "B/obj" "MB/s" "paired ratio (peer wall / this wall)"
  for s in "${steps_run[@]}"; do
    read -r w rss bad lo hi cpu < <(summary "$s")
    note=""
    if [ "$bad" != 0 ]; then
      if [ "$s" = visualvm ] && [ -n "${TIMEOUT:-}" ]; then note="  ($bad runs killed at TIMEOUT=${TIMEOUT}s: times are lower bounds)"
      else note="  ($bad runs FAILED: see $out/$s.*.err)"; fi
    fi
    ratio=""
    case "$s" in
      info) ratio="hprof-slurp/info $(paired info slurp)" ;;
      dominators) ratio="hprof-analyzer/dominators $(paired dominators analyzer)" ;;
      analyze) ratio="hprof-analyzer/analyze $(paired analyze analyzer), analyze/dominators $(paired dominators analyze)" ;;
    esac
    [ "$s" = dominators ] && want visualvm && ratio="$ratio, VisualVM/dominators $(paired dominators visualvm)"
    awk -v s="$s" -v w="$w" -v lo="$lo" -v hi="$hi" -v cpu="$cpu" -v rss="$rss" -v size="$dump_bytes" \
        -v objs="${objects:-0}" -v ratio="$ratio" -v note="$note" 'BEGIN {
      if (rss < 0) { m = "?"; f = "?"; b = "?" } else {
        m = sprintf("%.0f MB", rss * 1024 / 1e6); f = sprintf("%.3fx", rss * 1024 / size)
        b = objs > 0 ? sprintf("%.1f", rss * 1024 / objs) : "?" }
      printf "%-11s %9.3f %15s %8s %9s %8s %7s %6.0f  %s%s\n", s, w, sprintf("%.2f..%.2f", lo, hi),
        cpu < 0 ? "?" : sprintf("%.2f", cpu), m, f, b, size / 1e6 / w, ratio, note }'
  done
  echo
  echo "Medians over the runs. MB = 10^6 bytes; B/obj = peak RSS / objects; MB/s = dump size / wall;"
  echo "cpu = user + system seconds (less sensitive than wall to other load). Paired ratio: median over"
  echo "the reps of peer wall / this wall (> 1: this is faster; '>' when a peer run was killed)."
  echo "Last run's per-phase trace:"
  for s in info dominators analyze; do
    [ -s "$out/$s.runs" ] || continue
    last=$(wc -l < "$out/$s.runs")
    echo "  $s:"
    grep 'trace:' "$out/$s.$last.err" | sed 's/^heapscope: trace: /    /' || true
  done
  if [ -s "$out/analyzer.runs" ]; then
    last=$(wc -l < "$out/analyzer.runs")
    echo "  hprof-analyzer -v (last run):"
    grep -iE 'phase|took|elapsed|rss| ms|[0-9]s$' "$out/analyzer.$last.err" | head -20 | sed 's/^/    /' || true
  fi
  if [ -s "$out/visualvm.runs" ]; then
    last=$(wc -l < "$out/visualvm.runs")
    echo "  visualvm (HeapPeer phase ms): $(grep -o '"ms":{[^}]*}' "$out/visualvm.$last.out" || echo "n/a (see $out/visualvm.$last.err)")"
  fi
}

for d in "${dumps[@]}"; do compare_dump "$d"; done
