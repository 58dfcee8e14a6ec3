#!/usr/bin/env bash
# The ABI of libheapscope.so.0 against the committed baseline (bindings/c/abi/): abidw describes
# the built library (exported interfaces, types from the public header), abidiff compares.
# Additions are allowed (exit bit 4 alone: listed, test passes); a removed or changed function
# or type (bit 8) or an abidiff error fails. After an intended, compatible addition, refresh the
# baseline with: HEAPSCOPE_UPDATE_ABI=1 ctest -R capi_abi
# usage: abi_check.sh LIBRARY HEADERS_DIR BASELINE SCRATCH
set -uo pipefail
lib=$1 headers=$2 baseline=$3 current=$4
abidw --exported-interfaces-only --headers-dir "$headers" --drop-private-types --no-corpus-path \
  --no-show-locs --no-comp-dir-path "$lib" >"$current" || { echo "abidw failed"; exit 1; }
if [[ "${HEAPSCOPE_UPDATE_ABI:-}" == 1 ]]; then
  cp "$current" "$baseline"
  echo "baseline rewritten: $baseline"
fi
report="$(abidiff "$baseline" "$current")"
rc=$?
echo "$report"
# abidiff marks a changed parameter type only as "a change" (bit 4): count the changed and
# removed functions and variables from its summary.
broken=$(echo "$report" | sed -n 's/.*summary: \([0-9]*\) Removed[^,]*, \([0-9]*\) Changed.*/\1 \2/p' |
         awk '{ n += $1 + $2 } END { print n + 0 }')
if ((rc & 8)) || ((broken > 0)); then
  echo "libheapscope.so.0: an INCOMPATIBLE ABI change against $baseline (see above)."
  echo "Restore the ABI, or bump the SONAME and write down why in docs/notes/c-abi.md."
  exit 1
elif ((rc & 3)); then
  echo "abidiff failed ($rc)"
  exit 1
elif ((rc & 4)); then
  echo "libheapscope.so.0: compatible additions (refresh the baseline with HEAPSCOPE_UPDATE_ABI=1)"
fi
echo "libheapscope.so.0: ABI compatible with the baseline"
