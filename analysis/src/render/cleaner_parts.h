// The Cleaners section of the text, Markdown and HTML reports (private): one row per Cleaner,
// the action a stuck Cleaner thread is in, and the never-cleanable registrations per class with
// one path from action to referent. Each returns "" when the report has no Cleaner.
#pragma once

#include <string>

#include "heapscope/analysis/report.h"

namespace heapscope::analysis::render {

std::string cleaners_text(const Report& r);
std::string cleaners_markdown(const Report& r);
std::string cleaners_html(const Report& r);

}  // namespace heapscope::analysis::render
