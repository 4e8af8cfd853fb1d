// A manufacturer's security advisory as a CSAF 2.0 document of category
// csaf_security_advisory (OASIS CSAF 2.0, profile 4.4), written from a plain description of the
// advisory: publisher, tracking and revision history, notes, one product with its releases, and
// the vulnerabilities with scores, per-release status, flags, remediations and threats.
//
// The description is the disclosure record (the triage register fills it); the writer checks
// what CSAF's mandatory tests would refuse and the caller can still get wrong, and answers with
// one InvalidArgument naming the field ("tracking.version: expected 3, the last revision's
// number, got 2") instead of writing a document a validator rejects:
//   - revision history: numbers 1, 2, 3, … with no gap (integer versioning, tests 6.1.14,
//     6.1.21, 6.1.22), dates in order; tracking.version is the last number and
//     current_release_date the last revision's date, initial_release_date the first's;
//   - every date is RFC 3339 UTC with seconds, "2026-12-03T12:00:00Z" (compared as text);
//   - every release a vulnerability names is a release of the product; a release holds no two
//     contradicting statuses (test 6.1.6); a justification only on known_not_affected;
//   - remediations name at least one release (test 6.1.29); CVE and CWE ids have their form,
//     a CVE names one vulnerability only (6.1.23) and never stands in `ids` (optional 6.2.17);
//   - a release is one version, never a range ("1.1 and later", "<1.2": test 6.1.31); lang is
//     a BCP 47 tag (6.1.12);
//   - every CVSS vector is read and scored by risk::cvss, one per CVSS version (6.1.7); a
//     malformed one is an error.
//
// How the pieces are written (the choices CSAF leaves open):
//   - product tree: vendor → product_name → product_version branches, one per release, with a
//     stable product id derived from product name and version ("acme_infusion_pump-1.1"), so
//     a re-issue that adds a release keeps the ids of the others; purl/cpe become the
//     product_identification_helper.
//   - scores: CVSS v2.0 and v3.x vectors become scores[] (cvss_v2 / cvss_v3 with version,
//     vectorString, baseScore, baseSeverity computed by risk::cvss) for the releases that are
//     affected or under investigation; a score is never given to fixed releases (optional test
//     6.2.19). CSAF 2.0's score object has no slot for CVSS v4.0 (its schema allows only
//     cvss_v2 and cvss_v3; CSAF 2.1 adds cvss_v4), and `ids` is for tracking identifiers, not
//     metrics, so a v4.0 vector is carried as a vulnerability note (category "other", title
//     "CVSS v4.0") with its score, severity and nomenclature. When no release is affected or
//     under investigation, the v2/v3 vectors go into that kind of note as well.
//   - a KEV listing becomes a threat of category exploit_status; not-affected justifications
//     become flags with CSAF's labels.
//   - the document always carries a TLP label and lang, and canonical_url as its "self"
//     reference (optional tests 6.2.10-6.2.12); members are sorted by name in every object
//     (6.2.13), arrays keep the caller's order. With canonical_url, purl or cpe on every
//     release, every release named by some vulnerability, and a remediation and a v2/v3
//     score for every affected release, no optional test warns (the pump test shows it).
//
// Output is deterministic: equal input gives equal bytes (no clock, no randomness; dates and
// ids come from the input).
//
// Thread-safety: plain structs and pure functions.
#ifndef VIGIL_VULN_CSAF_ADVISORY_H_
#define VIGIL_VULN_CSAF_ADVISORY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"

