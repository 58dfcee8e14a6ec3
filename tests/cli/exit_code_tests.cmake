# Exit codes (README "Exit codes"): 0 ok, 2 usage, 3 bad input with the byte offset,
# 4 out of memory / over the memory budget. Included by CMakeLists.txt.
set(BYTE_OFFSET "at byte [0-9]+")

# ---- 3: the dump cannot be read; the message names the byte offset ----
cli_test(exit_bad_input_lfs_pointer CORPUS marinesnow34__dump-example__dump.hprof
         ARGS info -q RC 3 STDERR "not-hprof ${BYTE_OFFSET}")
cli_test(exit_bad_input_empty_file CORPUS agourlay__hprof-slurp__nexio-heap-bug1fix.hprof
         ARGS dominators -q RC 3 STDERR "empty at byte 0")
cli_test(exit_bad_input_no_heap_dump CORPUS frohoff__jdk8u-jdk__test_sun_tools_jhat_minimal.bin
         ARGS histogram -q RC 3 STDERR "no-heap-dump ${BYTE_OFFSET}")
cli_test(exit_bad_input_missing_file NO_DUMP ARGS info -q no-such-dump.hprof RC 3
         STDERR "cannot open")
# Files cut short, written into the build dir by the test.
cli_test(exit_bad_input_cut_in_header ARGS info -q DUMP ${CLI_SCRATCH}/serial-25-bytes.hprof
         TRUNCATE "${CLI_CORPUS}/local-generated__jdk17_serial.hprof|25|${CLI_SCRATCH}/serial-25-bytes.hprof"
         RC 3 STDERR "truncated at byte 25")
cli_test(exit_bad_input_cut_zstd ARGS histogram -q DUMP ${CLI_SCRATCH}/demo-2000-bytes.hprof.zst
         TRUNCATE "${CLI_DEMO_DIR}/${CLI_DEMO}|2000|${CLI_SCRATCH}/demo-2000-bytes.hprof.zst"
         RC 3 STDERR "compression ${BYTE_OFFSET}")

# ---- 0: a damaged dump is analyzed as far as it goes, with a warning ----
cli_test(exit_truncated_dump_dominators CORPUS derived__hprof-32.bin__truncated-at-200000.hprof
         ARGS dominators -q --format json RC 0 STDERR "warning: .*% of the file used")
cli_test(exit_truncated_zstd_tail ARGS dominators -q --top 3
         DUMP ${CLI_SCRATCH}/demo-700000-bytes.hprof.zst
         TRUNCATE "${CLI_DEMO_DIR}/${CLI_DEMO}|700000|${CLI_SCRATCH}/demo-700000-bytes.hprof.zst"
         RC 0 STDERR "% of the file used.*zstd stream is cut short")

# ---- 2: usage errors ----
cli_test(exit_usage_no_command NO_DUMP ARGS "" RC 2)
cli_test(exit_usage_unknown_command NO_DUMP ARGS analyse-this RC 2)
cli_test(exit_usage_no_dump NO_DUMP ARGS histogram -q RC 2 STDERR "dump is required")
cli_test(exit_usage_unknown_option ARGS info -q --bogus RC 2)
cli_test(exit_usage_bad_format ARGS info -q --format xml RC 2 STDERR "--format")
cli_test(exit_usage_bad_sort ARGS histogram -q --sort size RC 2 STDERR "--sort")
cli_test(exit_usage_bad_depth ARGS dominators -q --depth 0 RC 2 STDERR "--depth")
cli_test(exit_usage_path_without_object ARGS path -q RC 2 STDERR "--object")
cli_test(exit_usage_not_an_id ARGS object -q --object 0xZZ RC 2 STDERR "is not an object id")
# An id the dump does not hold is a usage error too.
cli_test(exit_usage_unknown_object ARGS object -q --object 0x1234 RC 2
         STDERR "no object with id 0x1234")
cli_test(exit_usage_unknown_object_path ARGS path -q --object 0x1234 --format json RC 2
         STDERR "no object with id 0x1234")

