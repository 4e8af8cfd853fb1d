// Strict JSON parser + canonical encoder: never crash; whatever parses and encodes must re-parse
// to the same value and re-encode to the same bytes (the canonical form is a fixed point).
#include <cstdlib>

#include "vigil/core/bytes.h"
#include "vigil/update/canonical_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = vigil::AsStringView(vigil::ByteView(data, size));
  auto parsed = vigil::update::ParseStrictJson(text, "fuzz");
  if (!parsed) return 0;
  auto canonical = vigil::update::CanonicalJson(*parsed);
  if (!canonical) return 0;
  auto again = vigil::update::ParseStrictJson(*canonical, "fuzz canonical");
  if (!again || *again != *parsed) std::abort();
  auto canonical2 = vigil::update::CanonicalJson(*again);
  if (!canonical2 || *canonical2 != *canonical) std::abort();
  return 0;
}
