// Pieces the scan report writers share (private to the vuln module).
#ifndef VIGIL_VULN_INTERNAL_REPORT_PARTS_H_
#define VIGIL_VULN_INTERNAL_REPORT_PARTS_H_

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/vuln/finding.h"

namespace vigil::vuln::internal {

// The distinct components of a finding list, in first-seen order; key → index.
struct ComponentIndex {
  std::vector<const Finding*> first;  // one finding per component, for its component fields
  std::map<std::string, size_t> by_key;
  size_t Of(const Finding& f) const { return by_key.at(ComponentKey(f)); }
  static std::string ComponentKey(const Finding& f);
};
ComponentIndex IndexComponents(std::span<const Finding> findings);

// "name@version" (or the purl when there is one) for messages.
std::string ComponentLabel(const Finding& f);
// The database an identifier comes from, by its prefix ("CVE-" → "NVD", "GHSA-" → "GitHub
// Advisory Database", "GO-" → "Go Vulnerability Database", …, else "OSV").
std::string_view IdSource(std::string_view id);
// True for "CVE-YYYY-NNNN…" (CSAF's cve field pattern).
bool IsCveId(std::string_view id);
// The CVE among advisory id and aliases, or "".
std::string CveOf(const Finding& f);
// Recommendation text: "Upgrade <name> to 1.2.7 or later" / "No fixed version is known".
std::string Recommendation(const Finding& f);
// "fixed versions" joined by ", ".
std::string Join(const std::vector<std::string>& items, std::string_view sep);
// EPSS probability as text with 5 decimals (FIRST's precision).
std::string FormatProbability(double p);

// A product's identifiers as CSAF's product_identification_helper holds them: the canonical
// purl and CPE, each "" when its text is empty or does not parse (CSAF's schema constrains
// both, so an identifier that does not parse is left out). Shared by the CSAF VEX and
// security advisory writers.
struct IdentificationHelper {
  std::string purl;
  std::string cpe;
};
IdentificationHelper CsafIdentificationHelper(std::string_view purl, std::string_view cpe);

// "49 components not covered: nothing in the advisory database could match them".
std::string UncoveredSummary(size_t count);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_REPORT_PARTS_H_
