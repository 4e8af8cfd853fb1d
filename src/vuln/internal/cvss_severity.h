// A finding's severity from risk::cvss's rating (private to vuln): the same scale with
// "unknown" in front, for a finding whose advisory states no score.
#ifndef VIGIL_VULN_INTERNAL_CVSS_SEVERITY_H_
#define VIGIL_VULN_INTERNAL_CVSS_SEVERITY_H_

#include "vigil/risk/cvss.h"
#include "vigil/vuln/finding.h"

namespace vigil::vuln::internal {

Severity SeverityFromCvss(risk::cvss::Severity s);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_CVSS_SEVERITY_H_
