# Golden outputs of every command and format (included by CMakeLists.txt).
#
# Demo dump (samples/demo/pg-timer-leak.hprof.zst, PgTimerLeak on JDK 17). Object ids used:
#   0xf0000938  a CANCELLED org.postgresql.jdbc2.AbstractJdbc2Statement$1 (TimerTask)
#   0xf0000470  its closed Jdbc3gPreparedStatement (the task's this$0)
#   0xffb0dc60  the Timer's java.util.TimerTask[]
#   0xffe023d0  class java.lang.ref.Finalizer
set(TASK 0xf0000938)
set(STATEMENT 0xf0000470)

# ---- info ----
cli_test(demo_info_json ARGS info -q --format json GOLDEN demo_info.json KEYS ${KEYS_INFO}
         STDERR_EMPTY)
cli_test(demo_info_text ARGS info -q GOLDEN demo_info.txt STDERR_EMPTY)
# Without --quiet the progress goes to stderr only: stdout is the same JSON.
cli_test(demo_info_json_with_progress ARGS info --format json GOLDEN demo_info.json)

# ---- histogram ----
cli_test(demo_histogram_json ARGS histogram -q --format json --top 10
         GOLDEN demo_histogram.json KEYS ${KEYS_HISTOGRAM} STDERR_EMPTY)
cli_test(demo_histogram_text ARGS histogram -q --top 10 GOLDEN demo_histogram.txt)
cli_test(demo_histogram_count_text ARGS histogram -q --sort count --top 10
         GOLDEN demo_histogram_count.txt)
cli_test(demo_histogram_retained_json ARGS histogram -q --sort retained --format json --top 10
         GOLDEN demo_histogram_retained.json KEYS ${KEYS_HISTOGRAM} classes[0].retained_bytes
         convention STDERR_EMPTY)
cli_test(demo_histogram_retained_text ARGS histogram -q --sort retained --top 10
         GOLDEN demo_histogram_retained.txt)
cli_test(demo_histogram_retained_strong_json
         ARGS histogram -q --sort retained --strong-only --format json --top 10
         GOLDEN demo_histogram_retained_strong.json KEYS ${KEYS_HISTOGRAM}
         classes[0].retained_bytes)

# ---- dominators ----
cli_test(demo_dominators_json ARGS dominators -q --format json --top 5 --depth 2
         GOLDEN demo_dominators.json KEYS ${KEYS_DOMINATORS} dominators[0].children[0].object_id
         STDERR_EMPTY)
# One worker thread must give the same tree as all cores.
# Tables in spill files (a budget of 1 KiB) give the same bytes as tables in memory.
cli_test(demo_dominators_json_spilled ARGS dominators -q --memory-budget 1K --format json --top 5
         --depth 2 GOLDEN demo_dominators.json)
cli_test(demo_histogram_retained_json_spilled ARGS histogram -q --sort retained --format json
         --top 10 --memory-budget 1K GOLDEN demo_histogram_retained.json)
cli_test(demo_dominators_json_1_thread ARGS dominators -q --threads 1 --format json --top 5
         --depth 2 GOLDEN demo_dominators.json)
cli_test(demo_dominators_text ARGS dominators -q --top 5 --depth 2 GOLDEN demo_dominators.txt)
cli_test(demo_dominators_strong_json ARGS dominators -q --strong-only --format json --top 3
         --depth 3 GOLDEN demo_dominators_strong.json KEYS ${KEYS_DOMINATORS})
cli_test(demo_dominators_strong_text ARGS dominators -q --strong-only --top 3 --depth 3
         GOLDEN demo_dominators_strong.txt)
# The children of one object: the TaskQueue of the Timer (its TimerTask[] and below).
cli_test(demo_dominators_children_json ARGS dominators -q --format json --object 0xf008f718
         --top 3 --depth 2 GOLDEN demo_dominators_children.json KEYS object_id
         dominators[0].object_id dominators[0].children STDERR_EMPTY)
cli_test(demo_dominators_children_text ARGS dominators -q --object 0xf008f718 --top 3 --depth 2
         GOLDEN demo_dominators_children.txt)
cli_test(demo_dominators_children_unknown_object ARGS dominators -q --object 0x12345 RC 2
         STDERR "no object with id 0x12345")

# ---- analyze --format openmetrics (validated by openmetrics_valid in tests/render) ----
cli_test(demo_analyze_openmetrics ARGS analyze -q --format openmetrics GOLDEN demo_analyze.om
         RC 1 STDERR_EMPTY)

# ---- path ----
cli_test(demo_path_task_json ARGS path -q --object ${TASK} --format json
         GOLDEN demo_path_task.json KEYS ${KEYS_PATH} STDERR_EMPTY)
cli_test(demo_path_task_text ARGS path -q --object ${TASK} GOLDEN demo_path_task.txt)
cli_test(demo_path_statement_all_references_json
         ARGS path -q --object ${STATEMENT} --all-references --max-paths 2 --format json
         GOLDEN demo_path_statement_all.json KEYS ${KEYS_PATH} paths[1].steps)
cli_test(demo_path_statement_text ARGS path -q --object ${STATEMENT} --max-paths 3
         GOLDEN demo_path_statement.txt)
# A decimal id names the same object (0xf0000938 = 4026534200).
cli_test(demo_path_task_decimal_id_json ARGS path -q --object 4026534200 --format json
         GOLDEN demo_path_task.json)

# ---- object ----
cli_test(demo_object_statement_json ARGS object -q --object ${STATEMENT} --format json
         GOLDEN demo_object_statement.json KEYS ${KEYS_OBJECT} STDERR_EMPTY)
