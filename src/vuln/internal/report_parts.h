// Pieces the scan report writers share (private to the vuln module).
#ifndef VIGIL_VULN_INTERNAL_REPORT_PARTS_H_
#define VIGIL_VULN_INTERNAL_REPORT_PARTS_H_

#include <map>
#include <optional>
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

// The canonical purl of a component with its version: `purl` as written when it carries a
// version, else with `version` added (SBOMs often write "pkg:github/wolfssl/wolfssl" beside
// "version": "4.8.1"). "" when `purl` does not parse; `purl` as parsed when `version` is empty
// or is not a valid version of the purl's type.
std::string VersionedPurl(std::string_view purl, std::string_view version);
// `text` with every byte %XX-encoded (upper-case hex) but ASCII letters, digits and the
// characters in `keep`.
std::string PercentEncode(std::string_view text, std::string_view keep);
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

// A CSAF 2.0 score's CVSS object (cvss_v2 / cvss_v3 per FIRST's JSON schemas) for a vector,
// scored by risk::cvss so that baseScore and baseSeverity agree with it (mandatory tests 6.1.9
// and 6.1.10). nullopt for a CVSS v4.0 vector (CSAF 2.0 has no slot for it) and for one that
// does not parse. Shared by the CSAF VEX and security advisory writers.
struct CsafCvss {
  std::string slot;     // "cvss_v2" or "cvss_v3"
  std::string version;  // "2.0", "3.0", "3.1"
  std::string vector;
  double base_score = 0;
  std::string base_severity;  // "CRITICAL" … "NONE"; empty for v2 (its schema has none)
};
std::optional<CsafCvss> CsafCvssOf(std::string_view vector);

// "49 components not covered: nothing in the advisory database could match them".
std::string UncoveredSummary(size_t count);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_REPORT_PARTS_H_
