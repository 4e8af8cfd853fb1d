// YamlToJson on arbitrary bytes (the first byte picks the scalar mode): never crashes; an error
// is one line naming the source; a success is valid JSON whose size stays within a small
// constant of the input's (no alias, no expansion), and it is one JSON value.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "vigil/core/yaml_to_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto scalars =
      (data[0] & 1) ? vigil::YamlScalars::kIntegersAsNumbers : vigil::YamlScalars::kStrings;
  std::string_view yaml(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto json = vigil::YamlToJson(yaml, "fuzz.yaml", scalars, vigil::YamlLimits{});
  if (!json) {
    const std::string& m = json.error().message();
    if (m.rfind("fuzz.yaml", 0) != 0 || m.find('\n') != std::string::npos) __builtin_trap();
    return 0;
  }
  // {a,b} → {"a":null,"b":null} is the largest growth per input byte (4.5x).
  if (json->size() > 8 * yaml.size() + 16) __builtin_trap();
  if (!nlohmann::json::accept(*json)) __builtin_trap();
  return 0;
}
