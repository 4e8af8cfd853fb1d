// OSV reader on arbitrary bytes: the first byte picks JSON or YAML (through OsvYamlToJson).
// Errors must be one line naming the source; successes must have an id and keep every range's
// JSON path.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/vuln/feeds.h"

namespace {

// "SOURCE: …", or "SOURCE:LINE:COLUMN: …" for YAML errors (vigil/core/yaml_to_json.h).
void CheckError(const vigil::Error& e, std::string_view source) {
  const std::string& m = e.message();
  if (m.rfind(std::string(source) + ":", 0) != 0 || m.find('\n') != std::string::npos) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string json(text);
  if (data[0] & 1) {
    auto converted = vigil::vuln::OsvYamlToJson(text, "fuzz.yaml");
    if (!converted) {
      CheckError(converted.error(), "fuzz.yaml");
      return 0;
    }
    json = *converted;
  }
  auto adv = vigil::vuln::ParseOsvJson(json, "fuzz.json");
  if (!adv) {
    CheckError(adv.error(), "fuzz.json");
    return 0;
  }
  if (adv->id.empty()) __builtin_trap();
  for (const auto& a : adv->affected) {
    for (const auto& r : a.ranges) {
      if (r.path.rfind(a.path + ".ranges[", 0) != 0 || r.events.empty()) __builtin_trap();
    }
  }
  return 0;
}
