// CSAF 2.0 security advisory writer (document category csaf_security_advisory). The input is
// checked first (csaf_advisory.cc), so building the document below cannot fail.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "internal/csaf_advisory_parts.h"
#include "internal/report_parts.h"
#include "vigil/core/json.h"
#include "vigil/risk/cvss.h"
#include "vigil/vuln/csaf_advisory.h"

namespace vigil::vuln::csaf {
namespace {

using json::Value;
using ReleaseIds = std::map<std::string, std::string, std::less<>>;  // version → product id

std::string_view StatusName(DocumentStatus s) {
  switch (s) {
    case DocumentStatus::kDraft:
      return "draft";
    case DocumentStatus::kInterim:
      return "interim";
    case DocumentStatus::kFinal:
      break;
  }
  return "final";
}

std::string_view ListName(ProductStatus s) {
  switch (s) {
    case ProductStatus::kFirstAffected:
      return "first_affected";
    case ProductStatus::kKnownAffected:
      return "known_affected";
    case ProductStatus::kLastAffected:
      return "last_affected";
    case ProductStatus::kKnownNotAffected:
      return "known_not_affected";
    case ProductStatus::kFirstFixed:
      return "first_fixed";
    case ProductStatus::kFixed:
      return "fixed";
    case ProductStatus::kRecommended:
      return "recommended";
    case ProductStatus::kUnderInvestigation:
      break;
  }
  return "under_investigation";
}

std::string_view RemediationName(RemediationCategory c) {
  switch (c) {
    case RemediationCategory::kMitigation:
      return "mitigation";
    case RemediationCategory::kWorkaround:
      return "workaround";
    case RemediationCategory::kNoneAvailable:
      return "none_available";
    case RemediationCategory::kNoFixPlanned:
      return "no_fix_planned";
    case RemediationCategory::kVendorFix:
      break;
  }
  return "vendor_fix";
}

std::string_view ThreatName(ThreatCategory c) {
  switch (c) {
    case ThreatCategory::kExploitStatus:
      return "exploit_status";
    case ThreatCategory::kTargetSet:
      return "target_set";
    case ThreatCategory::kImpact:
      break;
  }
  return "impact";
}

// Intl.Collator's order, which optional test 6.2.13 sorts member names by: case folded, and
// '_' (punctuation) before digits before letters. CSAF's names differ before case matters.
int CollationRank(char c) {
  unsigned char u = static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(c)));
  if (std::isdigit(u)) return 256 + u;
  if (std::isalpha(u)) return 512 + u;
  return u;
}

bool CollatesBefore(const std::string& a, const std::string& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return CollationRank(x) < CollationRank(y);
  });
}

void SortMembers(Value& v) {
  if (v.is_array()) {
    for (Value& e : v.as_array()) SortMembers(e);
  } else if (v.is_object()) {
    std::stable_sort(
        v.as_object().begin(), v.as_object().end(),
        [](const json::Member& a, const json::Member& b) { return CollatesBefore(a.key, b.key); });
    for (json::Member& m : v.as_object()) SortMembers(m.value);
  }
}

Value Strings(const std::vector<std::string>& items) {
  Value out = Value::MakeArray();
  for (const std::string& s : items) out.Push(s);
  return out;
}

void SetIfPresent(Value& object, std::string_view key, const std::string& text) {
  if (!text.empty()) object.Set(key, text);
}

Value Note(std::string_view category, std::string_view title, const std::string& text) {
  return Value::MakeObject({{"category", category}, {"text", text}, {"title", title}});
}

Value AcknowledgmentsJson(const std::vector<Acknowledgment>& acks) {
  Value out = Value::MakeArray();
  for (const Acknowledgment& a : acks) {
    Value& ack = out.Push(Value::MakeObject());
    if (!a.names.empty()) ack.Set("names", Strings(a.names));
    SetIfPresent(ack, "organization", a.organization);
    SetIfPresent(ack, "summary", a.summary);
    if (!a.urls.empty()) ack.Set("urls", Strings(a.urls));
  }
  return out;
}

Value ReferencesJson(const std::vector<Reference>& refs) {
  Value out = Value::MakeArray();
  for (const Reference& r : refs) {
    out.Push(Value::MakeObject({{"category", "external"}, {"summary", r.summary}, {"url", r.url}}));
  }
  return out;
}

// Sets `key` to `list` unless it is empty (CSAF arrays have minItems 1).
void SetList(Value& object, std::string_view key, Value list) {
  if (list.size() > 0) object.Set(key, std::move(list));
}

