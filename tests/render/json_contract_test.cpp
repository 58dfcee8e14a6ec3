// The JSON report is a contract: it parses, schema_version comes first, every key promised in
// docs/report.schema.json is there with the right type, and every key it prints is documented
// there. The checker below implements the part of JSON Schema 2020-12 the schema uses: type,
// const, enum, required, properties, additionalProperties (schema), items, $ref to #/$defs,
// anyOf, minimum, maximum, pattern.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "heapscope/analysis/render.h"
#include "sample_report.h"

namespace heapscope::analysis {
namespace {

using Json = nlohmann::ordered_json;

Json load_schema() {
  std::ifstream in(HEAPSCOPE_REPORT_SCHEMA);
  EXPECT_TRUE(in) << "cannot open " << HEAPSCOPE_REPORT_SCHEMA;
  return Json::parse(in);
}

bool has_type(const Json& v, const std::string& type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  ADD_FAILURE() << "schema uses unknown type " << type;
  return false;
}

class Checker {
 public:
  explicit Checker(const Json& root) : root_(root) {}

  // Errors as "path: message"; with `strict`, a key not described by the schema is an error too.
  std::vector<std::string> check(const Json& v, bool strict) {
    strict_ = strict;
    errors_.clear();
    visit(root_, v, "$");
    return errors_;
  }

 private:
  void error(const std::string& path, const std::string& msg) {
    errors_.push_back(path + ": " + msg);
  }

  const Json& resolve(const Json& s) {
    if (!s.contains("$ref")) return s;
    const std::string ref = s["$ref"];
    const std::string prefix = "#/$defs/";
    if (ref.rfind(prefix, 0) != 0 || !root_["$defs"].contains(ref.substr(prefix.size()))) {
      ADD_FAILURE() << "unresolvable $ref " << ref;
      return s;
    }
    return resolve(root_["$defs"][ref.substr(prefix.size())]);
  }

  void visit(const Json& schema_in, const Json& v, const std::string& path) {
    const Json& s = resolve(schema_in);
    if (s.contains("anyOf")) {
      bool any = false;
      for (const auto& alt : s["anyOf"]) {
        Checker sub(root_);
        if (sub.check_at(alt, v, path, strict_).empty()) any = true;
      }
      if (!any) error(path, "matches none of anyOf: " + v.dump());
    }
    if (s.contains("const") && v != s["const"]) error(path, "is not " + s["const"].dump());
    if (s.contains("enum") && std::find(s["enum"].begin(), s["enum"].end(), v) == s["enum"].end()) {
      error(path, v.dump() + " is not one of " + s["enum"].dump());
    }
    if (s.contains("type")) {
      bool ok = false;
      if (s["type"].is_array()) {
        for (const auto& t : s["type"]) ok |= has_type(v, t);
      } else {
        ok = has_type(v, s["type"]);
      }
      if (!ok) {
        error(path, v.dump() + " is not of type " + s["type"].dump());
        return;
      }
    }
    if (v.is_number()) {
      if (s.contains("minimum") && v.get<double>() < s["minimum"].get<double>())
        error(path, "below minimum");
      if (s.contains("maximum") && v.get<double>() > s["maximum"].get<double>())
        error(path, "above maximum");
    }
    if (v.is_string() && s.contains("pattern") &&
        !std::regex_search(v.get<std::string>(), std::regex(s["pattern"].get<std::string>()))) {
      error(path, v.dump() + " does not match " + s["pattern"].dump());
    }
    if (v.is_object()) {
      for (const auto& k : s.value("required", Json::array())) {
        if (!v.contains(k.get<std::string>())) error(path, "lacks required key " + k.dump());
      }
      for (const auto& [key, value] : v.items()) {
        const std::string p = path + "." + key;
        if (s.contains("properties") && s["properties"].contains(key)) {
          visit(s["properties"][key], value, p);
        } else if (s.contains("additionalProperties") && s["additionalProperties"].is_object()) {
          visit(s["additionalProperties"], value, p);
        } else if (strict_) {
          error(p, "is not described in the schema");
        }
      }
    }
    if (v.is_array() && s.contains("items")) {
      for (size_t i = 0; i < v.size(); ++i)
        visit(s["items"], v[i], path + "[" + std::to_string(i) + "]");
    }
  }

