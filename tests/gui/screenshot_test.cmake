# Runs heapscope-gui DUMP --screenshot PNG --view VIEW --size SIZE, then gui_png_check on the PNG.
# cmake -DGUI=... -DCHECK=... -DDUMP=... -DVIEW=... -DSIZE=WxH -DPNG=... [-DEXTRA=a;b] -P ...
# EXTRA: more arguments (--compare OTHER...); the test is skipped (exit 0) when DUMP is missing.
foreach(var GUI CHECK DUMP VIEW SIZE PNG)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "screenshot_test.cmake: -D${var}=... is missing")
  endif()
endforeach()
if(DEFINED EXTRA AND NOT EXISTS "${DUMP}")
  message(STATUS "no ${DUMP}: skipped")
  return()
endif()
get_filename_component(dir "${PNG}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")
file(REMOVE "${PNG}")
execute_process(COMMAND "${GUI}" "${DUMP}" --screenshot "${PNG}" --view "${VIEW}" --size "${SIZE}"
  ${EXTRA}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "heapscope-gui --screenshot exited with ${rc}\n${out}\n${err}")
endif()
string(REPLACE "x" ";" wh "${SIZE}")
list(GET wh 0 width)
list(GET wh 1 height)
execute_process(COMMAND "${CHECK}" "${PNG}" ${width} ${height}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gui_png_check failed on ${PNG}")
endif()