# ---- 4: over the memory budget and no disk to spill to (before anything big is built) ----
# Over the budget the tables go to spill files; exit 4 only when the spill directory cannot
# hold them, with what it would take in memory and on disk.
cli_test(exit_memory_budget_dominators ARGS dominators --memory-budget 1K -q
         --spill-dir /nonexistent/heapscope-spill RC 4
         STDERR "memory budget of 1.0 KiB .*--memory-budget.*/nonexistent/heapscope-spill.*of disk")
cli_test(exit_memory_budget_histogram_retained ARGS histogram -q --sort retained
         --memory-budget 1K --spill-dir /nonexistent/heapscope-spill RC 4 STDERR "budget")
cli_test(exit_memory_budget_object ARGS object -q --object 0xf0000938 --memory-budget 1K
         --spill-dir /nonexistent/heapscope-spill RC 4)
# Only the engine has a budget: info and the plain histogram need no graph.
cli_test(exit_memory_budget_not_needed ARGS histogram -q --top 1 --memory-budget 1K RC 0)
# With a spill directory the same budget is no failure.
cli_test(exit_memory_budget_spills ARGS dominators --memory-budget 1K RC 0
         STDERR "over the memory budget of 1.0 KiB \\(--memory-budget\\): tables in spill files")

# ---- 0: --version and --help ----
cli_test(exit_version NO_DUMP ARGS --version RC 0)
cli_test(exit_help NO_DUMP ARGS dominators --help RC 0)

# --memory-budget that is not a size is a usage error naming the option.
cli_test(exit_usage_memory_budget_not_a_size ARGS dominators -q --memory-budget abc RC 2
         STDERR "memory-budget")
cli_test(exit_usage_memory_budget_negative ARGS dominators -q --memory-budget -5 RC 2
         STDERR "memory-budget")
cli_test(exit_usage_memory_budget_bad_suffix ARGS dominators -q --memory-budget 4X RC 2
         STDERR "memory-budget")

# ---- diff and trend ----
cli_test(exit_bad_input_diff_missing_base ARGS diff -q no-such-dump.hprof RC 3 STDERR "cannot open")
cli_test(exit_usage_trend_one_dump ARGS trend -q RC 2 STDERR "dumps")
cli_test(exit_usage_trend_bad_limit ARGS trend -q --heap-limit lots ${CLI_DEMO_DIR}/${CLI_DEMO}
         RC 2 STDERR "--heap-limit")
cli_test(exit_ok_diff_demo_with_itself ARGS diff -q --format json ${CLI_DEMO_DIR}/${CLI_DEMO}
         RC 0 STDOUT "\"classes_unchanged\"")

# ---- redact: damaged input is refused (what cannot be parsed cannot be redacted), no OUT ----
cli_test(exit_bad_input_redact_empty NO_DUMP ARGS redact -q
         ${CLI_CORPUS}/agourlay__hprof-slurp__nexio-heap-bug1fix.hprof ${CLI_SCRATCH}/redact-empty.hprof
         RC 3 STDERR "empty at byte 0")
cli_test(exit_bad_input_redact_not_hprof NO_DUMP ARGS redact -q
         ${CLI_CORPUS}/marinesnow34__dump-example__dump.hprof ${CLI_SCRATCH}/redact-lfs.hprof
         RC 3 STDERR "not-hprof ${BYTE_OFFSET}")
cli_test(exit_bad_input_redact_truncated NO_DUMP ARGS redact -q
         ${CLI_CORPUS}/derived__hprof-32.bin__truncated-at-200000.hprof ${CLI_SCRATCH}/redact-cut.hprof
         RC 3 STDERR "cannot redact: truncated ${BYTE_OFFSET}")
cli_test(exit_ok_redact_demo NO_DUMP ARGS redact -q ${CLI_DEMO_DIR}/${CLI_DEMO}
         ${CLI_SCRATCH}/redact-demo.hprof.gz RC 0 STDERR_EMPTY)
cli_test(exit_usage_redact_bad_level NO_DUMP ARGS redact -q --level all ${CLI_DEMO_DIR}/${CLI_DEMO}
         ${CLI_SCRATCH}/redact-level.hprof RC 2 STDERR "--level")
