#include "vigil/access/policy.h"

#include <algorithm>
#include <array>
#include "vigil/core/encoding.h"
#include "vigil/core/json.h"
#include "vigil/core/yaml_document.h"
#include "vigil/core/yaml_to_json.h"

namespace vigil::access {
namespace {

using json::Node;

constexpr std::array<audit::Role, 7> kPolicyRoles = {
    audit::Role::kPatient,       audit::Role::kClinician,           audit::Role::kServiceTechnician,
    audit::Role::kAdministrator, audit::Role::kManufacturerService, audit::Role::kReadOnly,
    audit::Role::kAnalyst};

// Functions a patient credential must never reach (FDA AUTHZ-5: no service or dosing
// configuration), as permission prefixes.
constexpr std::array<std::string_view, 9> kNeverForPatients = {
    "service", "therapy.configure", "drug_library", "account", "audit", "key", "device", "config",
    "update"};
// What a break-glass session may be given: keeping therapy running and seeing the patient.
constexpr std::array<std::string_view, 3> kBreakGlassScope = {"therapy.start", "therapy.stop",
                                                              "monitor"};
constexpr int kBreakGlassCeilingMinutes = 240;
// A policy nests three levels (document, roles, lists); anything much deeper is not a policy.
constexpr int kMaxYamlDepth = 8;

// Whether permission (or wildcard) `p` reaches anything under `prefix`.
bool Reaches(std::string_view p, std::string_view prefix) {
  if (p == "*") return true;
  if (p.ends_with(".*")) {
    std::string_view base = p.substr(0, p.size() - 2);  // "therapy" for "therapy.*"
    return prefix == base || prefix.starts_with(std::string(base) + ".") ||
           base.starts_with(std::string(prefix) + ".");
  }
  return p == prefix || p.starts_with(std::string(prefix) + ".");
}

bool Matches(std::string_view grant, std::string_view permission) {
  if (grant.ends_with(".*")) {
    std::string_view base = grant.substr(0, grant.size() - 1);  // keeps the dot
    return permission.starts_with(base);
  }
  return grant == permission;
}

}  // namespace

bool IsPermissionName(std::string_view name, bool allow_wildcard) {
  if (name.empty() || name.size() > 96) return false;
  if (allow_wildcard && name.ends_with(".*")) name.remove_suffix(2);
  bool word = false;
  int words = 0;
  for (char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
      if (!word) ++words;
      word = true;
    } else if (c == '.' && word) {
      word = false;
    } else {
      return false;
    }
  }
  return word && words >= 1;
}

static Result<Policy> FromJson(std::string_view json_text, std::string_view source);
static Result<Policy> FromRoot(const Node& root);

class PolicyBuilder {
 public:
  static Policy Make(std::map<audit::Role, std::vector<std::string>> grants,
                     std::vector<std::string> break_glass, int max_minutes) {
    Policy p;
    p.grants_ = std::move(grants);
    p.break_glass_ = std::move(break_glass);
    p.break_glass_max_minutes_ = max_minutes;
    return p;
  }
};

Result<Policy> Policy::ParseJson(std::string_view text, std::string_view source) {
  if (text.size() > kMaxFileBytes) {
    return ResourceExhaustedError(std::string(source) + ": " + std::to_string(text.size()) +
                                  " bytes, over the " + HumanBytes(kMaxFileBytes) +
                                  " limit for an access policy");
  }
  return FromJson(text, source);
}

Result<Policy> Policy::ParseYaml(std::string_view text, std::string_view source) {
  // "version: 1" and "max_minutes: 30" must read as the numbers they are in JSON.
  // Not ParseJson: its size limit is for what the user wrote, and the JSON of a YAML policy
  // under the limit can be a little over it. Errors name the line: "FILE:LINE: FIELD: rule".
  VIGIL_ASSIGN_OR_RETURN(
      yaml::Document doc,
      yaml::Document::Parse(text, std::string(source), YamlScalars::kIntegersAsNumbers,
                            YamlLimits{.max_bytes = kMaxFileBytes, .max_depth = kMaxYamlDepth}));
  auto policy = FromRoot(doc.Root());
  if (!policy) return doc.Locate(policy.error());
  return policy;
}

