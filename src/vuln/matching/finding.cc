#include "vigil/vuln/finding.h"

namespace vigil::vuln {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kNone:
      return "none";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
    case Severity::kUnknown:
      break;
  }
  return "unknown";
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
