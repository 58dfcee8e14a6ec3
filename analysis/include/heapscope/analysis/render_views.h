// The JSON of the views (views.h): what `heapscope info|histogram|dominators|path|object
// --format json` print and what the C ABI returns, byte for byte (two-space indent, a final
// newline). Keys are documented in docs/user-guide.md.
#pragma once

#include <string>

#include "heapscope/analysis/views.h"

namespace heapscope::analysis {

std::string render_json(const InfoView& view);
std::string render_json(const HistogramView& view);
std::string render_json(const DominatorsView& view);
std::string render_json(const PathsView& view);
std::string render_json(const ObjectView& view);

// "0x7ffd023d0"
std::string hex_object_id(uint64_t id);

}  // namespace heapscope::analysis
