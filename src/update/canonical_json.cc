#include "vigil/update/canonical_json.h"

#include "internal/json_doc.h"

namespace vigil::update {

Result<json::Value> ParseStrictJson(std::string_view text, std::string_view where) {
  json::Limits limits;
  limits.max_bytes = internal::kMaxJsonBytes;
  limits.max_depth = kMaxJsonDepth;
  return json::Parse(text, where, limits);
}

Result<std::string> CanonicalJson(const json::Value& value) { return json::Canonical(value); }

}  // namespace vigil::update
