// Pseudonyms for the names of classes and fields outside the platform (RedactLevel::kNames):
// "com/acme/billing/Invoice$Line" -> "p0001/C0002", its array class "[Lcom/acme/...;" ->
// "[Lp0001/C0002;", field "cardNumber" -> "f0003". Packages and classes are numbered in the order
// the dump lists them, so the same dump always gives the same pseudonyms. A symbol that also names
// a platform class's field
// ("value", "next") is kept: it is the platform's name too.
#include <algorithm>
#include <cstdio>
#include <functional>
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

// Stack frames of non-platform classes: source files become "S0001.java", methods "m0001" (unless
// a platform frame has a method of that name too), and class names inside method signatures
// their pseudonyms.
void RedactPlan::plan_frame_names(const std::function<std::string(std::string_view)>& pseudonym) {
  const auto& platform = rules_.is_platform_class;
  auto user_class = [&](uint32_t serial) {
    auto it = class_serials_.find(serial);
    if (it == class_serials_.end()) return false;
    const std::string n = dotted_class_name(it->second);
    return !n.empty() && n.front() != '[' && !(platform && platform(n));
  };
  std::unordered_set<uint64_t> platform_methods;
  for (const auto& f : frames_)
    if (!user_class(f.class_serial)) platform_methods.insert(f.method);
  std::map<std::string, std::string> sources, methods;
  for (const auto& f : frames_) {
    if (user_class(f.class_serial)) {
      if (f.source != 0 && !renamed_.count(f.source)) {
        const std::string original(utf8(f.source));
        auto [it, fresh] =
            sources.try_emplace(original, numbered('S', sources.size() + 1) + ".java");
        if (fresh) names_.push_back({"source", it->second, original});
        renamed_[f.source] = it->second;
      }
      if (f.method != 0 && !platform_methods.count(f.method) && !renamed_.count(f.method)) {
        const std::string original(utf8(f.method));
        if (original != "<init>" && original != "<clinit>") {
          auto [it, fresh] = methods.try_emplace(original, numbered('m', methods.size() + 1));
          if (fresh) names_.push_back({"method", it->second, original});
          renamed_[f.method] = it->second;
        }
      }
    }
    // "(Lcom/acme/Foo;I)V": every non-platform class name inside becomes its pseudonym.
    if (f.signature == 0 || renamed_.count(f.signature)) continue;
    const std::string_view sig = utf8(f.signature);
    std::string out;
    bool changed = false;
    for (size_t i = 0; i < sig.size(); ++i) {
      out += sig[i];
      if (sig[i] != 'L') continue;
      const size_t end = sig.find(';', i);
      if (end == std::string_view::npos) break;
      std::string dotted(sig.substr(i + 1, end - i - 1));
      std::replace(dotted.begin(), dotted.end(), '/', '.');
      if (platform && !platform(dotted)) {
        out += pseudonym(sig.substr(i + 1, end - i - 1));
        changed = true;
      } else {
        out += sig.substr(i + 1, end - i - 1);
      }
      out += ';';
      i = end;
    }
    if (changed) renamed_[f.signature] = out;
  }
}

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
    const bool primitive =
        element_dotted.find('.') == std::string::npos &&
        (element_dotted == "int" || element_dotted == "long" || element_dotted == "byte" ||
         element_dotted == "char" || element_dotted == "short" || element_dotted == "boolean" ||
         element_dotted == "float" || element_dotted == "double");
    const bool keep = primitive || (platform && platform(element_dotted));
    for (const auto& [field, type] : c.fields) (keep ? platform_fields : user_fields).insert(field);
    for (const uint64_t field : c.statics) (keep ? platform_fields : user_fields).insert(field);
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
  plan_frame_names(pseudonym);
  std::sort(names_.begin(), names_.end(), [](const NameMapping& a, const NameMapping& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.pseudonym < b.pseudonym;
  });
}

}  // namespace heapscope::hprof::detail
