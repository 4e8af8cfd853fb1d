// CPE 2.3 parser on arbitrary text: an accepted name's canonical form parses back to an equal
// name.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vigil/sbom/cpe.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cpe = vigil::sbom::Cpe::Parse(text);
  if (!cpe) return 0;
  auto again = vigil::sbom::Cpe::Parse(cpe->ToString());
  if (!again || !(*again == *cpe)) __builtin_trap();
  return 0;
}
