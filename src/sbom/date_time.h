// RFC 3339 date-times as JSON Schema's "date-time" format checks them (private to the sbom
// module): the CycloneDX reader refuses other timestamps and the writer leaves them out.
#ifndef VIGIL_SBOM_DATE_TIME_H_
#define VIGIL_SBOM_DATE_TIME_H_

#include <string_view>

namespace vigil::sbom::internal {

// 2020-04-13T20:20:39(.fraction)(Z|±hh:mm).
bool IsRfc3339DateTime(std::string_view s);

}  // namespace vigil::sbom::internal

#endif  // VIGIL_SBOM_DATE_TIME_H_
