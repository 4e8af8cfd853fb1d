// OSV advisories in YAML (the PyPI advisory database writes them so) are turned into JSON by the
// one YAML reader (vigil/core/yaml_to_json.h) and read by the one OSV reader. Scalars stay
// strings: a plain "1.10" in a `versions` list is the version 1.10, not the float 1.1, so YAML's
// type guessing is deliberately not applied.
#include "vigil/core/yaml_to_json.h"
#include "vigil/vuln/feeds.h"

namespace vigil::vuln {
namespace {

// The largest PyPI advisory is 17 KB; 8 MiB leaves room for any real advisory and keeps a
// hostile one from costing more than a few tens of MiB. OSV nests 5 deep.
constexpr YamlLimits kOsvYamlLimits{.max_bytes = 8u << 20, .max_depth = 64};

}  // namespace

Result<std::string> OsvYamlToJson(std::string_view yaml, std::string_view source) {
  VIGIL_ASSIGN_OR_RETURN(std::string json,
                         YamlToJson(yaml, source, YamlScalars::kStrings, kOsvYamlLimits));
  if (json.empty() || json.front() != '{') {
    return InvalidArgumentError(std::string(source) + ": $: expected a mapping (one advisory)");
  }
  return json;
}

}  // namespace vigil::vuln
