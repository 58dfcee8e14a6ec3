# Runs the heapscope CLI once and checks what it did (cmake -P; one CTest test per call).
#
#   -DHEAPSCOPE=path       the binary
#   -DWORKDIR=dir          where it runs (dumps are named relative to it, so output is stable)
#   -DARGS=a|b|c           its arguments, separated by |
#   -DEXPECT_RC=n          expected exit status (default 0)
#   -DGOLDEN=file          stdout must equal this file; HEAPSCOPE_UPDATE_GOLDEN=1 in the
#                          environment rewrites it instead
#   -DACTUAL=file          where to leave stdout when it differs from the golden
#   -DKEYS=k|k             JSON paths that must exist in stdout: "parse_stats.bytes_used",
#                          "classes[0].class"
#   -DSTDERR_REGEX=re      stderr must match this CMake regex
#   -DSTDOUT_REGEX=re      stdout must match this CMake regex
#   -DSTDERR_EMPTY=ON      stderr must be empty
#   -DREQUIRE=file         skip (print HEAPSCOPE_SKIP) when this file does not exist
#   -DTRUNCATE=src|n|dst   first write the first n bytes of src to dst
cmake_minimum_required(VERSION 3.19)

function(fail what)
  message(FATAL_ERROR "heapscope ${ARGS}: ${what}")
endfunction()

if(DEFINED REQUIRE AND NOT EXISTS "${REQUIRE}")
  message(STATUS "HEAPSCOPE_SKIP: ${REQUIRE} is missing")
  return()
endif()
if(DEFINED TRUNCATE)
  string(REPLACE "|" ";" _cut "${TRUNCATE}")
  list(GET _cut 0 _src)
  list(GET _cut 1 _n)
  list(GET _cut 2 _dst)
  if(NOT EXISTS "${_src}")
    message(STATUS "HEAPSCOPE_SKIP: ${_src} is missing")
    return()
  endif()
  execute_process(COMMAND head -c ${_n} "${_src}" OUTPUT_FILE "${_dst}" RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    fail("could not write ${_dst}")
  endif()
endif()
if(NOT DEFINED EXPECT_RC)
  set(EXPECT_RC 0)
endif()

string(REPLACE "|" ";" _args "${ARGS}")
execute_process(
  COMMAND "${HEAPSCOPE}" ${_args}
  WORKING_DIRECTORY "${WORKDIR}"
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc)

if(NOT "${rc}" STREQUAL "${EXPECT_RC}")
  fail("exit status ${rc}, expected ${EXPECT_RC}\nstderr:\n${err}")
endif()
if(DEFINED STDERR_REGEX AND NOT err MATCHES "${STDERR_REGEX}")
  fail("stderr does not match \"${STDERR_REGEX}\":\n${err}")
endif()
if(DEFINED STDOUT_REGEX AND NOT out MATCHES "${STDOUT_REGEX}")
  fail("stdout does not match \"${STDOUT_REGEX}\":\n${out}")
endif()
if(STDERR_EMPTY AND NOT err STREQUAL "")
  fail("stderr should be empty:\n${err}")
endif()

if(DEFINED KEYS)
  string(REPLACE "|" ";" _keys "${KEYS}")
  foreach(key IN LISTS _keys)
    # "a.b[2].c" -> a b 2 c
    string(REGEX REPLACE "\\[([0-9]+)\\]" ".\\1" _path "${key}")
    string(REPLACE "." ";" _path "${_path}")
    string(JSON _v ERROR_VARIABLE _e GET "${out}" ${_path})
    if(_e)
      fail("JSON key ${key} missing: ${_e}")
    endif()
  endforeach()
endif()

if(DEFINED GOLDEN)
  if("$ENV{HEAPSCOPE_UPDATE_GOLDEN}" STREQUAL "1")
    file(WRITE "${GOLDEN}" "${out}")
    message(STATUS "updated ${GOLDEN}")
    return()
  endif()
  if(NOT EXISTS "${GOLDEN}")
    fail("no golden file ${GOLDEN} (run with HEAPSCOPE_UPDATE_GOLDEN=1 to write it)")
  endif()
  file(READ "${GOLDEN}" expected)
  if(NOT out STREQUAL expected)
    if(NOT DEFINED ACTUAL)
      set(ACTUAL "${GOLDEN}.actual")
    endif()
    file(WRITE "${ACTUAL}" "${out}")
    execute_process(COMMAND diff -u "${GOLDEN}" "${ACTUAL}" OUTPUT_VARIABLE _diff)
    string(LENGTH "${_diff}" _len)
    if(_len GREATER 6000)
      string(SUBSTRING "${_diff}" 0 6000 _diff)
      set(_diff "${_diff}\n... (diff cut)")
    endif()
    fail("output differs from ${GOLDEN} (actual: ${ACTUAL}; HEAPSCOPE_UPDATE_GOLDEN=1 to accept)\n${_diff}")
  endif()
endif()
