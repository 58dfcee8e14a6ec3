#!/bin/sh
# Builds the seed corpus of hprof_fuzz into OUT_DIR (nothing big is committed):
#   - the hand-built seeds written by hprof_seed_writer (small dump shapes, Android, damage);
#   - tests/fuzz/regressions/: inputs that once crashed the reader (small, committed);
#   - corpus files of at most 300 KB, copied;
#   - the first 64 KB of every larger uncompressed corpus file (header, strings, classes, the
#     start of the heap: a cut dump, which the reader must handle anyway).
# usage: make-seeds.sh SEED_WRITER CORPUS_DIR OUT_DIR      (CORPUS_DIR may be missing)
set -eu
writer=$1
corpus=$2
out=$3
mkdir -p "$out"
"$writer" "$out"
for f in "$(dirname "$0")"/regressions/*; do
  if [ -f "$f" ]; then cp "$f" "$out"/; fi
done
if [ -d "$corpus" ]; then
  for f in "$corpus"/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    case "$name" in INDEX.tsv|*.gz|*.zst|*.bz2) continue ;; esac
    size=$(wc -c < "$f")
    rm -f "$out/$name" "$out/$name.head64k"  # copies of read-only files stay read-only
    if [ "$size" -le 307200 ]; then
      cp "$f" "$out/$name"
      chmod u+w "$out/$name"
    else
      head -c 65536 "$f" > "$out/$name.head64k"
    fi
  done
else
  echo "make-seeds.sh: no corpus at $corpus; hand-built seeds only" >&2
fi
echo "make-seeds.sh: $(ls "$out" | wc -l) seeds in $out"
