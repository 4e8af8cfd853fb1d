#include "internal/json_access.h"

#include "vigil/core/encoding.h"

namespace vigil::vuln::internal {

using simdjson::dom::element;
using simdjson::dom::object;

std::string Quote(std::string_view text) {
  std::string out = "'" + OneLine(text.substr(0, 80));
  if (text.size() > 80) out += "...";
  return out + "'";
}

simdjson::dom::parser& ThreadParser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

Result<std::vector<std::string>> OptStringArray(const JsonFields& f, object obj,
                                                std::string_view key, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(auto arr, f.OptArray(obj, key, path));
  std::vector<std::string> out;
  if (!arr) return out;
  size_t i = 0;
  for (element e : *arr) {
    std::string_view s;
    if (e.get(s) != simdjson::SUCCESS) {
      return f.Fail(IndexPath(path, key, i), "expected a string, got " + JsonFields::Describe(e));
    }
    out.emplace_back(s);
    ++i;
  }
  return out;
}

Result<std::optional<bool>> OptBool(const JsonFields& f, object obj, std::string_view key,
                                    const std::string& path) {
  element e;
  if (obj[key].get(e) != simdjson::SUCCESS) return std::optional<bool>();
  bool b = false;
  if (e.get(b) != simdjson::SUCCESS) {
    return f.Fail(JoinPath(path, key), "expected a boolean, got " + JsonFields::Describe(e));
  }
  return std::optional<bool>(b);
}

Result<std::optional<double>> OptNumber(const JsonFields& f, object obj, std::string_view key,
                                        const std::string& path) {
  element e;
  if (obj[key].get(e) != simdjson::SUCCESS) return std::optional<double>();
  double d = 0;
  if (e.get(d) != simdjson::SUCCESS) {
    return f.Fail(JoinPath(path, key), "expected a number, got " + JsonFields::Describe(e));
  }
  return std::optional<double>(d);
}

Result<std::optional<object>> OptObject(const JsonFields& f, object obj, std::string_view key,
                                        const std::string& path) {
  element e;
  if (obj[key].get(e) != simdjson::SUCCESS) return std::optional<object>();
  VIGIL_ASSIGN_OR_RETURN(object o, f.AsObject(e, JoinPath(path, key)));
  return std::optional<object>(o);
}

Result<std::string> EnglishDescription(const JsonFields& f, object obj, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(auto arr, f.OptArray(obj, "descriptions", path));
  size_t i = 0;
  for (element e : arr ? *arr : JsonFields::EmptyArray()) {
    std::string epath = IndexPath(path, "descriptions", i++);
    VIGIL_ASSIGN_OR_RETURN(object d, f.AsObject(e, epath));
    VIGIL_ASSIGN_OR_RETURN(std::string lang, f.ReqString(d, "lang", epath));
    if (lang == "en" || lang.starts_with("en-") || lang.starts_with("en_")) {
      return f.ReqString(d, "value", epath);
    }
  }
  return std::string();
}

}  // namespace vigil::vuln::internal
