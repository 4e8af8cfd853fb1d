// The format readers behind ReadSbom (private to the sbom module). Each is its public
// namesake with one more argument: `release`, when given, is the caller's text, which `json`
// views; it is freed as soon as the parser has copied it, and the parser's own index before the
// model is built, so the peak of a large SBOM is its parsed form and its model, not also its
// text (json::JsonFields::ParseRoot).
#ifndef VIGIL_SBOM_FORMAT_READERS_H_
#define VIGIL_SBOM_FORMAT_READERS_H_

#include <string_view>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/sbom/cyclonedx.h"
#include "vigil/sbom/sbom.h"

namespace vigil::sbom::internal {

Result<Sbom> ReadCycloneDxJson(std::string_view json, std::string_view source,
                               const CycloneDxReadOptions& options, Bytes* release);
Result<Sbom> ReadSpdx2Json(std::string_view json, std::string_view source, Bytes* release);
Result<Sbom> ReadSpdx3JsonLd(std::string_view json, std::string_view source, Bytes* release);

}  // namespace vigil::sbom::internal

#endif  // VIGIL_SBOM_FORMAT_READERS_H_
