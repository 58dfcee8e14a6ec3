#!/usr/bin/env bash
# Compile the sample leak programs and write their heap dumps + JSON sidecars.
#
# usage: samples/make-dumps.sh OUTDIR [--size small|large] [--jdk JAVA_HOME] [--only NAME[,NAME...]]
#                              [--force] [--check] [--quiet] [--app-mb N] [--app-xmx-mb N]
#                              [--app-dump-by HOW]
#
#   OUTDIR/<Name>-jdk<major>.hprof + .json           for every program
#   OUTDIR/PgTimerLeak-jdk<major>.hprof.gz / .zst    plain gzip / zstd of the .hprof above
#   OUTDIR/PgTimerLeak-jdk<major>-chunked.hprof.gz   written by the JVM itself
#                                                    (jcmd GC.heap_dump -gz=1), own .json
#   OUTDIR/AppHeap-jdk<major>.hprof + .json          a healthy application heap (live dump)
#   OUTDIR/RedactSecrets-jdk<major>.hprof + .json    planted secrets, for `heapscope redact`
#   OUTDIR/classes/jdk<major>/                       compiled programs
#   OUTDIR/logs/                                     program and jcmd output
#
# --size small (default): a few MB per dump, seconds per program (CI).
# --size large: ~1 GB dumps for benchmarks (2,000,000 Finalizers / timer tasks); needs ~5 GB RAM.
# --jdk: JDK to compile with and run (default /usr/lib/jvm/java-17-openjdk-amd64, else javac on PATH).
# --only: PgTimerLeak, FinalizerBacklog, CleanControl, ScheduledExecutorLeak, TrendLeak, CleanerLeak,
#   AppHeap.
# TrendLeak writes OUTDIR/TrendLeak-jdk<major>-step{1..4}.hprof (one JVM, dumped after each step)
# and one sidecar OUTDIR/TrendLeak-jdk<major>.json with the counts of every step.
# --app-mb N: AppHeap's approximate dump size in MB (small: 6, large: 1000); its JVM gets -Xmx of
#   about 1.6 N MB.
# --app-xmx-mb N: AppHeap's -Xmx in MB instead (e.g. a ~16 GB dump on a 24 GiB machine: 1.25x the
#   dump still leaves G1 room, with more collections).
# --app-dump-by HOW: who writes AppHeap's dump: dumpheap (default, HotSpotDiagnosticMXBean.dumpHeap
#   from inside), jcmd (`jcmd <pid> GC.heap_dump`), jcmd-parallel (JDK 21+: `-parallel=2`),
#   jcmd-gz (`-gz=1`: the JVM's chunked gzip; the file is then AppHeap-jdk<major>.hprof.gz).
# --force: regenerate even if OUTDIR/.stamps says the outputs are current.
# --check: verify every dump against its sidecar with check_dump.py (needs python3; --quick for large).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")
programs_all=(PgTimerLeak FinalizerBacklog CleanControl ScheduledExecutorLeak TrendLeak CleanerLeak AppHeap RedactSecrets)

die() { echo "make-dumps.sh: $*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$self" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

out="" size=small jdk="" only="" force=0 check=0 quiet=0 app_mb="" app_xmx="" app_by=dumpheap
while (($#)); do
  case "$1" in
    --size) size=${2:?--size needs a value}; shift 2 ;;
    --size=*) size=${1#*=}; shift ;;
    --jdk) jdk=${2:?--jdk needs a value}; shift 2 ;;
    --jdk=*) jdk=${1#*=}; shift ;;
    --only) only=${2:?--only needs a value}; shift 2 ;;
    --only=*) only=${1#*=}; shift ;;
    --force) force=1; shift ;;
    --check) check=1; shift ;;
    --quiet|-q) quiet=1; shift ;;
    --app-mb) app_mb=${2:?--app-mb needs a value}; shift 2 ;;
    --app-mb=*) app_mb=${1#*=}; shift ;;
    --app-xmx-mb) app_xmx=${2:?--app-xmx-mb needs a value}; shift 2 ;;
    --app-xmx-mb=*) app_xmx=${1#*=}; shift ;;
    --app-dump-by) app_by=${2:?--app-dump-by needs a value}; shift 2 ;;
    --app-dump-by=*) app_by=${1#*=}; shift ;;
    -h|--help) usage ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [[ -z $out ]] || die "only one OUTDIR please (got '$out' and '$1')"; out=$1; shift ;;
  esac
