// `heapscope redact IN OUT [--level basic|names] [--mapping FILE]`: a copy of the dump that can
// leave the building. The bytes are rewritten by hprof::redact(); what is kept is the analysis
// library's policy (heapscope/analysis/redact_policy.h).
#include <unistd.h>

#include <csignal>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "heapscope/analysis/redact_policy.h"
#include "heapscope/hprof/dump.h"
#include "heapscope/hprof/redact.h"

namespace heapscope::cli {
namespace {

namespace fs = std::filesystem;

// Ctrl-C or SIGTERM: stop at the next progress poll, so the temporary file is removed.
volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) {
  g_interrupted = 1;
}

void catch_interrupts() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// The pseudonyms and what they stand for, written beside the dump (never inside it): temp file,
// then rename, like the dump.
bool write_mapping(const fs::path& path, const fs::path& redacted,
                   const std::vector<hprof::NameMapping>& names) {
  nlohmann::ordered_json j;
  j["format"] = "heapscope-redact-mapping";
  j["version"] = 1;
  j["redacted_dump"] = redacted.filename().string();
  auto plural = [](const std::string& kind) { return kind == "class" ? "classes" : kind + "s"; };
  for (const char* kind : {"class", "field", "thread", "method", "source"}) {
    j[plural(kind)] = nlohmann::ordered_json::object();
  }
  for (const auto& n : names) j[plural(n.kind)][n.pseudonym] = n.original;
  const fs::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    // The mapping undoes the pseudonyms: readable by its owner only.
    std::error_code ec;
    fs::permissions(temp, fs::perms::owner_read | fs::perms::owner_write, ec);
    out << j.dump(2) << '\n';
    if (!out.flush()) {
      fs::remove(temp, ec);
      return false;
    }
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  return !ec;
}

}  // namespace

int run_redact(const CommonOptions& options, const RedactOptions& redact) {
  const fs::path in = options.dump_path, out = redact.output;
  std::error_code ec;
  if (fs::exists(out, ec) && fs::equivalent(in, out, ec)) {
    std::fprintf(stderr, "heapscope: OUT is the input dump; write the redacted copy elsewhere\n");
    return kExitUsage;
  }
  const bool names = redact.level == "names";
  const fs::path mapping =
      redact.mapping.empty() ? fs::path(out.string() + ".mapping.json") : fs::path(redact.mapping);
  ProgressBar progress(options.quiet || !isatty(STDERR_FILENO));
  catch_interrupts();
  progress.set_cancel([] { return g_interrupted != 0; });
  hprof::OpenOptions open;
  open.progress = &progress;
  open.threads = options.threads;
  auto dump = hprof::Dump::open(in, open);
  if (!dump) {
    progress.finish();
    std::fprintf(stderr, "heapscope: %s: %s\n", in.c_str(), dump.error().describe().c_str());
    return exit_code_for(dump.error());
  }
  const auto rules =
      analysis::redact_rules(names ? hprof::RedactLevel::kNames : hprof::RedactLevel::kBasic);
  hprof::RedactOptions ro;
  ro.compression = hprof::output_compression_for(out);
  ro.progress = &progress;
  auto summary = hprof::redact(*dump, out, rules, ro);
  progress.finish();
  if (!summary) {
    if (summary.error().code == hprof::ErrorCode::kCancelled) {
      std::fprintf(stderr, "heapscope: interrupted; %s not written\n", out.c_str());
    } else {
      std::fprintf(stderr, "heapscope: %s: cannot redact: %s\n", in.c_str(),
                   summary.error().describe().c_str());
    }
    return exit_code_for(summary.error());
  }
  if (names && !write_mapping(mapping, out, summary->names)) {
    std::fprintf(stderr, "heapscope: cannot write the mapping %s; removing %s\n", mapping.c_str(),
                 out.c_str());
    fs::remove(out, ec);
    return kExitInternal;
  }
  if (!options.quiet) {
    std::fprintf(stderr,
                 "heapscope: wrote %s: %llu instances and %llu primitive arrays redacted, %llu "
                 "strings kept (thread names, the JDK version), %llu unused symbols "
                 "dropped",
                 out.c_str(), static_cast<unsigned long long>(summary->instances),
                 static_cast<unsigned long long>(summary->primitive_arrays),
                 static_cast<unsigned long long>(summary->thread_names_kept),
                 static_cast<unsigned long long>(summary->utf8_dropped));
    if (summary->unknown_layout_instances > 0) {
      std::fprintf(stderr, ", %llu instances of unknown layout zeroed whole",
                   static_cast<unsigned long long>(summary->unknown_layout_instances));
    }
    std::fprintf(stderr, "\n");
    if (names) {
      std::fprintf(stderr, "heapscope: %zu names replaced; the mapping is in %s (keep it here)\n",
                   summary->names.size(), mapping.c_str());
    }
  }
  return kExitOk;
}

}  // namespace heapscope::cli
