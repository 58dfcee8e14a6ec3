// heapscope: the command-line face of the analysis library.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <new>

#include "commands.h"
#include "heapscope/hprof/spill.h"

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
  cmd->add_option("--memory-budget", o.memory_budget,
                  "Memory the tables may take; beyond it they go to spill files: e.g. 4G, 800M, "
                  "0 = no limit (default: the smaller of MemAvailable and the cgroup's limit "
                  "minus its usage)")
      ->check(CLI::Validator(
          [](std::string& v) {
            return heapscope::cli::parse_size(v)
                       ? std::string()
                       : "--memory-budget: \"" + v + "\" is not a size (e.g. 4G, 800M, 0)";
          },
          "SIZE"));
  cmd->add_option("--spill-dir", o.spill_dir,
                  "Directory for the tables that do not fit the memory budget (default: $TMPDIR "
                  "or /tmp); the files have no name and vanish on exit");
  cmd->add_flag("--cache", o.cache,
                "Keep the index and dominator tree in an on-disk cache (in $XDG_CACHE_HOME/"
                "heapscope or ~/.cache/heapscope) so the next run on this dump skips the work");
  cmd->add_option("--cache-dir", o.cache_dir, "Like --cache, with the cache files in DIR");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace heapscope::cli;
  CLI::App app{"heapscope: finds finalizer leaks and java.util.Timer retention in JVM heap dumps"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "heapscope 0.1.0");

  CommonOptions info_opts;
  auto* info =
      app.add_subcommand("info", "Summary of the dump: records, objects, roots, parse stats");
  add_common(info, info_opts, true);

  CommonOptions hist_opts;
  HistogramOptions hist;
  auto* histogram = app.add_subcommand("histogram", "Instances and bytes per class");
  add_common(histogram, hist_opts, true);
  histogram->add_option("--top", hist.top, "Show the N biggest classes (0 = all)");
  histogram->add_option("--sort", hist.sort, "Sort by")
      ->check(CLI::IsMember({"count", "shallow", "retained"}));
  histogram->add_flag("--strong-only", hist.strong_only,
                      "With --sort retained: Reference.referent does not retain");

  CommonOptions analyze_opts;
  AnalyzeOptions analyze;
  auto* analyze_cmd = app.add_subcommand(
      "analyze",
      "The verdict: finalizer backlogs, Timer/executor queues holding cancelled tasks, fixes");
  add_common(analyze_cmd, analyze_opts, false);
  analyze_cmd->get_option("--format")->check(CLI::IsMember({"text", "json", "html", "md"}));
  analyze_cmd->add_option("-o,--output", analyze.output, "Write the report to FILE (- = stdout)");
  analyze_cmd
      ->add_option("--fail-on", analyze.fail_on, "Exit 1 when a finding is at least this severe")
      ->check(CLI::IsMember({"info", "warning", "critical"}));
  analyze_cmd->add_option("--top", analyze.top, "Dominators and histogram rows in the report");

  CommonOptions path_opts;
  PathOptions path;
  auto* path_cmd = app.add_subcommand("path", "Shortest paths from GC roots to an object");
  add_common(path_cmd, path_opts, true);
  path_cmd->add_option("--object", path.object, "Object id, e.g. 0x7ffd023d0")->required();
  path_cmd->add_option("--max-paths", path.max_paths, "Paths through different referrers");
  path_cmd->add_flag("--all-references", path.all_references,
                     "Also follow Reference.referent (weak, soft, final, phantom)");

  CommonOptions object_opts;
  ObjectOptions object;
  auto* object_cmd = app.add_subcommand("object", "An object's class, fields, sizes and referrers");
  add_common(object_cmd, object_opts, true);
  object_cmd->add_option("--object", object.object, "Object id, e.g. 0x7ffd023d0")->required();
  object_cmd->add_option("--elements", object.max_elements, "Array elements shown");

  CommonOptions dom_opts;
  DominatorOptions dom;
  auto* dominators = app.add_subcommand("dominators", "Biggest retainers, as a dominator tree");
  add_common(dominators, dom_opts, true);
  dominators->add_option("--top", dom.top, "Children shown per level");
  dominators->add_option("--depth", dom.depth, "Levels of the tree shown")
      ->check(CLI::Range(1, 64));
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
    if (*path_cmd) return run_path(path_opts, path);
    if (*analyze_cmd) return run_analyze(analyze_opts, analyze);
    if (*object_cmd) return run_object(object_opts, object);
  } catch (const heapscope::hprof::SpillError& e) {
    std::fprintf(stderr, "heapscope: out of memory: %s\n", e.what());
    return kExitMemoryBudget;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "heapscope: out of memory\n");
    return kExitMemoryBudget;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "heapscope: internal error: %s\n", e.what());
    return kExitInternal;
  }
  return kExitUsage;
}
