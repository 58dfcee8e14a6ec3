#include "test_env.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace heapscope::testing {

Parsed parse(std::vector<uint8_t> bytes, const hprof::IndexOptions& options) {
  Parsed p;
  p.bytes = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  auto dump = hprof::Dump::from_bytes(*p.bytes);
  if (!dump) {
    p.error = dump.error();
    return p;
  }
  p.dump = std::make_unique<hprof::Dump>(std::move(dump).value());
  auto index = hprof::Index::build(*p.dump, options);
  if (!index) {
    p.error = index.error();
    return p;
  }
  p.index = std::make_unique<hprof::Index>(std::move(index).value());
  return p;
}

Parsed parse_file(const std::filesystem::path& path, const hprof::IndexOptions& options) {
  Parsed p;
  auto dump = hprof::Dump::open(path);
  if (!dump) {
    p.error = dump.error();
    return p;
  }
  p.dump = std::make_unique<hprof::Dump>(std::move(dump).value());
  auto index = hprof::Index::build(*p.dump, options);
  if (!index) {
    p.error = index.error();
    return p;
  }
  p.index = std::make_unique<hprof::Index>(std::move(index).value());
  return p;
}

std::filesystem::path corpus_dir() {
  std::filesystem::path dir;
  if (const char* env = std::getenv("HEAPSCOPE_CORPUS_DIR"); env && *env) {
    dir = env;
  } else {
#ifdef HEAPSCOPE_DEFAULT_CORPUS_DIR
    dir = HEAPSCOPE_DEFAULT_CORPUS_DIR;
#endif
  }
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return {};
  return dir;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "heapscope-test-XXXXXX").string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data())) path_ = name.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name,
                                     const std::vector<uint8_t>& bytes) const {
  const auto p = path_ / name;
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  return p;
}

std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

bool have_tool(const std::string& tool) {
  return run("command -v " + tool + " >/dev/null 2>&1") == 0;
}

}  // namespace heapscope::testing
