// Root::Parse on arbitrary bytes: never crash; an accepted document's canonical signed part is
// itself accepted by the strict JSON parser.
#include <cstdlib>

#include "vigil/update/canonical_json.h"
#include "vigil/update/metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parsed = vigil::update::Root::Parse(vigil::ByteView(data, size), "root.json");
  if (!parsed) return 0;
  if (!vigil::update::ParseStrictJson(parsed->envelope.canonical_signed, "canonical")) {
    std::abort();
  }
  return 0;
}
