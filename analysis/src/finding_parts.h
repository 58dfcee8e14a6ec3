// What every finding builder writes alike (private to the analysis library): evidence values,
// and the knowledge base's advice.
#pragma once

#include <string>

#include "heapscope/analysis/knowledge.h"
#include "heapscope/analysis/report.h"

namespace heapscope::analysis::finding_parts {

inline EvidenceValue num(std::string key, uint64_t v) {
  return {std::move(key), static_cast<int64_t>(v), {}};
}
inline EvidenceValue text(std::string key, std::string v) {
  return {std::move(key), std::nullopt, std::move(v)};
}

// The entry's library (with its version when known) unless the entry is generic, its
// explanation, fix and links, and its id as evidence.
inline void apply_entry(Finding& f, const KnowledgeEntry& k, const std::string& version = {}) {
  if (!k.generic) {
    f.library = k.library;
    if (!version.empty()) f.library += " " + version;
  }
  f.explanation += " " + k.explanation;
  f.fix = k.fix;
  f.links = k.links;
  f.evidence.push_back(text("knowledge_entry", k.id));
}

}  // namespace heapscope::analysis::finding_parts
