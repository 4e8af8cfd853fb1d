// Role-based, deny-by-default authorization (FDA AUTHZ, MDS2 PAUT/EMRG).
//
// A policy file (JSON, or YAML with the same structure) grants permissions — names of device
// functions such as "therapy.start" or "service.firmware_update" — to roles:
//
//   {"version": 1,
//    "roles": {"clinician": ["therapy.start", "therapy.stop", "therapy.configure"],
//              "administrator": ["account.*", "audit.export"], ...},
//    "break_glass": {"permissions": ["therapy.start", "therapy.stop"], "max_minutes": 30}}
//
// Role names are the audit role codes ("patient", "clinician", "service-technician",
// "administrator", "manufacturer-service"). A permission is lower-case dotted words
// ([a-z0-9_]+ separated by '.'); "prefix.*" grants every permission under the prefix. Anything
// not granted is denied, including unknown roles and permissions.
//
// Least privilege is checked on load (FDA AUTHZ-5): the policy is refused if it grants the
// patient role any service, configuration, drug-library, account, audit, key or device-lifecycle
// function, or gives break-glass sessions anything outside therapy and monitoring functions, or
// lets a break-glass session run longer than 240 minutes.
//
// Input is bounded: a policy file over Policy::kMaxFileBytes (1 MiB; real policies are a few
// KB) is refused with a one-line ResourceExhausted before it is read, and YAML is read through
// vigil/core/yaml_to_json.h, which refuses anchors, aliases and merge keys (a 1 KB "billion
// laughs" file would otherwise expand to gigabytes), more than one document and nesting deeper
// than 8 levels. Loading a policy within the limit costs at most a few tens of MiB.
//
// Every decision (allow and deny) is recorded as an access.decision audit event.
//
// Thread-safety: a Policy is immutable; AccessControl::Decide is thread-safe if the sink is.
#ifndef VIGIL_ACCESS_POLICY_H_
#define VIGIL_ACCESS_POLICY_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/audit/event.h"
#include "vigil/audit/event_sink.h"
#include "vigil/core/env.h"

namespace vigil::access {

class Policy {
 public:
  // The largest policy text accepted, in bytes (JSON or YAML).
  static constexpr uint64_t kMaxFileBytes = uint64_t{1} << 20;

  // Parses and validates; InvalidArgument naming the file (`source`), the field path
  // (e.g. "roles.patient[2]") and what was expected, or for YAML the line and column of a
  // refused construct (alias, anchor, merge key, second document, deep nesting, duplicate key);
  // ResourceExhausted when `text` is longer than kMaxFileBytes.
  static Result<Policy> ParseJson(std::string_view text, std::string_view source);
  static Result<Policy> ParseYaml(std::string_view text, std::string_view source);
  // Reads `path` through Env::ReadFileLimited (a larger file is refused unread:
  // ResourceExhausted "PATH: N bytes, over the 1 MiB limit for an access policy"); YAML when
  // it ends in .yaml/.yml, JSON otherwise. NotFound when the file does not exist.
  static Result<Policy> Load(Env& env, const std::string& path);

  // Whether `role` (normal session) holds `permission`.
  bool Allows(audit::Role role, std::string_view permission) const;
  // Whether a break-glass session holds `permission` (its own narrow list, whatever the role).
  bool AllowsBreakGlass(std::string_view permission) const;
  int break_glass_max_minutes() const { return break_glass_max_minutes_; }
  const std::vector<std::string>& break_glass_grants() const { return break_glass_; }
  const std::vector<std::string>& Grants(audit::Role role) const;

 private:
  Policy() = default;
  friend class PolicyBuilder;  // policy.cc: builds a Policy from a validated document
  std::map<audit::Role, std::vector<std::string>> grants_;
  std::vector<std::string> break_glass_;
  int break_glass_max_minutes_ = 30;
};

// Whether `name` is a well-formed permission name (optionally ending in ".*" when
// `allow_wildcard`).
bool IsPermissionName(std::string_view name, bool allow_wildcard);

struct Subject {
  std::string actor_id;
  audit::Role role = audit::Role::kNone;
  bool break_glass = false;  // an emergency session: only the break-glass grants apply
  audit::Interface interface = audit::Interface::kLocalUi;
};

struct Decision {
  bool allowed = false;
  std::string reason;    // why, for the audit record and the user
  bool recorded = true;  // false: the audit log refused the access.decision event
};

class AccessControl {
 public:
  // `essential` names the permissions of the device's essential performance (an infusion pump:
  // starting, stopping and watching therapy): their decisions stand when the audit log cannot
  // record them, so that a full log disk never stops therapy (FDA premarket guidance RES-1/3;
  // an attacker who can fill the log must not thereby deny care). Exact names, no wildcards.
  AccessControl(Policy policy, audit::EventSink& sink, std::string device_id,
                std::vector<std::string> essential = {})
      : policy_(std::move(policy)),
        sink_(sink),
        device_id_(std::move(device_id)),
        essential_(std::move(essential)) {}
  // Decides and records the decision. If the decision cannot be audited the result is a
  // denial (fail closed) with the audit error as reason, except for an essential permission,
  // whose decision stands with `recorded` false and the audit error added to the reason (the
  // caller raises the alert).
  Decision Decide(const Subject& who, std::string_view permission);
  const Policy& policy() const { return policy_; }

 private:
  Policy policy_;
  audit::EventSink& sink_;
  std::string device_id_;
  std::vector<std::string> essential_;
};

}  // namespace vigil::access

#endif  // VIGIL_ACCESS_POLICY_H_
