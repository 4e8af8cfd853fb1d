// CycloneDX 1.4–1.6 VEX reader: vulnerabilities[] with an analysis become statements.
#include <map>
#include <utility>

#include "vigil/vuln/vex.h"
#include "internal/json_reader.h"
#include "internal/vex_product.h"

namespace vigil::vuln {
namespace {

using internal::Index;
using internal::JsonReader;
using internal::Member;
using nlohmann::json;

// bom-ref → the component's purl/CPE text, so that a ref also matches by identifier.
struct RefIds {
  std::string purl, cpe;
};
using RefTable = std::map<std::string, RefIds, std::less<>>;

void CollectRefs(const json& components, RefTable& table) {
  if (!components.is_array()) return;
  for (const json& c : components) {
    if (!c.is_object()) continue;
    auto ref = c.find("bom-ref");
    if (ref != c.end() && ref->is_string()) {
      RefIds& ids = table[ref->get<std::string>()];
      if (auto p = c.find("purl"); p != c.end() && p->is_string()) ids.purl = p->get<std::string>();
      if (auto e = c.find("cpe"); e != c.end() && e->is_string()) ids.cpe = e->get<std::string>();
    }
    if (auto nested = c.find("components"); nested != c.end()) CollectRefs(*nested, table);
  }
}

// analysis.state → status (and the justification a state implies).
Result<VexStatus> ParseState(const JsonReader& r, const std::string& state, const std::string& path,
                             std::string& justification) {
  if (state == "not_affected") return VexStatus::kNotAffected;
  if (state == "false_positive") {
    justification = "false_positive";  // the state is its own justification: the match is wrong
    return VexStatus::kNotAffected;
  }
  if (state == "resolved" || state == "resolved_with_pedigree") return VexStatus::kFixed;
  if (state == "exploitable") return VexStatus::kAffected;
  if (state == "in_triage") return VexStatus::kUnderInvestigation;
  return r.Fail(path,
                "expected one of resolved, resolved_with_pedigree, exploitable, in_triage, "
                "false_positive, not_affected, got '" +
                    state + "'");
}

Result<VexProductId> ParseAffect(const JsonReader& r, const json& a, const std::string& path,
                                 const RefTable& refs) {
  VIGIL_RETURN_IF_ERROR(r.ExpectObject(a, path));
  VexProductId id;
  VIGIL_ASSIGN_OR_RETURN(id.ref, r.ReqString(a, "ref", path));
  VIGIL_RETURN_IF_ERROR(internal::SetIdentifier(r, id.ref, Member(path, "ref"), id));
  if (auto it = refs.find(id.ref); it != refs.end()) {
    // Identifiers of the component the ref names; malformed ones there are not ours to judge.
    if (!id.purl) {
      if (auto p = sbom::PackageUrl::Parse(it->second.purl)) id.purl = std::move(*p);
    }
    if (auto c = sbom::Cpe::Parse(it->second.cpe)) id.cpe = std::move(*c);
  }
  VIGIL_ASSIGN_OR_RETURN(const json* versions, r.OptArray(a, "versions", path));
  for (size_t i = 0; versions != nullptr && i < versions->size(); ++i) {
    const std::string vpath = Index(path, "versions", i);
    const json& v = (*versions)[i];
    VIGIL_RETURN_IF_ERROR(r.ExpectObject(v, vpath));
    VIGIL_ASSIGN_OR_RETURN(std::string version, r.OptString(v, "version", vpath));
    VIGIL_ASSIGN_OR_RETURN(std::string range, r.OptString(v, "range", vpath));
    if (version.empty() == range.empty()) {
      return r.Fail(vpath, "expected exactly one of version and range");
    }
    if (!version.empty()) id.versions.push_back(version);
    if (!range.empty()) id.ranges.push_back(range);
    VIGIL_RETURN_IF_ERROR(internal::CheckRanges(r, id, Member(vpath, "range")));
  }
  return id;
}

Status ParseAnalysis(const JsonReader& r, const json& analysis, const std::string& path,
                     VexStatement& s) {
  VIGIL_ASSIGN_OR_RETURN(std::string state, r.OptString(analysis, "state", path));
  if (state.empty()) return r.Fail(Member(path, "state"), "required for a VEX statement");
  VIGIL_ASSIGN_OR_RETURN(s.status, ParseState(r, state, Member(path, "state"), s.justification));
  VIGIL_ASSIGN_OR_RETURN(std::string justification, r.OptString(analysis, "justification", path));
  if (!justification.empty()) {
    auto canonical = CycloneDxJustificationToCanonical(justification);
    if (!canonical) {
      return r.Fail(Member(path, "justification"),
                    "expected a CycloneDX justification (code_not_present, code_not_reachable, "
                    "requires_configuration, requires_dependency, requires_environment, "
                    "protected_by_compiler, protected_at_runtime, protected_at_perimeter, "
                    "protected_by_mitigating_control), got '" +
                        justification + "'");
    }
    s.justification = *canonical;
  }
  VIGIL_ASSIGN_OR_RETURN(s.responses, r.OptStrings(analysis, "response", path));
  VIGIL_ASSIGN_OR_RETURN(s.impact_statement, r.OptString(analysis, "detail", path));
  return OkStatus();
}

Result<std::optional<VexStatement>> ParseVulnerability(const JsonReader& r, const json& v,
                                                       const std::string& path,
                                                       const RefTable& refs,
                                                       const JsonReader::Time& doc_time) {
  VIGIL_RETURN_IF_ERROR(r.ExpectObject(v, path));
  VIGIL_ASSIGN_OR_RETURN(const json* analysis, r.OptObject(v, "analysis", path));
  if (analysis == nullptr) return std::optional<VexStatement>();  // a listing, not a statement
  VexStatement s;
  s.trace = r.source() + ": " + path;
  VIGIL_ASSIGN_OR_RETURN(s.vulnerability, r.ReqString(v, "id", path));
  VIGIL_ASSIGN_OR_RETURN(const json* references, r.OptArray(v, "references", path));
  for (size_t i = 0; references != nullptr && i < references->size(); ++i) {
    const std::string rpath = Index(path, "references", i);
    VIGIL_RETURN_IF_ERROR(r.ExpectObject((*references)[i], rpath));
    VIGIL_ASSIGN_OR_RETURN(std::string alias, r.ReqString((*references)[i], "id", rpath));
    s.aliases.push_back(std::move(alias));
  }
  VIGIL_RETURN_IF_ERROR(ParseAnalysis(r, *analysis, Member(path, "analysis"), s));
  VIGIL_ASSIGN_OR_RETURN(s.action_statement, r.OptString(v, "recommendation", path));
  VIGIL_ASSIGN_OR_RETURN(const json* affects, r.OptArray(v, "affects", path));
  if (affects == nullptr || affects->empty()) {
    return r.Fail(Member(path, "affects"), "a VEX statement must name what it affects");
  }
  for (size_t i = 0; i < affects->size(); ++i) {
    VIGIL_ASSIGN_OR_RETURN(VexProductId id,
                           ParseAffect(r, (*affects)[i], Index(path, "affects", i), refs));
    s.products.push_back(VexProduct{std::move(id), {}});
  }
  // The statement's time: analysis.lastUpdated, firstIssued, vulnerability updated, published,
  // then metadata.timestamp.
  const std::string apath = Member(path, "analysis");
  VIGIL_ASSIGN_OR_RETURN(JsonReader::Time last, r.OptTime(*analysis, "lastUpdated", apath));
  VIGIL_ASSIGN_OR_RETURN(JsonReader::Time first, r.OptTime(*analysis, "firstIssued", apath));
  VIGIL_ASSIGN_OR_RETURN(JsonReader::Time updated, r.OptTime(v, "updated", path));
  VIGIL_ASSIGN_OR_RETURN(JsonReader::Time published, r.OptTime(v, "published", path));
  for (const JsonReader::Time* t : std::initializer_list<const JsonReader::Time*>{
           &last, &first, &updated, &published, &doc_time}) {
    if (!t->text.empty()) {
      s.timestamp = t->text;
      s.time = t->seconds;
      break;
    }
  }
  return std::optional<VexStatement>(std::move(s));
}

}  // namespace

Result<VexDocument> ReadCycloneDxVex(std::string_view text, std::string_view source) {
  JsonReader r(source);
  VIGIL_ASSIGN_OR_RETURN(json root, r.ParseRoot(text));
  VIGIL_ASSIGN_OR_RETURN(std::string format, r.ReqString(root, "bomFormat", ""));
  if (format != "CycloneDX")
    return r.Fail("bomFormat", "expected 'CycloneDX', got '" + format + "'");
  VIGIL_ASSIGN_OR_RETURN(std::string spec, r.ReqString(root, "specVersion", ""));
  if (spec != "1.4" && spec != "1.5" && spec != "1.6") {
    return r.Fail("specVersion", "expected 1.4, 1.5 or 1.6 (VEX), got '" + spec + "'");
  }
  VexDocument doc;
  doc.format = VexFormat::kCycloneDx;
  doc.source = std::string(source);
  VIGIL_ASSIGN_OR_RETURN(doc.id, r.OptString(root, "serialNumber", ""));
  JsonReader::Time doc_time;
  VIGIL_ASSIGN_OR_RETURN(const json* metadata, r.OptObject(root, "metadata", ""));
  if (metadata != nullptr) {
    VIGIL_ASSIGN_OR_RETURN(doc_time, r.OptTime(*metadata, "timestamp", "metadata"));
  }
  doc.timestamp = doc_time.text;
  RefTable refs;
  if (auto c = root.find("components"); c != root.end()) CollectRefs(*c, refs);
  if (metadata != nullptr) {
    if (auto m = metadata->find("component"); m != metadata->end()) {
      CollectRefs(json::array({*m}), refs);
    }
  }
  VIGIL_ASSIGN_OR_RETURN(const json* vulns, r.OptArray(root, "vulnerabilities", ""));
  for (size_t i = 0; vulns != nullptr && i < vulns->size(); ++i) {
    VIGIL_ASSIGN_OR_RETURN(
        std::optional<VexStatement> s,
        ParseVulnerability(r, (*vulns)[i], Index("", "vulnerabilities", i), refs, doc_time));
    if (s) doc.statements.push_back(std::move(*s));
  }
  return doc;
}

}  // namespace vigil::vuln