  std::vector<std::string> check_at(const Json& s, const Json& v, const std::string& path,
                                    bool strict) {
    strict_ = strict;
    visit(s, v, path);
    return errors_;
  }

  const Json& root_;
  bool strict_ = false;
  std::vector<std::string> errors_;
};

std::string joined(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& e : errors) out += "  " + e + "\n";
  return out;
}

TEST(JsonContract, SchemaVersionIsTheFirstKey) {
  const Json j = Json::parse(render_json(test::postgres_timer_report()));
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.begin().key(), "schema_version");
  EXPECT_EQ(j["schema_version"], kReportSchemaVersion);
}

// The list of keys promised to consumers, written out independently of the schema file.
TEST(JsonContract, ParsesBackWithAllPromisedKeys) {
  const Json j = Json::parse(render_json(test::postgres_timer_report()));
  auto expect_keys = [](const Json& obj, std::initializer_list<const char*> keys,
                        const char* where) {
    ASSERT_TRUE(obj.is_object()) << where;
    for (const char* k : keys) EXPECT_TRUE(obj.contains(k)) << where << " lacks " << k;
  };
  expect_keys(j,
              {"schema_version", "tool", "dump", "summary", "retained_convention", "finalizer",
               "timers", "findings", "dominators", "histogram"},
              "report");
  expect_keys(j["tool"], {"name", "version"}, "tool");
  expect_keys(j["dump"],
              {"path", "bytes", "format", "compression", "id_size", "timestamp_ms", "jdk"}, "dump");
  expect_keys(j["summary"],
              {"objects", "classes", "gc_roots", "shallow_bytes", "reachable_bytes",
               "unreachable_objects", "percent_of_file_used", "parse_warnings"},
              "summary");
  const Json& f = j["finalizer"];
  expect_keys(f,
              {"machinery_present", "enabled", "registered", "pending", "being_finalized",
               "finalized_not_collected", "queue_length_field", "longest_chain", "held_only_count",
               "held_only_bytes", "bookkeeping_count", "bookkeeping_bytes", "thread", "by_class"},
              "finalizer");
  expect_keys(f["thread"],
              {"present", "name", "state", "verdict", "finalize_class", "frames", "blocked_on",
               "object_id"},
              "finalizer.thread");
  expect_keys(f["by_class"][0],
              {"class", "registered", "pending", "being_finalized", "finalized_not_collected",
               "shallow_bytes", "held_only_count", "held_only_bytes"},
              "finalizer.by_class[]");
  const Json& t = j["timers"][0];
  expect_keys(t,
              {"kind", "class", "object_id", "queue_id", "thread_name", "alive",
               "new_tasks_may_be_scheduled", "remove_on_cancel", "queue_size", "capacity", "tasks",
               "task_classes", "held_only_count", "held_only_bytes", "held_only_by_class", "head",
               "last_cancelled_leaves_in_ms", "library"},
              "timers[]");
  expect_keys(t["tasks"], {"virgin", "scheduled", "executed", "cancelled", "unknown"}, "tasks");
  expect_keys(t["task_classes"][0], {"class", "count"}, "task_classes[]");
  expect_keys(t["held_only_by_class"][0], {"class", "count", "bytes"}, "held_only_by_class[]");
  expect_keys(t["head"], {"state", "fires_in_ms"}, "head");
  const Json& fi = j["findings"][0];
  expect_keys(fi,
              {"id", "kind", "severity", "title", "explanation", "fix", "library", "links",
               "retained_bytes", "evidence", "related"},
              "findings[]");
  expect_keys(j["dominators"][0],
              {"object_id", "class", "shallow_bytes", "retained_bytes", "retained_count"},
              "dominators[]");
  expect_keys(j["histogram"][0], {"class", "count", "shallow_bytes", "retained_bytes"},
              "histogram[]");

  // values: ids as hex strings, absent values as null, evidence numbers and strings
  EXPECT_EQ(t["object_id"], "0x6c0b44c50");
  EXPECT_EQ(t["queue_id"], "0x6c0b44c78");
  EXPECT_EQ(f["thread"]["object_id"], "0x7ffd01b88");
  EXPECT_EQ(j["dominators"][0]["object_id"], "0x6c0b44c78");
  EXPECT_TRUE(t["remove_on_cancel"].is_null());
  EXPECT_EQ(t["new_tasks_may_be_scheduled"], true);
  EXPECT_EQ(t["head"]["fires_in_ms"], 2'999'412);
  EXPECT_EQ(fi["severity"], "critical");
  EXPECT_EQ(fi["evidence"]["queue_size"], 2017);
  EXPECT_EQ(fi["evidence"]["thread"], "PostgreSQL-JDBC-SharedTimer-1");
  EXPECT_EQ(fi["evidence"]["timer_id"], "0x6c0b44c50");
  EXPECT_TRUE(j["findings"][1]["library"].is_null());
  EXPECT_EQ(j["verdict"]["worst_severity"], "critical");
  EXPECT_EQ(j["verdict"]["critical"], 2);
}

