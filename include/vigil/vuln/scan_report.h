// Scan findings rendered for people and tools: a text table, Vigil's JSON, CycloneDX 1.6 VEX,
// OpenVEX 0.2.0, CSAF 2.0 (VEX profile) and SARIF 2.1.0. Every format carries the identifiers,
// severity, KEV flag and due date, EPSS, fixed versions, the VEX decision and why it matched.
//
// Findings without a VEX decision are written as what they are, undecided: CycloneDX without
// an analysis, OpenVEX and CSAF "under_investigation", SARIF results without suppression.
// VEX-suppressed findings (IsSuppressed) are kept: CycloneDX/OpenVEX/CSAF carry their
// not_affected/fixed status and justification, SARIF marks them with an accepted external
// suppression, the table and JSON mark them "suppressed".
//
// Unassessed records (Finding::unassessed: a record names the component but no source gives
// versions) are not findings: the table lists them in a section of their own after the
// findings, the JSON in an "unassessed" array beside "findings", CycloneDX with analysis state
// in_triage, OpenVEX and CSAF as under_investigation with the reason, SARIF as notes; the
// summary counts them apart.
//
// The writers are pure: document id and timestamp come from the caller (ReportContext), so
// equal input gives equal bytes.
//
// Thread-safety: free functions without shared state.
#ifndef VIGIL_VULN_SCAN_REPORT_H_
#define VIGIL_VULN_SCAN_REPORT_H_

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/json_writer.h"
#include "vigil/core/result.h"
#include "vigil/sbom/component_positions.h"
#include "vigil/sbom/sbom.h"
#include "vigil/vuln/csaf_advisory.h"
#include "vigil/vuln/finding.h"

namespace vigil::vuln {

struct ReportContext {
  std::string sbom_source;  // the scanned SBOM's file name (notes, JSON)
  // Where SARIF locates the SBOM: `sbom_path` relative to the absolute directory `sbom_base`
  // (file-system paths; the writer percent-encodes them into the artifact's relative URI with
  // uriBaseId "SBOMROOT" and that base's file URI in originalUriBaseIds). Without a base, a
  // relative sbom_path keeps the uriBaseId and no original base; an absolute one becomes a
  // file URI. Both empty: results have no physical location.
  std::string sbom_path;
  std::string sbom_base;
  // Where each component's bom-ref / SPDXID stands in the SBOM's text (component ref → span;
  // sbom::ComponentRefPositions): SARIF results get that region. Empty: no regions.
  std::map<std::string, sbom::TextSpan> sbom_positions;
  const sbom::Component* product = nullptr;  // the SBOM's primary component, if any
  std::string document_id;                   // "urn:uuid:…": CycloneDX serialNumber, OpenVEX @id,
                                             // CSAF tracking.id (the part after "urn:uuid:")
  std::string timestamp;                     // RFC 3339 UTC, e.g. "2026-12-03T12:00:00Z"
  std::string tool_version;                  // Vigil's version
  // Absolute path of the documentation installed with this Vigil (its README): SARIF's
  // tool.driver.informationUri, as a file URI (Vigil has no public web page to name). Empty: none.
  std::string tool_documentation;
  // OpenVEX author, CSAF publisher name and namespace. `vigil scan` requires the caller's own
  // for CSAF (--publisher, --publisher-namespace); these stand only for library callers.
  std::string author = "Vigil";
  std::string publisher_namespace = "https://vigil.invalid";
  // CSAF document.distribution.tlp.label. AMBER by default: a scan's VEX lists the device's
  // open vulnerabilities, which its manufacturer shares with customers, not the world, until
  // it says otherwise (`vigil scan --tlp`).
  csaf::Tlp tlp = csaf::Tlp::kAmber;
  // Components nothing in the database could match (UncoveredComponents): the table and JSON
  // list them, SARIF as warning notifications, CSAF as a document note, CycloneDX as metadata
  // properties; OpenVEX has no place for them.
  std::vector<UncoveredComponent> uncovered;
};

// Parses "critical", "high", "medium", "low", "none" or "unknown"; nullopt otherwise.
std::optional<Severity> ParseSeverity(std::string_view name);

// Counts for the summary line of the table and JSON renderings.
struct FindingsSummary {
  size_t total = 0, suppressed = 0, kev = 0;
  size_t unassessed = 0;                // not in total
  std::array<size_t, 6> by_severity{};  // indexed by Severity
  size_t unscored_with_cve = 0;         // of unknown severity, with a CVE id or alias
  void Add(const Finding& f);
  // What needs work first, zero counts left out: "N findings: K in KEV, C critical, H high,
  // M medium, L low, X none", then the findings of unknown severity with why (their advisories
  // state no score or label) and the way to a score when they name a CVE (its NVD or CVE 5
  // record imported), then "; S suppressed by VEX" and ", A unassessed (…)" when there are any.
  std::string Text() const;
};

// The table or JSON rendering written piece by piece as findings arrive (in SBOM order), so a
// scan of a very large SBOM never holds its whole report: the bytes handed to `out` are exactly
// those WriteFindingsTable / WriteFindingsJson return for all the findings. They are handed
// over in pieces of at least kFlushBytes (but the header and the last piece), so that a sink
// writes a large report in few large writes (a 10,000-component scan's JSON is 26 MB: standard
// output's 4 KiB buffer made that 6,500 write calls); the findings of an Add are in its piece
// or still held. Add() as often as needed, then Finish() once. Not thread-safe.
class FindingsStreamWriter {
 public:
  enum class Format { kTable, kJson };
  // Writes the header through `out` at once. `ctx` must outlive the writer.
  FindingsStreamWriter(Format format, const ReportContext& ctx,
                       std::function<void(std::string_view)> out);
  // Members a caller adds to the JSON object of findings[i] (after the finding's own): `vigil
  // scan --register` writes each finding's "triage" member so. Ignored by the table format.
  using ExtraMembers = std::function<void(size_t i, JsonWriter& w)>;
  void Add(std::span<const Finding> findings, const ExtraMembers& extra = {});
  // Closes the document. `appendix` is added at its end: table text after the summary, or for
  // JSON members ("name": value, comma-separated, no trailing comma) of the top-level object
  // (`vigil scan --register` adds its "triage" member so).
  void Finish(std::string_view appendix = {});
  const FindingsSummary& summary() const { return summary_; }

