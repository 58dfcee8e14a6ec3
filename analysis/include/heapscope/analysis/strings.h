// Reading java.lang.String and thread names out of the dump.
#pragma once

#include <optional>
#include <string>

#include "heapscope/analysis/engine.h"

namespace heapscope::analysis {

// The text of a java.lang.String instance as UTF-8, cut to `max_chars` (with "..." appended);
// nullopt when `o` is not a String or its value array is missing. Handles JDK 9+ compact
// strings (byte[] + coder; UTF-16 bytes in the dumping host's order, little-endian on x86/ARM),
// JDK <= 8 char[] (big-endian), and JDK 6 offset/count.
std::optional<std::string> read_java_string(const FieldLayouts& layouts, hprof::ObjectIndex o,
                                            size_t max_chars = 200);

// Thread.name of a java.lang.Thread object ("" when unknown).
std::string thread_name(const Engine& engine, hprof::ObjectIndex thread);
std::string thread_name(const FieldLayouts& layouts, hprof::ObjectIndex thread);

}  // namespace heapscope::analysis
