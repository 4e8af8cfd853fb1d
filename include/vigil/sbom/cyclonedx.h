// CycloneDX JSON (spec versions 1.4, 1.5, 1.6) into the SBOM model, and the model out as
// CycloneDX 1.6 JSON.
//
// The reader parses with simdjson (large SBOMs) and checks the parts of the schema the model
// relies on or that carry meaning for security review: bomFormat, specVersion, serialNumber
// (urn:uuid), metadata.timestamp (date-time), component type/scope enumerations, required
// component name, non-empty bom-refs, hash algorithm and hex length per algorithm, licence
// choice (licences xor one expression), licence id against the SPDX list when one is supplied,
// licence text encoding, property name, swid tagId/name, patch and issue types, service data
// flows and dependency refs. Unknown fields are ignored. Nested components (component.
// components) are flattened into Sbom::components in document order.
//
// Every error is one line: "<source>: <JSON path>: <problem>", e.g.
// "bom.json: components[1].hashes[0].content: expected 64 hex digits for SHA-256, got 'foo'".
//
// Thread-safety: free functions without shared state.
#ifndef VIGIL_SBOM_CYCLONEDX_H_
#define VIGIL_SBOM_CYCLONEDX_H_

#include <set>
#include <string>
#include <string_view>

#include "vigil/core/result.h"
#include "vigil/sbom/sbom.h"

namespace vigil::sbom {

struct CycloneDxReadOptions {
  // SPDX licence ids to accept in license.id; null checks only the id's syntax. Not owned.
  const std::set<std::string, std::less<>>* spdx_license_ids = nullptr;
};

// Reads one CycloneDX JSON document. `source` names it in errors (usually the file name).
// Fails with InvalidArgument on malformed JSON or a schema violation listed above.
Result<Sbom> ReadCycloneDxJson(std::string_view json, std::string_view source,
                               const CycloneDxReadOptions& options = {});

// The licence ids listed in CycloneDX's spdx.schema.json (its "enum" array).
Result<std::set<std::string, std::less<>>> LoadSpdxLicenseIds(std::string_view schema_json);

// Serialises the model as a CycloneDX 1.6 JSON document (2-space indented) that validates
// against bom-1.6.schema.json. Component refs are kept when unique and generated otherwise;
// the FDA fields are written as properties "fda:level-of-support" and "fda:end-of-support".
std::string WriteCycloneDxJson(const Sbom& sbom);

}  // namespace vigil::sbom

#endif  // VIGIL_SBOM_CYCLONEDX_H_
