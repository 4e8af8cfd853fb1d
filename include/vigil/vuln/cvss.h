// CVSS v3.0 / v3.1 base score from a vector string
// ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), as FIRST's specification (section 7.1 formulas,
// Appendix A Roundup for 3.1) defines it. OSV advisories carry only the vector; without the score a
// finding's severity would stay unknown.
//
// Thread-safety: pure function.
#ifndef VIGIL_VULN_CVSS_H_
#define VIGIL_VULN_CVSS_H_

#include <string_view>

#include "vigil/core/result.h"

namespace vigil::vuln {

// The base score (0.0–10.0, one decimal). All eight base metrics must appear exactly once
// (temporal and environmental metrics may follow and are ignored); InvalidArgument naming the
// metric otherwise, and for a vector that is not "CVSS:3.0/" or "CVSS:3.1/".
Result<double> CvssV3BaseScore(std::string_view vector);

}  // namespace vigil::vuln

#endif  // VIGIL_VULN_CVSS_H_
