// The access policy reader on arbitrary bytes; the first byte picks JSON or YAML. Never crashes;
// an error is one line naming the source; an accepted policy keeps the least-privilege promises
// policy.h makes (checked through the public API, on permissions the policy must never grant).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/access/policy.h"

namespace {

using vigil::access::Policy;
using vigil::audit::Role;

void CheckAccepted(const Policy& p) {
  // Whatever the grants say (wildcards included), a patient never reaches these.
  for (const char* forbidden :
       {"service.login", "therapy.configure", "drug_library.update", "account.create",
        "audit.export", "key.rotate", "device.decommission", "config.set", "update.install"}) {
    if (p.Allows(Role::kPatient, forbidden)) __builtin_trap();
  }
  for (const std::string& g : p.break_glass_grants()) {
    if (!vigil::access::IsPermissionName(g, false) || !p.AllowsBreakGlass(g)) __builtin_trap();
  }
  if (p.AllowsBreakGlass("service.login") || p.AllowsBreakGlass("therapy.configure")) {
    __builtin_trap();
  }
  if (p.break_glass_max_minutes() < 1 || p.break_glass_max_minutes() > 240) __builtin_trap();
  for (Role r : {Role::kPatient, Role::kClinician, Role::kServiceTechnician, Role::kAdministrator,
                 Role::kManufacturerService}) {
    for (const std::string& g : p.Grants(r)) {
      if (!vigil::access::IsPermissionName(g, true)) __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool yaml = data[0] & 1;
  const std::string source = yaml ? "fuzz.yaml" : "fuzz.json";
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto p = yaml ? Policy::ParseYaml(text, source) : Policy::ParseJson(text, source);
  if (!p) {
    const std::string& m = p.error().message();
    if (m.rfind(source, 0) != 0 || m.find('\n') != std::string::npos) __builtin_trap();
    return 0;
  }
  CheckAccepted(*p);
  return 0;
}
