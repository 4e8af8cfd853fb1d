// SPDX readers: SPDX 2.3 JSON and SPDX 3.0 JSON-LD into the SBOM model.
//
// SPDX 2.3: packages become components (SPDXID → ref, versionInfo, supplier/originator,
// checksums, licenseConcluded/licenseDeclared, externalRefs of type purl and cpe23Type);
// relationships DEPENDS_ON / DEPENDENCY_OF / CONTAINS build the dependency graph, DESCRIBES
// names the primary package. SPDX 3.0: software_Package elements (spdxId, name,
// software_packageVersion, software_packageUrl, externalIdentifier cpe23/purl, verifiedUsing
// hashes, suppliedBy), Relationship elements dependsOn/contains/describes, and licences through
// hasDeclaredLicense/hasConcludedLicense relationships to simplelicensing expressions.
//
// Errors: "<source>: <JSON path>: <problem>" in one line.
//
// Thread-safety: free functions without shared state.
#ifndef VIGIL_SBOM_SPDX_H_
#define VIGIL_SBOM_SPDX_H_

#include <string_view>

#include "vigil/core/result.h"
#include "vigil/sbom/sbom.h"

namespace vigil::sbom {

Result<Sbom> ReadSpdx2Json(std::string_view json, std::string_view source);
Result<Sbom> ReadSpdx3JsonLd(std::string_view json, std::string_view source);

}  // namespace vigil::sbom

#endif  // VIGIL_SBOM_SPDX_H_
