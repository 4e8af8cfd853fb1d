// VEX (Vulnerability Exploitability eXchange): statements by a product's maker that say, per
// vulnerability and product, whether the product is affected, and why not. Three formats are
// read into one model and applied to scan findings:
//
//   CycloneDX VEX 1.4–1.6  vulnerabilities[].analysis (state, justification, response, detail,
//                          firstIssued/lastUpdated) and affects[].ref with versions (exact
//                          versions or vers: ranges). A ref naming a component of the same
//                          document also carries that component's purl and CPE.
//   OpenVEX 0.2.0          statements with vulnerability name/aliases, products by @id (purl,
//                          CPE or IRI) and identifiers, subcomponents, status, justification,
//                          impact_statement, action_statement, timestamp/last_updated
//                          inherited from the document.
//   CSAF 2.0 (VEX profile) product_tree (branches, full_product_names, relationships, product
//                          groups; product_identification_helper purl/cpe; product_version and
//                          product_version_range branches), vulnerabilities[].product_status,
//                          flags (justification labels) and threats of category impact.
//
// Justifications are kept in the OpenVEX/CSAF vocabulary (component_not_present,
// vulnerable_code_not_present, vulnerable_code_not_in_execute_path,
// vulnerable_code_cannot_be_controlled_by_adversary, inline_mitigations_already_exist);
// CycloneDX's own labels are mapped onto it (see CycloneDxJustificationToCanonical) and its
// "false_positive" state becomes not_affected with justification "false_positive".
//
// Application rule (ApplyVex): a statement applies to a finding when its vulnerability id or an
// alias equals the finding's advisory id or an alias, and one of its products covers the
// finding's component. Among applicable statements of every document the latest one wins
// (statement time, then document order). A not_affected statement WITHOUT a justification is
// invalid for Vigil: it is reported and does not suppress (an impact statement alone is free
// text a scanner cannot check). Products matched by a purl without version, a version range or
// a CPE whose version is ANY cover every matching version, so decisions carry over to the next
// SBOM version; a purl with a version or a bom-ref covers only that exact component.
//
// Reader failures: InvalidArgument, one line "<source>: <JSON path>: <problem>", e.g.
// "vex.json: statements[2].status: expected one of not_affected, affected, fixed,
// under_investigation, got 'unaffected'".
//
// Thread-safety: plain values and free functions without shared state.
#ifndef VIGIL_VULN_VEX_H_
#define VIGIL_VULN_VEX_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/sbom/cpe.h"
#include "vigil/sbom/purl.h"
#include "vigil/sbom/sbom.h"
#include "vigil/vuln/finding.h"

namespace vigil::vuln {

enum class VexFormat { kCycloneDx, kOpenVex, kCsaf };
std::string_view VexFormatName(VexFormat f);  // "CycloneDX", "OpenVEX", "CSAF"

// True for the five OpenVEX/CSAF justification labels.
bool IsCanonicalJustification(std::string_view label);
// CycloneDX analysis.justification → canonical label ("code_not_reachable" →
// "vulnerable_code_not_in_execute_path", "protected_by_compiler" →
// "inline_mitigations_already_exist", …); nullopt for an unknown label.
std::optional<std::string> CycloneDxJustificationToCanonical(std::string_view label);
// Canonical label (or "false_positive") → the CycloneDX label Vigil writes.
std::string_view CanonicalJustificationToCycloneDx(std::string_view label);

// One thing a statement speaks about. Every non-empty field must match (purl, CPE, ref or name,
// whichever is set, then the version restrictions).
struct VexProductId {
  std::string ref;                       // bom-ref, @id or CSAF product_id as written
  std::optional<sbom::PackageUrl> purl;  // without version: every version of the package
  std::optional<sbom::Cpe> cpe;          // version ANY: every version
  std::string name;                      // product name, used only when no purl/CPE/ref fits
  std::vector<std::string> versions;     // covered versions (empty: no restriction)
  std::vector<std::string> ranges;       // covered "vers:<scheme>/<constraints>" ranges
  bool match_ref = true;  // false where ref is only a document-internal id (CSAF product_id)
};

// A product and, optionally, the subcomponents in it where the vulnerability lives (OpenVEX
// subcomponents; CSAF "default_component_of" relationships). With subcomponents, the finding's
// component must be one of them and `id` must cover the scanned SBOM's product (its primary
// component) when the SBOM names one.
struct VexProduct {
  VexProductId id;
  std::vector<VexProductId> subcomponents;
};

struct VexStatement {
  std::string vulnerability;         // e.g. "CVE-2021-44228"
  std::vector<std::string> aliases;  // other ids (CycloneDX references, OpenVEX aliases, CSAF ids)
  std::vector<VexProduct> products;
  VexStatus status = VexStatus::kNone;
  std::string justification;  // canonical label, "false_positive", or "" when none was given
  std::string impact_statement;
  std::string action_statement;        // OpenVEX action_statement, CSAF remediation details
  std::vector<std::string> responses;  // CycloneDX analysis.response
  std::string timestamp;               // effective time as written (inherited if needed)
  int64_t time = 0;                    // seconds since the epoch; 0 when no time is given
  std::string trace;                   // "<source>: <JSON path>", e.g. "vex.json: statements[3]"
};

struct VexDocument {
  VexFormat format = VexFormat::kOpenVex;
  std::string source;  // file name given to the reader
  std::string id;      // @id, serialNumber or tracking.id
  std::string author;
  std::string timestamp;
  std::vector<VexStatement> statements;
};

// Readers. `source` names the document in errors and traces. Structural errors (wrong types,
// missing required fields, values outside the format's vocabulary, invalid purls/CPEs/vers
// ranges/timestamps in statements) fail the read.
Result<VexDocument> ReadCycloneDxVex(std::string_view json, std::string_view source);
Result<VexDocument> ReadOpenVex(std::string_view json, std::string_view source);
Result<VexDocument> ReadCsafVex(std::string_view json, std::string_view source);
// Recognises the format from the content ("bomFormat", OpenVEX "@context", CSAF "document").
Result<VexDocument> ReadVex(std::string_view json, std::string_view source);

// Readers parse a VEX document whole, so callers read one only up to this bound (it states
// decisions, not inventories) and refuse a larger one in one line.
inline constexpr uint64_t kMaxVexBytes = uint64_t{64} << 20;

// True when `version` lies in the vers range `range` ("vers:npm/>=1.0.0|<2.0.0", "vers:generic/*").
// Versions that the range's scheme cannot parse are compared with the generic scheme.
// InvalidArgument when the range is not vers syntax or names an unknown scheme.
Result<bool> VersInRange(std::string_view range, std::string_view version);

// The outcome of ApplyVex.
struct VexApplication {
  size_t applied = 0;     // findings a valid statement decided
  size_t suppressed = 0;  // of those, not_affected (with justification) or fixed
  // Statements that matched a finding but were not used, one line each, e.g. "vex.json:
  // statements[1]: not_affected without a justification; CVE-2023-1 on pkg:npm/a@1 stays open".
  std::vector<std::string> problems;
};

// Applies `documents` to `findings` (fills vex_status, vex_justification, vex_detail,
// vex_trace). `product` is the scanned SBOM's primary component, or null.
VexApplication ApplyVex(std::span<const VexDocument> documents, const sbom::Component* product,
                        std::vector<Finding>& findings);

// True when VEX removed the finding from what must be acted on: not_affected (applied only
// with a justification) or fixed.
bool IsSuppressed(const Finding& finding);

}  // namespace vigil::vuln

#endif  // VIGIL_VULN_VEX_H_
