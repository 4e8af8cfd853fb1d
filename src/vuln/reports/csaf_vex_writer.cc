// CSAF 2.0 writer, VEX profile (document category csaf_vex).
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

std::string ProductId(size_t i) { return "CSAFPID-" + std::to_string(i + 1); }

ordered_json ProductTree(const internal::ComponentIndex& index) {
  ordered_json names = ordered_json::array();
  for (size_t i = 0; i < index.first.size(); ++i) {
    const Finding& f = *index.first[i];
    ordered_json p;
    std::string name = f.component_name.empty() ? "(unnamed)" : f.component_name;
    if (!f.component_version.empty()) name += " " + f.component_version;
    p["name"] = name;
    p["product_id"] = ProductId(i);
    // The purl with the component's version, as OpenVEX names it: the product is one release.
    internal::IdentificationHelper ids = internal::CsafIdentificationHelper(
        internal::VersionedPurl(f.component_purl, f.component_version), f.component_cpe);
    ordered_json helper;
    if (!ids.purl.empty()) helper["purl"] = ids.purl;
    if (!ids.cpe.empty()) helper["cpe"] = ids.cpe;
    if (!helper.empty()) p["product_identification_helper"] = helper;
    names.push_back(p);
  }
  return {{"full_product_names", names}};
}

// One vulnerability's product ids by status, and the per-product texts the profile requires.
struct VulnEntry {
  const Finding* first = nullptr;
  std::map<std::string, std::vector<std::string>> status;   // list name → product ids
  std::map<std::string, std::vector<std::string>> flags;    // label → product ids
  std::map<std::string, std::vector<std::string>> impacts;  // details → product ids
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> remediations;
  std::set<std::string> seen;       // product ids placed
  std::vector<std::string> scored;  // known_affected and under_investigation product ids
};

std::string_view StatusList(VexStatus s) {
  switch (s) {
    case VexStatus::kNotAffected:
      return "known_not_affected";
    case VexStatus::kAffected:
      return "known_affected";
    case VexStatus::kFixed:
      return "fixed";
    case VexStatus::kUnderInvestigation:
    case VexStatus::kNone:
      break;
  }
  return "under_investigation";
}

void Place(const Finding& f, const std::string& pid, VulnEntry& e) {
  if (!e.seen.insert(pid).second) return;  // one status per product and vulnerability
  const std::string_view list = StatusList(f.vex_status);
  e.status[std::string(list)].push_back(pid);
  if (list == "known_affected" || list == "under_investigation") e.scored.push_back(pid);
  if (f.vex_status == VexStatus::kNotAffected) {
    if (IsCanonicalJustification(f.vex_justification)) {
      e.flags[f.vex_justification].push_back(pid);
    }
    if (!f.vex_detail.empty() || !IsCanonicalJustification(f.vex_justification)) {
      std::string details = f.vex_detail.empty() ? "The match does not apply" : f.vex_detail;
      if (f.vex_justification == "false_positive") details = "False positive: " + details;
      e.impacts[details].push_back(pid);
    }
  } else if (f.vex_status == VexStatus::kAffected) {
    std::string category = f.fixed_versions.empty() ? "none_available" : "vendor_fix";
    std::string details = f.vex_detail.empty() ? internal::Recommendation(f) : f.vex_detail;
    e.remediations[{category, details}].push_back(pid);
  }
}

ordered_json Notes(const Finding& f) {
  ordered_json notes = ordered_json::array();
  notes.push_back({{"category", "description"},
                   {"text", f.summary.empty() ? "See " + f.advisory_id : f.summary},
                   {"title", "Summary"}});
  std::string exploitation;
  if (f.kev) exploitation = "Listed in CISA KEV (due " + f.kev_due_date + ").";
  if (f.epss_score) {
    exploitation += (exploitation.empty() ? "" : " ") + std::string("EPSS ") +
                    internal::FormatProbability(*f.epss_score) + ".";
  }
  if (!exploitation.empty()) {
    notes.push_back({{"category", "other"}, {"text", exploitation}, {"title", "Exploitation"}});
  }
  if (!f.match_reason.empty()) {
    notes.push_back({{"category", "details"},
                     {"text", f.match_reason},
                     {"title", f.unassessed ? "Unassessed: no version data" : "Why matched"}});
  }
  return notes;
}

// The advisory's CVSS v3 and v2 vectors, one of each (mandatory test 6.1.7), the deciding one
// first, as one score of the affected and under-investigation products: what optional test
// 6.2.3 asks of every affected product. Fixed and not-affected products get none (6.2.19).
ordered_json ScoresJson(const VulnEntry& e) {
  const Finding& f = *e.first;
  ordered_json score;
  auto add = [&](const std::string& vector) {
    auto cvss = internal::CsafCvssOf(vector);
    if (!cvss || score.contains(cvss->slot)) return;
    ordered_json c = {{"version", cvss->version},
                      {"vectorString", cvss->vector},
                      {"baseScore", cvss->base_score}};
    if (!cvss->base_severity.empty()) c["baseSeverity"] = cvss->base_severity;
    score[cvss->slot] = c;
  };
  if (!f.cvss_vector.empty()) add(f.cvss_vector);
  for (const StatedScore& s : f.scores) add(s.vector);
  if (score.empty() || e.scored.empty()) return ordered_json::array();
  score["products"] = e.scored;
  return ordered_json::array({score});
}

