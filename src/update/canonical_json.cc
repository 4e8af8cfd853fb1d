#include "vigil/update/canonical_json.h"

namespace vigil::update {
namespace {
// Largest document read. Each role's own cap (MaxMetadataBytes) is enforced on the download,
// far below this; this bounds the repository tooling's staged files and the state files.
constexpr size_t kMaxJsonBytes = size_t{1} << 30;
}  // namespace

Result<json::Value> ParseStrictJson(std::string_view text, std::string_view where,
                                    bool* canonical_text) {
  json::Limits limits;
  limits.max_bytes = kMaxJsonBytes;
  limits.max_depth = kMaxJsonDepth;
  return json::Parse(text, where, limits, canonical_text);
}

Result<std::string> CanonicalJson(const json::Value& value) { return json::Canonical(value); }

}  // namespace vigil::update
