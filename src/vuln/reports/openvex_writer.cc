// OpenVEX 0.2.0 writer.
#include <nlohmann/json.hpp>

#include "vigil/sbom/cpe.h"
#include "vigil/sbom/purl.h"
#include "vigil/vuln/scan_report.h"
#include "vigil/vuln/vex.h"
#include "internal/report_parts.h"

namespace vigil::vuln {
namespace {

using nlohmann::ordered_json;

// Percent-encodes everything but letters, digits and ".-_@".
std::string UrnEncode(const std::string& text) { return internal::PercentEncode(text, ".-_@"); }

// A component struct: @id (the versioned purl, else CPE, else a Vigil URN) and identifiers.
// The purl carries the component's version: a consumer matching statements by @id must not
// apply one about wolfSSL 4.8.1 to every wolfSSL.
ordered_json ComponentJson(const std::string& name, const std::string& version,
                           const std::string& purl_text, const std::string& cpe_text) {
  ordered_json c;
  ordered_json ids;
  const std::string purl = internal::VersionedPurl(purl_text, version);
  auto cpe = sbom::Cpe::Parse(cpe_text);
  if (!purl.empty()) ids["purl"] = purl;
  if (cpe) ids["cpe23"] = cpe->ToString();
  if (!purl.empty()) {
    c["@id"] = purl;
  } else if (cpe) {
    c["@id"] = cpe->ToString();
  } else {
    // Neither identifier: a URN naming the component, so the statement still has a product.
    c["@id"] = "urn:vigil:component:" + UrnEncode(name + "@" + version);
  }
  if (!ids.empty()) c["identifiers"] = ids;
  return c;
}

std::string ActionStatement(const Finding& f) {
  if (!f.vex_detail.empty()) return f.vex_detail;
  return internal::Recommendation(f);
}

ordered_json Statement(const Finding& f, const ReportContext& ctx) {
  ordered_json s;
  ordered_json v = {{"name", f.advisory_id}};
  if (!f.summary.empty()) v["description"] = f.summary;
  if (!f.aliases.empty()) v["aliases"] = f.aliases;
  s["vulnerability"] = v;
  ordered_json component =
      ComponentJson(f.component_name, f.component_version, f.component_purl, f.component_cpe);
  // The product is named only when a reader can recognise it (a purl or CPE): a statement
  // scoped to an unrecognisable product would decide nothing when read back.
  const bool named_product =
      ctx.product != nullptr && (sbom::PackageUrl::Parse(ctx.product->purl_text).has_value() ||
                                 sbom::Cpe::Parse(ctx.product->cpe_text).has_value());
  if (named_product) {
    const sbom::Component& p = *ctx.product;
    ordered_json product = ComponentJson(p.name, p.version, p.purl_text, p.cpe_text);
    product["subcomponents"] = ordered_json::array({component});
    s["products"] = ordered_json::array({product});
  } else {
    s["products"] = ordered_json::array({component});
  }
  switch (f.vex_status) {
    case VexStatus::kNotAffected:
      s["status"] = "not_affected";
      if (IsCanonicalJustification(f.vex_justification)) {
        s["justification"] = f.vex_justification;
        if (!f.vex_detail.empty()) s["impact_statement"] = f.vex_detail;
      } else {
        // OpenVEX needs a justification label or an impact statement.
        s["impact_statement"] =
            (f.vex_justification == "false_positive" ? "False positive: " : "") +
            (f.vex_detail.empty() ? std::string("the match does not apply") : f.vex_detail);
      }
      break;
    case VexStatus::kAffected:
      s["status"] = "affected";
      s["action_statement"] = ActionStatement(f);
      break;
    case VexStatus::kFixed:
      s["status"] = "fixed";
      break;
    case VexStatus::kUnderInvestigation:
    case VexStatus::kNone:
      s["status"] = "under_investigation";
      break;
  }
  if (!f.vex_trace.empty()) {
    s["status_notes"] = "Decided by " + f.vex_trace;
  } else if (f.unassessed) {
    s["status_notes"] = f.match_reason;
  }
  return s;
}

}  // namespace

std::string WriteOpenVex(std::span<const Finding> findings, const ReportContext& ctx) {
  ordered_json doc;
  doc["@context"] = "https://openvex.dev/ns/v0.2.0";
  doc["@id"] = ctx.document_id;
  doc["author"] = ctx.author;
  doc["role"] = "Document Creator";
  doc["timestamp"] = ctx.timestamp;
  doc["version"] = 1;
  doc["tooling"] = "Vigil " + ctx.tool_version;
  ordered_json statements = ordered_json::array();
  for (const Finding& f : findings) statements.push_back(Statement(f, ctx));
  doc["statements"] = statements;
  return doc.dump(2) + "\n";
}

}  // namespace vigil::vuln
