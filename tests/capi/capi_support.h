// Helpers of the C ABI tests: the CLI's output for the same question, and RAII for the handles.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "heapscope/heapscope.h"

namespace capi_test {

struct CliRun {
  int exit_code = -1;
  std::string out;
};
// Runs the heapscope CLI with these arguments (quoted for the shell), stdout captured.
CliRun run_cli(const std::vector<std::string>& args);

struct Closer {
  void operator()(heapscope_analysis* a) const { heapscope_close(a); }
};
using Analysis = std::unique_ptr<heapscope_analysis, Closer>;

struct Answer {
  int rc = -1;
  std::string json;
};
// Calls `query` with the output pointer and takes over the string it got.
template <typename Query>
Answer ask(Query&& query) {
  char* json = nullptr;
  const int rc = query(&json);
  Answer a{rc, json ? json : ""};
  heapscope_string_free(json);
  return a;
}

Analysis open_or_fail(const std::string& path, const heapscope_options* options = nullptr);

// The public corpus files listed in INDEX.tsv (empty when the corpus is absent).
std::vector<std::string> corpus_files();

}  // namespace capi_test