Value PublisherJson(const Publisher& p) {
  Value out =
      Value::MakeObject({{"category", "vendor"}, {"name", p.name}, {"namespace", p.namespace_url}});
  SetIfPresent(out, "contact_details", p.contact_details);
  SetIfPresent(out, "issuing_authority", p.issuing_authority);
  return out;
}

Value TrackingJson(const Tracking& t, const std::string& tool_version) {
  Value revisions = Value::MakeArray();
  for (const Revision& r : t.revision_history) {
    revisions.Push(Value::MakeObject(
        {{"date", r.date}, {"number", std::to_string(r.number)}, {"summary", r.summary}}));
  }
  Value engine = Value::MakeObject({{"name", "Vigil"}});
  SetIfPresent(engine, "version", tool_version);
  return Value::MakeObject({{"current_release_date", t.current_release_date},
                            {"generator", Value::MakeObject({{"engine", std::move(engine)}})},
                            {"id", t.id},
                            {"initial_release_date", t.initial_release_date},
                            {"revision_history", std::move(revisions)},
                            {"status", StatusName(t.status)},
                            {"version", std::to_string(t.version)}});
}

Value DocumentJson(const Advisory& a) {
  Value notes = Value::MakeArray();
  if (!a.summary.empty()) notes.Push(Note("summary", "Summary", a.summary));
  if (!a.general.empty()) notes.Push(Note("general", "General", a.general));
  if (!a.legal_disclaimer.empty()) {
    notes.Push(Note("legal_disclaimer", "Legal disclaimer", a.legal_disclaimer));
  }
  Value references = Value::MakeArray();
  if (!a.canonical_url.empty()) {
    references.Push(Value::MakeObject(
        {{"category", "self"}, {"summary", "This advisory (CSAF)"}, {"url", a.canonical_url}}));
  }
  Value external = ReferencesJson(a.references);  // named: a temporary would die in the loop
  for (Value& r : external.as_array()) references.Push(std::move(r));
  Value doc = Value::MakeObject(
      {{"category", "csaf_security_advisory"},
       {"csaf_version", "2.0"},
       {"distribution",
        Value::MakeObject({{"tlp", Value::MakeObject({{"label", TlpName(a.tlp)}})}})},
       {"lang", a.lang},
       {"publisher", PublisherJson(a.publisher)},
       {"title", a.title},
       {"tracking", TrackingJson(a.tracking, a.tool_version)}});
  SetList(doc, "acknowledgments", AcknowledgmentsJson(a.acknowledgments));
  SetList(doc, "notes", std::move(notes));
  SetList(doc, "references", std::move(references));
  return doc;
}

Value ReleaseJson(const Product& p, const Release& r) {
  Value product = Value::MakeObject({{"name", p.name + " " + r.version},
                                     {"product_id", internal::ReleaseProductId(p, r.version)}});
  // The check has parsed both; the canonical forms are what consumers match on.
  vuln::internal::IdentificationHelper found =
      vuln::internal::CsafIdentificationHelper(r.purl, r.cpe);
  Value helper = Value::MakeObject();
  SetIfPresent(helper, "purl", found.purl);
  SetIfPresent(helper, "cpe", found.cpe);
  if (helper.size() > 0) product.Set("product_identification_helper", std::move(helper));
  return Value::MakeObject(
      {{"category", "product_version"}, {"name", r.version}, {"product", std::move(product)}});
}

Value ProductTreeJson(const Product& p) {
  Value versions = Value::MakeArray();
  for (const Release& r : p.releases) versions.Push(ReleaseJson(p, r));
  Value name = Value::MakeObject(
      {{"branches", std::move(versions)}, {"category", "product_name"}, {"name", p.name}});
  Value vendor = Value::MakeObject({{"branches", Value(json::Array{std::move(name)})},
                                    {"category", "vendor"},
                                    {"name", p.vendor}});
  return Value::MakeObject({{"branches", Value(json::Array{std::move(vendor)})}});
}

// Product ids of `releases` in the caller's order, each once.
Value IdsOf(const std::vector<std::string>& releases, const ReleaseIds& ids) {
  Value out = Value::MakeArray();
  std::set<std::string_view> seen;
  for (const std::string& r : releases) {
    if (seen.insert(r).second) out.Push(ids.find(r)->second);
  }
  return out;
}

