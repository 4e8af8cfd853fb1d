// CycloneDX 1.4–1.6 VEX reader: vulnerabilities[] with an analysis become statements.
#include <map>
#include <utility>

#include "internal/vex_json.h"
#include "internal/vex_product.h"
#include "vigil/vuln/vex.h"

namespace vigil::vuln {
namespace {

// The VEX readers' JSON helpers (internal/vex_json.h): OptString, ReqString, OptTime, ...
using namespace internal;  // NOLINT(google-build-using-namespace)
using json::Node;
using json::Value;

// bom-ref → the component's purl/CPE text, so that a ref also matches by identifier.
struct RefIds {
  std::string purl, cpe;
};
using RefTable = std::map<std::string, RefIds, std::less<>>;

// The string member `key`, or "" (the component list is only a lookup aid: malformed entries
// there are not ours to judge).
std::string StringOrEmpty(const Value& object, std::string_view key) {
  const Value* v = object.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

void CollectRef(const Value& c, RefTable& table);

void CollectRefs(const Value& components, RefTable& table) {
  if (!components.is_array()) return;
  for (const Value& c : components.as_array()) CollectRef(c, table);
}

void CollectRef(const Value& c, RefTable& table) {
  if (!c.is_object()) return;
  if (const Value* ref = c.Find("bom-ref"); ref != nullptr && ref->is_string()) {
    RefIds& ids = table[ref->as_string()];
    if (std::string purl = StringOrEmpty(c, "purl"); !purl.empty()) ids.purl = purl;
    if (std::string cpe = StringOrEmpty(c, "cpe"); !cpe.empty()) ids.cpe = cpe;
  }
  if (const Value* nested = c.Find("components")) CollectRefs(*nested, table);
}

// analysis.state → status (and the justification a state implies).
Result<VexStatus> ParseState(const Node& at, const std::string& state, std::string& justification) {
  if (state == "not_affected") return VexStatus::kNotAffected;
  if (state == "false_positive") {
    justification = "false_positive";  // the state is its own justification: the match is wrong
    return VexStatus::kNotAffected;
  }
  if (state == "resolved" || state == "resolved_with_pedigree") return VexStatus::kFixed;
  if (state == "exploitable") return VexStatus::kAffected;
  if (state == "in_triage") return VexStatus::kUnderInvestigation;
  return at.Invalid(
      "expected one of resolved, resolved_with_pedigree, exploitable, in_triage, "
      "false_positive, not_affected, got '" +
      state + "'");
}

Result<VexProductId> ParseAffect(const Node& a, const RefTable& refs) {
  VIGIL_RETURN_IF_ERROR(a.ExpectObject());
  VexProductId id;
  VIGIL_ASSIGN_OR_RETURN(id.ref, ReqString(a, "ref"));
  VIGIL_RETURN_IF_ERROR(internal::SetIdentifier(a.Get("ref"), id.ref, id));
  if (auto it = refs.find(id.ref); it != refs.end()) {
    // Identifiers of the component the ref names; malformed ones there are not ours to judge.
    if (!id.purl) {
      if (auto p = sbom::PackageUrl::Parse(it->second.purl)) id.purl = std::move(*p);
    }
    if (auto c = sbom::Cpe::Parse(it->second.cpe)) id.cpe = std::move(*c);
  }
  VIGIL_ASSIGN_OR_RETURN(Node versions, OptArray(a, "versions"));
  if (!versions.present()) return id;
  Status each = versions.ForEachElement([&](const Node& v) -> Status {
    VIGIL_RETURN_IF_ERROR(v.ExpectObject());
    VIGIL_ASSIGN_OR_RETURN(std::string version, OptString(v, "version"));
    VIGIL_ASSIGN_OR_RETURN(std::string range, OptString(v, "range"));
    if (version.empty() == range.empty()) {
      return v.Invalid("expected exactly one of version and range");
    }
    if (!version.empty()) id.versions.push_back(version);
    if (!range.empty()) id.ranges.push_back(range);
    return internal::CheckRanges(v.Get("range"), id);
  });
  VIGIL_RETURN_IF_ERROR(each);
  return id;
}

Status ParseAnalysis(const Node& analysis, VexStatement& s) {
  VIGIL_ASSIGN_OR_RETURN(std::string state, OptString(analysis, "state"));
  if (state.empty()) return analysis.Get("state").Invalid("required for a VEX statement");
  VIGIL_ASSIGN_OR_RETURN(s.status, ParseState(analysis.Get("state"), state, s.justification));
  VIGIL_ASSIGN_OR_RETURN(std::string justification, OptString(analysis, "justification"));
  if (!justification.empty()) {
    auto canonical = CycloneDxJustificationToCanonical(justification);
    if (!canonical) {
      return analysis.Get("justification")
          .Invalid(
              "expected a CycloneDX justification (code_not_present, code_not_reachable, "
              "requires_configuration, requires_dependency, requires_environment, "
              "protected_by_compiler, protected_at_runtime, protected_at_perimeter, "
              "protected_by_mitigating_control), got '" +
              justification + "'");
    }
    s.justification = *canonical;
  }
  VIGIL_ASSIGN_OR_RETURN(s.responses, OptStrings(analysis, "response"));
  VIGIL_ASSIGN_OR_RETURN(s.impact_statement, OptString(analysis, "detail"));
  return OkStatus();
}

Result<std::optional<VexStatement>> ParseVulnerability(const Node& v, const RefTable& refs,
                                                       const Time& doc_time) {
  VIGIL_RETURN_IF_ERROR(v.ExpectObject());
  VIGIL_ASSIGN_OR_RETURN(Node analysis, OptObject(v, "analysis"));
  if (!analysis.present()) return std::optional<VexStatement>();  // a listing, not a statement
  VexStatement s;
  s.trace = v.name() + ": " + v.path();
  VIGIL_ASSIGN_OR_RETURN(s.vulnerability, ReqString(v, "id"));
  VIGIL_ASSIGN_OR_RETURN(Node references, OptArray(v, "references"));
  if (references.present()) {
    Status references_ok = references.ForEachElement([&](const Node& ref) -> Status {
      VIGIL_RETURN_IF_ERROR(ref.ExpectObject());
      VIGIL_ASSIGN_OR_RETURN(s.aliases.emplace_back(), ReqString(ref, "id"));
      return OkStatus();
    });
    VIGIL_RETURN_IF_ERROR(references_ok);
  }
  VIGIL_RETURN_IF_ERROR(ParseAnalysis(analysis, s));
  VIGIL_ASSIGN_OR_RETURN(s.action_statement, OptString(v, "recommendation"));
  VIGIL_ASSIGN_OR_RETURN(Node affects, OptArray(v, "affects"));
  if (affects.size() == 0) return affects.Invalid("a VEX statement must name what it affects");
  Status each = affects.ForEachElement([&](const Node& a) -> Status {
    VIGIL_ASSIGN_OR_RETURN(VexProductId id, ParseAffect(a, refs));
    s.products.push_back(VexProduct{std::move(id), {}});
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  // The statement's time: analysis.lastUpdated, firstIssued, vulnerability updated, published,
  // then metadata.timestamp.
  VIGIL_ASSIGN_OR_RETURN(Time last, OptTime(analysis, "lastUpdated"));
  VIGIL_ASSIGN_OR_RETURN(Time first, OptTime(analysis, "firstIssued"));
  VIGIL_ASSIGN_OR_RETURN(Time updated, OptTime(v, "updated"));
  VIGIL_ASSIGN_OR_RETURN(Time published, OptTime(v, "published"));
  for (const Time* t : std::initializer_list<const Time*>{&last, &first, &updated, &published,
                                                         &doc_time}) {
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
  VIGIL_ASSIGN_OR_RETURN(Value value, internal::ParseVexRoot(text, source));
  Node root(value, source);
  VIGIL_ASSIGN_OR_RETURN(std::string format, ReqString(root, "bomFormat"));
  if (format != "CycloneDX") {
    return root.Get("bomFormat").Invalid("expected 'CycloneDX', got '" + format + "'");
  }
  VIGIL_ASSIGN_OR_RETURN(std::string spec, ReqString(root, "specVersion"));
  if (spec != "1.4" && spec != "1.5" && spec != "1.6") {
    return root.Get("specVersion")
        .Invalid("expected 1.4, 1.5 or 1.6 (VEX), got '" + spec + "'");
  }
  VexDocument doc;
  doc.format = VexFormat::kCycloneDx;
  doc.source = std::string(source);
  VIGIL_ASSIGN_OR_RETURN(doc.id, OptString(root, "serialNumber"));
  Time doc_time;
  VIGIL_ASSIGN_OR_RETURN(Node metadata, OptObject(root, "metadata"));
  if (metadata.present()) {
    VIGIL_ASSIGN_OR_RETURN(doc_time, OptTime(metadata, "timestamp"));
  }
  doc.timestamp = doc_time.text;
  RefTable refs;
  CollectRefs(value["components"], refs);
  if (metadata.present()) CollectRef(metadata.value()["component"], refs);
  VIGIL_ASSIGN_OR_RETURN(Node vulns, OptArray(root, "vulnerabilities"));
  if (!vulns.present()) return doc;
  Status each = vulns.ForEachElement([&](const Node& v) -> Status {
    VIGIL_ASSIGN_OR_RETURN(std::optional<VexStatement> s, ParseVulnerability(v, refs, doc_time));
    if (s) doc.statements.push_back(std::move(*s));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return doc;
}

}  // namespace vigil::vuln
