// CycloneDX 1.6 VEX writer.
#include <nlohmann/json.hpp>

#include "vigil/vuln/scan_report.h"
#include "vigil/vuln/vex.h"
#include "internal/report_parts.h"

namespace vigil::vuln {
namespace {

using nlohmann::ordered_json;

std::string_view RatingMethod(std::string_view vector) {
  if (vector.rfind("CVSS:4.0/", 0) == 0) return "CVSSv4";
  if (vector.rfind("CVSS:3.1/", 0) == 0) return "CVSSv31";
  if (vector.rfind("CVSS:3.0/", 0) == 0) return "CVSSv3";
  if (vector.find("Au:") != std::string_view::npos) return "CVSSv2";
  return "other";
}

ordered_json Properties(const Finding& f) {
  ordered_json props = ordered_json::array();
  auto add = [&](std::string name, std::string value) {
    props.push_back({{"name", std::move(name)}, {"value", std::move(value)}});
  };
  add("vigil:kev", f.kev ? "true" : "false");
  if (f.kev) add("vigil:kev:due-date", f.kev_due_date);
  if (f.kev && f.kev_ransomware) add("vigil:kev:ransomware", "true");
  if (f.epss_score) add("vigil:epss:score", internal::FormatProbability(*f.epss_score));
  if (f.epss_percentile) {
    add("vigil:epss:percentile", internal::FormatProbability(*f.epss_percentile));
  }
  if (!f.match_reason.empty()) add("vigil:match-reason", f.match_reason);
  add("vigil:confidence", f.confidence == Confidence::kHigh ? "high" : "low");
  if (f.unassessed) add("vigil:unassessed", "true");
  if (!f.vex_trace.empty()) add("vigil:vex-trace", f.vex_trace);
  return props;
}

std::string_view AnalysisState(const Finding& f) {
  switch (f.vex_status) {
    case VexStatus::kNotAffected:
      return f.vex_justification == "false_positive" ? "false_positive" : "not_affected";
    case VexStatus::kAffected:
      return "exploitable";
    case VexStatus::kFixed:
      return "resolved";
    case VexStatus::kUnderInvestigation:
      return "in_triage";
    case VexStatus::kNone:
      break;
  }
  // No source gives versions: a person must triage it.
  return f.unassessed ? "in_triage" : "";
}

ordered_json Vulnerability(const Finding& f, const std::string& ref) {
  ordered_json v;
  v["id"] = f.advisory_id;
  v["source"] = {{"name", internal::IdSource(f.advisory_id)}};
  ordered_json refs = ordered_json::array();
  for (const std::string& a : f.aliases) {
    if (a != f.advisory_id)
      refs.push_back({{"id", a}, {"source", {{"name", internal::IdSource(a)}}}});
  }
  if (!refs.empty()) v["references"] = refs;
  ordered_json rating;
  if (f.cvss_score) rating["score"] = *f.cvss_score;
  rating["severity"] = f.severity == Severity::kNone ? "none" : SeverityName(f.severity);
  if (!f.cvss_vector.empty()) {
    rating["method"] = RatingMethod(f.cvss_vector);
    rating["vector"] = f.cvss_vector;
  }
  v["ratings"] = ordered_json::array({rating});
  if (!f.summary.empty()) v["description"] = f.summary;
  v["recommendation"] = internal::Recommendation(f);
  if (std::string_view state = AnalysisState(f); !state.empty()) {
    ordered_json a;
    a["state"] = state;
    std::string_view j = CanonicalJustificationToCycloneDx(f.vex_justification);
    if (!j.empty()) a["justification"] = j;
    if (!f.vex_detail.empty()) a["detail"] = f.vex_detail;
    v["analysis"] = a;
  }
  v["affects"] = ordered_json::array({{{"ref", ref}}});
  v["properties"] = Properties(f);
  return v;
}

ordered_json ComponentJson(const Finding& f, const std::string& ref) {
  ordered_json c;
  c["type"] = "library";
  c["bom-ref"] = ref;
  c["name"] = f.component_name.empty() ? "(unnamed)" : f.component_name;
  if (!f.component_version.empty()) c["version"] = f.component_version;
  // The schema constrains CPEs to the 2.2/2.3 grammar: only parsed ones are written.
  if (auto cpe = sbom::Cpe::Parse(f.component_cpe)) c["cpe"] = cpe->ToString();
  if (!f.component_purl.empty()) c["purl"] = f.component_purl;
  return c;
}

}  // namespace

std::string WriteCycloneDxVex(std::span<const Finding> findings, const ReportContext& ctx) {
  ordered_json doc;
  doc["$schema"] = "http://cyclonedx.org/schema/bom-1.6.schema.json";
  doc["bomFormat"] = "CycloneDX";
  doc["specVersion"] = "1.6";
  if (!ctx.document_id.empty()) doc["serialNumber"] = ctx.document_id;
  doc["version"] = 1;
  ordered_json meta;
  if (!ctx.timestamp.empty()) meta["timestamp"] = ctx.timestamp;
  ordered_json tool = {{"type", "application"}, {"name", "vigil"}};
  if (!ctx.tool_version.empty()) tool["version"] = ctx.tool_version;
  meta["tools"] = {{"components", ordered_json::array({tool})}};
  if (ctx.product != nullptr) {
    ordered_json p = {{"type", ctx.product->type.empty() ? "application" : ctx.product->type},
                      {"bom-ref", "vigil-product"},
                      {"name", ctx.product->name.empty() ? "(unnamed)" : ctx.product->name}};
    if (!ctx.product->version.empty()) p["version"] = ctx.product->version;
    meta["component"] = p;
  }
  if (!ctx.uncovered.empty()) {
    ordered_json props = ordered_json::array();
    for (const UncoveredComponent& c : ctx.uncovered) {
      props.push_back({{"name", "vigil:not-covered"}, {"value", UncoveredLine(c)}});
    }
    meta["properties"] = props;
  }
  doc["metadata"] = meta;
  internal::ComponentIndex index = internal::IndexComponents(findings);
  ordered_json components = ordered_json::array();
  for (size_t i = 0; i < index.first.size(); ++i) {
    components.push_back(ComponentJson(*index.first[i], "vigil-c" + std::to_string(i + 1)));
  }
  doc["components"] = components;
  ordered_json vulns = ordered_json::array();
  for (const Finding& f : findings) {
    vulns.push_back(Vulnerability(f, "vigil-c" + std::to_string(index.Of(f) + 1)));
  }
  doc["vulnerabilities"] = vulns;
  return doc.dump(2) + "\n";
}

}  // namespace vigil::vuln
