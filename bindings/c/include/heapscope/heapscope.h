/* Heapscope's C ABI: analyze a JVM heap dump (HPROF) from C or any FFI.
 *
 * Every query answers JSON, the same bytes the CLI prints with `--format json`:
 *   heapscope_report_json      = heapscope analyze --format json
 *   heapscope_info_json        = heapscope info --format json
 *   heapscope_histogram_json   = heapscope histogram --format json [--sort S] [--top N]
 *   heapscope_dominators_json  = heapscope dominators --format json [--top N] [--depth D]
 *   heapscope_path_json        = heapscope path --format json --object ID [--max-paths N]
 *   heapscope_object_json      = heapscope object --format json --object ID [--elements N]
 * (docs/report.md and docs/user-guide.md describe the documents).
 *
 * Return values are the CLI's exit codes: HEAPSCOPE_OK, HEAPSCOPE_ERROR_USAGE (a bad argument,
 * e.g. an id the dump does not hold), HEAPSCOPE_ERROR_BAD_INPUT (the dump cannot be read),
 * HEAPSCOPE_ERROR_MEMORY_BUDGET (over the budget, or out of memory), HEAPSCOPE_ERROR_INTERNAL
 * (a bug), plus HEAPSCOPE_CANCELLED (the progress callback returned non-zero). On an error a
 * query's output string holds {"error":{"code":N,"message":"..."}} instead (NULL if even that
 * could not be allocated); free it with heapscope_string_free either way.
 *
 * Threads: one analysis serves calls from several threads at once (the parts built on first
 * use are built once, under a lock); separate analyses are independent. The library never
 * prints, exits or aborts, lets no exception out and keeps no global mutable state. The
 * progress callback may be called from the library's worker threads, one call at a time.
 *
 * Stability: the ABI of libheapscope.so.0 only grows (docs/notes/c-abi.md). */
#ifndef HEAPSCOPE_HEAPSCOPE_H
#define HEAPSCOPE_HEAPSCOPE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define HEAPSCOPE_API __attribute__((visibility("default")))
#else
#define HEAPSCOPE_API
#endif

enum {
  HEAPSCOPE_OK = 0,
  HEAPSCOPE_ERROR_USAGE = 2,
  HEAPSCOPE_ERROR_BAD_INPUT = 3,
  HEAPSCOPE_ERROR_MEMORY_BUDGET = 4,
  HEAPSCOPE_ERROR_INTERNAL = 5,
  HEAPSCOPE_CANCELLED = 6
};

/* The retained-size convention (docs/notes/retained-size.md). */
enum {
  HEAPSCOPE_RETAINED_DEFAULT = 0,    /* in a query: the one of the options */
  HEAPSCOPE_RETAINED_MAT = 1,        /* every reference retains (Eclipse MAT); the default */
  HEAPSCOPE_RETAINED_STRONG_ONLY = 2 /* Reference.referent does not retain (VisualVM) */
};

typedef struct heapscope_analysis heapscope_analysis; /* opaque */
typedef struct heapscope_options heapscope_options;   /* opaque; NULL = defaults */

/* Called with the phase ("index", "dominators", ...) and the fraction of it done (0..1, or -1
 * when unknown). A non-zero return cancels: the running call returns HEAPSCOPE_CANCELLED. */
typedef int (*heapscope_progress_fn)(void* user, const char* phase, double fraction);

/* "0.1.0" */
HEAPSCOPE_API const char* heapscope_version(void);

HEAPSCOPE_API heapscope_options* heapscope_options_new(void);
HEAPSCOPE_API void heapscope_options_free(heapscope_options* options);
/* Refuse with HEAPSCOPE_ERROR_MEMORY_BUDGET when the analysis would need more than `bytes`;
 * 0 = no limit. Default: the memory available when the analysis starts (as the CLI). */
HEAPSCOPE_API int heapscope_options_set_memory_budget(heapscope_options* options, uint64_t bytes);
/* Worker threads; 0 = all cores (the default). */
HEAPSCOPE_API int heapscope_options_set_threads(heapscope_options* options, unsigned threads);
/* Keep the index and dominator tree in this directory so that the next open of the same dump
 * skips that work; NULL or "" = no cache (the default). */
HEAPSCOPE_API int heapscope_options_set_cache_dir(heapscope_options* options, const char* dir);
/* HEAPSCOPE_RETAINED_MAT or HEAPSCOPE_RETAINED_STRONG_ONLY: the convention of the histogram's
 * and the dominators' retained sizes when a query asks for HEAPSCOPE_RETAINED_DEFAULT. */
HEAPSCOPE_API int heapscope_options_set_retained_convention(heapscope_options* options,
                                                            int convention);
/* Which heap dump of a file holding several (0 = the first). */
HEAPSCOPE_API int heapscope_options_set_heap_dump(heapscope_options* options, unsigned number);
/* `callback` (NULL = none) is called with `user` during every long call of analyses opened
 * with these options. */
HEAPSCOPE_API int heapscope_options_set_progress(heapscope_options* options,
                                                 heapscope_progress_fn callback, void* user);

/* Opens and indexes the dump at `path` (plain, gzip, zstd or bzip2). On success *out is the
 * analysis (close it with heapscope_close); on failure *out is NULL and, when error_message is
 * not NULL, *error_message says what (free it with heapscope_string_free). The options are
 * copied: free them whenever you like. */
HEAPSCOPE_API int heapscope_open(const char* path, const heapscope_options* options,
                                 heapscope_analysis** out, char** error_message);

/* The report: findings, verdict, finalizer and timer tables (`heapscope analyze --format
 * json`; a finding does not make the call fail). */
HEAPSCOPE_API int heapscope_report_json(heapscope_analysis* analysis, char** json);
HEAPSCOPE_API int heapscope_info_json(heapscope_analysis* analysis, char** json);
/* sort: "shallow" (NULL), "count" or "retained"; top 0 = every class. */
HEAPSCOPE_API int heapscope_histogram_json(heapscope_analysis* analysis, const char* sort,
                                           size_t top, int convention, char** json);
/* object_id 0: the top of the dominator tree (the CLI's output); otherwise the children of
 * that object (the document then has "object_id"). `top` children per node, `depth` levels. */
HEAPSCOPE_API int heapscope_dominators_json(heapscope_analysis* analysis, uint64_t object_id,
                                            size_t top, int depth, int convention, char** json);
/* Shortest paths from GC roots; all_references non-zero also follows Reference.referent. */
HEAPSCOPE_API int heapscope_path_json(heapscope_analysis* analysis, uint64_t object_id,
                                      size_t max_paths, int all_references, char** json);
/* Class, sizes, fields (or the first max_elements array elements), referrers. */
HEAPSCOPE_API int heapscope_object_json(heapscope_analysis* analysis, uint64_t object_id,
                                        size_t max_elements, char** json);

HEAPSCOPE_API void heapscope_string_free(char* s);
HEAPSCOPE_API void heapscope_close(heapscope_analysis* analysis);

#ifdef __cplusplus
}
#endif

#endif /* HEAPSCOPE_HEAPSCOPE_H */
