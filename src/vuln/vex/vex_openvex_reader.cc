// OpenVEX 0.2.0 reader.
#include <utility>

#include "internal/vex_json.h"
#include "internal/vex_product.h"
#include "vigil/vuln/vex.h"

namespace vigil::vuln {
namespace {

// The VEX readers' JSON helpers (internal/vex_json.h): OptString, ReqString, OptTime, ...
using namespace internal;  // NOLINT(google-build-using-namespace)
using json::Node;

Result<VexStatus> ParseStatus(const Node& at, const std::string& text) {
  if (text == "not_affected") return VexStatus::kNotAffected;
  if (text == "affected") return VexStatus::kAffected;
  if (text == "fixed") return VexStatus::kFixed;
  if (text == "under_investigation") return VexStatus::kUnderInvestigation;
  return at.Invalid("expected one of not_affected, affected, fixed, under_investigation, got '" +
                    text + "'");
}

// A product or subcomponent: @id and identifiers (purl, cpe23; cpe22 is kept as a ref).
Result<VexProductId> ParseComponent(const Node& e) {
  VIGIL_RETURN_IF_ERROR(e.ExpectObject());
  VexProductId id;
  VIGIL_ASSIGN_OR_RETURN(id.ref, OptString(e, "@id"));
  VIGIL_RETURN_IF_ERROR(internal::SetIdentifier(e.Get("@id"), id.ref, id));
  VIGIL_ASSIGN_OR_RETURN(Node ids, OptObject(e, "identifiers"));
  if (ids.present()) {
    VIGIL_ASSIGN_OR_RETURN(std::string purl, OptString(ids, "purl"));
    VIGIL_ASSIGN_OR_RETURN(std::string cpe, OptString(ids, "cpe23"));
    if (!purl.empty() && purl.rfind("pkg:", 0) != 0) {
      return ids.Get("purl").Invalid("expected a purl (pkg:…), got '" + purl + "'");
    }
    if (!cpe.empty() && cpe.rfind("cpe:2.3:", 0) != 0) {
      return ids.Get("cpe23").Invalid("expected a CPE 2.3 name, got '" + cpe + "'");
    }
    VIGIL_RETURN_IF_ERROR(internal::SetIdentifier(ids.Get("purl"), purl, id));
    VIGIL_RETURN_IF_ERROR(internal::SetIdentifier(ids.Get("cpe23"), cpe, id));
  }
  if (id.ref.empty() && !id.purl && !id.cpe) {
    return e.Invalid("expected an @id or identifiers naming the product");
  }
  return id;
}

Result<std::vector<VexProduct>> ParseProducts(const Node& st) {
  VIGIL_ASSIGN_OR_RETURN(Node products, OptArray(st, "products"));
  if (products.size() == 0) return products.Invalid("a statement must name at least one product");
  std::vector<VexProduct> out;
  Status each = products.ForEachElement([&](const Node& e) -> Status {
    VexProduct p;
    VIGIL_ASSIGN_OR_RETURN(p.id, ParseComponent(e));
    VIGIL_ASSIGN_OR_RETURN(Node subs, OptArray(e, "subcomponents"));
    if (subs.present()) {
      Status subs_ok = subs.ForEachElement([&](const Node& sub) -> Status {
        VIGIL_ASSIGN_OR_RETURN(p.subcomponents.emplace_back(), ParseComponent(sub));
        return OkStatus();
      });
      VIGIL_RETURN_IF_ERROR(subs_ok);
    }
    out.push_back(std::move(p));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return out;
}

Status ParseVulnerability(const Node& st, VexStatement& s) {
  Node v = st.Get("vulnerability");
  if (v.present() && !v.value().is_object()) return v.Mismatch("an object with a name");
  VIGIL_RETURN_IF_ERROR(v.ExpectObject());  // when missing
  VIGIL_ASSIGN_OR_RETURN(s.vulnerability, ReqString(v, "name"));
  VIGIL_ASSIGN_OR_RETURN(s.aliases, OptStrings(v, "aliases"));
  return OkStatus();
}

Result<VexStatement> ParseStatement(const Node& st, const Time& doc_time) {
  VIGIL_RETURN_IF_ERROR(st.ExpectObject());
  VexStatement s;
  s.trace = st.name() + ": " + st.path();
  VIGIL_RETURN_IF_ERROR(ParseVulnerability(st, s));
  VIGIL_ASSIGN_OR_RETURN(s.products, ParseProducts(st));
  VIGIL_ASSIGN_OR_RETURN(std::string status, ReqString(st, "status"));
  VIGIL_ASSIGN_OR_RETURN(s.status, ParseStatus(st.Get("status"), status));
  VIGIL_ASSIGN_OR_RETURN(s.justification, OptString(st, "justification"));
  if (!s.justification.empty() && !IsCanonicalJustification(s.justification)) {
    return st.Get("justification")
        .Invalid(
            "expected one of component_not_present, vulnerable_code_not_present, "
            "vulnerable_code_not_in_execute_path, "
            "vulnerable_code_cannot_be_controlled_by_adversary, "
            "inline_mitigations_already_exist, got '" +
            s.justification + "'");
  }
  VIGIL_ASSIGN_OR_RETURN(s.impact_statement, OptString(st, "impact_statement"));
  VIGIL_ASSIGN_OR_RETURN(s.action_statement, OptString(st, "action_statement"));
  // The statement's time: last_updated, else timestamp, else the document's (inheritance).
  VIGIL_ASSIGN_OR_RETURN(Time ts, OptTime(st, "timestamp"));
  VIGIL_ASSIGN_OR_RETURN(Time updated, OptTime(st, "last_updated"));
  const Time& t = !updated.text.empty() ? updated : !ts.text.empty() ? ts : doc_time;
  s.timestamp = t.text;
  s.time = t.seconds;
  return s;
}

}  // namespace

Result<VexDocument> ReadOpenVex(std::string_view text, std::string_view source) {
  VIGIL_ASSIGN_OR_RETURN(json::Value value, internal::ParseVexRoot(text, source));
  Node root(value, source);
  VIGIL_ASSIGN_OR_RETURN(std::string context, ReqString(root, "@context"));
  if (context.rfind("https://openvex.dev/ns", 0) != 0) {
    return root.Get("@context")
        .Invalid("expected https://openvex.dev/ns/v0.2.0, got '" + context + "'");
  }
  VexDocument doc;
  doc.format = VexFormat::kOpenVex;
  doc.source = std::string(source);
  VIGIL_ASSIGN_OR_RETURN(doc.id, ReqString(root, "@id"));
  VIGIL_ASSIGN_OR_RETURN(doc.author, ReqString(root, "author"));
  if (auto t = root.Get("timestamp").StringView(); !t) return t.error();
  VIGIL_ASSIGN_OR_RETURN(Time ts, OptTime(root, "timestamp"));
  VIGIL_ASSIGN_OR_RETURN(Time updated, OptTime(root, "last_updated"));
  doc.timestamp = ts.text;
  if (!root.Get("version").Int()) {
    return root.Get("version").Invalid("expected an integer document version");
  }
  Node statements = root.Get("statements");
  VIGIL_RETURN_IF_ERROR(statements.ExpectArray());
  const Time& doc_time = updated.text.empty() ? ts : updated;
  Status each = statements.ForEachElement([&](const Node& st) -> Status {
    VIGIL_ASSIGN_OR_RETURN(VexStatement s, ParseStatement(st, doc_time));
    doc.statements.push_back(std::move(s));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return doc;
}

}  // namespace vigil::vuln
