// Redaction: a copy of a dump with the values that may be secret zeroed, and every length, size,
// id, reference, class and field name kept, so the copy gives the same analysis as the original.
//
// What is rewritten (docs/notes/redact.md):
//  * every primitive array's elements are zeroed (String contents, byte[] keys, char[] passwords),
//    except the arrays holding the names of java.lang.Thread objects (a report names threads) and
//    the text of the static Strings `RedactRules::keep_static_strings` lists (the JDK version);
//  * every primitive instance field and every primitive static field is zeroed, except the fields
//    `RedactRules::keep_fields` lists (the ones the analyzers decode: thread status, timer task
//    state, queue sizes; analysis/redact_policy.h);
//  * UTF8 records nothing refers to are dropped (HotSpot writes its whole symbol table, and the
//    string literals of loaded classes are symbols);
//  * unknown top-level records keep their length with a zeroed body;
//  * with RedactLevel::kNames, the names of classes, fields and threads that are not the
//    platform's (`RedactRules::is_platform_class`) become stable pseudonyms, returned in
//    RedactSummary::names.
// The input is read with four sequential passes at most, the output written in one; memory is a
// few MB for the class table and symbol offsets, whatever the heap's size.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/error.h"
#include "heapscope/hprof/progress.h"

namespace heapscope::hprof {

enum class RedactLevel : uint8_t { kBasic, kNames };

// A field by the dotted name of the class that declares it ("java.util.TimerTask") and its name.
struct FieldName {
  std::string klass;
  std::string field;
};

struct RedactRules {
  RedactLevel level = RedactLevel::kBasic;
  // Primitive instance or static fields whose values are kept as they are.
  std::vector<FieldName> keep_fields;
  // Static String fields whose text is kept as it is ("java.lang.VersionProps", "java_version").
  std::vector<FieldName> keep_static_strings;
  // kNames: true for a dotted class name ("java.util.Timer") whose names are kept.
  std::function<bool(std::string_view)> is_platform_class;
  // kNames: true for a thread name the platform itself gives ("main", "Finalizer", "Timer-0").
  std::function<bool(std::string_view)> is_platform_thread_name;
};

enum class OutputCompression : uint8_t { kNone, kGzip, kZstd };
// By the name: ".gz" -> gzip, ".zst" -> zstd, anything else -> none.
OutputCompression output_compression_for(const std::filesystem::path& path);

struct RedactOptions {
  OutputCompression compression = OutputCompression::kNone;
  Progress* progress = nullptr;
};

// One name replaced with kNames: kind is "class", "field", "thread", "method" or "source".
struct NameMapping {
  std::string kind;
  std::string pseudonym;
  std::string original;
};

struct RedactSummary {
  uint64_t bytes_in = 0;   // decoded HPROF bytes read
  uint64_t bytes_out = 0;  // HPROF bytes written (before compression)
  uint64_t instances = 0;
  uint64_t primitive_arrays = 0;
  uint64_t thread_names_kept = 0;         // arrays left as they were: thread names, the JDK version
  uint64_t utf8_dropped = 0;              // symbols nothing refers to
  uint64_t unknown_layout_instances = 0;  // class unknown or sizes disagree: zeroed whole
  std::vector<NameMapping> names;         // kNames only
};

// Writes the redacted copy of `in` to `out`. The bytes go to a temporary file beside `out` that
// is renamed to `out` at the end: on any error (damaged input, a write that fails, cancellation)
// `out` is not created and the temporary file is removed. Damaged input (a record or sub-record
// that runs past its end, an unknown heap sub-record, a compressed stream cut short) is an error:
// what cannot be parsed cannot be redacted.
Result<RedactSummary> redact(const Dump& in, const std::filesystem::path& out,
                             const RedactRules& rules, const RedactOptions& options = {});

}  // namespace heapscope::hprof
