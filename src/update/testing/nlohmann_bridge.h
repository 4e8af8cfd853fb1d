// Test support: conversions between json::Value and nlohmann::json, for tests that craft or
// inspect TUF documents with nlohmann (an independent JSON implementation, so a test's view of a
// document does not depend on the code under test). Production code of the module uses
// json::Value only.
#ifndef VIGIL_SRC_UPDATE_TESTING_NLOHMANN_BRIDGE_H_
#define VIGIL_SRC_UPDATE_TESTING_NLOHMANN_BRIDGE_H_

#include <nlohmann/json.hpp>

#include "vigil/core/json.h"

namespace vigil::update::testing {

// Members come out in name order (nlohmann's std::map). Non-negative integers as unsigned, as
// nlohmann's own parser stores them.
inline nlohmann::json ToNlohmann(const json::Value& v) {
  switch (v.type()) {
    case json::Type::kNull:
      return nullptr;
    case json::Type::kBool:
      return v.as_bool();
    case json::Type::kNumber:
      if (v.is_integer() && v.as_int() >= 0) return static_cast<uint64_t>(v.as_int());
      if (v.is_integer()) return v.as_int();
      return v.as_double();
    case json::Type::kString:
      return v.as_string();
    case json::Type::kArray: {
      nlohmann::json out = nlohmann::json::array();
      for (const json::Value& e : v.as_array()) out.push_back(ToNlohmann(e));
      return out;
    }
    case json::Type::kObject: {
      nlohmann::json out = nlohmann::json::object();
      for (const json::Member& m : v.as_object()) out[m.key] = ToNlohmann(m.value);
      return out;
    }
  }
  return nullptr;
}

// Precondition: `v` holds no binary or discarded value.
inline json::Value FromNlohmann(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::boolean:
      return json::Value(v.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return json::Value(v.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return json::Value(v.get<uint64_t>());
    case nlohmann::json::value_t::number_float:
      return json::Value(v.get<double>());
    case nlohmann::json::value_t::string:
      return json::Value(v.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      json::Value out = json::Value::MakeArray();
      for (const nlohmann::json& e : v) out.Push(FromNlohmann(e));
      return out;
    }
    case nlohmann::json::value_t::object: {
      json::Value out = json::Value::MakeObject();
      for (const auto& [key, child] : v.items()) out.Set(key, FromNlohmann(child));
      return out;
    }
    default:
      return json::Value();
  }
}

}  // namespace vigil::update::testing

#endif  // VIGIL_SRC_UPDATE_TESTING_NLOHMANN_BRIDGE_H_
