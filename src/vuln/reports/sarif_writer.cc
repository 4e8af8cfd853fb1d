// SARIF 2.1.0 writer: advisories as rules, findings as results located at the SBOM.
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "internal/report_parts.h"
#include "vigil/vuln/scan_report.h"
#include "vigil/vuln/vex.h"
#include "vigil/vuln/weakness.h"

namespace vigil::vuln {
namespace {

using nlohmann::ordered_json;

// SARIF levels: error for critical/high, warning for medium, note otherwise.
std::string_view Level(Severity s) {
  if (s == Severity::kCritical || s == Severity::kHigh) return "error";
  if (s == Severity::kMedium) return "warning";
  return "note";
}

// RFC 3986 percent-encoding of a path: unreserved characters and '/' stay, every other byte
// (a space, '%', '#', non-ASCII UTF-8) becomes %XX, so a URI-reference reader gets the path back.
std::string EncodePath(std::string_view path) { return internal::PercentEncode(path, "-._~/"); }

// The file URI of an absolute directory, ending in '/' as originalUriBaseIds requires.
std::string DirectoryUri(std::string_view dir) {
  std::string uri = "file://" + EncodePath(dir);
  if (uri.back() != '/') uri += '/';
  return uri;
}

constexpr std::string_view kSbomRoot = "SBOMROOT";

// The SBOM's artifactLocation (see ReportContext::sbom_path).
ordered_json ArtifactLocation(const ReportContext& ctx) {
  if (ctx.sbom_path.starts_with('/')) return {{"uri", "file://" + EncodePath(ctx.sbom_path)}};
  return {{"uri", EncodePath(ctx.sbom_path)}, {"uriBaseId", kSbomRoot}};
}

// Where a person reads the advisory: NVD for CVEs, GitHub for GHSAs, OSV for the others.
std::string AdvisoryPage(std::string_view id) {
  const std::string encoded = EncodePath(id);
  if (internal::IsCveId(id)) return "https://nvd.nist.gov/vuln/detail/" + encoded;
  if (id.starts_with("GHSA-")) return "https://github.com/advisories/" + encoded;
  return "https://osv.dev/vulnerability/" + encoded;
}

ordered_json Rule(const Finding& f) {
  ordered_json r;
  // No `name`: SARIF's is a readable identifier distinct from the id (SARIF1001), and an
  // advisory has none besides its id.
  r["id"] = f.advisory_id;
  std::string text = f.summary.empty() ? f.advisory_id : f.summary;
  r["shortDescription"] = {{"text", text}};
  r["fullDescription"] = {{"text", text}};
  r["helpUri"] = AdvisoryPage(f.advisory_id);
  r["help"] = {{"text", internal::Recommendation(f)}};
  r["defaultConfiguration"] = {{"level", Level(f.severity)}};
  ordered_json props;
  props["tags"] = ordered_json::array({"security", "vulnerability"});
  // The tag form code-scanning services read a rule's CWE from.
  for (const Weakness& w : f.weaknesses)
    props["tags"].push_back("external/cwe/cwe-" + w.id.substr(4));
  if (f.cvss_score) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f", *f.cvss_score);
    props["security-severity"] = buf;  // the convention code-scanning services read
  }
  props["severity"] = SeverityName(f.severity);
  if (!f.aliases.empty()) props["aliases"] = f.aliases;
  r["properties"] = props;
  return r;
}

ordered_json Result(const Finding& f, size_t rule_index, const ReportContext& ctx) {
  ordered_json r;
  r["ruleId"] = f.advisory_id;
  r["ruleIndex"] = rule_index;
  // An unassessed record is a note to triage, not a result at its severity.
  r["level"] = f.unassessed ? "note" : Level(f.severity);
  std::string text = f.unassessed ? f.advisory_id + " names " + internal::ComponentLabel(f) +
                                        " but no source gives versions: unassessed, triage by hand."
                                  : f.advisory_id + " in " + internal::ComponentLabel(f) + " (" +
                                        std::string(SeverityName(f.severity)) + "). " +
                                        internal::Recommendation(f) + ".";
  if (f.kev) text += " Known exploited (CISA KEV, due " + f.kev_due_date + ").";
  r["message"] = {{"text", text}};
  ordered_json location;
  if (!ctx.sbom_path.empty()) {
    location["physicalLocation"] = {{"artifactLocation", ArtifactLocation(ctx)}};
    if (auto at = ctx.sbom_positions.find(f.component_ref); at != ctx.sbom_positions.end()) {
      location["physicalLocation"]["region"] = {{"startLine", at->second.line},
                                                {"startColumn", at->second.start_column},
                                                {"endLine", at->second.line},
                                                {"endColumn", at->second.end_column}};
    }
  }
  location["logicalLocations"] =
      ordered_json::array({{{"name", f.component_name},
                            {"fullyQualifiedName", internal::ComponentLabel(f)},
                            {"kind", "module"}}});
  r["locations"] = ordered_json::array({location});
  if (IsSuppressed(f)) {
    std::string why = std::string(VexStatusName(f.vex_status)) +
                      (f.vex_justification.empty() ? "" : ": " + f.vex_justification) +
                      (f.vex_trace.empty() ? "" : " (" + f.vex_trace + ")");
    r["suppressions"] = ordered_json::array(
        {{{"kind", "external"}, {"status", "accepted"}, {"justification", why}}});
  }
  ordered_json props;
  props["component"] = {
      {"name", f.component_name}, {"version", f.component_version}, {"purl", f.component_purl}};
  props["fixedVersions"] = f.fixed_versions;
  props["kev"] = f.kev;
  if (f.kev) props["kevDueDate"] = f.kev_due_date;
  if (f.epss_score) props["epss"] = *f.epss_score;
  props["matchReason"] = f.match_reason;
  props["confidence"] = f.confidence == Confidence::kHigh ? "high" : "low";
  props["unassessed"] = f.unassessed;
  props["vexStatus"] = VexStatusName(f.vex_status);
  r["properties"] = props;
  return r;
}

}  // namespace

