// What the CSAF advisory writer and its input check share (private to the vuln module).
#ifndef VIGIL_VULN_INTERNAL_CSAF_ADVISORY_PARTS_H_
#define VIGIL_VULN_INTERNAL_CSAF_ADVISORY_PARTS_H_

#include <string>
#include <string_view>

#include "vigil/core/result.h"
#include "vigil/vuln/csaf_advisory.h"

namespace vigil::vuln::csaf::internal {

// CSAF 2.0's contradiction groups of product_status (mandatory test 6.1.6); recommended stands
// apart and may join any of them.
enum class StatusGroup { kAffected, kNotAffected, kFixed, kUnderInvestigation, kRecommended };
StatusGroup GroupOf(ProductStatus s);

// The product id of one release: product name and version lowercased, each run of characters
// outside [a-z0-9.+-] made one '_', joined by '-' ("acme_infusion_pump-1.1"). Stable across
// re-issues; distinct versions can collide ("1 0" and "1_0"), which CheckAdvisory refuses.
std::string ReleaseProductId(const Product& product, std::string_view version);

// Every rule of csaf_advisory.h's header; the first one broken as one-line InvalidArgument
// naming the field.
Status CheckAdvisory(const Advisory& advisory);

}  // namespace vigil::vuln::csaf::internal

#endif  // VIGIL_VULN_INTERNAL_CSAF_ADVISORY_PARTS_H_
