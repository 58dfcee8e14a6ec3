// Following references through the object graph instead of looking ids up: the graph keeps an
// instance's non-null references in field order after its class edge, and an object array's
// non-null elements in order, so the target of a field or element is found by position (one
// read of the payload, no search in the id table). Every answer is checked against the id and
// falls back to Index::find when they disagree (a reference to an id missing from the dump has
// no edge).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "heapscope/analysis/engine.h"

namespace heapscope::analysis::detail {

// The object the reference field `slot` of instance `o` points to; kNoObject for null.
hprof::ObjectIndex follow(const Engine& engine, hprof::ObjectIndex o, const FieldSlot& slot);

// Field `name` declared by the class named `declaring`, of instance `o`, followed; kNoObject
// when `o` is not an instance, has no such reference field, or it is null.
hprof::ObjectIndex follow_field(const Engine& engine, hprof::ObjectIndex o,
                                std::string_view declaring, std::string_view name);
// follow_field over many objects of a few classes: the field is looked up once per run of
// objects of one class, not once per object.
class FieldFollower {
 public:
  FieldFollower(const Engine& engine, std::string_view declaring, std::string_view name)
      : engine_(engine), declaring_(declaring), name_(name) {}
  hprof::ObjectIndex operator()(hprof::ObjectIndex o);

 private:
  const Engine& engine_;
  std::string_view declaring_, name_;
  hprof::ClassIndex last_ = hprof::kNoClass;
  std::optional<FieldSlot> slot_;
};
// Static reference field `name` of class `c`; kNoObject when absent or null.
hprof::ObjectIndex static_object(const hprof::Index& index, hprof::ClassIndex c,
                                 std::string_view name);

// Elements [first, last) of object array `array` (kNoObject for nulls); empty when `array` is
// not an object array.
std::vector<hprof::ObjectIndex> array_elements(const Engine& engine, hprof::ObjectIndex array,
                                               uint32_t first, uint32_t last);

}  // namespace heapscope::analysis::detail
