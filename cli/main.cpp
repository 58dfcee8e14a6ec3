// heapscope: the command-line face of the analysis library.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <new>

#include "commands.h"

namespace {

using heapscope::cli::CommonOptions;

void add_common(CLI::App* cmd, CommonOptions& o, bool json_only_formats) {
  cmd->add_option("dump", o.dump_path, "Heap dump (.hprof, .hprof.gz, .hprof.zst, ...)")
      ->required();
  auto* f = cmd->add_option("--format", o.format, "Output format");
  if (json_only_formats) f->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("-q,--quiet", o.quiet, "No progress on stderr");
  cmd->add_option("--dump", o.heap_dump_number, "Which heap dump of the file (0 = first)");
  cmd->add_option("--threads", o.threads, "Worker threads (0 = all cores)");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace heapscope::cli;
  CLI::App app{"heapscope: finds finalizer leaks and java.util.Timer retention in JVM heap dumps"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "heapscope 0.1.0");

  CommonOptions info_opts;
  auto* info = app.add_subcommand("info", "Summary of the dump: records, objects, roots, parse stats");
  add_common(info, info_opts, true);

  CommonOptions hist_opts;
  HistogramOptions hist;
  auto* histogram = app.add_subcommand("histogram", "Instances and bytes per class");
  add_common(histogram, hist_opts, true);
  histogram->add_option("--top", hist.top, "Show the N biggest classes (0 = all)");
  histogram->add_option("--sort", hist.sort, "Sort by")->check(CLI::IsMember({"count", "shallow"}));

  CommonOptions dom_opts;
  DominatorOptions dom;
  auto* dominators = app.add_subcommand("dominators", "Biggest retainers, as a dominator tree");
  add_common(dominators, dom_opts, true);
  dominators->add_option("--top", dom.top, "Children shown per level");
  dominators->add_option("--depth", dom.depth, "Levels of the tree shown")->check(CLI::Range(1, 64));
  dominators->add_flag("--strong-only", dom.strong_only,
                       "Reference.referent does not retain (VisualVM's convention)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  try {
    if (*info) return run_info(info_opts);
    if (*histogram) return run_histogram(hist_opts, hist);
    if (*dominators) return run_dominators(dom_opts, dom);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "heapscope: out of memory\n");
    return kExitMemoryBudget;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "heapscope: internal error: %s\n", e.what());
    return kExitInternal;
  }
  return kExitUsage;
}