done
[[ -n $out ]] || usage
[[ $size == small || $size == large ]] || die "--size must be small or large, not '$size'"
[[ -z $app_mb || $app_mb =~ ^[1-9][0-9]*$ ]] || die "--app-mb must be a positive number of MB, not '$app_mb'"
[[ -z $app_xmx || $app_xmx =~ ^[1-9][0-9]*$ ]] || die "--app-xmx-mb must be a positive number of MB, not '$app_xmx'"
case $app_by in
  dumpheap|jcmd|jcmd-parallel|jcmd-gz) ;;
  *) die "--app-dump-by must be dumpheap, jcmd, jcmd-parallel or jcmd-gz, not '$app_by'" ;;
esac

# ---------------------------------------------------------------- JDK
if [[ -z $jdk ]]; then
  if [[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/javac ]]; then
    jdk=/usr/lib/jvm/java-17-openjdk-amd64
  elif command -v javac >/dev/null 2>&1; then
    jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  else
    die "no JDK found: install a JDK (17 or newer) or pass --jdk JAVA_HOME"
  fi
fi
for tool in java javac jcmd; do
  [[ -x $jdk/bin/$tool ]] || die "$jdk is not a JDK: $jdk/bin/$tool is missing"
done
java_version=$("$jdk/bin/java" -version 2>&1)
major=$(sed -n '1s/.* version "\([0-9][0-9]*\).*/\1/p' <<<"$java_version")
[[ $major =~ ^[0-9]+$ ]] || die "cannot tell the version of $jdk/bin/java: $java_version"
((major >= 17)) || die "$jdk is JDK $major; the samples need JDK 17 or newer"

if [[ -n $only ]]; then
  IFS=, read -r -a programs <<<"$only"
  for p in "${programs[@]}"; do
    [[ " ${programs_all[*]} " == *" $p "* ]] || die "unknown program '$p' (have: ${programs_all[*]})"
  done
else
  programs=("${programs_all[@]}")
fi
command -v zstd >/dev/null 2>&1 || die "zstd not found (needed for the .hprof.zst sample)"
command -v gzip >/dev/null 2>&1 || die "gzip not found"

mkdir -p "$out"
out=$(cd "$out" && pwd)
classes=$out/classes/jdk$major
logs=$out/logs
mkdir -p "$classes" "$logs" "$out/.stamps"

say() { ((quiet)) || echo "$@"; }

# ---------------------------------------------------------------- compile
mapfile -t sources < <(cd "$here/java" && find . -name '*.java' | LC_ALL=C sort)
src_hash=$( (cd "$here/java" && cat "${sources[@]}" "$self") | sha256sum | cut -c1-16)
if [[ ! -f $classes/.src-hash || $(cat "$classes/.src-hash") != "$src_hash" ]]; then
  rm -rf "$classes" && mkdir -p "$classes"
  (cd "$here/java" && "$jdk/bin/javac" --release 17 -nowarn -Xlint:none -encoding UTF-8 \
      -d "$classes" "${sources[@]}") >"$logs/javac-jdk$major.log" 2>&1 \
    || { cat "$logs/javac-jdk$major.log" >&2; die "javac failed"; }
  echo "$src_hash" >"$classes/.src-hash"
fi

# ---------------------------------------------------------------- run
opens=(--add-opens java.base/java.lang.ref=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED
       --add-opens java.base/java.util.concurrent=ALL-UNNAMED --add-opens java.base/jdk.internal.ref=ALL-UNNAMED)
if [[ $size == small ]]; then
  heap=256m; zlevel=(-19); ready_timeout=120
else
  heap=5g; zlevel=(-3 -T0); ready_timeout=900
fi

