#!/usr/bin/env bash
# Heapscope, first command: install build dependencies (Debian 12), build into build/, and run
# the CLI on the bundled demo dump. Safe to re-run; a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh

# Keep an existing build/ configuration (and its generator); otherwise start one with Ninja.
generator=()
[[ -f build/CMakeCache.txt ]] || generator=(-G Ninja)
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build --target heapscope

dump=samples/demo/pg-timer-leak.hprof.zst
if [[ ! -f "$dump" ]]; then
  dump=../shared/corpus/local-generated__jdk17_serial.hprof
  if [[ ! -f "$dump" ]]; then
    # the smallest non-empty, undamaged one
    dump="$(find ../shared/corpus -maxdepth 1 -name '*.hprof' ! -name 'derived__*' -size +1k \
              -printf '%s %p\n' 2>/dev/null | sort -n | head -n 1 | cut -d' ' -f2-)"
  fi
  if [[ -z "$dump" || ! -f "$dump" ]]; then
    echo "setup: built build/cli/heapscope; no demo dump found (samples/demo/ is empty), skipping the demo"
    exit 0
  fi
  echo "setup: note: the bundled demo dump is not there yet; showing $dump instead"
fi

echo "setup: build/cli/heapscope on $dump"
# ---- MAIN JOB (the one line to change); exit code 1 = findings, expected: the demo has a leak ----
build/cli/heapscope analyze "$dump" || [[ $? == 1 ]]