std::string WriteSarif(std::span<const Finding> findings, const ReportContext& ctx) {
  ordered_json rules = ordered_json::array();
  ordered_json results = ordered_json::array();
  std::map<std::string, size_t> rule_index;
  for (const Finding& f : findings) {
    auto [it, added] = rule_index.emplace(f.advisory_id, rules.size());
    if (added) rules.push_back(Rule(f));
    results.push_back(Result(f, it->second, ctx));
  }
  ordered_json driver = {{"name", "Vigil"}, {"rules", rules}};
  if (!ctx.tool_documentation.empty()) {
    driver["informationUri"] = "file://" + EncodePath(ctx.tool_documentation);
  }
  if (!ctx.tool_version.empty()) driver["version"] = ctx.tool_version;
  ordered_json run = {{"tool", {{"driver", driver}}}};
  // Region columns count code points, as sbom::ComponentRefPositions does.
  if (!ctx.sbom_positions.empty()) run["columnKind"] = "unicodeCodePoints";
  if (!ctx.sbom_base.empty() && !ctx.sbom_path.empty() && !ctx.sbom_path.starts_with('/')) {
    run["originalUriBaseIds"] = {{kSbomRoot, {{"uri", DirectoryUri(ctx.sbom_base)}}}};
  }
  run["results"] = results;
  if (!ctx.timestamp.empty() || !ctx.uncovered.empty()) {
    ordered_json invocation = {{"executionSuccessful", true}};
    if (!ctx.timestamp.empty()) invocation["endTimeUtc"] = ctx.timestamp;
    ordered_json notes = ordered_json::array();
    for (const UncoveredComponent& c : ctx.uncovered) {
      notes.push_back(
          {{"level", "warning"}, {"message", {{"text", "not covered: " + UncoveredLine(c)}}}});
    }
    if (!notes.empty()) invocation["toolExecutionNotifications"] = notes;
    run["invocations"] = ordered_json::array({invocation});
  }
  ordered_json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                      {"version", "2.1.0"},
                      {"runs", ordered_json::array({run})}};
  return doc.dump(2) + "\n";
}

}  // namespace vigil::vuln
