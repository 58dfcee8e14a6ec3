# cmake -DHEAPSCOPE=... -DCHROMIUM=... -DCHECK=gui_png_check -DDUMP=... -DWORKDIR=... -P this
#
# 1. A control page whose script throws: Chromium must log it as a console message
#    (--enable-logging=stderr prints "INFO:CONSOLE..." lines), else the check below means nothing.
# 2. The report of DUMP (heapscope analyze --format html): no console message at all (errors,
#    failed loads, CSP violations all log there), and a screenshot with real content (many
#    colours: text, tiles, tables), WIDTH x HEIGHT as asked.
foreach(var HEAPSCOPE CHROMIUM CHECK DUMP WORKDIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "html_in_chromium.cmake: -D${var}=... is missing")
  endif()
endforeach()
set(width 1280)
set(height 2400)
file(REMOVE_RECURSE "${WORKDIR}")
file(MAKE_DIRECTORY "${WORKDIR}")

# Loads FILE in a fresh headless Chromium (its own profile, no network services), writes a
# screenshot to PNG; sets <out> to its stderr.
function(load_page file png out)
  string(RANDOM LENGTH 12 tag)
  set(profile "${WORKDIR}/profile-${tag}")
  file(MAKE_DIRECTORY "${profile}")
  execute_process(
    COMMAND "${CHROMIUM}" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
      --disable-background-networking --disable-component-update --disable-sync
      --user-data-dir=${profile} --enable-logging=stderr --v=0
      --window-size=${width},${height} --screenshot=${png} "file://${file}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr TIMEOUT 120)
  file(REMOVE_RECURSE "${profile}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "chromium exited with ${rc} on ${file}\n${stdout}\n${stderr}")
  endif()
  set(${out} "${stderr}" PARENT_SCOPE)
endfunction()

# 1. The control.
file(WRITE "${WORKDIR}/control.html"
  "<!doctype html><html><body><p>control</p><script>heapscope_no_such_function();</script>"
  "</body></html>\n")
load_page("${WORKDIR}/control.html" "${WORKDIR}/control.png" log)
if(NOT log MATCHES "CONSOLE[^\n]*heapscope_no_such_function")
  message(FATAL_ERROR "chromium did not report the control page's script error; cannot check "
                      "the report for console errors\n${log}")
endif()

# 2. The report.
execute_process(COMMAND "${HEAPSCOPE}" analyze --quiet --format html -o "${WORKDIR}/report.html"
                        "${DUMP}"
  RESULT_VARIABLE rc ERROR_VARIABLE err)
# 0: no finding; 1: findings (the demo has a critical one). Anything else failed.
if(NOT (rc EQUAL 0 OR rc EQUAL 1) OR NOT EXISTS "${WORKDIR}/report.html")
  message(FATAL_ERROR "heapscope analyze --format html exited with ${rc}\n${err}")
endif()
load_page("${WORKDIR}/report.html" "${WORKDIR}/report.png" log)
string(REGEX MATCHALL "[^\n]*(CONSOLE|Uncaught)[^\n]*" console "${log}")
if(console)
  string(REPLACE ";" "\n" console "${console}")
  message(FATAL_ERROR "the HTML report logged to the browser console:\n${console}")
endif()
execute_process(COMMAND "${CHECK}" "${WORKDIR}/report.png" ${width} ${height}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gui_png_check failed on ${WORKDIR}/report.png")
endif()
# A page that failed to render is one or two colours; the report has text, tiles and tables.
string(REGEX MATCH "([0-9]+) colours" _ "${out}")
if(NOT CMAKE_MATCH_1 OR CMAKE_MATCH_1 LESS 200)
  message(FATAL_ERROR "the report's screenshot has too few colours (${CMAKE_MATCH_1}): blank?")
endif()
