#include "vigil/core/json_fields.h"

namespace vigil::json {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

std::string JsonFields::Describe(element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY:
      return "array";
    case simdjson::dom::element_type::OBJECT:
      return "object";
    case simdjson::dom::element_type::STRING:
      return "string";
    case simdjson::dom::element_type::BOOL:
      return "boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
    default:
      return "number";
  }
}

array JsonFields::EmptyArray() {
  static simdjson::dom::parser parser;
  static const array empty = [] {
    array a;
    auto err = parser.parse(simdjson::padded_string(std::string_view("[]"))).get(a);
    return err == simdjson::SUCCESS ? a : array();
  }();
  return empty;
}

Result<std::string> JsonFields::OptString(object obj, std::string_view key,
                                          const std::string& path) const {
  element e;
  if (obj[key].get(e) != simdjson::SUCCESS) return std::string();
  std::string_view s;
  if (e.get(s) != simdjson::SUCCESS) {
    return Fail(JoinPath(path, key), "expected a string, got " + Describe(e));
  }
  return std::string(s);
}

Result<std::string> JsonFields::ReqString(object obj, std::string_view key,
                                          const std::string& path) const {
  if (obj[key].error() != simdjson::SUCCESS) {
    return Fail(path.empty() ? "$" : path, "required field '" + std::string(key) + "' is missing");
  }
  return OptString(obj, key, path);
}

Result<object> JsonFields::AsObject(element e, const std::string& path) const {
  object obj;
  if (e.get(obj) != simdjson::SUCCESS) return Fail(path, "expected an object, got " + Describe(e));
  return obj;
}

Result<std::optional<array>> JsonFields::OptArray(object obj, std::string_view key,
                                                  const std::string& path) const {
  element e;
  if (obj[key].get(e) != simdjson::SUCCESS) return std::optional<array>();
  array arr;
  if (e.get(arr) != simdjson::SUCCESS) {
    return Fail(JoinPath(path, key), "expected an array, got " + Describe(e));
  }
  return std::optional<array>(arr);
}

Result<object> JsonFields::ParseRoot(simdjson::dom::parser& parser, std::string_view json) const {
  element root;
  if (auto err = parser.parse(json.data(), json.size()).get(root); err != simdjson::SUCCESS) {
    return Fail("$", std::string("malformed JSON: ") + simdjson::error_message(err));
  }
  return AsObject(root, "$");
}

}  // namespace vigil::json