cli_test(demo_object_statement_text ARGS object -q --object ${STATEMENT}
         GOLDEN demo_object_statement.txt)
cli_test(demo_object_task_json ARGS object -q --object ${TASK} --format json
         GOLDEN demo_object_task.json KEYS ${KEYS_OBJECT})
cli_test(demo_object_array_json ARGS object -q --object 0xffb0dc60 --elements 3 --format json
         GOLDEN demo_object_array.json KEYS ${KEYS_OBJECT} length)
cli_test(demo_object_class_text ARGS object -q --object 0xffe023d0 GOLDEN demo_object_class.txt)

# ---- corpus: other JDKs, id sizes, agents, Android, gzip ----
set(SERIAL local-generated__jdk17_serial.hprof)
cli_test(corpus_jdk17_serial_info_json CORPUS ${SERIAL} ARGS info -q --format json
         GOLDEN corpus_jdk17_serial_info.json KEYS ${KEYS_INFO})
cli_test(corpus_jdk17_serial_histogram_json CORPUS ${SERIAL}
         ARGS histogram -q --format json --top 10 GOLDEN corpus_jdk17_serial_histogram.json)
cli_test(corpus_jdk17_serial_dominators_json CORPUS ${SERIAL}
         ARGS dominators -q --format json --top 5 --depth 2
         GOLDEN corpus_jdk17_serial_dominators.json KEYS ${KEYS_DOMINATORS})

set(AGENT32 agourlay__hprof-slurp__test-heap-dumps_hprof-32.bin)
cli_test(corpus_agent32_info_json CORPUS ${AGENT32} ARGS info -q --format json
         GOLDEN corpus_agent32_info.json KEYS ${KEYS_INFO})
cli_test(corpus_agent32_histogram_json CORPUS ${AGENT32} ARGS histogram -q --format json --top 10
         GOLDEN corpus_agent32_histogram.json)
cli_test(corpus_agent32_dominators_text CORPUS ${AGENT32} ARGS dominators -q --top 5 --depth 2
         GOLDEN corpus_agent32_dominators.txt)

set(OOPS eclipse-mat__mat__plugins_org.eclipse.mat.tests_dumps_sun_jdk6_30_x64_compressedOops.hprof)
cli_test(corpus_jdk6_compressed_oops_info_json CORPUS ${OOPS} ARGS info -q --format json
         GOLDEN corpus_jdk6_compressed_oops_info.json)
cli_test(corpus_jdk6_compressed_oops_histogram_retained_json CORPUS ${OOPS}
         ARGS histogram -q --sort retained --format json --top 10
         GOLDEN corpus_jdk6_compressed_oops_histogram_retained.json)

set(ANDROID square__leakcanary__leakcanary-analyzer_src_test_resources_leak_service_binder.hprof)
cli_test(corpus_android_info_json CORPUS ${ANDROID} ARGS info -q --format json
         GOLDEN corpus_android_info.json KEYS ${KEYS_INFO})
cli_test(corpus_android_histogram_count_json CORPUS ${ANDROID}
         ARGS histogram -q --sort count --format json --top 10
         GOLDEN corpus_android_histogram_count.json)

# jcmd GC.heap_dump -gz=1: chunked gzip (4 members)
set(GZ local-generated__jdk17_g1.hprof.gz)
cli_test(corpus_jdk17_g1_chunked_gzip_info_json CORPUS ${GZ} ARGS info -q --format json
         GOLDEN corpus_jdk17_g1_chunked_gzip_info.json KEYS ${KEYS_INFO})
cli_test(corpus_jdk17_g1_chunked_gzip_histogram_retained_text CORPUS ${GZ}
         ARGS histogram -q --sort retained --top 10
         GOLDEN corpus_jdk17_g1_chunked_gzip_histogram_retained.txt)

# A truncated dump is analyzed as far as it goes (exit 0), with the damage in the report.
set(CUT derived__hprof-32.bin__truncated-at-200000.hprof)
cli_test(corpus_truncated_info_json CORPUS ${CUT} ARGS info -q --format json
         GOLDEN corpus_truncated_info.json KEYS ${KEYS_INFO} STDERR "% of the file used")

# NaN floats and doubles: "NaN" in text and JSON (null would read as a null reference).
# Demo.java puts new float[]{1.5f, Float.NaN} and new double[]{2.5, Double.NaN} into the serial
# corpus dump (0xfd5c06c8, 0xfd5c06e0).
cli_test(object_float_nan_text CORPUS ${SERIAL} ARGS object -q --object 0xfd5c06c8
         STDOUT "\\[1\\] += NaN")
cli_test(object_double_nan_json CORPUS ${SERIAL} ARGS object -q --format json --object 0xfd5c06e0
         STDOUT "\"value\": \"NaN\"")

# ---- diff and trend (the demo dump against itself: every delta and rate is zero) ----
foreach(_fmt text md html json)
  set(_ext ${_fmt})
  if(_fmt STREQUAL "text")
    set(_ext txt)
  endif()
  cli_test(demo_diff_${_fmt} ARGS diff -q --format ${_fmt} ${CLI_DEMO}
           GOLDEN demo_diff.${_ext} STDERR_EMPTY)
  cli_test(demo_trend_${_fmt} ARGS trend -q --heap-limit 64M --format ${_fmt} ${CLI_DEMO}
           GOLDEN demo_trend.${_ext} STDERR_EMPTY)
endforeach()
