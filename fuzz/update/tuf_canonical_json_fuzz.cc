// Strict JSON parser + canonical encoder: never crash, and the canonical form depends only on the
// value: re-serialising the parsed value with nlohmann's writer and parsing that again must give
// byte-identical canonical JSON. (Canonical JSON itself is not re-parsed: OLPC writes control
// characters raw, which strict JSON forbids.)
#include <cstdlib>

#include "vigil/core/bytes.h"
#include "vigil/update/canonical_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = vigil::AsStringView(vigil::ByteView(data, size));
  auto parsed = vigil::update::ParseStrictJson(text, "fuzz");
  if (!parsed) {
    // Rejections name the document they were given.
    if (!parsed.error().message().starts_with("fuzz: not valid JSON: ")) std::abort();
    return 0;
  }
  auto canonical = vigil::update::CanonicalJson(*parsed);
  auto again = vigil::update::ParseStrictJson(parsed->dump(), "fuzz dump");
  if (!again) std::abort();
  auto canonical2 = vigil::update::CanonicalJson(*again);
  if (canonical.has_value() != canonical2.has_value()) std::abort();
  if (canonical && *canonical != *canonical2) std::abort();
  return 0;
}
