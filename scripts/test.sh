#!/usr/bin/env bash
# Heapscope, second command: the whole test suite, as CI runs it (.ci/run).
#
#   1. build/        RelWithDebInfo, tests on          → ctest
#   2. build-asan/   ASan + UBSan (preset asan)        → ctest      skip: HEAPSCOPE_SKIP_ASAN=1
#   3. build-fuzz/   libFuzzer, clang 14 (preset fuzz) → ctest      skip: HEAPSCOPE_SKIP_FUZZ=1
#   4. install build/ into a temp prefix; build samples/embed (C++) and samples/embed-c (C ABI)
#      against it; pkg-config checks
#   5. clang-format --dry-run -Werror over the C++ sources
#
# Ends with one line "N passed, M failed" (CTest results summed over the stages) and exits
# non-zero if any test or stage failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

bash scripts/install-deps.sh || { echo "test: installing dependencies failed"; echo "0 passed, 0 failed"; exit 1; }

export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
jdk17="/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)"
[[ -n "${JAVA_HOME:-}" || ! -d "$jdk17" ]] || export JAVA_HOME="$jdk17"
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

corpus_dump="$root/../shared/corpus/local-generated__jdk17_serial.hprof"
corpus_objects=12762

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
passed=0
failed=0
skipped=0
failed_stages=()
stage_times=()
t_start=$SECONDS

stage() { echo; echo "==== test: $* ===="; }
fail_stage() { failed_stages+=("$1"); echo "test: FAILED: $1"; }
timed() { stage_times+=("$1 $(($SECONDS - $2))s"); }

# Runs ctest in build dir $2 for stage $1 and adds its counts to the totals.
run_ctest() {
  local name="$1" dir="$2" log="$logs/$1.ctest"
  ctest --test-dir "$dir" --output-on-failure -j2 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line
  line="$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)"
  if [[ -n "$line" ]]; then
    local f t
    f="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")"
    t="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")"
    # CTest counts skipped tests (SKIP_RETURN_CODE, e.g. GTEST_SKIP) as passed; "Not Run" is failed
    local k
    k="$(grep -cE '^[[:space:]]*[0-9]+ - .*\(Skipped\)$' "$log")"
    passed=$((passed + t - f - k))
    failed=$((failed + f))
    ((k == 0)) || { skipped=$((skipped + k)); echo "test: $name: $k tests skipped (not counted as passed)"; }
  elif grep -q 'No tests were found' "$log"; then
    echo "test: $name: no tests registered"
    return 0
  fi
  ((rc == 0)) || fail_stage "$name ctest"
}

# ---- 1. main build ----
stage "1/5 build/ (RelWithDebInfo, tests)"
t=$SECONDS
generator=()
[[ -f build/CMakeCache.txt ]] || generator=(-G Ninja)
if cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEAPSCOPE_BUILD_TESTS=ON &&
   cmake --build build; then
  run_ctest main build
  main_built=1
else
  fail_stage "build/"
  main_built=0
fi
timed main $t

# ---- 2. ASan + UBSan ----
if [[ "${HEAPSCOPE_SKIP_ASAN:-0}" == 1 ]]; then
  stage "2/5 build-asan/ skipped (HEAPSCOPE_SKIP_ASAN=1)"
else
  stage "2/5 build-asan/ (AddressSanitizer + UndefinedBehaviorSanitizer)"
  t=$SECONDS
  if cmake --preset asan && cmake --build build-asan; then
    run_ctest asan build-asan
  else
    fail_stage "build-asan/"
  fi
  timed asan $t
fi

# ---- 3. fuzz ----
if [[ "${HEAPSCOPE_SKIP_FUZZ:-0}" == 1 ]]; then
  stage "3/5 build-fuzz/ skipped (HEAPSCOPE_SKIP_FUZZ=1)"
elif ! command -v clang++-14 >/dev/null; then
  stage "3/5 build-fuzz/ skipped (no clang++-14)"
elif [[ ! -f tests/fuzz/CMakeLists.txt ]]; then
  stage "3/5 build-fuzz/ skipped (no fuzz targets yet: tests/fuzz/CMakeLists.txt is missing)"
else
  stage "3/5 build-fuzz/ (libFuzzer, clang 14, fixed-count runs)"
  t=$SECONDS
  if cmake --preset fuzz && cmake --build build-fuzz; then
    run_ctest fuzz build-fuzz
  else
    fail_stage "build-fuzz/"
  fi
  timed fuzz $t
