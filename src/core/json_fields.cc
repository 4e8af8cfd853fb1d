#include "vigil/core/json_fields.h"

namespace vigil::json {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

namespace {

// simdjson copies the text with memcpy, which must not be handed a null pointer even for zero
// bytes; an empty std::string_view may hold one (a default-constructed view, or an empty input
// from a caller that has no buffer).
std::string_view NonNull(std::string_view text) { return text.data() != nullptr ? text : ""; }

}  // namespace

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

JsonFields::Member JsonFields::Get(object obj, std::string_view key) {
  element e;
  if (obj[key].get(e) != simdjson::SUCCESS) return std::nullopt;
  return e;
}

Result<std::string> JsonFields::OptString(const Member& value, std::string_view key,
                                          const std::string& path) const {
  if (!value) return std::string();
  std::string_view s;
  if (value->get(s) != simdjson::SUCCESS) {
    return Fail(JoinPath(path, key), "expected a string, got " + Describe(*value));
  }
  return std::string(s);
}

Result<std::string> JsonFields::ReqString(const Member& value, std::string_view key,
                                          const std::string& path) const {
  if (!value) {
    return Fail(path.empty() ? "$" : path, "required field '" + std::string(key) + "' is missing");
  }
  return OptString(value, key, path);
}

Result<std::optional<array>> JsonFields::OptArray(const Member& value, std::string_view key,
                                                  const std::string& path) const {
  if (!value) return std::optional<array>();
  array arr;
  if (value->get(arr) != simdjson::SUCCESS) {
    return Fail(JoinPath(path, key), "expected an array, got " + Describe(*value));
  }
  return std::optional<array>(arr);
}

Result<std::string> JsonFields::OptString(object obj, std::string_view key,
                                          const std::string& path) const {
  return OptString(Get(obj, key), key, path);
}

Result<std::string> JsonFields::ReqString(object obj, std::string_view key,
                                          const std::string& path) const {
  return ReqString(Get(obj, key), key, path);
}

Result<object> JsonFields::AsObject(element e, const std::string& path) const {
  object obj;
  if (e.get(obj) != simdjson::SUCCESS) return Fail(path, "expected an object, got " + Describe(e));
  return obj;
}

Result<std::optional<array>> JsonFields::OptArray(object obj, std::string_view key,
                                                  const std::string& path) const {
  return OptArray(Get(obj, key), key, path);
}

Result<object> JsonFields::ParseRoot(simdjson::dom::parser& parser, std::string_view json) const {
  element root;
  json = NonNull(json);
  if (auto err = parser.parse(json.data(), json.size()).get(root); err != simdjson::SUCCESS) {
    return Fail("$", std::string("malformed JSON: ") + simdjson::error_message(err));
  }
  return AsObject(root, "$");
}

Result<object> JsonFields::ParseRoot(simdjson::dom::document& doc, std::string_view json,
                                     Bytes* release) const {
  simdjson::padded_string padded(NonNull(json));
  if (release != nullptr) Bytes().swap(*release);
  simdjson::dom::parser parser;
  element root;
  if (auto err = parser.parse_into_document(doc, padded).get(root); err != simdjson::SUCCESS) {
    return Fail("$", std::string("malformed JSON: ") + simdjson::error_message(err));
  }
  return AsObject(root, "$");
}

}  // namespace vigil::json
