#include "heapscope/analysis/knowledge.h"

#include <nlohmann/json.hpp>

#include "heapscope/analysis/strings.h"

namespace heapscope::analysis {

// Generated from analysis/knowledge/*.json by CMake (knowledge_data.cpp).
extern const char* const kKnowledgeJson[];
extern const size_t kKnowledgeJsonCount;

namespace {

std::vector<std::string> strings(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key)) {
    for (const auto& v : j[key]) out.push_back(v.get<std::string>());
  }
  return out;
}

std::vector<KnowledgeEntry> load() {
  std::vector<KnowledgeEntry> out;
  for (size_t i = 0; i < kKnowledgeJsonCount; ++i) {
    const auto j = nlohmann::json::parse(kKnowledgeJson[i]);
    KnowledgeEntry e;
    e.id = j.value("id", "");
    e.library = j.value("library", "");
    e.generic = j.value("generic", false);
    e.applies_to = strings(j, "applies_to");
    e.class_patterns = strings(j, "class_patterns");
    e.thread_name_patterns = strings(j, "thread_name_patterns");
    if (j.contains("version_static")) {
      e.version_class = j["version_static"].value("class", "");
      e.version_field = j["version_static"].value("field", "");
    }
    e.explanation = j.value("explanation", "");
    e.fix = j.value("fix", "");
    e.links = strings(j, "links");
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

const std::vector<KnowledgeEntry>& knowledge_base() {
  static const std::vector<KnowledgeEntry> entries = load();
  return entries;
}

bool glob_match(std::string_view p, std::string_view t) {
  // Iterative wildcard match with one backtrack point.
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

const KnowledgeEntry* match_knowledge(std::string_view kind,
                                      const std::vector<std::string>& classes,
                                      std::string_view thread_name) {
  const KnowledgeEntry* generic = nullptr;
  for (const auto& e : knowledge_base()) {
    if (std::find(e.applies_to.begin(), e.applies_to.end(), kind) == e.applies_to.end()) continue;
    if (e.generic) {
      generic = generic ? generic : &e;
      continue;
    }
    bool hit = false;
    for (const auto& p : e.thread_name_patterns)
      hit = hit || (!thread_name.empty() && glob_match(p, thread_name));
    for (const auto& p : e.class_patterns) {
      for (const auto& c : classes) hit = hit || glob_match(p, c);
    }
    if (hit) return &e;
  }
  return generic;
}

std::string library_version(const Engine& engine, const KnowledgeEntry& entry) {
  if (entry.version_class.empty()) return {};
  const auto& index = engine.index();
  for (auto c : index.find_classes_by_name(entry.version_class)) {
    for (const auto& s : index.class_info(c).statics) {
      if (s.type == 2 && index.utf8(s.name_id) == entry.version_field) {
        if (auto v = read_java_string(engine.layouts(), index.find(s.value))) return *v;
      }
    }
  }
  return {};
}

}  // namespace heapscope::analysis
