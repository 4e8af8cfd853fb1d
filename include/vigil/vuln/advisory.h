// The advisory model the readers fill and the matcher evaluates: one vulnerability record from
// OSV (affected packages with version ranges), from NVD's CVE API 2.0 (CPE applicability
// configurations) or from the CVE List's CVE JSON 5 (the CNA's and ADPs' affected products), plus
// the exploitation context from CISA KEV and FIRST EPSS.
//
// The model keeps what matching and reporting need and nothing of the original documents'
// layout; every range and cpeMatch carries the JSON path it came from ("affected[0].ranges[1]")
// so that a finding can say exactly which statement matched.
//
// Thread-safety: plain values.
#ifndef VIGIL_VULN_ADVISORY_H_
#define VIGIL_VULN_ADVISORY_H_

#include <optional>
#include <string>
#include <vector>

#include "vigil/vuln/weakness.h"

namespace vigil::vuln {

enum class AdvisorySource { kOsv, kNvd, kCve5 };

// One OSV range event. `version` is the version string as written ("0" for introduced means
// "before every version"; a limit containing "*" means infinity).
struct OsvEvent {
  enum class Kind { kIntroduced, kFixed, kLastAffected, kLimit };
  Kind kind = Kind::kIntroduced;
  std::string version;
  bool operator==(const OsvEvent&) const = default;
};

// affected[].ranges[]: type is "SEMVER", "ECOSYSTEM" or "GIT" (as written, upper case).
struct OsvRange {
  std::string type;
  std::string repo;  // GIT ranges only
  std::vector<OsvEvent> events;
  std::string path;  // "affected[0].ranges[1]"
  bool operator==(const OsvRange&) const = default;
};

// affected[]: one package and the versions of it the advisory covers.
struct AffectedPackage {
  std::string ecosystem;  // as written: "Go", "PyPI", "Debian:12"
  std::string name;       // as written
  std::string purl;       // optional package.purl
  std::vector<OsvRange> ranges;
  std::vector<std::string> versions;  // explicit affected versions
  // Version bounds written outside the standard fields (advisory-database#470: GitHub's
  // "last_known_affected_version_range" in database_specific), as "<json path>: <value>". The
  // matcher never drops them silently: a match whose ranges are open-ended while such a bound
  // exists is reported with low confidence and the bound quoted.
  std::vector<std::string> hidden_bounds;
  std::string path;  // "affected[0]"
  bool operator==(const AffectedPackage&) const = default;
};

// NVD configurations[].nodes[].cpeMatch[].
struct CpeMatch {
  std::string criteria;  // CPE 2.3 formatted string, possibly with ANY/NA attributes
  bool vulnerable = false;
  std::string version_start_including, version_start_excluding;
  std::string version_end_including, version_end_excluding;
  std::string path;  // "configurations[0].nodes[1].cpeMatch[2]"
  bool HasBounds() const {
    return !version_start_including.empty() || !version_start_excluding.empty() ||
           !version_end_including.empty() || !version_end_excluding.empty();
  }
  bool operator==(const CpeMatch&) const = default;
};

struct CpeNode {
  bool and_operator = false;  // "AND"; "OR" (the default) otherwise
  bool negate = false;
  std::vector<CpeMatch> matches;
  bool operator==(const CpeNode&) const = default;
};

// One applicability statement: its nodes combined by `and_operator` (OR when absent).
struct CpeConfiguration {
  bool and_operator = false;
  bool negate = false;
  std::vector<CpeNode> nodes;
  bool operator==(const CpeConfiguration&) const = default;
};

// CVE JSON 5 affected[].versions[]: one version (no range bound) or a range from `version` up
// to `less_than` / `less_than_or_equal` ("*" there: no upper bound; "6.6.*": the whole 6.6
// branch), with the status it gives and `changes` of status within the range.
struct Cve5Change {
  std::string at, status;
  bool operator==(const Cve5Change&) const = default;
};
struct Cve5Version {
  std::string version, less_than, less_than_or_equal;
  std::string version_type;  // "semver", "custom", "git", … as written; may be empty
  std::string status;        // "affected", "unaffected" or "unknown"
  std::vector<Cve5Change> changes;
  std::string path;  // "containers.cna.affected[0].versions[2]"
  bool operator==(const Cve5Version&) const = default;
};

// One affected[] product of a CVE JSON 5 container: the CNA's, or an ADP's (CISA-ADP).
struct Cve5Product {
  std::string container;        // who says it: "CNA openssl", "ADP CISA-ADP"
  std::string vendor, product;  // as written; "n/a" when the CNA gives none
  std::string default_status;   // for versions no entry covers; empty means "unknown"
  std::vector<std::string> cpes;
  std::vector<Cve5Version> versions;
  std::string path;  // "containers.cna.affected[0]"
  bool operator==(const Cve5Product&) const = default;
};

// A severity statement: OSV severity[] ({type, score=vector}) or an NVD cvssMetric entry.
struct SeverityScore {
  std::string type;    // "CVSS_V3", "CVSS_V4", "CVSS_V2" (OSV spelling, also used for NVD)
  std::string vector;  // e.g. "CVSS:3.1/AV:N/…"
  std::optional<double> base_score;  // NVD gives it; OSV gives only the vector
  std::string label;                 // "HIGH", "MODERATE", … when the source states one
  // NVD only: who scored (cvssMetric[].source, "nvd@nist.gov" for NVD itself, else the CNA's
  // address) and "Primary" (NVD's own) or "Secondary" (the CNA's). Empty for OSV, whose
  // severity[] is the advisory publisher's.
  std::string source;
  std::string role;
  bool operator==(const SeverityScore&) const = default;
};

struct Advisory {
  AdvisorySource source = AdvisorySource::kOsv;
  std::string id;        // "GO-2020-0001", "PYSEC-2020-342", "CVE-2021-3711"
  std::string modified;  // RFC 3339 as written (NVD: lastModified)
  std::string published;
  std::string withdrawn;  // OSV only; a withdrawn advisory never matches
  std::string summary;    // OSV summary (or the start of details); NVD English description
  std::vector<std::string> aliases;
  // As the document states them: every NVD cvssMetric entry (Primary and Secondary, all CVSS
  // versions), OSV severity[] in order. Which one decides a finding's severity is the matcher's
  // rule (matcher.h), not this order.
  std::vector<SeverityScore> severities;
  std::string severity_label;  // database_specific.severity (GHSA "HIGH"/"MODERATE"…) if any
  std::vector<AffectedPackage> affected;  // OSV
  // NVD; for CVE JSON 5 the CNA's cpeApplicability, in the same form.
  std::vector<CpeConfiguration> configurations;
  // NVD vulnStatus ("Analyzed", "Awaiting Analysis", "Rejected", …) or CVE JSON 5
  // cveMetadata.state ("PUBLISHED", "REJECTED"); empty for OSV.
  std::string status;
  std::vector<Cve5Product> products;  // CVE JSON 5
  // CWE ids in stated order, without repeats: NVD weaknesses[].description[].value, CVE JSON 5
  // problemTypes of the CNA and ADP containers (with names), OSV database_specific.cwe_ids.
  std::vector<Weakness> weaknesses;
  bool operator==(const Advisory&) const = default;
  // NVD "Rejected" or CVE JSON 5 "REJECTED": the CVE id was withdrawn; never a finding.
  bool rejected() const { return status == "Rejected" || status == "REJECTED"; }
};

// One CISA KEV catalogue entry.
struct KevEntry {
  std::string cve;
  std::string vendor, product, name;
  std::string date_added, due_date;  // YYYY-MM-DD
  bool ransomware = false;           // knownRansomwareCampaignUse == "Known"
};

struct KevCatalog {
  std::string catalog_version;  // "2025.08.25"
  std::vector<KevEntry> entries;
};

// One FIRST EPSS row.
struct EpssScore {
  std::string cve;
  double score = 0;       // probability of exploitation activity in the next 30 days
  double percentile = 0;  // 0..1
};

struct EpssFeed {
  std::string model_version;  // "v2025.03.14" from the leading comment line
  std::string score_date;     // "2025-08-25T12:55:00Z"
  std::vector<EpssScore> scores;
};

}  // namespace vigil::vuln

#endif  // VIGIL_VULN_ADVISORY_H_
