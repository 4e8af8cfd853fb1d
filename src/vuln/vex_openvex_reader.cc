// OpenVEX 0.2.0 reader.
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

Result<VexStatus> ParseStatus(const JsonReader& r, const std::string& text,
                              const std::string& path) {
  if (text == "not_affected") return VexStatus::kNotAffected;
  if (text == "affected") return VexStatus::kAffected;
  if (text == "fixed") return VexStatus::kFixed;
  if (text == "under_investigation") return VexStatus::kUnderInvestigation;
  return r.Fail(path, "expected one of not_affected, affected, fixed, under_investigation, got '" +
                          text + "'");
}

// A product or subcomponent: @id and identifiers (purl, cpe23; cpe22 is kept as a ref).
Result<VexProductId> ParseComponent(const JsonReader& r, const json& e, const std::string& path) {
  VIGIL_RETURN_IF_ERROR(r.ExpectObject(e, path));
  VexProductId id;
  VIGIL_ASSIGN_OR_RETURN(id.ref, r.OptString(e, "@id", path));
  VIGIL_RETURN_IF_ERROR(internal::SetIdentifier(r, id.ref, Member(path, "@id"), id));
  VIGIL_ASSIGN_OR_RETURN(const json* ids, r.OptObject(e, "identifiers", path));
  if (ids != nullptr) {
    const std::string ipath = Member(path, "identifiers");
    VIGIL_ASSIGN_OR_RETURN(std::string purl, r.OptString(*ids, "purl", ipath));
    VIGIL_ASSIGN_OR_RETURN(std::string cpe, r.OptString(*ids, "cpe23", ipath));
    if (!purl.empty() && purl.rfind("pkg:", 0) != 0) {
      return r.Fail(Member(ipath, "purl"), "expected a purl (pkg:…), got '" + purl + "'");
    }
    if (!cpe.empty() && cpe.rfind("cpe:2.3:", 0) != 0) {
      return r.Fail(Member(ipath, "cpe23"), "expected a CPE 2.3 name, got '" + cpe + "'");
    }
    VIGIL_RETURN_IF_ERROR(internal::SetIdentifier(r, purl, Member(ipath, "purl"), id));
    VIGIL_RETURN_IF_ERROR(internal::SetIdentifier(r, cpe, Member(ipath, "cpe23"), id));
  }
  if (id.ref.empty() && !id.purl && !id.cpe) {
    return r.Fail(path, "expected an @id or identifiers naming the product");
  }
  return id;
}

Result<std::vector<VexProduct>> ParseProducts(const JsonReader& r, const json& st,
                                              const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(const json* arr, r.OptArray(st, "products", path));
  if (arr == nullptr || arr->empty()) {
    return r.Fail(Member(path, "products"), "a statement must name at least one product");
  }
  std::vector<VexProduct> out;
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string ppath = Index(path, "products", i);
    VexProduct p;
    VIGIL_ASSIGN_OR_RETURN(p.id, ParseComponent(r, (*arr)[i], ppath));
    VIGIL_ASSIGN_OR_RETURN(const json* subs, r.OptArray((*arr)[i], "subcomponents", ppath));
    for (size_t j = 0; subs != nullptr && j < subs->size(); ++j) {
      VIGIL_ASSIGN_OR_RETURN(VexProductId sub,
                             ParseComponent(r, (*subs)[j], Index(ppath, "subcomponents", j)));
      p.subcomponents.push_back(std::move(sub));
    }
    out.push_back(std::move(p));
  }
  return out;
}

Status ParseVulnerability(const JsonReader& r, const json& st, const std::string& path,
                          VexStatement& s) {
  auto it = st.find("vulnerability");
  const std::string vpath = Member(path, "vulnerability");
  if (it == st.end()) return r.Fail(vpath, "required field is missing");
  if (!it->is_object()) {
    return r.Fail(vpath, "expected an object with a name, got " + JsonReader::Describe(*it));
  }
  VIGIL_ASSIGN_OR_RETURN(s.vulnerability, r.ReqString(*it, "name", vpath));
  VIGIL_ASSIGN_OR_RETURN(s.aliases, r.OptStrings(*it, "aliases", vpath));
  return OkStatus();
}

