#include "vigil/vuln/finding.h"

#include "internal/cvss_severity.h"
#include "vigil/risk/cvss.h"

namespace vigil::vuln {

// vuln::Severity is risk::cvss::Severity with "unknown" in front (a finding whose advisory
// states no score); the names are risk's.
static_assert(static_cast<int>(Severity::kNone) ==
                  1 + static_cast<int>(risk::cvss::Severity::kNone) &&
              static_cast<int>(Severity::kCritical) ==
                  1 + static_cast<int>(risk::cvss::Severity::kCritical));

Severity internal::SeverityFromCvss(risk::cvss::Severity s) {
  return static_cast<Severity>(1 + static_cast<int>(s));
}

std::string_view SeverityName(Severity s) {
  if (s == Severity::kUnknown) return "unknown";
  return risk::cvss::SeverityName(static_cast<risk::cvss::Severity>(static_cast<int>(s) - 1));
}

std::string_view VexStatusName(VexStatus s) {
  switch (s) {
    case VexStatus::kAffected:
      return "affected";
    case VexStatus::kNotAffected:
      return "not_affected";
    case VexStatus::kFixed:
      return "fixed";
    case VexStatus::kUnderInvestigation:
      return "under_investigation";
    case VexStatus::kNone:
      break;
  }
  return "none";
}

}  // namespace vigil::vuln
