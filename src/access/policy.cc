#include "vigil/access/policy.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "vigil/core/encoding.h"
#include "vigil/core/yaml_to_json.h"

namespace vigil::access {
namespace {

using nlohmann::json;

constexpr std::array<audit::Role, 5> kPolicyRoles = {
    audit::Role::kPatient, audit::Role::kClinician, audit::Role::kServiceTechnician,
    audit::Role::kAdministrator, audit::Role::kManufacturerService};

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

// `where` may hold a key from the file (an unknown field or role): OneLine keeps a key with a
// line break or a control character from splitting the message.
Result<Policy> Invalid(std::string_view source, const std::string& where, const std::string& what) {
  return InvalidArgumentError(std::string(source) + ": " + OneLine(where) + ": " + what);
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

static Result<Policy> FromJson(const json& j, std::string_view source);

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
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Invalid(source, "(document)", "not valid JSON");
  return FromJson(j, source);
}

Result<Policy> Policy::ParseYaml(std::string_view text, std::string_view source) {
  // "version: 1" and "max_minutes: 30" must read as the numbers they are in JSON.
  VIGIL_ASSIGN_OR_RETURN(
      std::string json_text,
      YamlToJson(text, source, YamlScalars::kIntegersAsNumbers,
                 YamlLimits{.max_bytes = kMaxFileBytes, .max_depth = kMaxYamlDepth}));
  // Not ParseJson: its size limit is for what the user wrote, and the JSON of a YAML policy
  // under the limit can be a little over it. YamlToJson only writes valid JSON.
  return FromJson(json::parse(json_text), source);
}

Result<Policy> Policy::Load(Env& env, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(Bytes data, env.ReadFileLimited(path, kMaxFileBytes, "an access policy"));
  std::string_view text = AsStringView(data);
  if (path.ends_with(".yaml") || path.ends_with(".yml")) return ParseYaml(text, path);
  return ParseJson(text, path);
}

// Validates the document (JSON, or YAML converted to JSON) and builds the policy.
static Result<Policy> FromJson(const json& j, std::string_view source) {
  if (!j.is_object()) return Invalid(source, "(document)", "expected an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() != "version" && it.key() != "roles" && it.key() != "break_glass") {
      return Invalid(source, it.key(), "unknown field (expected version, roles, break_glass)");
    }
  }
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"] != 1) {
    return Invalid(source, "version", "expected 1");
  }
  if (!j.contains("roles") || !j["roles"].is_object()) {
    return Invalid(source, "roles", "expected an object mapping role names to permission lists");
  }
  std::map<audit::Role, std::vector<std::string>> grants;
  for (auto it = j["roles"].begin(); it != j["roles"].end(); ++it) {
    const std::string where = "roles." + it.key();
    auto role = audit::ParseRoleCode(it.key());
    if (!role || std::find(kPolicyRoles.begin(), kPolicyRoles.end(), *role) == kPolicyRoles.end()) {
      return Invalid(source, where,
                     "unknown role (expected patient, clinician, service-technician, "
                     "administrator or manufacturer-service)");
    }
    if (!it.value().is_array()) return Invalid(source, where, "expected a list of permissions");
    std::vector<std::string> list;
    for (size_t i = 0; i < it.value().size(); ++i) {
      const json& e = it.value()[i];
      std::string at = where + "[" + std::to_string(i) + "]";
      if (!e.is_string() || !IsPermissionName(e.get<std::string>(), true)) {
        return Invalid(source, at,
                       "expected a permission name like \"therapy.start\" or \"therapy.*\"");
      }
      std::string perm = e.get<std::string>();
      if (*role == audit::Role::kPatient) {
        for (auto forbidden : kNeverForPatients) {
          if (Reaches(perm, forbidden)) {
            return Invalid(source, at,
                           "\"" + perm + "\" would give the patient role " +
                               std::string(forbidden) +
                               " functions (least privilege, FDA AUTHZ-5: a patient credential "
                               "never grants service or dosing configuration)");
          }
        }
      }
      list.push_back(std::move(perm));
    }
    grants[*role] = std::move(list);
  }
  std::vector<std::string> bg;
  int bg_minutes = 30;
  if (j.contains("break_glass")) {
    const json& b = j["break_glass"];
    if (!b.is_object()) return Invalid(source, "break_glass", "expected an object");
    for (auto it = b.begin(); it != b.end(); ++it) {
      if (it.key() != "permissions" && it.key() != "max_minutes") {
        return Invalid(source, "break_glass." + it.key(),
                       "unknown field (expected permissions, max_minutes)");
      }
    }
    if (b.contains("max_minutes")) {
      if (!b["max_minutes"].is_number_integer() || b["max_minutes"] < 1 ||
          b["max_minutes"] > kBreakGlassCeilingMinutes) {
        return Invalid(
            source, "break_glass.max_minutes",
            "expected minutes between 1 and " + std::to_string(kBreakGlassCeilingMinutes));
      }
      bg_minutes = b["max_minutes"].get<int>();
    }
    if (b.contains("permissions")) {
      if (!b["permissions"].is_array()) {
        return Invalid(source, "break_glass.permissions", "expected a list of permissions");
      }
      for (size_t i = 0; i < b["permissions"].size(); ++i) {
        const json& e = b["permissions"][i];
        std::string at = "break_glass.permissions[" + std::to_string(i) + "]";
        if (!e.is_string() || !IsPermissionName(e.get<std::string>(), false)) {
          return Invalid(source, at, "expected an exact permission name (no wildcards)");
        }
        std::string perm = e.get<std::string>();
        bool in_scope = std::any_of(kBreakGlassScope.begin(), kBreakGlassScope.end(),
                                    [&](std::string_view s) { return Reaches(perm, s); });
        if (!in_scope) {
          return Invalid(source, at,
                         "\"" + perm +
                             "\" is outside what emergency access may do "
                             "(therapy.start, therapy.stop, monitor.*)");
        }
        bg.push_back(std::move(perm));
      }
    }
  }
  return PolicyBuilder::Make(std::move(grants), std::move(bg), bg_minutes);
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
    return Decision{false,
                    "denied: the decision could not be audited (" + s.error().message() + ")"};
  }
  return d;
}

}  // namespace vigil::access
