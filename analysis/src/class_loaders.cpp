#include "heapscope/analysis/class_loaders.h"

#include "heapscope/analysis/strings.h"

namespace heapscope::analysis {

const std::string& ClassLoaderLabels::of_loader(uint64_t loader_id) {
  auto [it, fresh] = labels_.try_emplace(loader_id);
  if (!fresh || loader_id == 0) return it->second;
  const auto& index = layouts_.index();
  const hprof::ObjectIndex o = index.find(loader_id);
  if (o == hprof::kNoObject || index.kind(o) != hprof::ObjectKind::kInstance) {
    it->second = "<unknown loader>";
    return it->second;
  }
  const hprof::ClassIndex c = index.class_of(o);
  std::string label = index.class_info(c).name;
  if (auto slot = layouts_.find(c, "java.lang.ClassLoader", "name")) {
    if (auto v = layouts_.read(o, *slot); v && v->bits != 0) {
      if (auto name = read_java_string(layouts_, index.find(v->bits), 200)) {
        label += " \"" + *name + "\"";
      }
    }
  }
  it->second = std::move(label);
  return it->second;
}

}  // namespace heapscope::analysis
