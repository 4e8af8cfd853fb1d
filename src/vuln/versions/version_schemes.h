// Per-scheme validation and comparison behind vigil::vuln::Version (private to the module).
// Each Compare returns <0, 0, >0 and assumes both inputs passed the scheme's Validate.
#ifndef VIGIL_VULN_VERSION_SCHEMES_H_
#define VIGIL_VULN_VERSION_SCHEMES_H_

#include <string_view>

#include "vigil/core/result.h"

namespace vigil::vuln::internal {

// Compares two runs of decimal digits of any length by numeric value.
int CompareDigitRuns(std::string_view a, std::string_view b);
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline int Sign(int v) { return (v > 0) - (v < 0); }

Status ValidateSemver(std::string_view v);
int CompareSemver(std::string_view a, std::string_view b);
Status ValidateNuget(std::string_view v);
int CompareNuget(std::string_view a, std::string_view b);
Status ValidatePep440(std::string_view v);
int ComparePep440(std::string_view a, std::string_view b);
Status ValidateMaven(std::string_view v);
int CompareMaven(std::string_view a, std::string_view b);
Status ValidateRubyGems(std::string_view v);
int CompareRubyGems(std::string_view a, std::string_view b);
Status ValidateDebian(std::string_view v);
int CompareDebian(std::string_view a, std::string_view b);
Status ValidateRpm(std::string_view v);
int CompareRpm(std::string_view a, std::string_view b);
// rpmvercmp() itself on two version (or release) strings.
int RpmVerCmpForTest(std::string_view a, std::string_view b);
Status ValidateAlpine(std::string_view v);
int CompareAlpine(std::string_view a, std::string_view b);
Status ValidateConan(std::string_view v);
int CompareConan(std::string_view a, std::string_view b);
Status ValidateGeneric(std::string_view v);
int CompareGeneric(std::string_view a, std::string_view b);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_VERSION_SCHEMES_H_