Result<VexStatement> ParseStatement(const JsonReader& r, const json& st, const std::string& path,
                                    const JsonReader::Time& doc_time) {
  VIGIL_RETURN_IF_ERROR(r.ExpectObject(st, path));
  VexStatement s;
  s.trace = r.source() + ": " + path;
  VIGIL_RETURN_IF_ERROR(ParseVulnerability(r, st, path, s));
  VIGIL_ASSIGN_OR_RETURN(s.products, ParseProducts(r, st, path));
  VIGIL_ASSIGN_OR_RETURN(std::string status, r.ReqString(st, "status", path));
  VIGIL_ASSIGN_OR_RETURN(s.status, ParseStatus(r, status, Member(path, "status")));
  VIGIL_ASSIGN_OR_RETURN(s.justification, r.OptString(st, "justification", path));
  if (!s.justification.empty() && !IsCanonicalJustification(s.justification)) {
    return r.Fail(Member(path, "justification"),
                  "expected one of component_not_present, vulnerable_code_not_present, "
                  "vulnerable_code_not_in_execute_path, "
                  "vulnerable_code_cannot_be_controlled_by_adversary, "
                  "inline_mitigations_already_exist, got '" +
                      s.justification + "'");
  }
  VIGIL_ASSIGN_OR_RETURN(s.impact_statement, r.OptString(st, "impact_statement", path));
  VIGIL_ASSIGN_OR_RETURN(s.action_statement, r.OptString(st, "action_statement", path));
  // The statement's time: last_updated, else timestamp, else the document's (inheritance).
  VIGIL_ASSIGN_OR_RETURN(JsonReader::Time ts, r.OptTime(st, "timestamp", path));
  VIGIL_ASSIGN_OR_RETURN(JsonReader::Time updated, r.OptTime(st, "last_updated", path));
  const JsonReader::Time& t = !updated.text.empty() ? updated : !ts.text.empty() ? ts : doc_time;
  s.timestamp = t.text;
  s.time = t.seconds;
  return s;
}

}  // namespace

Result<VexDocument> ReadOpenVex(std::string_view text, std::string_view source) {
  JsonReader r(source);
  VIGIL_ASSIGN_OR_RETURN(json root, r.ParseRoot(text));
  VIGIL_ASSIGN_OR_RETURN(std::string context, r.ReqString(root, "@context", ""));
  if (context.rfind("https://openvex.dev/ns", 0) != 0) {
    return r.Fail("@context", "expected https://openvex.dev/ns/v0.2.0, got '" + context + "'");
  }
  VexDocument doc;
  doc.format = VexFormat::kOpenVex;
  doc.source = std::string(source);
  VIGIL_ASSIGN_OR_RETURN(doc.id, r.ReqString(root, "@id", ""));
  VIGIL_ASSIGN_OR_RETURN(doc.author, r.ReqString(root, "author", ""));
  if (!root.contains("timestamp")) return r.Fail("timestamp", "required field is missing");
  VIGIL_ASSIGN_OR_RETURN(JsonReader::Time ts, r.OptTime(root, "timestamp", ""));
  VIGIL_ASSIGN_OR_RETURN(JsonReader::Time updated, r.OptTime(root, "last_updated", ""));
  doc.timestamp = ts.text;
  auto version = root.find("version");
  if (version == root.end() || !version->is_number_integer()) {
    return r.Fail("version", "expected an integer document version");
  }
  VIGIL_ASSIGN_OR_RETURN(const json* statements, r.OptArray(root, "statements", ""));
  if (statements == nullptr) return r.Fail("statements", "required field is missing");
  const JsonReader::Time& doc_time = updated.text.empty() ? ts : updated;
  for (size_t i = 0; i < statements->size(); ++i) {
    VIGIL_ASSIGN_OR_RETURN(
        VexStatement s, ParseStatement(r, (*statements)[i], Index("", "statements", i), doc_time));
    doc.statements.push_back(std::move(s));
  }
  return doc;
}

}  // namespace vigil::vuln