fi

# ---- 4. install tree + consumer ----
stage "4/5 install build/ and build samples/embed and samples/embed-c against it"
t=$SECONDS
if ((main_built == 0)); then
  fail_stage "install/consumer (build/ did not build)"
elif [[ ! -f "$corpus_dump" ]]; then
  fail_stage "install/consumer ($corpus_dump is missing)"
else
  prefix="$logs/prefix"
  pc_path="$prefix/$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' build/CMakeCache.txt)/pkgconfig"
  if ! cmake --install build --prefix "$prefix" >"$logs/install.log" 2>&1; then
    cat "$logs/install.log"
    fail_stage "cmake --install build"
  elif ! { cmake -S samples/embed -B "$logs/embed" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" &&
           cmake --build "$logs/embed"; }; then
    fail_stage "samples/embed against the installed tree"
  else
    got="$("$logs/embed/heapscope-embed" "$corpus_dump")"
    if [[ "$got" == "$corpus_objects" ]]; then
      echo "test: samples/embed: $got objects, as expected"
    else
      fail_stage "samples/embed printed '$got', expected $corpus_objects"
    fi
    # every installed header compiles on its own include path (no private or build-tree includes)
    (cd "$prefix/include" && find heapscope -name '*.h' | sort | sed 's/.*/#include "&"/') \
      >"$logs/all_headers.cpp"
    if c++ -std=c++20 -fsyntax-only -I"$prefix/include" "$logs/all_headers.cpp"; then
      echo "test: $(wc -l <"$logs/all_headers.cpp") installed headers compile"
    else
      fail_stage "installed headers do not compile by themselves"
    fi
    if flags="$(PKG_CONFIG_PATH="$pc_path" pkg-config --cflags --libs heapscope-cpp)"; then
      echo "test: pkg-config --cflags --libs heapscope-cpp: $flags"
      # shellcheck disable=SC2086  # the flags are a word list
      if c++ -std=c++20 samples/embed/main.cpp $flags -o "$logs/embed-pc" &&
         [[ "$("$logs/embed-pc" "$corpus_dump")" == "$corpus_objects" ]]; then
        echo "test: samples/embed built with pkg-config flags: ok"
      else
        fail_stage "samples/embed built with pkg-config flags"
      fi
    else
      fail_stage "pkg-config heapscope-cpp"
    fi
    # the C ABI: samples/embed-c with cc + pkg-config heapscope and with CMake, against the CLI
    if bash tests/capi/install_test.sh build . "$logs/prefix-c" samples/demo/pg-timer-leak.hprof.zst; then
      echo "test: samples/embed-c (C ABI) built with pkg-config and CMake: ok"
    else
      fail_stage "samples/embed-c against the installed C ABI"
    fi
  fi
fi
timed install $t

# ---- 5. clang-format ----
stage "5/5 clang-format --dry-run -Werror"
t=$SECONDS
mapfile -t sources < <(find hprof analysis cli gui tests bench samples/embed bindings samples/embed-c \
                         \( -name '*.h' -o -name '*.cpp' -o -name '*.c' \) -type f 2>/dev/null | sort)
bad=()
for f in "${sources[@]}"; do
  if ! clang-format --dry-run -Werror "$f" 2>"$logs/format.log"; then
    bad+=("$f")
    n="$(grep -c 'Wclang-format-violations' "$logs/format.log")"
    echo "-- $f: $n places; the first:"
    grep -A2 -m 3 'Wclang-format-violations' "$logs/format.log"
  fi
done
if ((${#bad[@]})); then
  echo "test: ${#bad[@]} of ${#sources[@]} files need clang-format:"
  printf '  %s\n' "${bad[@]}"
  echo "test: fix with: clang-format -i FILE..."
  fail_stage "clang-format (${#bad[@]} files)"
else
  echo "test: clang-format: ${#sources[@]} files clean"
fi
timed format $t

echo
echo "==== test: summary ===="
echo "time: ${stage_times[*]}, total $((SECONDS - t_start))s"
((skipped == 0)) || echo "skipped tests: $skipped"
if ((${#failed_stages[@]})); then
  echo "failed stages: $(IFS=';'; echo "${failed_stages[*]}")"
fi
echo "$passed passed, $failed failed"
((${#failed_stages[@]} == 0 && failed == 0))
