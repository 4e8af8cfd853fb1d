// `vigil access validate --policy F` and `vigil access check --policy F --role R --permission P
// [--break-glass]`: load and check an authorization policy, and ask what it grants (a policy
// evaluation for review; on the device, every decision goes through AccessControl and is
// audited).
#include <cstdio>
#include <memory>

#include "command.h"
#include "vigil/access/policy.h"
#include "vigil/audit/event.h"
#include "vigil/core/env.h"

namespace vigil::cli {
namespace {

struct AccessOptions {
  std::string policy, role, permission;
  bool break_glass = false;
};

// The roles an access policy grants permissions to.
constexpr audit::Role kPolicyRoles[] = {
    audit::Role::kPatient,       audit::Role::kClinician,           audit::Role::kServiceTechnician,
    audit::Role::kAdministrator, audit::Role::kManufacturerService, audit::Role::kReadOnly,
    audit::Role::kAnalyst};

bool IsPolicyRole(audit::Role role) {
  for (audit::Role r : kPolicyRoles) {
    if (r == role) return true;
  }
  return false;
}

int RunValidate(const AccessOptions& o) {
  auto p = access::Policy::Load(*Env::Default(), o.policy);
  if (!p) return ReportError("access validate", p.error());
  std::printf("%s: valid policy (deny by default; least privilege checked)\n", o.policy.c_str());
  for (audit::Role r : kPolicyRoles) {
    std::string list;
    for (const auto& g : p->Grants(r)) list += (list.empty() ? "" : ", ") + g;
    std::printf("  %-21s %s\n", std::string(audit::RoleCode(r)).c_str(),
                list.empty() ? "(nothing)" : list.c_str());
  }
  std::printf("  break-glass, %3d min  ", p->break_glass_max_minutes());
  std::string bg;
  for (const auto& g : p->break_glass_grants()) bg += (bg.empty() ? "" : ", ") + g;
  std::printf("%s\n", bg.empty() ? "(nothing)" : bg.c_str());
  return kExitOk;
}

int RunCheck(const AccessOptions& o) {
  auto p = access::Policy::Load(*Env::Default(), o.policy);
  if (!p) return ReportError("access check", p.error());
  auto role = audit::ParseRoleCode(o.role);
  if (!role) return ReportError("access check", role.error());
  // `none` and `system` are audit roles no policy grants anything to: asking about them is a
  // mistake, not a question whose answer is deny (or, with --break-glass, allow).
  if (!IsPolicyRole(*role)) {
    std::string known;
    for (audit::Role r : kPolicyRoles)
      known += (known.empty() ? "" : ", ") + std::string(audit::RoleCode(r));
    return ReportError("access check", InvalidArgumentError("--role " + o.role +
                                                            ": not a role a policy grants to; "
                                                            "expected one of " +
                                                            known));
  }
  bool allowed = o.break_glass ? p->AllowsBreakGlass(o.permission) : p->Allows(*role, o.permission);
  std::printf("%s: %s%s %s\n", allowed ? "ALLOW" : "DENY", o.role.c_str(),
              o.break_glass ? " (break-glass)" : "", o.permission.c_str());
  return allowed ? kExitOk : kExitFindings;
}

void Setup(CLI::App& app) {
  auto* access = app.add_subcommand("access", "Authorization policy (deny by default)");
  access->require_subcommand(1);
  auto o = std::make_shared<AccessOptions>();
  auto* v = access->add_subcommand("validate", "Load a policy and show what each role is granted");
  v->add_option("--policy", o->policy, "Policy file (JSON, or YAML by extension)")->required();
  v->callback([o] { SetExitCode(RunValidate(*o)); });
  auto* c =
      access->add_subcommand("check", "Whether a role holds a permission (exit 0 allow, 1 deny)");
  c->add_option("--policy", o->policy, "Policy file")->required();
  c->add_option("--role", o->role, "Role code, e.g. clinician")->required();
  c->add_option("--permission", o->permission, "Permission, e.g. therapy.start")->required();
  c->add_flag("--break-glass", o->break_glass, "Evaluate for an emergency session");
  c->callback([o] { SetExitCode(RunCheck(*o)); });
}

VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
