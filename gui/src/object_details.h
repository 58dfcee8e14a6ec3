// Everything the inspector shows about one object, gathered from the engine (the GUI's version
// of `heapscope object` and `heapscope path`): class, sizes, fields with values, referrers and
// shortest paths from GC roots.
#pragma once

#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <vector>

#include "analysis_session.h"

namespace heapscope::gui {

struct ObjectDetails {
  struct Field {
    QString name;
    QString type;         // "int", "object", ...
    QString declared_by;  // "" for array elements
    QString value;        // for people: numbers, "null", or "0x… Class \"text\""
    uint64_t ref_id = 0;  // the object a reference points to, 0 if none
    bool is_static = false;
  };
  struct Referrer {
    uint64_t id = 0;
    QString klass;
    QString via;  // "field next", "[12]"
  };
  struct Step {
    uint64_t id = 0;
    QString klass;
    QString how;  // "GC root: …" for the first step, else how the previous step refers to it
    uint64_t retained_bytes = 0;
  };

  uint64_t id = 0;
  QString klass;
  QString kind;  // "instance", "object array", "primitive array", "class"
  uint64_t shallow_bytes = 0;
  uint64_t retained_bytes = 0;
  uint64_t retained_count = 0;
  bool reachable = false;
  uint64_t dominator_id = 0;    // immediate dominator; 0 when it is the GC roots or none
  std::optional<QString> text;  // a java.lang.String's value
  std::optional<uint32_t> array_length;
  QStringList gc_root;              // why it is a GC root, if it is one
  std::vector<Field> fields;        // instance fields, array elements, or statics
  bool fields_cut = false;          // more elements than shown
  std::vector<Referrer> referrers;  // the first kMaxReferrers
  uint64_t referrer_count = 0;
  std::vector<std::vector<Step>> paths;  // GC root first
  bool paths_need_weak = false;          // reachable only through Reference.referent

  static constexpr size_t kMaxElements = 1000;
  static constexpr size_t kMaxReferrers = 200;
  static constexpr size_t kMaxPaths = 5;

  // Nullopt when the dump has no object with this id.
  static std::optional<ObjectDetails> collect(const AnalysisSession& session, uint64_t object_id);
};

}  // namespace heapscope::gui
