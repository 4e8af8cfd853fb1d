// CycloneDX 1.6 VEX writer.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "internal/report_parts.h"
#include "vigil/vuln/scan_report.h"
#include "vigil/vuln/vex.h"
#include "vigil/vuln/weakness.h"

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

// A vulnerability's findings: the same advisory, decided the same way and rated the same, on
// one or more components (CycloneDX's analysis and ratings belong to the vulnerability, the
// components to its `affects`).
struct Group {
  std::vector<const Finding*> findings;
  std::vector<std::string> refs;
};

std::string GroupKey(const Finding& f) {
  std::string key = f.advisory_id + '\n' + std::string(VexStatusName(f.vex_status)) + '\n' +
                    f.vex_justification + '\n' + f.vex_detail + '\n' + f.cvss_vector + '\n' +
                    (f.unassessed ? "u" : "");
  if (f.cvss_score) key += '\n' + std::to_string(*f.cvss_score);
  return key;
}

ordered_json Properties(const Group& g) {
  const Finding& f = *g.findings.front();
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
  // Per component: with several, each value names the bom-ref it is about.
  const bool several = g.findings.size() > 1;
  for (size_t i = 0; i < g.findings.size(); ++i) {
    const Finding& c = *g.findings[i];
    const std::string of = several ? g.refs[i] + ": " : "";
    if (!c.match_reason.empty()) add("vigil:match-reason", of + c.match_reason);
    add("vigil:confidence", of + (c.confidence == Confidence::kHigh ? "high" : "low"));
    if (!c.vex_trace.empty()) add("vigil:vex-trace", of + c.vex_trace);
  }
  if (f.unassessed) add("vigil:unassessed", "true");
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

// "Upgrade a to 1.2 or later; upgrade b to …", each distinct recommendation once.
std::string Recommendations(const Group& g) {
  std::vector<std::string> distinct;
  for (const Finding* f : g.findings) {
    std::string r = internal::Recommendation(*f);
    if (std::find(distinct.begin(), distinct.end(), r) == distinct.end()) distinct.push_back(r);
  }
  return internal::Join(distinct, "; ");
}

ordered_json Vulnerability(const Group& g) {
  const Finding& f = *g.findings.front();
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
  ordered_json cwes = ordered_json::array();  // CycloneDX: the CWE numbers, without "CWE-"
  for (const Weakness& w : f.weaknesses) cwes.push_back(std::stoi(w.id.substr(4)));
  if (!cwes.empty()) v["cwes"] = cwes;
  if (!f.summary.empty()) v["description"] = f.summary;
  v["recommendation"] = Recommendations(g);
  if (std::string_view state = AnalysisState(f); !state.empty()) {
    ordered_json a;
    a["state"] = state;
    std::string_view j = CanonicalJustificationToCycloneDx(f.vex_justification);
    if (!j.empty()) a["justification"] = j;
    if (!f.vex_detail.empty()) a["detail"] = f.vex_detail;
    v["analysis"] = a;
  }
  ordered_json affects = ordered_json::array();
  for (const std::string& ref : g.refs) affects.push_back({{"ref", ref}});
  v["affects"] = affects;
  v["properties"] = Properties(g);
  return v;
}

std::string ProductRef(const ReportContext& ctx) {
  return ctx.product->ref.empty() ? "vigil-product" : ctx.product->ref;
}

// The component as the SBOM has it: its bom-ref and type (firmware stays firmware).
ordered_json ComponentJson(const Finding& f, const std::string& ref) {
  ordered_json c;
  c["type"] = f.component_type.empty() ? "library" : f.component_type;
  c["bom-ref"] = ref;
  c["name"] = f.component_name.empty() ? "(unnamed)" : f.component_name;
  if (!f.component_version.empty()) c["version"] = f.component_version;
  // The schema constrains CPEs to the 2.2/2.3 grammar: only parsed ones are written.
  if (auto cpe = sbom::Cpe::Parse(f.component_cpe)) c["cpe"] = cpe->ToString();
  if (!f.component_purl.empty()) c["purl"] = f.component_purl;
  return c;
}

// The components' bom-refs: the SBOM's own where it gave one (a consumer joins the VEX to the
// SBOM by them), else "vigil-cN"; each unique, and none taken by the product's.
std::vector<std::string> BomRefs(const internal::ComponentIndex& index, const ReportContext& ctx) {
  std::set<std::string> taken;
  if (ctx.product != nullptr) taken.insert(ProductRef(ctx));
  std::vector<std::string> refs;
  for (size_t i = 0; i < index.first.size(); ++i) {
    std::string ref = index.first[i]->component_ref;
    if (ref.empty() || taken.contains(ref)) ref = "vigil-c" + std::to_string(i + 1);
    while (taken.contains(ref)) ref += "-" + std::to_string(i + 1);
    taken.insert(ref);
    refs.push_back(std::move(ref));
  }
  return refs;
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
                      {"bom-ref", ProductRef(ctx)},
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
  std::vector<std::string> refs = BomRefs(index, ctx);
  ordered_json components = ordered_json::array();
  for (size_t i = 0; i < index.first.size(); ++i) {
    components.push_back(ComponentJson(*index.first[i], refs[i]));
  }
  doc["components"] = components;
  std::vector<Group> groups;
  std::map<std::string, size_t> group_of;
  for (const Finding& f : findings) {
    auto [it, added] = group_of.emplace(GroupKey(f), groups.size());
    if (added) groups.emplace_back();
    Group& g = groups[it->second];
    const std::string& ref = refs[index.Of(f)];
    if (std::find(g.refs.begin(), g.refs.end(), ref) != g.refs.end()) continue;
    g.findings.push_back(&f);
    g.refs.push_back(ref);
  }
  ordered_json vulns = ordered_json::array();
  for (const Group& g : groups) vulns.push_back(Vulnerability(g));
  doc["vulnerabilities"] = vulns;
  return doc.dump(2) + "\n";
}

}  // namespace vigil::vuln
