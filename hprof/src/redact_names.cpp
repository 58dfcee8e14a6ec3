// Pseudonyms for the names of classes and fields outside the platform (RedactLevel::kNames):
// "com/acme/billing/Invoice$Line" -> "p0001/C0002", its array class "[Lcom/acme/...;" -> "[Lp0001/C0002;",
// field "cardNumber" -> "f0003". Packages and classes are numbered in the order the dump lists them,
// so the same dump always gives the same pseudonyms. A symbol that also names a platform class's field
// ("value", "next") is kept: it is the platform's name too.
#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_set>

#include "redact_plan.h"

namespace heapscope::hprof::detail {
namespace {

std::string numbered(char prefix, size_t n) {
  char b[24];
  std::snprintf(b, sizeof b, "%c%04zu", prefix, n);
  return b;
}

}  // namespace

void RedactPlan::plan_names() {
  const auto& platform = rules_.is_platform_class;
  std::map<std::string, std::string> packages, classes, fields;  // original -> pseudonym
  // A class name in the dump's own syntax -> its pseudonym (element classes of arrays too).
  auto pseudonym = [&](std::string_view name) -> std::string {
    const bool slashed = name.find('/') != std::string_view::npos;
    const char sep = slashed ? '/' : '.';
    const size_t cut = name.rfind(sep);
    const std::string pkg(cut == std::string_view::npos ? "" : name.substr(0, cut));
    std::string out;
    if (!pkg.empty()) {
      auto [it, fresh] = packages.try_emplace(pkg, numbered('p', packages.size() + 1));
      out = it->second + sep;
    }
    auto [it, fresh] = classes.try_emplace(std::string(name), numbered('C', classes.size() + 1));
    if (fresh) {
      std::string original(name), ps = out + it->second;
      std::replace(original.begin(), original.end(), '/', '.');
      std::replace(ps.begin(), ps.end(), '/', '.');
      names_.push_back({"class", ps, original});
    }
    return out + it->second;
  };
  std::unordered_set<uint64_t> platform_fields, user_fields;
  for (const uint64_t id : class_order_) {
    const ClassLayout& c = classes_.at(id);
    std::string_view name = utf8(c.name_id);
    // Arrays: HotSpot "[[Lcom/acme/Foo;", Android and the agent "com.acme.Foo[][]".
    size_t dims = 0;
    while (dims < name.size() && name[dims] == '[') ++dims;
    std::string_view element = name.substr(dims);
    size_t suffix = 0;
    if (dims > 0) {
      if (element.size() < 3 || element.front() != 'L' || element.back() != ';') continue;
      element = element.substr(1, element.size() - 2);
    } else {
      while (element.size() >= 2 && element.substr(element.size() - 2) == "[]") {
        element.remove_suffix(2);
        ++suffix;
      }
    }
    std::string element_dotted(element);
    std::replace(element_dotted.begin(), element_dotted.end(), '/', '.');
    const bool primitive = element_dotted.find('.') == std::string::npos &&
                           (element_dotted == "int" || element_dotted == "long" ||
                            element_dotted == "byte" || element_dotted == "char" ||
                            element_dotted == "short" || element_dotted == "boolean" ||
                            element_dotted == "float" || element_dotted == "double");
    const bool keep = primitive || (platform && platform(element_dotted));
    for (const auto& [field, type] : c.fields) (keep ? platform_fields : user_fields).insert(field);
    if (keep) continue;
    std::string renamed = pseudonym(element);
    if (dims > 0) renamed = std::string(dims, '[') + "L" + renamed + ";";
    for (size_t k = 0; k < suffix; ++k) renamed += "[]";
    renamed_[c.name_id] = renamed;
  }
  for (uint64_t f : user_fields) {
    if (platform_fields.count(f) || renamed_.count(f)) continue;
    const std::string original(utf8(f));
    auto [it, fresh] = fields.try_emplace(original, numbered('f', fields.size() + 1));
    if (fresh) names_.push_back({"field", it->second, original});
    renamed_[f] = it->second;
  }
  std::sort(names_.begin(), names_.end(), [](const NameMapping& a, const NameMapping& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.pseudonym < b.pseudonym;
  });
}

}  // namespace heapscope::hprof::detail
