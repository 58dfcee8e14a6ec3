// Naming the class loader that defined a class, the same way in every dump of an application, so
// that classes can be matched across dumps by (name, loader) (report_diff.h) although the loader
// objects' ids differ from one JVM to the next.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "heapscope/analysis/fields.h"

namespace heapscope::analysis {

// "" for the bootstrap loader (loader id 0); otherwise the loader object's class, followed by
// its ClassLoader.name in quotes when it has one (JDK 9+: "app", "platform", or what the
// application passed to ClassLoader(String, ClassLoader)):
//   jdk.internal.loader.ClassLoaders$AppClassLoader "app"
//   com.example.shop.PluginClassLoader "plugin-tax"
// Unnamed loaders of one class get the same label (their classes are then added up); a loader id
// missing from the dump gives "<unknown loader>".
class ClassLoaderLabels {
 public:
  explicit ClassLoaderLabels(const FieldLayouts& layouts) : layouts_(layouts) {}
  const std::string& of_loader(uint64_t loader_id);
  const std::string& of_class(hprof::ClassIndex c) {
    return of_loader(layouts_.index().class_info(c).loader_id);
  }

 private:
  const FieldLayouts& layouts_;
  std::unordered_map<uint64_t, std::string> labels_;
};

}  // namespace heapscope::analysis
