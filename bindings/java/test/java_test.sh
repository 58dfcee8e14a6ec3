#!/usr/bin/env bash
# Runs dev.heapscope.HeapscopeTest against the CLI's JSON of the same dump.
# usage: java_test.sh JAVA CLASSPATH JNI_LIBRARY HEAPSCOPE_CLI DUMP SCRATCH
set -euo pipefail
java=$1 classpath=$2 jni=$3 cli=$4 dump=$5 scratch=$6
object=0xf0000470  # a closed Jdbc3gPreparedStatement of the demo dump (PgTimerLeak)
mkdir -p "$scratch"
rc=0
"$cli" analyze -q --format json "$dump" >"$scratch/report.json" || rc=$?
((rc == 0 || rc == 1)) || { echo "heapscope analyze exited $rc"; exit 1; }
"$cli" object -q --format json --object "$object" "$dump" >"$scratch/object.json"
exec "$java" -Dheapscope.jni="$jni" -cp "$classpath" dev.heapscope.HeapscopeTest \
  "$dump" "$scratch/report.json" "$scratch/object.json" "$object"
