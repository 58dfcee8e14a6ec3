// heapscope: the command-line face of the analysis library.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <new>

#include "commands.h"
#include "heapscope/hprof/spill.h"
#include "worker/worker.h"

namespace {

using heapscope::cli::CommonOptions;

// How a dump is analyzed: threads, memory budget, cache (every command, and the worker).
void add_analysis_options(CLI::App* cmd, CommonOptions& o) {
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

void add_common(CLI::App* cmd, CommonOptions& o, bool json_only_formats) {
  cmd->add_option("dump", o.dump_path, "Heap dump (.hprof, .hprof.gz, .hprof.zst, ...)")
      ->required();
  auto* f = cmd->add_option("--format", o.format, "Output format");
  if (json_only_formats) f->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("-q,--quiet", o.quiet, "No progress on stderr");
  cmd->add_option("--dump", o.heap_dump_number, "Which heap dump of the file (0 = first)");
  add_analysis_options(cmd, o);
}

void add_analyze_options(CLI::App* cmd, heapscope::cli::AnalyzeOptions& a) {
  cmd->add_option("--fail-on", a.fail_on, "Exit 1 when a finding is at least this severe")
      ->check(CLI::IsMember({"info", "warning", "critical"}));
  cmd->add_option("--top", a.top, "Dominators and histogram rows in the report");
}

// diff and trend take several dumps: the common options without the one positional dump.
CLI::App* add_compare(CLI::App& app, const char* name, const char* help, CommonOptions& o,
                      heapscope::cli::CompareOptions& c, int min_dumps, int max_dumps) {
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("dumps", c.dumps, "Heap dumps of the same application")
      ->required()
      ->expected(min_dumps, max_dumps);
  cmd->add_option("--format", o.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "html", "md"}));
  cmd->add_option("-o,--output", c.output, "Write to FILE (- = stdout)");
  cmd->add_flag("-q,--quiet", o.quiet, "No progress on stderr");
  add_analysis_options(cmd, o);
  return cmd;
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
  analyze_cmd->get_option("--format")
      ->check(CLI::IsMember({"text", "json", "html", "md", "openmetrics"}));
  analyze_cmd->add_option("-o,--output", analyze.output, "Write the report to FILE (- = stdout)");
  add_analyze_options(analyze_cmd, analyze);

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
  dominators->add_option(
      "--object", dom.object,
      "Show the children of this object (id, e.g. 0x7ffd023d0) instead of the top");
  dominators->add_flag("--strong-only", dom.strong_only,
                       "Reference.referent does not retain (VisualVM's convention)");

  CommonOptions diff_opts;
  CompareOptions diff;
  auto* diff_cmd = add_compare(
      app, "diff",
      "Compare two dumps: classes, findings, finalizer states and timer/executor queues", diff_opts,
      diff, 2, 2);
  CommonOptions trend_opts;
  CompareOptions trend;
  auto* trend_cmd = add_compare(
      app, "trend",
      "Several dumps of one JVM over time: values, growth per hour, time to the heap limit",
      trend_opts, trend, 2, 1000);
  trend_cmd->add_option("--heap-limit", trend.heap_limit,
                        "The JVM's -Xmx (e.g. 4G): when the reachable heap reaches it");
  CommonOptions redact_opts;
  RedactOptions redact;
  auto* redact_cmd = app.add_subcommand(
      "redact",
      "Write a copy of the dump without field values and string contents, to send outside");
  redact_cmd->add_option("dump", redact_opts.dump_path, "Heap dump to redact")->required();
  redact_cmd->add_option("output", redact.output, "The redacted copy (.gz / .zst: compressed)")
      ->required();
  redact_cmd
      ->add_option("--level", redact.level,
                   "basic: values and strings; names: also non-JDK class, field and "
                   "thread names")
      ->check(CLI::IsMember({"basic", "names"}));
  redact_cmd->add_option("--mapping", redact.mapping,
                         "With --level names: where the pseudonyms' meaning goes (default: "
                         "OUT.mapping.json)");
  redact_cmd->add_option("--threads", redact_opts.threads,
                         "Threads that decompress the input (0 = all cores)");
  redact_cmd->add_flag("-q,--quiet", redact_opts.quiet, "No progress or summary on stderr");
  CommonOptions worker_common;
  AnalyzeOptions worker_analyze;
  worker::WorkerOptions worker_opts;
  auto* worker_cmd = worker::add_worker_command(app, worker_opts);
  add_analysis_options(worker_cmd, worker_common);
  add_analyze_options(worker_cmd, worker_analyze);

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
    if (*diff_cmd) return run_diff(diff_opts, diff);
    if (*trend_cmd) return run_trend(trend_opts, trend);
    if (*redact_cmd) return run_redact(redact_opts, redact);
    if (*worker_cmd) return worker::run_worker(worker_opts, worker_common, worker_analyze);
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
