// CycloneDX reader on arbitrary bytes; an accepted document is written as CycloneDX 1.6 and
// must be read back with the same number of components.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vigil/sbom/cyclonedx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto sbom = vigil::sbom::ReadCycloneDxJson(text, "fuzz");
  if (!sbom) {
    if (sbom.error().message().find('\n') != std::string::npos) __builtin_trap();
    return 0;
  }
  auto back = vigil::sbom::ReadCycloneDxJson(vigil::sbom::WriteCycloneDxJson(*sbom), "written");
  if (!back || back->components.size() != sbom->components.size()) __builtin_trap();
  return 0;
}