  static constexpr size_t kFlushBytes = size_t{256} << 10;

 private:
  void Flush();  // hands buffer_ to out_, keeping its capacity

  Format format_;
  const ReportContext& ctx_;
  std::function<void(std::string_view)> out_;
  FindingsSummary summary_;
  // The text not yet handed to out_: one buffer for the whole report (no allocation per
  // finding or per Add once it has grown).
  std::string buffer_;
  // Unassessed records, written after the findings by Finish (bounded by the records that name
  // a component without versions, not by the findings).
  std::vector<Finding> unassessed_;
};

// One line for an uncovered component: "pkg:nuget/Foo@1.0: no NuGet advisories in the database;
// no CPE" (its purl, else name@version).
std::string UncoveredLine(const UncoveredComponent& c);

// Human-readable table, one finding per row and its why-matched line under it, then a summary
// line "N findings (C critical, H high, …), S suppressed by VEX, K in KEV".
std::string WriteFindingsTable(std::span<const Finding> findings, const ReportContext& ctx);
// {"sbom": …, "product": …, "findings": [ … every Finding field … ], "summary": { … }}.
std::string WriteFindingsJson(std::span<const Finding> findings, const ReportContext& ctx);
// CycloneDX 1.6 BOM with the findings' components (the SBOM's bom-refs and types) and one
// vulnerabilities[] entry per advisory decided and rated alike (ratings, references, analysis
// when decided), whose `affects` lists every component it hits. Valid against
// bom-1.6.schema.json.
std::string WriteCycloneDxVex(std::span<const Finding> findings, const ReportContext& ctx);
// OpenVEX 0.2.0 document, one statement per finding (products by purl/CPE, as subcomponents
// of the SBOM's product when it has one).
std::string WriteOpenVex(std::span<const Finding> findings, const ReportContext& ctx);
// CSAF 2.0 document of category csaf_vex: product tree of the findings' components, one
// vulnerability per advisory with product_status, flags, impact threats and remediations as
// the VEX profile's mandatory tests require; scores (the advisory's CVSS v3 and v2 vectors,
// scored by risk::cvss) for the products affected or under investigation (optional test
// 6.2.3), and the TLP label of ReportContext.
std::string WriteCsafVex(std::span<const Finding> findings, const ReportContext& ctx);
// SARIF 2.1.0 log: one rule per advisory (helpUri: its page at NVD, GitHub or OSV), one
// result per finding located at the SBOM file (a relative, percent-encoded URI, see
// ReportContext::sbom_path; the region of the component's bom-ref when sbom_positions has it)
// and the component (logical location); VEX-suppressed findings carry a suppression.
std::string WriteSarif(std::span<const Finding> findings, const ReportContext& ctx);

}  // namespace vigil::vuln

#endif  // VIGIL_VULN_SCAN_REPORT_H_
