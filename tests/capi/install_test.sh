#!/usr/bin/env bash
# Installs the build tree into a scratch prefix and builds the C99 twin of samples/embed
# (samples/embed-c) against it twice: with `cc` and `pkg-config --cflags --libs heapscope`, and
# with CMake (find_package(heapscope), heapscope::c). Both must print the CLI's report JSON.
# usage: install_test.sh BUILD_DIR SOURCE_DIR PREFIX DUMP
set -euo pipefail
build=$1 src=$2 prefix=$3 dump=$4
scratch="$prefix.work"
rm -rf "$prefix" "$scratch"
mkdir -p "$scratch"
cmake --install "$build" --prefix "$prefix" >"$scratch/install.log"
libdir="$prefix/$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$build/CMakeCache.txt")"
flags="$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs heapscope)"
echo "pkg-config --cflags --libs heapscope: $flags"
# shellcheck disable=SC2086  # the flags are a word list
cc -std=c99 -Wall -Wextra -pedantic -Werror "$src/samples/embed-c/main.c" $flags \
  -o "$scratch/embed-c-pkgconfig"
cmake -S "$src/samples/embed-c" -B "$scratch/embed-c" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  >"$scratch/cmake.log"
cmake --build "$scratch/embed-c" >>"$scratch/cmake.log"
rc=0
"$prefix/bin/heapscope" analyze -q --format json "$dump" >"$scratch/cli.json" || rc=$?
((rc == 0 || rc == 1)) || { echo "heapscope analyze exited $rc"; exit 1; }
LD_LIBRARY_PATH="$libdir" "$scratch/embed-c-pkgconfig" "$dump" >"$scratch/pkgconfig.json" 2>/dev/null
"$scratch/embed-c/heapscope-embed-c" "$dump" >"$scratch/cmake.json" 2>/dev/null
cmp "$scratch/cli.json" "$scratch/pkgconfig.json"
cmp "$scratch/cli.json" "$scratch/cmake.json"
echo "samples/embed-c (pkg-config and CMake) printed the CLI's report ($(wc -c <"$scratch/cli.json") bytes)"