ordered_json VulnerabilityJson(const VulnEntry& e) {
  const Finding& f = *e.first;
  ordered_json v;
  std::string cve = internal::CveOf(f);
  if (!cve.empty()) v["cve"] = cve;
  ordered_json ids = ordered_json::array();
  std::set<std::string> listed;
  for (const std::string& id : std::vector<std::string>{f.advisory_id}) {
    if (id != cve && listed.insert(id).second) {
      ids.push_back({{"system_name", internal::IdSource(id)}, {"text", id}});
    }
  }
  for (const std::string& a : f.aliases) {
    if (a != cve && listed.insert(a).second) {
      ids.push_back({{"system_name", internal::IdSource(a)}, {"text", a}});
    }
  }
  if (!ids.empty()) v["ids"] = ids;
  if (const Weakness* w = CsafWeakness(f.weaknesses)) v["cwe"] = {{"id", w->id}, {"name", w->name}};
  v["notes"] = Notes(f);
  ordered_json status;
  for (const auto& [list, pids] : e.status) status[list] = pids;
  v["product_status"] = status;
  if (ordered_json scores = ScoresJson(e); !scores.empty()) v["scores"] = scores;
  ordered_json flags = ordered_json::array();
  for (const auto& [label, pids] : e.flags)
    flags.push_back({{"label", label}, {"product_ids", pids}});
  if (!flags.empty()) v["flags"] = flags;
  ordered_json threats = ordered_json::array();
  for (const auto& [details, pids] : e.impacts) {
    threats.push_back({{"category", "impact"}, {"details", details}, {"product_ids", pids}});
  }
  if (!threats.empty()) v["threats"] = threats;
  ordered_json remediations = ordered_json::array();
  for (const auto& [key, pids] : e.remediations) {
    remediations.push_back(
        {{"category", key.first}, {"details", key.second}, {"product_ids", pids}});
  }
  if (!remediations.empty()) v["remediations"] = remediations;
  return v;
}

ordered_json DocumentJson(const ReportContext& ctx, size_t findings) {
  std::string id = ctx.document_id;
  if (id.rfind("urn:uuid:", 0) == 0) id = "VIGIL-" + id.substr(9);
  std::string product =
      ctx.product != nullptr ? ctx.product->name + " " + ctx.product->version : ctx.sbom_source;
  ordered_json engine = {{"name", "Vigil"}};
  if (!ctx.tool_version.empty()) engine["version"] = ctx.tool_version;
  ordered_json notes = ordered_json::array(
      {{{"category", "summary"},
        {"text", "Vulnerability scan of " + ctx.sbom_source + ": " + std::to_string(findings) +
                     " findings with their VEX status."},
        {"title", "Scan summary"}}});
  if (!ctx.uncovered.empty()) {
    std::string text = internal::UncoveredSummary(ctx.uncovered.size()) + ":";
    for (const UncoveredComponent& c : ctx.uncovered) text += "\n" + UncoveredLine(c);
    notes.push_back({{"category", "other"}, {"text", text}, {"title", "Components not covered"}});
  }
  return {{"category", "csaf_vex"},
          {"csaf_version", "2.0"},
          {"distribution", {{"tlp", {{"label", csaf::TlpName(ctx.tlp)}}}}},
          {"notes", notes},
          {"publisher",
           {{"category", "vendor"}, {"name", ctx.author}, {"namespace", ctx.publisher_namespace}}},
          {"title", "VEX for " + product},
          {"tracking",
           {{"current_release_date", ctx.timestamp},
            {"generator", {{"date", ctx.timestamp}, {"engine", engine}}},
            {"id", id},
            {"initial_release_date", ctx.timestamp},
            {"revision_history",
             ordered_json::array(
                 {{{"date", ctx.timestamp}, {"number", "1"}, {"summary", "Initial version."}}})},
            {"status", "final"},
            {"version", "1"}}}};
}

}  // namespace

std::string WriteCsafVex(std::span<const Finding> findings, const ReportContext& ctx) {
  internal::ComponentIndex index = internal::IndexComponents(findings);
  std::vector<VulnEntry> entries;
  std::map<std::string, size_t> by_id;
  for (const Finding& f : findings) {
    auto [it, added] = by_id.emplace(f.advisory_id, entries.size());
    if (added) entries.push_back(VulnEntry{&f, {}, {}, {}, {}, {}, {}});
    Place(f, ProductId(index.Of(f)), entries[it->second]);
  }
  ordered_json doc;
  doc["document"] = DocumentJson(ctx, findings.size());
  doc["product_tree"] = ProductTree(index);
  ordered_json vulns = ordered_json::array();
  for (const VulnEntry& e : entries) vulns.push_back(VulnerabilityJson(e));
  doc["vulnerabilities"] = vulns;
  return doc.dump(2) + "\n";
}

}  // namespace vigil::vuln
