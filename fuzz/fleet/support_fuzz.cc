// fleet::ParseComponentSupport on arbitrary bytes (JSON or YAML): never crashes; a refusal is one
// line starting with the source name, InvalidArgument or (over the limit) ResourceExhausted; an
// accepted entry has a name, at least one date, and its EoGS no later than its EoS.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/fleet/support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = vigil::fleet::ParseComponentSupport(text, "support.yaml");
  if (!r) {
    const std::string& m = r.error().message();
    const auto code = r.error().code();
    if (code != vigil::ErrorCode::kInvalidArgument &&
        code != vigil::ErrorCode::kResourceExhausted) {
      __builtin_trap();
    }
    if (m.find('\n') != std::string::npos || m.rfind("support.yaml", 0) != 0) __builtin_trap();
    return 0;
  }
  for (const vigil::fleet::ComponentSupport& c : *r) {
    if (c.name.empty()) __builtin_trap();
    if (c.end_of_guaranteed_support.empty() && c.end_of_support.empty()) __builtin_trap();
    if (!c.end_of_guaranteed_support.empty() && !c.end_of_support.empty() &&
        c.end_of_guaranteed_support > c.end_of_support) {
      __builtin_trap();
    }
  }
  return 0;
}
