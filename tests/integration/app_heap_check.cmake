# Checks the AppHeap sample dump through the real CLI (cmake -P; one CTest test per JDK):
#   - `heapscope histogram --format json` shows exactly the instance counts of the sample's own
#     classes that its sidecar lists (the dump is live), and each plugin class once per plugin
#     class loader (sidecar "class_definitions");
#   - `heapscope analyze --format json --fail-on warning` exits 0 with no warning or critical
#     finding: the heap is healthy.
#
#   -DHEAPSCOPE=path  the CLI     -DDUMP=path  AppHeap-jdkN.hprof     -DSIDECAR=path  its .json
cmake_minimum_required(VERSION 3.19)

function(fail what)
  message(FATAL_ERROR "AppHeap check on ${DUMP}: ${what}")
endfunction()

foreach(f "${DUMP}" "${SIDECAR}")
  if(NOT EXISTS "${f}")
    fail("${f} is missing (the sample_dumps fixture writes it)")
  endif()
endforeach()
file(READ "${SIDECAR}" sidecar)

execute_process(COMMAND "${HEAPSCOPE}" histogram --format json --quiet "${DUMP}"
                OUTPUT_VARIABLE hist ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  fail("histogram exited ${rc}: ${err}")
endif()

# instances and class definitions per class name, from the histogram
string(JSON nrows LENGTH "${hist}" classes)
math(EXPR last "${nrows} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${hist}" classes ${i} class)
  string(JSON count GET "${hist}" classes ${i} count)
  string(MAKE_C_IDENTIFIER "${name}" key)
  if(NOT DEFINED count_${key})
    set(count_${key} 0)
    set(defs_${key} 0)
  endif()
  math(EXPR count_${key} "${count_${key}} + ${count}")
  math(EXPR defs_${key} "${defs_${key}} + 1")
endforeach()

function(expect_counts member what var_prefix)
  string(JSON n LENGTH "${sidecar}" ${member})
  if(n EQUAL 0)
    fail("sidecar has no ${member}")
  endif()
  math(EXPR last "${n} - 1")
  foreach(i RANGE ${last})
    string(JSON name MEMBER "${sidecar}" ${member} ${i})
    string(JSON want GET "${sidecar}" ${member} "${name}")
    string(MAKE_C_IDENTIFIER "${name}" key)
    set(got 0)
    if(DEFINED ${var_prefix}_${key})
      set(got "${${var_prefix}_${key}}")
    endif()
    if(NOT got EQUAL want)
      fail("${what} of ${name}: heapscope histogram says ${got}, the sidecar ${want}")
    endif()
  endforeach()
  message(STATUS "${n} classes: ${what} as in the sidecar")
endfunction()
expect_counts(classes "instances" count)
expect_counts(class_definitions "class definitions" defs)

execute_process(COMMAND "${HEAPSCOPE}" analyze --format json --quiet --fail-on warning "${DUMP}"
                OUTPUT_VARIABLE report ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  fail("analyze --fail-on warning exited ${rc} on a healthy heap: ${err}\n${report}")
endif()
foreach(sev critical warning)
  string(JSON n GET "${report}" verdict ${sev})
  if(NOT n EQUAL 0)
    fail("analyze reports ${n} ${sev} findings on a healthy heap")
  endif()
endforeach()
string(JSON objects GET "${report}" summary objects)
message(STATUS "healthy: no finding above info (${objects} objects)")
