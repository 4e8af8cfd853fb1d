// The SPDX licence list `vigil sbom validate` checks licence ids against: CycloneDX's
// spdx.schema.json (its "enum" of ids), built into the command from the shared data's
// CycloneDX schema folder when the build has it (src/cli/CMakeLists.txt), else empty.
#ifndef VIGIL_CLI_SPDX_LICENSE_LIST_H_
#define VIGIL_CLI_SPDX_LICENSE_LIST_H_

#include <string_view>

namespace vigil::cli {

// The schema's JSON text; empty when the build had no list (ids are then checked for their
// syntax only, and `sbom validate` says so).
std::string_view BuiltInSpdxLicenseSchema();

}  // namespace vigil::cli

#endif  // VIGIL_CLI_SPDX_LICENSE_LIST_H_
