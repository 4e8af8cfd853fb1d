#include "vuln/internal/json_access.h"

namespace vigil::vuln::internal {

using simdjson::dom::element;
using simdjson::dom::object;

std::string Quote(std::string_view text) {
  std::string out = "'";
  for (char c : text.substr(0, 80)) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
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

}  // namespace vigil::vuln::internal
