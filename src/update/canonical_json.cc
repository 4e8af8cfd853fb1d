#include "vigil/update/canonical_json.h"

#include <vector>

#include "internal/json_doc.h"

namespace vigil::update {
namespace {

using internal::AppendCanonicalString;
using nlohmann::json;

// Appends the canonical form of `v`; false at the first value canonical JSON cannot hold (the
// hot path builds no JSON paths; PathOfNonCanonical names the culprit afterwards).
bool AppendCanonical(std::string& out, const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      out += "null";
      return true;
    case json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return true;
    case json::value_t::number_integer:
      out += std::to_string(v.get<int64_t>());
      return true;
    case json::value_t::number_unsigned:
      out += std::to_string(v.get<uint64_t>());
      return true;
    case json::value_t::string:
      AppendCanonicalString(out, v.get_ref<const std::string&>());
      return true;
    case json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const json& element : v.get_ref<const json::array_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        if (!AppendCanonical(out, element)) return false;
      }
      out.push_back(']');
      return true;
    }
    case json::value_t::object: {
      // nlohmann's object is a std::map<std::string, ...>: iteration is in byte order already.
      out.push_back('{');
      bool first = true;
      for (const auto& [key, child] : v.get_ref<const json::object_t&>()) {
        if (!first) out.push_back(',');
        first = false;
        AppendCanonicalString(out, key);
        out.push_back(':');
        if (!AppendCanonical(out, child)) return false;
      }
      out.push_back('}');
      return true;
    }
    default:
      return false;
  }
}

// The JSON path ("$.a[0]") and type of the first value in `v` canonical JSON cannot hold, in the
// order AppendCanonical visits them; nullopt if there is none.
std::optional<std::pair<std::string, std::string>> PathOfNonCanonical(const json& v,
                                                                      const std::string& path) {
  if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      auto found = PathOfNonCanonical(v[i], path + "[" + std::to_string(i) + "]");
      if (found) return found;
    }
    return std::nullopt;
  }
  if (v.is_object()) {
    for (const auto& [key, child] : v.get_ref<const json::object_t&>()) {
      auto found = PathOfNonCanonical(child, path + "." + key);
      if (found) return found;
    }
    return std::nullopt;
  }
  if (v.is_number_float() || v.is_binary() || v.is_discarded()) {
    return std::make_pair(path, std::string(v.type_name()));
  }
  return std::nullopt;
}

}  // namespace

Result<json> ParseStrictJson(std::string_view text, std::string_view where) {
  VIGIL_ASSIGN_OR_RETURN(internal::JsonDoc doc, internal::JsonDoc::Parse(text, where));
  return doc.ToNlohmann(0);
}

Result<std::string> CanonicalJson(const json& value) {
  std::string out;
  if (AppendCanonical(out, value)) return out;
  auto [path, type] = PathOfNonCanonical(value, "$").value_or(std::make_pair("$", "value"));
  return InvalidArgumentError("canonical JSON: " + path +
                              ": expected an integer, string, boolean, null, array or object; "
                              "found a " +
                              type + " (canonical JSON has no floating-point numbers)");
}

}  // namespace vigil::update