# program arguments per size
args_for() {
  case "$size:$1" in
    small:PgTimerLeak)           echo --count 2000 --open 16 --payload 1024 ;;
    small:FinalizerBacklog)      echo --count 3000 --registered 8 --payload 1024 ;;
    small:CleanControl)          echo --count 2000 --open 16 --payload 1024 ;;
    small:ScheduledExecutorLeak) echo --count 2000 --payload 1024 ;;
    small:TrendLeak)             echo --steps 4 --tasks 500 --dropped 300 --kept 5 --payload 512 ;;
    small:CleanerLeak)           echo --good 40 --wrong 20 --stuck 12 --buffers 5 --payload 1024 ;;
    large:PgTimerLeak)           echo --count 2000000 --open 1000 --payload 200 ;;
    large:FinalizerBacklog)      echo --count 2000000 --registered 1000 --payload 300 ;;
    large:CleanControl)          echo --count 200000 --open 1000 --payload 1024 --cache 4000000 --cache-payload 150 ;;
    large:ScheduledExecutorLeak) echo --count 1000000 --payload 400 ;;
    large:TrendLeak)             echo --steps 4 --tasks 250000 --dropped 150000 --kept 1000 --payload 200 ;;
    large:CleanerLeak)           echo --good 100000 --wrong 100000 --stuck 100000 --buffers 1000 --payload 1024 ;;
    small:RedactSecrets)         echo --vaults 12 --cancelled 40 --scheduled 5 ;;
    large:RedactSecrets)         echo --vaults 1000 --cancelled 100000 --scheduled 50 ;;
    small:AppHeap)               echo --mb "${app_mb:-6}" ;;
    large:AppHeap)               echo --mb "${app_mb:-1000}" ;;
  esac
}

# -Xmx for a program: AppHeap's grows with --mb (live heap ~0.8x the dump, plus room for churn)
heap_for() { # name, program args...
  if [[ $1 == AppHeap ]]; then
    local mb=$3 m
    m=${app_xmx:-$((mb * 16 / 10 + 200))}
    ((m >= 256)) || m=256
    echo "${m}m"
  else
    echo "$heap"
  fi
}

run_java() { # log, name, then program arguments
  local log=$1 name=$2; shift 2
  "$jdk/bin/java" -Xmx"$(heap_for "$name" "$@")" -XX:+UseG1GC "${opens[@]}" -cp "$classes" \
      "heapscope.samples.$name" "$@" >"$log" 2>&1
}