Result<Policy> Policy::Load(Env& env, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(Bytes data, env.ReadFileLimited(path, kMaxFileBytes, "an access policy"));
  std::string_view text = AsStringView(data);
  if (path.ends_with(".yaml") || path.ends_with(".yml")) return ParseYaml(text, path);
  return ParseJson(text, path);
}

namespace {

// One role's list of permissions (wildcards allowed), checked against least privilege.
Result<std::vector<std::string>> ReadGrants(audit::Role role, const Node& list) {
  if (!list.value().is_array()) return list.Invalid("expected a list of permissions");
  std::vector<std::string> out;
  Status each = list.ForEachElement([&](const Node& e) -> Status {
    auto perm = e.String();
    if (!perm || !IsPermissionName(*perm, true)) {
      return e.Invalid("expected a permission name like \"therapy.start\" or \"therapy.*\"");
    }
    for (auto forbidden : kNeverForPatients) {
      if (role == audit::Role::kPatient && Reaches(*perm, forbidden)) {
        return e.Invalid("\"" + *perm + "\" would give the patient role " +
                         std::string(forbidden) +
                         " functions (least privilege, FDA AUTHZ-5: a patient credential never "
                         "grants service or dosing configuration)");
      }
    }
    out.push_back(*std::move(perm));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return out;
}

Result<std::map<audit::Role, std::vector<std::string>>> ReadRoles(const Node& roles) {
  if (!roles.present() || !roles.value().is_object()) {
    return roles.Invalid("expected an object mapping role names to permission lists");
  }
  std::map<audit::Role, std::vector<std::string>> grants;
  Status each = roles.ForEachMember([&](std::string_view name, const Node& list) -> Status {
    auto role = audit::ParseRoleCode(name);
    if (!role || std::find(kPolicyRoles.begin(), kPolicyRoles.end(), *role) == kPolicyRoles.end()) {
      return list.Invalid(
          "unknown role (expected patient, clinician, service-technician, administrator, "
          "manufacturer-service, read-only or analyst)");
    }
    VIGIL_ASSIGN_OR_RETURN(grants[*role], ReadGrants(*role, list));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return grants;
}

struct BreakGlass {
  std::vector<std::string> permissions;
  int max_minutes = 30;
};

// Emergency access: exact permissions within kBreakGlassScope, and how long a session lasts.
Result<BreakGlass> ReadBreakGlass(const Node& b) {
  BreakGlass out;
  if (!b.present()) return out;
  if (!b.value().is_object()) return b.Invalid("expected an object");
  VIGIL_RETURN_IF_ERROR(b.RefuseUnknown({"permissions", "max_minutes"}));
  if (Node minutes = b.Get("max_minutes"); minutes.present()) {
    auto m = minutes.Int();
    if (!m || *m < 1 || *m > kBreakGlassCeilingMinutes) {
      return minutes.Invalid("expected minutes between 1 and " +
                             std::to_string(kBreakGlassCeilingMinutes));
    }
    out.max_minutes = static_cast<int>(*m);
  }
  Node list = b.Get("permissions");
  if (!list.present()) return out;
  if (!list.value().is_array()) return list.Invalid("expected a list of permissions");
  Status each = list.ForEachElement([&](const Node& e) -> Status {
    auto perm = e.String();
    if (!perm || !IsPermissionName(*perm, false)) {
      return e.Invalid("expected an exact permission name (no wildcards)");
    }
    bool in_scope = std::any_of(kBreakGlassScope.begin(), kBreakGlassScope.end(),
                                [&](std::string_view s) { return Reaches(*perm, s); });
    if (!in_scope) {
      return e.Invalid("\"" + *perm +
                       "\" is outside what emergency access may do "
                       "(therapy.start, therapy.stop, monitor.*)");
    }
    out.permissions.push_back(*std::move(perm));
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return out;
}

}  // namespace

// Validates the document (JSON, or YAML converted to JSON) and builds the policy. Errors are
// the JSON layer's: "<source>: <JSON path>: <rule>" (YAML: "<source>:<line>: <field>: <rule>").
static Result<Policy> FromJson(std::string_view json_text, std::string_view source) {
  VIGIL_ASSIGN_OR_RETURN(json::Value doc, json::Parse(json_text, source));
  return FromRoot(Node(doc, source));
}

static Result<Policy> FromRoot(const Node& root) {
  if (!root.value().is_object()) return root.Invalid("expected an object");
  VIGIL_RETURN_IF_ERROR(root.RefuseUnknown({"version", "roles", "break_glass"}));
  if (auto version = root.Get("version").Int(); !version || *version != 1) {
    return root.Get("version").Invalid("expected 1");
  }
  VIGIL_ASSIGN_OR_RETURN(auto grants, ReadRoles(root.Get("roles")));
  VIGIL_ASSIGN_OR_RETURN(BreakGlass bg, ReadBreakGlass(root.Get("break_glass")));
  return PolicyBuilder::Make(std::move(grants), std::move(bg.permissions), bg.max_minutes);
}

bool Policy::Allows(audit::Role role, std::string_view permission) const {
  if (!IsPermissionName(permission, false)) return false;
  auto it = grants_.find(role);
  if (it == grants_.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const std::string& g) { return Matches(g, permission); });
}

bool Policy::AllowsBreakGlass(std::string_view permission) const {
  return std::find(break_glass_.begin(), break_glass_.end(), permission) != break_glass_.end();
}

const std::vector<std::string>& Policy::Grants(audit::Role role) const {
  static const std::vector<std::string> kNone;
  auto it = grants_.find(role);
  return it == grants_.end() ? kNone : it->second;
}

Decision AccessControl::Decide(const Subject& who, std::string_view permission) {
  Decision d;
  if (!IsPermissionName(permission, false)) {
    d.reason = "not a permission name";
  } else if (who.break_glass) {
    d.allowed = policy_.AllowsBreakGlass(permission);
    d.reason = d.allowed ? "granted to emergency (break-glass) sessions"
                         : "not granted to emergency (break-glass) sessions";
  } else {
    d.allowed = policy_.Allows(who.role, permission);
    d.reason = std::string(d.allowed ? "granted to role " : "not granted to role ") +
               std::string(audit::RoleCode(who.role)) + " (deny by default)";
    if (d.allowed) d.reason.erase(d.reason.find(" (deny by default)"));
  }
  audit::Event e;
  e.device_id = device_id_;
  e.actor_id = who.actor_id;
  e.actor_role = who.actor_id.empty() ? audit::Role::kNone : who.role;
  e.action = audit::Action::kAccessDecision;
  e.outcome = d.allowed ? audit::Outcome::kSuccess : audit::Outcome::kMinorFailure;
  e.purpose = who.break_glass ? audit::Purpose::kBreakGlass : audit::Purpose::kNone;
  e.reason = who.break_glass ? "emergency session" : "";
  e.interface = who.interface;
  if (IsPermissionName(permission, false)) e.object_ids.emplace_back(permission);
  if (Status s = sink_.Record(std::move(e)); !s) {
    const std::string why = "the decision could not be audited (" + s.error().message() + ")";
    if (std::find(essential_.begin(), essential_.end(), permission) == essential_.end()) {
      return Decision{false, "denied: " + why, false};
    }
    d.reason += "; " + why;
    d.recorded = false;
  }
  return d;
}

}  // namespace vigil::access
