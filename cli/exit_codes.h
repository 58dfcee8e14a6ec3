// Exit codes of the heapscope CLI: a contract with pipelines (see README.md).
#pragma once

namespace heapscope::cli {

enum ExitCode : int {
  kExitOk = 0,            // nothing at or above --fail-on
  kExitFindings = 1,      // findings at or above --fail-on
  kExitUsage = 2,         // bad command line
  kExitBadInput = 3,      // the dump cannot be read
  kExitMemoryBudget = 4,  // the dump needs more memory than allowed
  kExitInternal = 5,      // a bug
};

}  // namespace heapscope::cli
