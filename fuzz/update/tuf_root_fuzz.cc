// Root::Parse on arbitrary bytes: never crash; an accepted document, re-serialised, is accepted
// again with the same canonical signed bytes (what signatures cover depends on the value only).
#include <cstdlib>

#include "vigil/update/canonical_json.h"
#include "vigil/update/metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parsed = vigil::update::Root::Parse(vigil::ByteView(data, size), "root.json");
  if (!parsed) return 0;
  auto doc = vigil::update::ParseStrictJson(vigil::AsStringView(vigil::ByteView(data, size)), "x");
  if (!doc) std::abort();
  std::string dumped = doc->dump();
  auto again = vigil::update::Root::Parse(vigil::AsBytes(dumped), "root.json");
  if (!again || again->envelope.canonical_signed != parsed->envelope.canonical_signed) std::abort();
  return 0;
}
