// The CSAF security advisory from the register (advisory.h).
#include "vigil/triage/advisory.h"

#include <algorithm>
#include <map>
#include <set>

#include "vigil/risk/cvss.h"

namespace vigil::triage {
namespace {

namespace csaf = vuln::csaf;

// Precedence when components disagree about one release: affected wins, then under
// investigation, then fixed, then not affected (only when every component is).
int Rank(csaf::ProductStatus s) {
  switch (s) {
    case csaf::ProductStatus::kKnownAffected: return 3;
    case csaf::ProductStatus::kUnderInvestigation: return 2;
    case csaf::ProductStatus::kFixed: return 1;
    default: return 0;
  }
}

csaf::ProductStatus StatusOf(TriageStatus s) {
  switch (s) {
    case TriageStatus::kAffected: return csaf::ProductStatus::kKnownAffected;
    case TriageStatus::kNotAffected: return csaf::ProductStatus::kKnownNotAffected;
    case TriageStatus::kFixed: return csaf::ProductStatus::kFixed;
    case TriageStatus::kInTriage: break;
  }
  return csaf::ProductStatus::kUnderInvestigation;
}

std::optional<csaf::Justification> JustificationOf(const std::string& label) {
  static const std::pair<std::string_view, csaf::Justification> kLabels[] = {
      {"component_not_present", csaf::Justification::kComponentNotPresent},
      {"vulnerable_code_not_present", csaf::Justification::kVulnerableCodeNotPresent},
      {"vulnerable_code_cannot_be_controlled_by_adversary",
       csaf::Justification::kVulnerableCodeCannotBeControlledByAdversary},
      {"vulnerable_code_not_in_execute_path", csaf::Justification::kVulnerableCodeNotInExecutePath},
      {"inline_mitigations_already_exist", csaf::Justification::kInlineMitigationsAlreadyExist}};
  for (const auto& [name, j] : kLabels) {
    if (name == label) return j;
  }
  return std::nullopt;
}

struct PerRelease {
  csaf::ProductStatus status;
  std::optional<csaf::Justification> justification;
};

// One record's status in each release: the last event about that release; a release after a
// fixed one without events of its own stays fixed.
std::map<std::string, PerRelease> RecordStatus(const std::vector<Event>& history,
                                               const std::vector<std::string>& releases) {
  std::map<std::string, PerRelease> last;
  for (const Event& e : history) {
    last[e.release] = {StatusOf(e.decision.status), JustificationOf(e.decision.justification)};
  }
  std::map<std::string, PerRelease> out;
  std::optional<PerRelease> carried_fix;
  for (const std::string& r : releases) {
    auto it = last.find(r);
    if (it != last.end()) {
      out[r] = it->second;
      carried_fix.reset();
      if (it->second.status == csaf::ProductStatus::kFixed) carried_fix = it->second;
    } else if (carried_fix) {
      out[r] = *carried_fix;
    }
  }
  return out;
}

std::string SystemOf(const std::string& id) {
  if (id.starts_with("GO-")) return "Go Vulnerability Database";
  if (id.starts_with("GHSA-")) return "GitHub Advisory Database";
  if (id.starts_with("PYSEC-")) return "PyPI Advisory Database";
  return "OSV";
}

// The records of one vulnerability, with their histories.
struct Group {
  std::vector<Record> records;
  std::vector<std::vector<Event>> histories;
};

void AddVectors(csaf::Vulnerability& v, const Group& g) {
  std::map<std::string, std::string> by_version;  // device vectors win over the advisory's
  for (const Record& r : g.records) {
    for (const std::string* vec : {&r.facts.cvss_vector, &r.current.decision.cvss_vector}) {
      if (vec->empty()) continue;
      if (auto s = risk::cvss::Evaluate(*vec)) {
        by_version[std::string(risk::cvss::VersionName(s->version))] = *vec;
      }
    }
  }
  for (auto& [version, vec] : by_version) v.cvss_vectors.push_back(vec);
}

// CSAF's one CWE: the first named weakness of the records, in the order the register lists them.
void AddCwe(csaf::Vulnerability& v, const Group& g) {
  for (const Record& r : g.records) {
    if (const vuln::Weakness* w = vuln::CsafWeakness(r.facts.weaknesses)) {
      v.cwe = csaf::Cwe{w->id, w->name};
      return;
    }
  }
}

void AddRemediations(csaf::Vulnerability& v, const Group& g, const std::string& product,
                     const std::vector<std::string>& affected,
                     const std::vector<std::string>& investigating) {
  if (!investigating.empty()) {
    csaf::Remediation rem;
    rem.category = csaf::RemediationCategory::kNoneAvailable;
    rem.details = "Under investigation by the manufacturer; no fix or mitigation is available yet.";
    rem.releases = investigating;
    v.remediations.push_back(std::move(rem));
  }
  if (affected.empty()) return;
  std::set<std::string> said;
  for (size_t i = 0; i < g.records.size(); ++i) {
    for (const Event& e : g.histories[i]) {
      if (e.decision.status != TriageStatus::kFixed || e.decision.fixed_in.empty()) continue;
      const std::string text = "Update to " + product + " " + e.decision.fixed_in + ".";
      if (!said.insert(text).second) continue;
      csaf::Remediation rem;
      rem.category = csaf::RemediationCategory::kVendorFix;
      rem.details = text;
      rem.date = e.at;
      rem.releases = affected;
      v.remediations.push_back(std::move(rem));
    }
  }
  const bool fixed = std::any_of(v.remediations.begin(), v.remediations.end(), [](const auto& r) {
    return r.category == csaf::RemediationCategory::kVendorFix;
  });
  for (const Record& r : g.records) {
    const Decision& d = r.current.decision;
    if (!d.compensating_control.empty() && said.insert(d.compensating_control).second) {
      csaf::Remediation rem;
      rem.category = csaf::RemediationCategory::kMitigation;
      rem.details = d.compensating_control;
      rem.releases = affected;
      v.remediations.push_back(std::move(rem));
    }
    if (!fixed && !d.action.empty() && said.insert(d.action).second) {
      csaf::Remediation rem;
      rem.category = csaf::RemediationCategory::kNoneAvailable;
      rem.details = "No fix is available yet. Planned: " + d.action;
      rem.releases = affected;
      v.remediations.push_back(std::move(rem));
    }
  }
}

void AddThreats(csaf::Vulnerability& v, const Group& g, const std::vector<std::string>& affected) {
  std::set<std::string> said;
  for (const Record& r : g.records) {
    if (r.facts.kev && said.insert("kev").second) {
      csaf::Threat t;
      t.category = csaf::ThreatCategory::kExploitStatus;
      t.details = "Listed in CISA's Known Exploited Vulnerabilities catalog" +
                  (r.facts.kev_due_date.empty() ? std::string(".")
                                                : " (remediation due " + r.facts.kev_due_date + ").");
      t.releases = affected;
      v.threats.push_back(std::move(t));
    }
    if (affected.empty()) continue;
    const std::string impact =
        "Risk of patient harm: " + std::string(r.risk.controlled ? "controlled" : "uncontrolled") +
        " (exploitability " + r.risk.exploitability + ", severity of harm " +
        std::string(risk::HarmName(r.risk.harm)) + ").";
    if (said.insert(impact).second) {
      csaf::Threat t;
      t.category = csaf::ThreatCategory::kImpact;
      t.details = impact;
      t.releases = affected;
      v.threats.push_back(std::move(t));
    }
  }
}

Result<csaf::Vulnerability> VulnerabilityOf(const std::string& id, const Group& g,
                                            const AdvisoryRequest& req,
                                            const std::vector<std::string>& releases) {
  csaf::Vulnerability v;
  std::set<std::string> ids, components;
  std::string discovered = g.records.front().discovered;
  for (const Record& r : g.records) {
    components.insert(r.facts.component_name);
    discovered = std::min(discovered, r.discovered);
    if (r.facts.advisory_id != id) ids.insert(r.facts.advisory_id);
    if (v.description.empty()) v.description = r.facts.summary;
  }
  if (id.starts_with("CVE-")) {
    v.cve = id;
  } else {
    ids.insert(id);
  }
  for (const std::string& other : ids) {
    if (!other.starts_with("CVE-")) v.ids.push_back({SystemOf(other), other});
  }
  std::string names;
  for (const std::string& c : components) names += (names.empty() ? "" : ", ") + c;
  if (v.description.empty()) v.description = id + " in " + names + ".";
  v.title = id + " in " + names;
  v.discovery_date = discovered + "T00:00:00Z";
  // Status per release, combined over the components.
  std::map<std::string, PerRelease> combined;
  for (size_t i = 0; i < g.records.size(); ++i) {
    for (auto& [release, st] : RecordStatus(g.histories[i], releases)) {
      auto [it, fresh] = combined.try_emplace(release, st);
      if (!fresh && Rank(st.status) > Rank(it->second.status)) it->second = st;
    }
  }
  std::vector<std::string> affected, known_affected, investigating;
  for (const std::string& r : releases) {
    auto it = combined.find(r);
    if (it == combined.end()) continue;
    csaf::ReleaseStatus rs;
    rs.release = r;
    rs.status = it->second.status;
    if (rs.status == csaf::ProductStatus::kKnownNotAffected) {
      rs.justification = it->second.justification;
    }
    if (rs.status == csaf::ProductStatus::kKnownAffected) known_affected.push_back(r);
    if (rs.status == csaf::ProductStatus::kUnderInvestigation) investigating.push_back(r);
    if (rs.status == csaf::ProductStatus::kKnownAffected ||
        rs.status == csaf::ProductStatus::kUnderInvestigation) {
      affected.push_back(r);
    }
    v.product_status.push_back(std::move(rs));
  }
  AddVectors(v, g);
  AddCwe(v, g);
  AddRemediations(v, g, req.product, known_affected, investigating);
  AddThreats(v, g, affected);
  return v;
}

// Whether the advisory covers this record: every record, or those of the vulnerabilities asked
// for (by CVE or by the advisory's own id).
bool Wanted(const AdvisoryRequest& req, const Record& r) {
  const auto& v = req.vulnerabilities;
  return v.empty() || std::find(v.begin(), v.end(), r.key.vulnerability) != v.end() ||
         std::find(v.begin(), v.end(), r.facts.advisory_id) != v.end();
}

}  // namespace

Result<csaf::Advisory> BuildAdvisory(Register& reg, const AdvisoryRequest& req) {
  // The records, their histories and the releases as of one moment, SQLite's locks taken once
  // (a product with 30k records fixed: 3.9-4.4 -> 1.2-1.4 s for `vigil advisory`).
  VIGIL_ASSIGN_OR_RETURN(Register::Snapshot snapshot, reg.BeginSnapshot());
  ListFilter f;
  f.product = req.product;
  VIGIL_ASSIGN_OR_RETURN(std::vector<Record> records, reg.List(f));
  VIGIL_ASSIGN_OR_RETURN(std::vector<Release> known, reg.Releases(req.product));
  std::vector<std::string> releases;
  for (const Release& r : known) releases.push_back(r.release);
  std::map<std::string, Group> groups;
  for (Record& r : records) {
    const std::string id = r.key.vulnerability;
    if (!Wanted(req, r)) continue;
    VIGIL_ASSIGN_OR_RETURN(std::vector<Event> h, reg.History(r.key));
    Group& g = groups[id];
    g.records.push_back(std::move(r));
    g.histories.push_back(std::move(h));
  }
  if (groups.empty()) {
    return InvalidArgumentError("advisory: the register holds no " +
                                std::string(req.vulnerabilities.empty() ? "record"
                                                                        : "record of the requested vulnerabilities") +
                                " for product \"" + req.product + "\"");
  }
  csaf::Advisory a;
  a.publisher = req.publisher;
  a.tracking.id = req.tracking_id;
  a.tracking.status = req.status;
  VIGIL_ASSIGN_OR_RETURN(std::vector<AdvisoryIssue> issued,
                         reg.Advisories(req.product, req.tracking_id));
  VIGIL_RETURN_IF_ERROR(snapshot.End());  // the rest builds the document from what was read
  for (const AdvisoryIssue& i : issued) {
    a.tracking.revision_history.push_back({static_cast<int>(i.revision), i.issued, i.summary});
  }
  if (!a.tracking.revision_history.empty()) {
    a.tracking.initial_release_date = a.tracking.revision_history.front().date;
    a.tracking.version = a.tracking.revision_history.back().number;
    a.tracking.current_release_date = a.tracking.revision_history.back().date;
    csaf::AddRevision(a.tracking, req.now,
                      req.revision_summary.empty() ? "Updated." : req.revision_summary);
  } else {
    a.tracking.initial_release_date = a.tracking.current_release_date = req.now;
    a.tracking.version = 1;
    a.tracking.revision_history.push_back(
        {1, req.now, req.revision_summary.empty() ? "Initial version." : req.revision_summary});
  }
  a.summary = req.summary;
  a.canonical_url = req.canonical_url;
  a.tlp = req.tlp;
  a.product.vendor = req.vendor.empty() ? req.publisher.name : req.vendor;
  a.product.name = req.product;
  for (const std::string& r : releases) a.product.releases.push_back({r, "", ""});
  std::set<std::string> components;
  for (auto& [id, g] : groups) {
    for (const Record& r : g.records) components.insert(r.facts.component_name);
    VIGIL_ASSIGN_OR_RETURN(csaf::Vulnerability v, VulnerabilityOf(id, g, req, releases));
    a.vulnerabilities.push_back(std::move(v));
  }
  if (req.title.empty()) {
    std::string names;
    for (const std::string& c : components) names += (names.empty() ? "" : ", ") + c;
    a.title = req.product + ": vulnerabilities in " + names;
  } else {
    a.title = req.title;
  }
  return a;
}

Result<int> IssueAdvisory(Register& reg, const AdvisoryRequest& req,
                          const std::function<Status(const std::string&)>& publish) {
  VIGIL_ASSIGN_OR_RETURN(csaf::Advisory a, BuildAdvisory(reg, req));
  VIGIL_ASSIGN_OR_RETURN(std::string doc, csaf::WriteCsafAdvisory(a));
  VIGIL_RETURN_IF_ERROR(publish(doc));
  if (req.status == csaf::DocumentStatus::kDraft) return a.tracking.version;
  std::vector<RecordKey> covered;
  ListFilter f;
  f.product = req.product;
  VIGIL_ASSIGN_OR_RETURN(std::vector<Record> records, reg.List(f));
  for (const Record& r : records) {
    if (Wanted(req, r)) covered.push_back(r.key);
  }
  const csaf::Revision& last = a.tracking.revision_history.back();
  VIGIL_RETURN_IF_ERROR(reg.RecordAdvisory(
      {req.product, req.tracking_id, last.number, last.date, last.summary}, covered));
  return last.number;
}

}  // namespace vigil::triage
