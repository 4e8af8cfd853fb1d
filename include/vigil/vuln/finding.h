// A finding: one advisory that applies (or was assessed not to apply) to one SBOM component.
// The matcher fills the identity, severity and "why" parts from the advisory database; VEX
// application fills the analysis part; the scan command renders findings as a table, JSON,
// CycloneDX VEX, OpenVEX, CSAF or SARIF. It is the one type those three stages share.
//
// Thread-safety: plain values.
#ifndef VIGIL_VULN_FINDING_H_
#define VIGIL_VULN_FINDING_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/vuln/weakness.h"

namespace vigil::vuln {

// Qualitative severity as CVSS v3/v4 bands it (none 0.0, low 0.1–3.9, medium 4.0–6.9,
// high 7.0–8.9, critical 9.0–10.0); kUnknown when the advisory gives no usable score.
enum class Severity { kUnknown, kNone, kLow, kMedium, kHigh, kCritical };
std::string_view SeverityName(Severity s);  // "unknown", "none", "low", …, "critical"

// How sure the match is. kLow: the identifier matched only loosely (e.g. an NVD CPE whose
// version is ANY or NA, so every version of the product "matches"); reported, never hidden,
// but kept apart from plain hits.
enum class Confidence { kHigh, kLow };

// VEX status vocabulary shared by CycloneDX, OpenVEX and CSAF (each writer maps it to its own
// spelling). kNone: no VEX statement covers this finding.
enum class VexStatus { kNone, kAffected, kNotAffected, kFixed, kUnderInvestigation };
std::string_view VexStatusName(VexStatus s);  // OpenVEX spelling: "not_affected", …

// One CVSS score an advisory (or an alias of it in the database) states.
struct StatedScore {
  std::string advisory_id;  // whose: the finding's advisory, or an alias ("CVE-2021-3711")
  std::string source;       // "NVD" (NVD's Primary), "CNA <address>" (Secondary), "advisory" (OSV)
  std::string role;         // NVD's "Primary" / "Secondary"; empty for OSV
  std::string version;      // CVSS version: "4.0", "3.1", "3.0", "2.0"
  std::string vector;
  std::optional<double> base_score;  // as stated (NVD), or computed from a v3 vector (OSV)
  std::string label;                 // qualitative severity as stated, if any
};

struct Finding {
  // The component, as the SBOM names it.
  std::string component_ref;  // bom-ref / SPDXID (may be empty)
  std::string component_name;
  std::string component_version;
  std::string component_purl;  // as written in the SBOM (may be empty)
  std::string component_cpe;   // as written in the SBOM (may be empty)
  std::string component_type;  // CycloneDX component type ("firmware", …; may be empty)

  // The advisory.
  std::string advisory_id;           // e.g. "GO-2023-1234", "CVE-2021-44228"
  std::vector<std::string> aliases;  // other ids of the same vulnerability (CVE, GHSA, …)
  std::string summary;
  Severity severity = Severity::kUnknown;
  std::optional<double> cvss_score;  // base score of the vector below
  std::string cvss_vector;           // e.g. "CVSS:3.1/AV:N/AC:L/…"
  // Where the severity came from, e.g. "CVE-2025-6965 (NVD, CVSS 3.1)" or, for an advisory
  // without a score of its own, "CVE-2020-0601 (NVD, CVSS 3.1)" under GO-2022-0535 (the
  // matcher's rule, matcher.h); empty when unknown.
  std::string severity_source;
  std::vector<StatedScore> scores;  // every score of the advisory and its aliases in the db
  std::vector<std::string> fixed_versions;
  // The CWE weaknesses of the advisory and its aliases in the db (NVD, the CVE 5 record), names
  // filled from whichever source states them.
  std::vector<Weakness> weaknesses;

  // Exploitation context.
  bool kev = false;                       // listed in CISA's Known Exploited Vulnerabilities
  std::string kev_due_date;               // YYYY-MM-DD, when kev
  bool kev_ransomware = false;            // KEV "knownRansomwareCampaignUse" == "Known"
  std::optional<double> epss_score;       // FIRST EPSS probability 0..1
  std::optional<double> epss_percentile;  // 0..1

  // Why it matched: one line a reviewer can check against the advisory, e.g.
  // "OSV GO-2023-1234 affected[0].ranges[0] SEMVER introduced 0 fixed 1.2.7 contains 1.2.3" or
  // "NVD CVE-2021-3711 configurations[0].nodes[0].cpeMatch[2] cpe:2.3:a:openssl:openssl:*:… "
  // "versionStartIncluding 1.1.1 versionEndExcluding 1.1.1l contains 1.1.1k".
  std::string match_reason;
  Confidence confidence = Confidence::kHigh;
  // Not a finding: a record (NVD's backlog, a CVE 5 record without usable versions) names this
  // component but no source gives versions to decide it. Reports list these apart from the
  // findings (CycloneDX analysis in_triage, OpenVEX / CSAF under_investigation, SARIF a note),
  // never count them as findings, and --fail-on ignores them; match_reason says what names the
  // component.
  bool unassessed = false;

  // Analysis (from VEX).
  VexStatus vex_status = VexStatus::kNone;
  std::string vex_justification;  // e.g. "vulnerable_code_not_in_execute_path"
  std::string vex_detail;         // impact statement / action statement
  std::string vex_trace;  // which document and statement decided, e.g. "vex.json: statements[3]"
};

// A component nothing in the advisory database could match: its ecosystem has no advisories
// there (NuGet packages against a Go-only database) and it has no CPE the NVD records could
// match. Reported beside the findings, so that "no findings" is never read as "clean" for it.
struct UncoveredComponent {
  std::string ref, name, version, purl;  // as the SBOM names it
  std::string reason;                    // e.g. "no NuGet advisories in the database; no CPE"
};

}  // namespace vigil::vuln

#endif  // VIGIL_VULN_FINDING_H_
