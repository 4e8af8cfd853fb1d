// SPDX 2 and SPDX 3 readers (and format detection) on arbitrary bytes; whatever is accepted
// converts to CycloneDX that reads back.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vigil/sbom/cyclonedx.h"
#include "vigil/sbom/sbom_reader.h"
#include "vigil/sbom/spdx.h"

namespace {

void Check(const vigil::Result<vigil::sbom::Sbom>& sbom) {
  if (!sbom) return;
  auto back = vigil::sbom::ReadCycloneDxJson(vigil::sbom::WriteCycloneDxJson(*sbom), "written");
  if (!back || back->components.size() != sbom->components.size()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Check(vigil::sbom::ReadSpdx2Json(text, "fuzz"));
  Check(vigil::sbom::ReadSpdx3JsonLd(text, "fuzz"));
  Check(vigil::sbom::ReadSbom(text, "fuzz"));
  return 0;
}