// The releases of `v` whose status is in one of `groups`, in the caller's order.
std::vector<std::string> ReleasesIn(const Vulnerability& v,
                                    std::initializer_list<internal::StatusGroup> groups) {
  std::vector<std::string> out;
  for (const ReleaseStatus& s : v.product_status) {
    if (std::find(groups.begin(), groups.end(), internal::GroupOf(s.status)) != groups.end()) {
      out.push_back(s.release);
    }
  }
  return out;
}

Value ProductStatusJson(const Vulnerability& v, const ReleaseIds& ids) {
  std::map<std::string_view, std::vector<std::string>> lists;
  for (const ReleaseStatus& s : v.product_status) lists[ListName(s.status)].push_back(s.release);
  Value out = Value::MakeObject();
  for (const auto& [name, releases] : lists) out.Set(name, IdsOf(releases, ids));
  return out;
}

Value FlagsJson(const Vulnerability& v, const ReleaseIds& ids) {
  std::map<Justification, std::vector<std::string>> by_label;
  for (const ReleaseStatus& s : v.product_status) {
    if (s.justification) by_label[*s.justification].push_back(s.release);
  }
  Value out = Value::MakeArray();
  for (const auto& [label, releases] : by_label) {
    out.Push(Value::MakeObject(
        {{"label", JustificationLabel(label)}, {"product_ids", IdsOf(releases, ids)}}));
  }
  return out;
}

std::string OneDecimal(double score) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", score);
  return buf;
}

// cvss_v2 / cvss_v3 per FIRST's JSON schemas: the fields CSAF requires, the base score and
// severity computed from the vector.
Value CvssJson(const vuln::internal::CsafCvss& c) {
  Value out = Value::MakeObject(
      {{"baseScore", c.base_score}, {"vectorString", c.vector}, {"version", c.version}});
  if (!c.base_severity.empty()) out.Set("baseSeverity", c.base_severity);
  return out;
}

std::string ScoreText(const risk::cvss::Scores& s, const std::string& vector) {
  std::string text = vector + ": " + OneDecimal(s.score) + " (" +
                     std::string(risk::cvss::SeverityName(s.severity));
  if (!s.nomenclature.empty()) text += ", " + std::string(s.nomenclature);
  return text + ")";
}

// "1.0", "1.0 and 1.1", "1.0, 1.1 and 1.2", each once.
std::string JoinReleases(const std::vector<std::string>& releases) {
  std::vector<std::string> once;
  for (const std::string& r : releases) {
    if (std::find(once.begin(), once.end(), r) == once.end()) once.push_back(r);
  }
  std::string out;
  for (size_t i = 0; i < once.size(); ++i) {
    if (i > 0) out += i + 1 == once.size() ? " and " : ", ";
    out += once[i];
  }
  return out;
}

struct ScoreParts {
  Value scores = Value::MakeArray();
  Value notes = Value::MakeArray();
};

// v2/v3 vectors score the affected and under-investigation releases; v4.0, and the others when
// no release is scored, become notes (see csaf_advisory.h).
ScoreParts ScoresJson(const Vulnerability& v, const ReleaseIds& ids) {
  using internal::StatusGroup;
  std::vector<std::string> releases =
      ReleasesIn(v, {StatusGroup::kAffected, StatusGroup::kUnderInvestigation});
  Value scored = IdsOf(releases, ids);
  ScoreParts out;
  for (const std::string& vector : v.cvss_vectors) {
    risk::cvss::Scores s = *risk::cvss::Evaluate(vector);  // checked
    bool v4 = s.version == risk::cvss::Version::kV4_0;
    if (!v4 && scored.size() > 0) {
      const vuln::internal::CsafCvss c = *vuln::internal::CsafCvssOf(vector);  // checked
      out.scores.Push(Value::MakeObject({{c.slot, CvssJson(c)}, {"products", scored}}));
      continue;
    }
    std::string text = ScoreText(s, vector);
    if (v4) text += ". CSAF 2.0 has no score field for CVSS v4.0, so the vector is given here.";
    if (scored.size() == 0) {
      text += " No release named here is affected.";
    } else {
      text += " Releases scored: " + JoinReleases(releases) + ".";
    }
    std::string title = "CVSS v" + std::string(risk::cvss::VersionName(s.version));
    out.notes.Push(Note("other", title, text));
  }
  return out;
}

Value KevThreat(const KevListing& kev, const Vulnerability& v, const ReleaseIds& ids) {
  std::string details =
      "Known to be exploited: listed in CISA's Known Exploited Vulnerabilities catalog on " +
      kev.date_added;
  if (!kev.due_date.empty())
    details += ", remediation due for US federal agencies by " + kev.due_date;
  details += ".";
  if (!kev.required_action.empty()) details += " Required action: " + kev.required_action;
  Value threat = Value::MakeObject({{"category", "exploit_status"},
                                    {"date", kev.date_added + "T00:00:00Z"},
                                    {"details", details}});
  SetList(threat, "product_ids", IdsOf(ReleasesIn(v, {internal::StatusGroup::kAffected}), ids));
  return threat;
}

