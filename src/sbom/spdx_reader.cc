// SPDX readers (not yet implemented: both refuse the document with a clear message).
#include "vigil/sbom/spdx.h"

namespace vigil::sbom {

Result<Sbom> ReadSpdx2Json(std::string_view, std::string_view source) {
  return FailedPreconditionError(std::string(source) + ": $: SPDX 2 JSON is not supported yet");
}

Result<Sbom> ReadSpdx3JsonLd(std::string_view, std::string_view source) {
  return FailedPreconditionError(std::string(source) + ": $: SPDX 3 JSON-LD is not supported yet");
}

}  // namespace vigil::sbom