TEST(JsonContract, SampleReportMatchesTheSchema) {
  const Json schema = load_schema();
  Checker checker(schema);
  const Json j = Json::parse(render_json(test::postgres_timer_report()));
  const auto errors = checker.check(j, /*strict=*/true);
  EXPECT_TRUE(errors.empty()) << joined(errors);
}

TEST(JsonContract, EmptyReportMatchesTheSchema) {
  const Json schema = load_schema();
  Checker checker(schema);
  const Json j = Json::parse(render_json(test::empty_report()));
  const auto errors = checker.check(j, /*strict=*/true);
  EXPECT_TRUE(errors.empty()) << joined(errors);
}

TEST(JsonContract, AndroidAndCleanerReportsMatchTheSchema) {
  const Json schema = load_schema();
  Checker checker(schema);
  for (const auto& r : {test::android_report(), test::cleaner_report()}) {
    const Json j = Json::parse(render_json(r));
    const auto errors = checker.check(j, /*strict=*/true);
    EXPECT_TRUE(errors.empty()) << r.dump.path << ": " << joined(errors);
  }
}

TEST(JsonContract, CheckerCatchesAMissingKeyAndAWrongType) {
  const Json schema = load_schema();
  Checker checker(schema);
  Json j = Json::parse(render_json(test::postgres_timer_report()));
  j["timers"][0].erase("queue_size");
  j["dominators"][0]["object_id"] = 12345;
  j["findings"][0]["severity"] = "fatal";
  const auto errors = checker.check(j, false);
  EXPECT_EQ(errors.size(), 3u) << joined(errors);
}

TEST(JsonContract, SchemaDescribesEveryProperty) {
  const Json schema = load_schema();
  // Walk all "properties" maps: each property needs a description (directly or on its $ref).
  std::vector<std::pair<std::string, const Json*>> work{{"$", &schema}};
  while (!work.empty()) {
    auto [path, node] = work.back();
    work.pop_back();
    if (node->is_object()) {
      if (node->contains("properties")) {
        for (const auto& [k, p] : (*node)["properties"].items()) {
          const bool described =
              p.contains("description") ||
              (p.contains("$ref") &&
               schema["$defs"][p["$ref"].get<std::string>().substr(8)].contains("description"));
          EXPECT_TRUE(described) << path << "." << k << " has no description";
        }
      }
      for (const auto& [k, child] : node->items()) work.push_back({path + "/" + k, &child});
    } else if (node->is_array()) {
      for (const auto& child : *node) work.push_back({path + "[]", &child});
    }
  }
}

}  // namespace
}  // namespace heapscope::analysis