bg_pid=""
cleanup() { if [[ -n $bg_pid ]]; then kill "$bg_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

# Runs the program with --wait-for-dump and has the JVM write a live dump via jcmd
# (GC.heap_dump with the given options, e.g. -gz=1 for the JVM's chunked gzip).
jcmd_dump() { # name, dump path, jcmd options (one word, comma-separated), program args...
  local name=$1 dump=$2 jopts=$3; shift 3
  local log=$logs/$name-jdk$major-jcmd.log
  local -a jo=()
  [[ -n $jopts ]] && IFS=, read -r -a jo <<<"$jopts"
  rm -f "$dump"
  : >"$log"  # empty before the JVM starts: a READY line left from an earlier run names a dead pid
  "$jdk/bin/java" -Xmx"$(heap_for "$name" "$@")" -XX:+UseG1GC "${opens[@]}" -cp "$classes" \
      "heapscope.samples.$name" "$@" --live true --wait-for-dump --dump "$dump" >"$log" 2>&1 &
  bg_pid=$!
  local waited=0 pid=""
  while :; do
    pid=$(sed -n 's/^READY \([0-9][0-9]*\)$/\1/p' "$log")
    [[ -n $pid ]] && break
    kill -0 "$bg_pid" 2>/dev/null || { cat "$log" >&2; die "$name (for jcmd) exited early"; }
    ((waited++ < ready_timeout * 10)) || { cat "$log" >&2; die "$name (for jcmd) not ready after ${ready_timeout}s"; }
    sleep 0.1
  done
  "$jdk/bin/jcmd" "$pid" GC.heap_dump "${jo[@]}" "$dump" >"$logs/jcmd-jdk$major.log" 2>&1 \
    || { cat "$logs/jcmd-jdk$major.log" >&2; die "jcmd GC.heap_dump failed for $name (pid $pid)"; }
  grep -q 'Heap dump file created' "$logs/jcmd-jdk$major.log" \
    || { cat "$logs/jcmd-jdk$major.log" >&2; die "jcmd did not write $dump"; }
  kill "$bg_pid" 2>/dev/null || true
  wait "$bg_pid" 2>/dev/null || true
  bg_pid=""
}

human() { numfmt --to=iec --suffix=B "$1" 2>/dev/null || echo "$1 bytes"; }

for name in "${programs[@]}"; do
  base=$out/$name-jdk$major
  read -r -a pargs <<<"$(args_for "$name")"
  outputs=("$base.hprof" "$base.json")
  [[ $name == TrendLeak ]] && outputs=("$base"-step{1,2,3,4}.hprof "$base.json")
  app_jcmd=""
  if [[ $name == AppHeap && $app_by != dumpheap ]]; then
    case $app_by in
      jcmd) app_jcmd=-all=false ;;
      jcmd-parallel) app_jcmd=-parallel=2 ;;
      jcmd-gz) app_jcmd=-gz=1; outputs=("$base.hprof.gz" "$base.json") ;;
    esac
  fi
  if [[ $name == PgTimerLeak ]]; then
    outputs+=("$base.hprof.gz" "$base.hprof.zst" "$base-chunked.hprof.gz" "$base-chunked.json")
  fi
  stamp=$out/.stamps/$name-jdk$major
  key="$src_hash $size $heap ${pargs[*]} $app_by $(head -1 <<<"$java_version")"
  current=1
  for f in "${outputs[@]}"; do [[ -s $f ]] || current=0; done
  if ((!force && current)) && [[ -f $stamp && $(cat "$stamp") == "$key" ]]; then
    say "$name-jdk$major: up to date"
    continue
  fi
  rm -f "$stamp" "${outputs[@]}"
  t0=$(date +%s%N)
  if [[ -n $app_jcmd ]]; then
    jcmd_dump "$name" "${outputs[0]}" "$app_jcmd" "${pargs[@]}"
  elif [[ $name == AppHeap ]]; then # a live dump, like an application's: counts are exact
    run_java "$logs/$name-jdk$major.log" "$name" "${pargs[@]}" --live true --dump "$base.hprof" \
      || { tail -n 30 "$logs/$name-jdk$major.log" >&2; die "$name failed on JDK $major (log: $logs/$name-jdk$major.log)"; }
  else
    run_java "$logs/$name-jdk$major.log" "$name" "${pargs[@]}" --live false --dump "$base.hprof" \
      || { tail -n 30 "$logs/$name-jdk$major.log" >&2; die "$name failed on JDK $major (log: $logs/$name-jdk$major.log)"; }
  fi
  extra=""
  if [[ $name == PgTimerLeak ]]; then
    gzip -n -c "$base.hprof" >"$base.hprof.gz.tmp" && mv "$base.hprof.gz.tmp" "$base.hprof.gz"
    zstd -q -f "${zlevel[@]}" "$base.hprof" -o "$base.hprof.zst"
    jcmd_dump "$name" "$base-chunked.hprof.gz" -gz=1 "${pargs[@]}"
    extra=" (+ .gz $(human "$(stat -c %s "$base.hprof.gz")"), .zst $(human "$(stat -c %s "$base.hprof.zst")"), -chunked.hprof.gz $(human "$(stat -c %s "$base-chunked.hprof.gz")"))"
  fi
  chmod 644 "${outputs[@]}"
  ms=$((($(date +%s%N) - t0) / 1000000))
  say "$name-jdk$major: $(human "$(stat -c %s "${outputs[0]}")")$extra in $((ms / 1000)).$((ms % 1000 / 100))s"
  if ((check)) && [[ $name != TrendLeak ]]; then
    quick=(); [[ $size == large ]] && quick=(--quick)
    files=("${outputs[0]}"); [[ $name == PgTimerLeak ]] && files+=("$base.hprof.zst" "$base-chunked.hprof.gz")
    if ! report=$(python3 "$here/check_dump.py" "${quick[@]}" "${files[@]}"); then
      echo "$report" >&2
      die "check_dump.py found mismatches"
    fi
    say "$report"
  fi
  echo "$key" >"$stamp"
done
