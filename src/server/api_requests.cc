// Body parsers of the fleet server's API (api_requests.h), over core's JSON layer: every error
// names the request and the JSON path.
#include "vigil/server/api_requests.h"

#include "vigil/core/json.h"
#include "vigil/risk/decision.h"

namespace vigil::server {
namespace {

using json::Node;

// The body's root object with only the `allowed` members.
Result<Node> Root(const json::Value& doc, std::string_view source,
                  std::initializer_list<std::string_view> allowed) {
  Node root(doc, source);
  VIGIL_RETURN_IF_ERROR(root.ExpectObject());
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown(allowed));
  return root;
}

// A required, non-empty string member.
Result<std::string> Required(const Node& root, std::string_view key) {
  Node n = root.Get(key);
  VIGIL_ASSIGN_OR_RETURN(std::string s, n.String());
  if (s.empty()) return n.Invalid("must not be empty");
  return s;
}

// An optional string member: "" when absent.
Result<std::string> Optional(const Node& root, std::string_view key) {
  Node n = root.Get(key);
  if (!n.present()) return std::string();
  return n.String();
}

}  // namespace

Result<fleet::Product> ParseProductRequest(std::string_view body, std::string_view source) {
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, json::Parse(body, source));
  VIGIL_ASSIGN_OR_RETURN(Node root, Root(doc, source, {"name", "manufacturer"}));
  fleet::Product p;
  VIGIL_ASSIGN_OR_RETURN(p.name, Required(root, "name"));
  VIGIL_ASSIGN_OR_RETURN(p.manufacturer, Optional(root, "manufacturer"));
  return p;
}

Result<fleet::Release> ParseReleaseRequest(std::string_view body, std::string_view source) {
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, json::Parse(body, source));
  VIGIL_ASSIGN_OR_RETURN(Node root, Root(doc, source,
                                         {"product", "version", "sbom", "vex", "register_product",
                                          "register_release"}));
  fleet::Release r;
  VIGIL_ASSIGN_OR_RETURN(r.product, Required(root, "product"));
  VIGIL_ASSIGN_OR_RETURN(r.version, Required(root, "version"));
  VIGIL_ASSIGN_OR_RETURN(r.sbom, Optional(root, "sbom"));
  VIGIL_ASSIGN_OR_RETURN(r.vex, Optional(root, "vex"));
  VIGIL_ASSIGN_OR_RETURN(r.register_product, Optional(root, "register_product"));
  VIGIL_ASSIGN_OR_RETURN(r.register_release, Optional(root, "register_release"));
  return r;
}

Result<fleet::Device> ParseDeviceRequest(std::string_view body, std::string_view source) {
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, json::Parse(body, source));
  VIGIL_ASSIGN_OR_RETURN(Node root, Root(doc, source,
                                         {"serial", "product", "release", "log_key", "site",
                                          "customer", "support_end", "slot", "security_counter"}));
  fleet::Device d;
  VIGIL_ASSIGN_OR_RETURN(d.serial, Required(root, "serial"));
  VIGIL_ASSIGN_OR_RETURN(d.product, Required(root, "product"));
  VIGIL_ASSIGN_OR_RETURN(d.release, Required(root, "release"));
  VIGIL_ASSIGN_OR_RETURN(d.log_key, Required(root, "log_key"));
  VIGIL_ASSIGN_OR_RETURN(d.site, Optional(root, "site"));
  VIGIL_ASSIGN_OR_RETURN(d.customer, Optional(root, "customer"));
  VIGIL_ASSIGN_OR_RETURN(d.support_end, Optional(root, "support_end"));
  if (Node slot = root.Get("slot"); slot.present()) {
    VIGIL_ASSIGN_OR_RETURN(d.slot, slot.String());
    if (d.slot != "a" && d.slot != "b") return slot.Invalid("expected \"a\" or \"b\"");
  }
  if (Node counter = root.Get("security_counter"); counter.present()) {
    VIGIL_ASSIGN_OR_RETURN(d.security_counter, counter.UInt());
    if (d.security_counter > static_cast<uint64_t>(INT64_MAX)) {
      return counter.Invalid("over 2^63 - 1");
    }
  }
  return d;
}

Result<DecisionRequest> ParseDecisionRequest(std::string_view body, std::string_view source) {
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, json::Parse(body, source));
  VIGIL_ASSIGN_OR_RETURN(Node root, Root(doc, source,
                                         {"product", "vulnerability", "component", "release",
                                          "status", "reason", "justification", "action", "fixed_in",
                                          "harm", "cvss_vector", "compensating_control"}));
  DecisionRequest r;
  VIGIL_ASSIGN_OR_RETURN(r.key.product, Required(root, "product"));
  VIGIL_ASSIGN_OR_RETURN(r.key.vulnerability, Required(root, "vulnerability"));
  VIGIL_ASSIGN_OR_RETURN(r.key.component, Required(root, "component"));
  VIGIL_ASSIGN_OR_RETURN(r.release, Optional(root, "release"));
  Node status = root.Get("status");
  VIGIL_ASSIGN_OR_RETURN(std::string status_name, status.String());
  auto parsed = triage::ParseTriageStatus(status_name);
  if (!parsed) return status.Invalid("expected in_triage, not_affected, affected or fixed");
  triage::Decision& d = r.decision;
  d.status = *parsed;
  VIGIL_ASSIGN_OR_RETURN(d.reason, Required(root, "reason"));
  VIGIL_ASSIGN_OR_RETURN(d.justification, Optional(root, "justification"));
  VIGIL_ASSIGN_OR_RETURN(d.action, Optional(root, "action"));
  VIGIL_ASSIGN_OR_RETURN(d.fixed_in, Optional(root, "fixed_in"));
  VIGIL_ASSIGN_OR_RETURN(d.cvss_vector, Optional(root, "cvss_vector"));
  VIGIL_ASSIGN_OR_RETURN(d.compensating_control, Optional(root, "compensating_control"));
  if (Node harm = root.Get("harm"); harm.present()) {
    VIGIL_ASSIGN_OR_RETURN(std::string name, harm.String());
    d.harm = risk::ParseHarm(name);
    if (!d.harm) {
      return harm.Invalid("expected negligible, minor, serious, critical or catastrophic");
    }
  }
  return r;
}

}  // namespace vigil::server
