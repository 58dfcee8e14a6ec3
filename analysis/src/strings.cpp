#include "heapscope/analysis/strings.h"

namespace heapscope::analysis {
namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// UTF-16 code units to UTF-8; lone surrogates become U+FFFD.
std::string from_utf16(const std::vector<uint16_t>& units) {
  std::string out;
  for (size_t i = 0; i < units.size(); ++i) {
    uint32_t u = units[i];
    if (u >= 0xD800 && u < 0xDC00 && i + 1 < units.size() && units[i + 1] >= 0xDC00 &&
        units[i + 1] < 0xE000) {
      u = 0x10000 + ((u - 0xD800) << 10) + (units[i + 1] - 0xDC00);
      ++i;
    } else if (u >= 0xD800 && u < 0xE000) {
      u = 0xFFFD;
    }
    append_utf8(out, u);
  }
  return out;
}

}  // namespace

std::optional<std::string> read_java_string(const FieldLayouts& layouts, hprof::ObjectIndex o,
                                            size_t max_chars) {
  const auto& index = layouts.index();
  if (o == hprof::kNoObject || index.kind(o) != hprof::ObjectKind::kInstance) return std::nullopt;
  const hprof::ClassIndex c = index.class_of(o);
  if (index.class_info(c).name != "java.lang.String") return std::nullopt;
  const auto value_slot = layouts.find(c, "java.lang.String", "value");
  if (!value_slot) return std::nullopt;
  const auto value = layouts.read(o, *value_slot);
  if (!value) return std::nullopt;
  const hprof::ObjectIndex array = index.find(value->bits);
  if (array == hprof::kNoObject || index.kind(array) != hprof::ObjectKind::kPrimitiveArray) {
    return std::nullopt;
  }
  const auto data = index.array_data(array);
  const uint8_t type = index.class_info(index.class_of(array)).array_element_type;
  int64_t coder = -1;
  if (auto f = layouts.find(c, "java.lang.String", "coder")) coder = layouts.read(o, *f)->as_int();
  int64_t offset = 0, count = -1;
  if (auto f = layouts.find(c, "java.lang.String", "offset"))
    offset = layouts.read(o, *f)->as_int();
  if (auto f = layouts.find(c, "java.lang.String", "count")) count = layouts.read(o, *f)->as_int();

  std::vector<uint16_t> units;
  if (type == 8) {  // byte[]: LATIN1, or UTF-16 in host (little-endian) order
    if (coder == 1) {
      for (size_t i = 0; i + 1 < data.size(); i += 2) units.push_back(data[i] | data[i + 1] << 8);
    } else {
      for (uint8_t b : data) units.push_back(b);
    }
  } else if (type == 5) {  // char[]: big-endian
    for (size_t i = 0; i + 1 < data.size(); i += 2) units.push_back(data[i] << 8 | data[i + 1]);
  } else {
    return std::nullopt;
  }
  if (count >= 0 && offset >= 0 && static_cast<size_t>(offset) <= units.size()) {
    const size_t end = std::min(units.size(), static_cast<size_t>(offset + count));
    units = std::vector<uint16_t>(units.begin() + offset,
                                  units.begin() + static_cast<std::ptrdiff_t>(end));
  }
  const bool cut = units.size() > max_chars;
  if (cut) units.resize(max_chars);
  std::string s = from_utf16(units);
  if (cut) s += "...";
  return s;
}

std::string thread_name(const FieldLayouts& layouts, hprof::ObjectIndex thread) {
  const auto& index = layouts.index();
  if (thread == hprof::kNoObject || index.kind(thread) != hprof::ObjectKind::kInstance) return {};
  auto f = layouts.find(index.class_of(thread), "java.lang.Thread", "name");
  if (!f) return {};
  auto v = layouts.read(thread, *f);
  if (!v) return {};
  const auto target = index.find(v->bits);
  if (target != hprof::kNoObject && index.kind(target) == hprof::ObjectKind::kPrimitiveArray &&
      index.class_info(index.class_of(target)).array_element_type == 5) {  // JDK <= 6: char[] name
    const auto data = index.array_data(target);
    std::vector<uint16_t> units;
    for (size_t i = 0; i + 1 < data.size(); i += 2) units.push_back(data[i] << 8 | data[i + 1]);
    return from_utf16(units);
  }
  return read_java_string(layouts, target).value_or("");
}

std::string thread_name(const Engine& engine, hprof::ObjectIndex thread) {
  return thread_name(engine.layouts(), thread);
}

}  // namespace heapscope::analysis
