#include "capi_support.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace capi_test {

CliRun run_cli(const std::vector<std::string>& args) {
  std::string command = "'" HEAPSCOPE_CLI "'";
  for (const auto& a : args) command += " '" + a + "'";
  command += " 2>/dev/null";
  CliRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return run;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) run.out.append(buf, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

Analysis open_or_fail(const std::string& path, const heapscope_options* options) {
  heapscope_analysis* a = nullptr;
  char* error = nullptr;
  const int rc = heapscope_open(path.c_str(), options, &a, &error);
  EXPECT_EQ(rc, HEAPSCOPE_OK) << path << ": " << (error ? error : "");
  heapscope_string_free(error);
  return Analysis(a);
}

std::vector<std::string> corpus_files() {
  std::vector<std::string> out;
  std::ifstream index(HEAPSCOPE_CORPUS "/INDEX.tsv");
  std::string line;
  std::getline(index, line);  // header
  while (std::getline(index, line)) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos && tab > 0)
      out.push_back(HEAPSCOPE_CORPUS "/" + line.substr(0, tab));
  }
  return out;
}

}  // namespace capi_test
