// The reader of CPE applicability statements, shared by the NVD reader (a cve object's
// "configurations") and the CVE JSON 5 reader (a CNA container's "cpeApplicability", which
// has the same form).
#ifndef VIGIL_VULN_INTERNAL_CPE_CONFIGURATIONS_H_
#define VIGIL_VULN_INTERNAL_CPE_CONFIGURATIONS_H_

#include <string>
#include <string_view>
#include <vector>

#include "vigil/vuln/advisory.h"
#include "internal/json_access.h"

namespace vigil::vuln::internal {

// Member `key` of `parent` (at JSON path `base`) as configurations[].nodes[].cpeMatch[]; empty
// when absent. Every cpeMatch path is relative to `base` ("cpeApplicability[0].nodes[1]...").
// Fails (InvalidArgument naming the path) on a malformed statement or a criteria that is not
// a CPE 2.3 name.
Result<std::vector<CpeConfiguration>> ReadConfigurations(const JsonFields& f,
                                                         simdjson::dom::object parent,
                                                         std::string_view key,
                                                         const std::string& base);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_CPE_CONFIGURATIONS_H_