namespace vigil::vuln::csaf {

// The issuer; CSAF publisher category "vendor" (the device manufacturer).
struct Publisher {
  std::string name;               // "Acme Medical"
  std::string namespace_url;      // "https://acme.example": http(s) URL of the publisher
  std::string contact_details;    // optional: "psirt@acme.example"
  std::string issuing_authority;  // optional
};

enum class DocumentStatus { kDraft, kInterim, kFinal };

// One issue of the document. Numbers are integers 1, 2, 3, …
struct Revision {
  int number = 1;
  std::string date;     // RFC 3339 UTC, "2026-12-03T12:00:00Z"
  std::string summary;  // "Initial version.", "Fix for 1.0 available."
};

struct Tracking {
  std::string id;  // the publisher's advisory id, "ACME-2026-0007"
  DocumentStatus status = DocumentStatus::kFinal;
  std::string initial_release_date;  // == revision_history.front().date
  std::string current_release_date;  // == revision_history.back().date
  int version = 1;                   // == revision_history.back().number
  std::vector<Revision> revision_history;
};

// Appends revision `version + 1` dated `date` and moves version and current_release_date to
// it: what a re-issue does. Does not check `tracking` (WriteCsafAdvisory does).
void AddRevision(Tracking& tracking, std::string date, std::string summary);

// Traffic Light Protocol label of the distribution (CSAF 2.0 uses TLP 1.0's labels).
enum class Tlp { kWhite, kGreen, kAmber, kRed };
// "WHITE", "GREEN", "AMBER", "RED": CSAF's document.distribution.tlp.label.
std::string_view TlpName(Tlp tlp);
// Reads a label case-insensitively, with or without "TLP:" ("amber", "TLP:RED"); nullopt for
// anything else (TLP 2.0's CLEAR and AMBER+STRICT have no CSAF 2.0 label).
std::optional<Tlp> ParseTlp(std::string_view label);

struct Acknowledgment {
  std::vector<std::string> names;  // people
  std::string organization;
  std::string summary;  // "for reporting the issue"
  std::vector<std::string> urls;
};

// An external reference (CSAF category "external").
struct Reference {
  std::string url;
  std::string summary;
};

// A release of the product: becomes one product_version branch and one product id.
struct Release {
  std::string version;  // "1.1": a single version, never a range
  std::string purl;     // optional, "pkg:generic/acme/infusion-pump@1.1" (normalised on output)
  std::string cpe;      // optional, CPE 2.3 formatted string (normalised on output)
};

struct Product {
  std::string vendor;  // "Acme Medical"
  std::string name;    // "Acme Infusion Pump"
  std::vector<Release> releases;
};

// CSAF 2.0 product_status lists.
enum class ProductStatus {
  kFirstAffected,
  kKnownAffected,
  kLastAffected,
  kKnownNotAffected,
  kFirstFixed,
  kFixed,
  kRecommended,
  kUnderInvestigation,
};
// CSAF 2.0 flag labels (the VEX justifications).
enum class Justification {
  kComponentNotPresent,
  kVulnerableCodeNotPresent,
  kVulnerableCodeCannotBeControlledByAdversary,
  kVulnerableCodeNotInExecutePath,
  kInlineMitigationsAlreadyExist,
};
// "component_not_present", … as CSAF writes them.
std::string_view JustificationLabel(Justification j);

// One release's status for a vulnerability. A release may appear more than once when the
// statuses do not contradict (fixed and recommended).
struct ReleaseStatus {
  std::string release;  // a Release::version of the product
  ProductStatus status = ProductStatus::kUnderInvestigation;
  // kKnownNotAffected only: written as a flag for this release.
  std::optional<Justification> justification;
};

enum class RemediationCategory {
  kVendorFix,
  kMitigation,
  kWorkaround,
  kNoneAvailable,
  kNoFixPlanned
};

struct Remediation {
  RemediationCategory category = RemediationCategory::kVendorFix;
  std::string details;                // required: what to do
  std::string date;                   // optional, RFC 3339 UTC
  std::string url;                    // optional
  std::vector<std::string> releases;  // at least one release it applies to
};

// CSAF 2.0 threat categories: impact, exploit_status, target_set.
enum class ThreatCategory { kImpact, kExploitStatus, kTargetSet };

struct Threat {
  ThreatCategory category = ThreatCategory::kImpact;
  std::string details;                // required
  std::string date;                   // optional, RFC 3339 UTC
  std::vector<std::string> releases;  // optional
};

// A listing in CISA's Known Exploited Vulnerabilities catalog: written as an exploit_status
// threat dated date_added, for the affected releases.
struct KevListing {
  std::string date_added;       // "2024-01-10" as the catalog gives it
  std::string due_date;         // optional, "2024-01-31"
  std::string required_action;  // optional, the catalog's text
};

// A tracking id other than the CVE ("GHSA-…", the publisher's own).
struct VulnerabilityId {
  std::string system_name;
  std::string text;
};

struct Cwe {
  std::string id;    // "CWE-295"
  std::string name;  // exactly as MITRE's list names it: "Improper Certificate Validation"
};

struct Vulnerability {
  std::string cve;  // optional, "CVE-2024-1544"
  std::vector<VulnerabilityId> ids;
  std::string title;        // optional
  std::string description;  // required: the description note
  std::optional<Cwe> cwe;
  std::string discovery_date;  // optional, RFC 3339 UTC
  std::string release_date;    // optional, RFC 3339 UTC
  // CVSS vectors, v2.0, v3.0, v3.1 or v4.0, at most one per version (see the top of the file).
  std::vector<std::string> cvss_vectors;
  std::vector<ReleaseStatus> product_status;  // at least one
  std::vector<Remediation> remediations;
  std::vector<Threat> threats;
  std::optional<KevListing> kev;
  std::vector<Acknowledgment> acknowledgments;
  std::vector<Reference> references;
};

struct Advisory {
  Publisher publisher;
  Tracking tracking;
  std::string title;  // "Acme Infusion Pump: TLS certificate validation bypass"
  std::string lang = "en";
  Tlp tlp = Tlp::kWhite;
  // Optional: where the document is published. When given it must be an https URL ending in
  // CsafFileName(tracking.id) (optional test 6.2.11); written as the "self" reference.
  std::string canonical_url;
  // Document notes, each written when not empty.
  std::string summary;
  std::string general;
  std::string legal_disclaimer;
  std::vector<Reference> references;
  std::vector<Acknowledgment> acknowledgments;
  Product product;
  std::vector<Vulnerability> vulnerabilities;  // at least one
  std::string tool_version;  // optional: tracking.generator.engine.version ("Vigil" is the name)
};

// The file name CSAF 2.0 section 5.1 gives a document: the tracking id lowercased, every run of
// characters other than [+\-a-z0-9] replaced by '_', then ".json" ("acme-2026-0007.json").
std::string CsafFileName(std::string_view tracking_id);

// The CSAF 2.0 JSON (two-space indentation, trailing newline). InvalidArgument, one line
// naming the field ("vulnerabilities[1].product_status[0].release: …"), when the advisory
// breaks a rule listed at the top of this file.
Result<std::string> WriteCsafAdvisory(const Advisory& advisory);

}  // namespace vigil::vuln::csaf

#endif  // VIGIL_VULN_CSAF_ADVISORY_H_
