#include "heapscope/hprof/header.h"

#include <cstring>
#include <string_view>

#include "be.h"

namespace heapscope::hprof {

Result<Header> parse_header(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return Error{ErrorCode::kEmpty, 0, -1, "the file is empty (0 bytes)"};
  constexpr std::string_view kMagic = "JAVA PROFILE ";
  const size_t probe = std::min<size_t>(bytes.size(), 32);
  const auto* text = reinterpret_cast<const char*>(bytes.data());
  // A file that ends inside the magic is a cut HPROF file, not some other format.
  if (probe < kMagic.size() && kMagic.starts_with(std::string_view(text, probe))) {
    return Error{
        ErrorCode::kTruncated, bytes.size(), -1,
        "the file ends inside the HPROF header (" + std::to_string(bytes.size()) + " bytes)"};
  }
  if (probe < kMagic.size() || std::string_view(text, kMagic.size()) != kMagic) {
    std::string start;
    for (size_t i = 0; i < std::min<size_t>(probe, 16); ++i) {
      char c = text[i];
      start += (c >= 32 && c < 127) ? c : '.';
    }
    return Error{
        ErrorCode::kNotHprof, 0, -1,
        "not an HPROF heap dump: it starts with \"" + start + "\", not \"JAVA PROFILE 1.0.x\""};
  }
  const void* nul = std::memchr(text, 0, probe);
  if (!nul) {
    if (bytes.size() < 32) {
      return Error{ErrorCode::kTruncated, bytes.size(), -1,
                   "the file ends inside the HPROF header (" + std::to_string(bytes.size()) +
                       " bytes, no terminating NUL)"};
    }
    return Error{ErrorCode::kNotHprof, 0, -1,
                 "the HPROF header has no terminating NUL within 32 bytes"};
  }
  Header h;
  h.version_string.assign(text, static_cast<const char*>(nul) - text);
  if (h.version_string == "JAVA PROFILE 1.0.1") {
    h.version = Version::k101;
  } else if (h.version_string == "JAVA PROFILE 1.0.2") {
    h.version = Version::k102;
  } else if (h.version_string == "JAVA PROFILE 1.0.3") {
    h.version = Version::k103;
  } else {
    return Error{
        ErrorCode::kUnsupportedVersion, 0, -1,
        "unsupported HPROF version \"" + h.version_string + "\" (supported: 1.0.1, 1.0.2, 1.0.3)"};
  }
  const uint64_t pos = h.version_string.size() + 1;
  if (bytes.size() < pos + 12) {
    return Error{ErrorCode::kTruncated, bytes.size(), -1,
                 "the file ends inside the header (" + std::to_string(bytes.size()) + " bytes)"};
  }
  h.id_size = detail::load_u32(bytes.data() + pos);
  if (h.id_size != 4 && h.id_size != 8) {
    return Error{ErrorCode::kBadIdSize, pos, -1,
                 "identifier size " + std::to_string(h.id_size) + " (only 4 and 8 exist)"};
  }
  h.timestamp_ms = detail::load_u64(bytes.data() + pos + 4);
  h.size = pos + 12;
  return h;
}

}  // namespace heapscope::hprof
