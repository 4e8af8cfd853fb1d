// OSV advisories in YAML (the PyPI advisory database writes them so) are turned into JSON and
// read by the one OSV reader. Scalars stay strings: a plain "1.10" in a `versions` list is the
// version 1.10, not the float 1.1, so YAML's type guessing is deliberately not applied.
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "vigil/core/encoding.h"
#include "vigil/vuln/feeds.h"

namespace vigil::vuln {
namespace {

constexpr int kMaxDepth = 64;  // OSV nests 5 deep; deeper input is hostile

nlohmann::json ScalarToJson(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "?") {  // plain (unquoted) scalar
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    if (s == "null" || s == "Null" || s == "NULL" || s == "~") return nullptr;
  }
  return s;
}

Result<nlohmann::json> ToJson(const YAML::Node& node, std::string_view source, int depth) {
  if (depth > kMaxDepth) {
    return InvalidArgumentError(std::string(source) + ": nesting deeper than " +
                                std::to_string(kMaxDepth) + " levels");
  }
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nlohmann::json(nullptr);
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    case YAML::NodeType::Sequence: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& item : node) {
        VIGIL_ASSIGN_OR_RETURN(nlohmann::json v, ToJson(item, source, depth + 1));
        arr.push_back(std::move(v));
      }
      return arr;
    }
    case YAML::NodeType::Map: {
      nlohmann::json obj = nlohmann::json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          return InvalidArgumentError(std::string(source) + ": line " +
                                      std::to_string(kv.first.Mark().line + 1) +
                                      ": expected a scalar mapping key");
        }
        VIGIL_ASSIGN_OR_RETURN(nlohmann::json v, ToJson(kv.second, source, depth + 1));
        obj[kv.first.Scalar()] = std::move(v);
      }
      return obj;
    }
  }
  return nlohmann::json(nullptr);
}

}  // namespace

Result<std::string> OsvYamlToJson(std::string_view yaml, std::string_view source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(std::string(source) + ": line " + std::to_string(e.mark.line + 1) +
                                ", column " + std::to_string(e.mark.column + 1) +
                                ": malformed YAML: " + OneLine(e.msg));
  }
  try {
    VIGIL_ASSIGN_OR_RETURN(nlohmann::json json, ToJson(root, source, 0));
    if (!json.is_object()) {
      return InvalidArgumentError(std::string(source) + ": $: expected a mapping (one advisory)");
    }
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(std::string(source) + ": malformed YAML: " + OneLine(e.msg));
  }
}

}  // namespace vigil::vuln
