// Known culprits, kept as data: one JSON file per known problem in analysis/knowledge/, compiled
// into the library. A finding names the library when an entry matches and falls back to the
// generic entry of its kind otherwise.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heapscope/analysis/engine.h"

namespace heapscope::analysis {

struct KnowledgeEntry {
  std::string id;
  std::string library;  // "" for generic advice
  bool generic = false;
  std::vector<std::string> applies_to;  // finding kinds
  std::vector<std::string> class_patterns;
  std::vector<std::string> thread_name_patterns;
  std::string version_class, version_field;  // a static String that names the version
  std::string explanation, fix;
  std::vector<std::string> links;
};

const std::vector<KnowledgeEntry>& knowledge_base();

// '*' matches any run of characters.
bool glob_match(std::string_view pattern, std::string_view text);

// The best entry for a finding of `kind` about these classes and thread: a specific entry whose
// patterns match, else the generic one for the kind, else nullptr.
const KnowledgeEntry* match_knowledge(std::string_view kind,
                                      const std::vector<std::string>& classes,
                                      std::string_view thread_name);

// The library version the dump shows for `entry` ("" when it does not).
std::string library_version(const Engine& engine, const KnowledgeEntry& entry);

}  // namespace heapscope::analysis
