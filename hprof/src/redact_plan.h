// What redaction must know before it writes (private to the hprof library): the class layouts,
// which symbols are referred to, and which arrays hold thread names. Built by read-only passes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "heapscope/hprof/error.h"
#include "heapscope/hprof/progress.h"
#include "heapscope/hprof/redact.h"

namespace heapscope::hprof::detail {

// Size of the body of the heap-dump sub-record with tag `t` at `p` (p points after the tag),
// read within [p, end); an error when it runs past `end` or the tag is unknown.
Result<uint64_t> sub_record_body_size(const uint8_t* d, uint64_t p, uint64_t end, uint8_t t,
                                      uint32_t id_size);

struct ClassLayout {
  uint64_t super = 0;
  uint64_t name_id = 0;                              // from LOAD_CLASS; 0 = unknown
  std::vector<std::pair<uint64_t, uint8_t>> fields;  // own instance fields: name id, type
  std::vector<uint64_t> statics;                     // static field name ids
  // Filled by RedactPlan::flatten():
  bool flat = false;
  bool valid = false;                                    // the whole superclass chain is known
  uint32_t payload_size = 0;                             // bytes of an instance's field values
  std::vector<std::pair<uint32_t, uint32_t>> zero_runs;  // [offset, length) zeroed
  int64_t name_offset = -1;  // java.lang.Thread.name within the payload (Thread subclasses)
  bool is_thread = false;
};

// A thread name's String: its value array and how the characters are stored.
struct ThreadNameArray {
  uint64_t string_id = 0;
  uint8_t coder = 0;   // 0 = Latin-1 / char[], 1 = UTF-16 in byte[] (host order)
  bool thread = true;  // a thread's name (kNames may replace it), else a kept static String
};

class RedactPlan {
 public:
  RedactPlan(std::span<const uint8_t> bytes, uint32_t id_size, uint64_t header_size,
             const RedactRules& rules);

  // The read-only passes. Errors are those of damaged input (or cancellation).
  Status build(Progress& progress, const std::function<void(uint64_t)>& release);

  const uint8_t* data() const { return d_; }
  uint32_t id_size() const { return I_; }
  uint64_t header_size() const { return header_size_; }
  const RedactRules& rules() const { return rules_; }

  // The layout of an instance's class, flattened; nullptr when its chain is not known.
  const ClassLayout* layout(uint64_t class_id);
  bool keep_static(uint64_t class_id, uint64_t field_name_id) const;
  bool utf8_referenced(uint64_t id) const;
  // The new text of a symbol (kNames), or nullptr to keep it.
  const std::string* renamed(uint64_t utf8_id) const;
  // The thread name array with this id, or nullptr.
  const ThreadNameArray* thread_name_array(uint64_t array_id) const;
  std::vector<NameMapping>& names() { return names_; }

 private:
  std::string_view utf8(uint64_t id) const;
  std::string dotted_class_name(uint64_t class_id) const;
  void flatten(uint64_t class_id, ClassLayout& c);
  Status scan(Progress& progress, const std::function<void(uint64_t)>& release, int pass);
  void plan_names();
  void plan_frame_names(const std::function<std::string(std::string_view)>& pseudonym);
  void keep_static_strings(uint64_t class_dump_body);
  std::optional<std::pair<uint32_t, uint8_t>> field_offset(uint64_t class_id,
                                                           std::string_view declaring,
                                                           std::string_view name) const;

  const uint8_t* d_;
  uint64_t size_;
  uint32_t I_;
  uint64_t header_size_;
  const RedactRules& rules_;

  struct Utf8Ref {
    uint64_t id;
    uint64_t offset;
    uint32_t length;
  };
  std::vector<Utf8Ref> utf8_;         // sorted by id after the first pass
  std::vector<uint64_t> referenced_;  // symbol ids something refers to, sorted
  std::unordered_map<uint64_t, ClassLayout> classes_;
  std::vector<uint64_t> class_order_;                     // LOAD_CLASS order
  std::unordered_map<uint32_t, uint64_t> class_serials_;  // LOAD_CLASS serial -> class id
  struct FrameNames {
    uint64_t method, signature, source;
    uint32_t class_serial;
  };
  std::vector<FrameNames> frames_;        // kNames only
  std::unordered_set<std::string> keep_;  // "java.util.TimerTask#state"
  uint64_t string_class_ = 0;
  std::unordered_map<uint64_t, bool> kept_strings_;  // String id -> is a thread's name
  std::unordered_set<std::string> keep_statics_;     // "java.lang.VersionProps#java_version"
  std::unordered_map<uint64_t, ThreadNameArray> name_arrays_;  // value array id -> string
  std::unordered_map<uint64_t, std::string> renamed_;          // utf8 id -> new text
  std::vector<NameMapping> names_;
  bool late_classes_ = false;  // an instance came before its class's CLASS_DUMP
};

}  // namespace heapscope::hprof::detail
