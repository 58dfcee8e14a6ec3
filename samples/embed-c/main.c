/* The C twin of samples/embed: analyzes a heap dump through the C ABI and prints the report
 * (the JSON of `heapscope analyze --format json`); progress on stderr. Exit code: the ABI's. */
#include <heapscope/heapscope.h>
#include <stdio.h>

static int show_progress(void* user, const char* phase, double fraction) {
  (void)user;
  if (fraction < 0 || fraction == 0.0) fprintf(stderr, "%s...\n", phase);
  return 0; /* non-zero would cancel */
}

int main(int argc, char** argv) {
  heapscope_options* options;
  heapscope_analysis* analysis = NULL;
  char* error = NULL;
  char* json = NULL;
  int rc;
  if (argc != 2) {
    fprintf(stderr, "usage: %s DUMP\n", argv[0]);
    return 2;
  }
  options = heapscope_options_new();
  heapscope_options_set_progress(options, show_progress, NULL);
  rc = heapscope_open(argv[1], options, &analysis, &error);
  heapscope_options_free(options);
  if (rc != HEAPSCOPE_OK) {
    fprintf(stderr, "%s\n", error ? error : "cannot open");
    heapscope_string_free(error);
    return rc;
  }
  rc = heapscope_report_json(analysis, &json);
  if (json) fputs(json, rc == HEAPSCOPE_OK ? stdout : stderr);
  heapscope_string_free(json);
  heapscope_close(analysis);
  return rc;
}
