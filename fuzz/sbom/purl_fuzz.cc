// Package URL parser on arbitrary text: an accepted purl's canonical form parses back to itself
// (canonicalisation is idempotent).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vigil/sbom/purl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto purl = vigil::sbom::PackageUrl::Parse(text);
  if (!purl) return 0;
  std::string canonical = purl->ToString();
  auto again = vigil::sbom::PackageUrl::Parse(canonical);
  if (!again || again->ToString() != canonical) __builtin_trap();
  return 0;
}