Value ThreatsJson(const Vulnerability& v, const ReleaseIds& ids) {
  Value out = Value::MakeArray();
  for (const Threat& t : v.threats) {
    Value& threat =
        out.Push(Value::MakeObject({{"category", ThreatName(t.category)}, {"details", t.details}}));
    SetIfPresent(threat, "date", t.date);
    SetList(threat, "product_ids", IdsOf(t.releases, ids));
  }
  if (v.kev) out.Push(KevThreat(*v.kev, v, ids));
  return out;
}

Value RemediationsJson(const Vulnerability& v, const ReleaseIds& ids) {
  Value out = Value::MakeArray();
  for (const Remediation& r : v.remediations) {
    Value& rem = out.Push(Value::MakeObject({{"category", RemediationName(r.category)},
                                             {"details", r.details},
                                             {"product_ids", IdsOf(r.releases, ids)}}));
    SetIfPresent(rem, "date", r.date);
    SetIfPresent(rem, "url", r.url);
  }
  return out;
}

Value IdentifiersJson(const Vulnerability& v) {
  Value out = Value::MakeArray();
  for (const VulnerabilityId& id : v.ids) {
    out.Push(Value::MakeObject({{"system_name", id.system_name}, {"text", id.text}}));
  }
  return out;
}

Value VulnerabilityJson(const Vulnerability& v, const ReleaseIds& ids) {
  Value out = Value::MakeObject({{"product_status", ProductStatusJson(v, ids)}});
  SetIfPresent(out, "cve", v.cve);
  SetIfPresent(out, "title", v.title);
  SetIfPresent(out, "discovery_date", v.discovery_date);
  SetIfPresent(out, "release_date", v.release_date);
  if (v.cwe) out.Set("cwe", Value::MakeObject({{"id", v.cwe->id}, {"name", v.cwe->name}}));
  ScoreParts scores = ScoresJson(v, ids);
  Value notes = Value(json::Array{Note("description", "Description", v.description)});
  for (Value& n : scores.notes.as_array()) notes.Push(std::move(n));
  out.Set("notes", std::move(notes));
  SetList(out, "ids", IdentifiersJson(v));
  SetList(out, "scores", std::move(scores.scores));
  SetList(out, "flags", FlagsJson(v, ids));
  SetList(out, "threats", ThreatsJson(v, ids));
  SetList(out, "remediations", RemediationsJson(v, ids));
  SetList(out, "acknowledgments", AcknowledgmentsJson(v.acknowledgments));
  SetList(out, "references", ReferencesJson(v.references));
  return out;
}

}  // namespace

std::string_view TlpName(Tlp t) {
  switch (t) {
    case Tlp::kGreen:
      return "GREEN";
    case Tlp::kAmber:
      return "AMBER";
    case Tlp::kRed:
      return "RED";
    case Tlp::kWhite:
      break;
  }
  return "WHITE";
}

std::optional<Tlp> ParseTlp(std::string_view label) {
  std::string upper;
  for (char c : label) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.starts_with("TLP:")) upper.erase(0, 4);
  for (Tlp t : {Tlp::kWhite, Tlp::kGreen, Tlp::kAmber, Tlp::kRed}) {
    if (upper == TlpName(t)) return t;
  }
  return std::nullopt;
}

Result<std::string> WriteCsafAdvisory(const Advisory& advisory) {
  VIGIL_RETURN_IF_ERROR(internal::CheckAdvisory(advisory));
  ReleaseIds ids;
  for (const Release& r : advisory.product.releases) {
    ids.emplace(r.version, internal::ReleaseProductId(advisory.product, r.version));
  }
  Value vulnerabilities = Value::MakeArray();
  for (const Vulnerability& v : advisory.vulnerabilities) {
    vulnerabilities.Push(VulnerabilityJson(v, ids));
  }
  Value doc = Value::MakeObject({{"document", DocumentJson(advisory)},
                                 {"product_tree", ProductTreeJson(advisory.product)},
                                 {"vulnerabilities", std::move(vulnerabilities)}});
  SortMembers(doc);
  return json::Write(doc, 2) + "\n";
}

}  // namespace vigil::vuln::csaf
