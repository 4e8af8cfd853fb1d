#include "internal/json_reader.h"

#include <cctype>

namespace vigil::vuln::internal {

Result<nlohmann::json> JsonReader::ParseRoot(std::string_view json) const {
  // No exceptions: a parse failure yields a "discarded" value.
  nlohmann::json root = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (root.is_discarded()) return Fail("$", "not valid JSON");
  if (!root.is_object()) return Fail("$", "expected an object, got " + Describe(root));
  return root;
}

Result<std::string> JsonReader::OptString(const nlohmann::json& obj, std::string_view key,
                                          const std::string& path) const {
  auto it = obj.find(key);
  if (it == obj.end()) return std::string();
  if (!it->is_string()) {
    return Fail(Member(path, key), "expected a string, got " + Describe(*it));
  }
  return it->get<std::string>();
}

Result<std::string> JsonReader::ReqString(const nlohmann::json& obj, std::string_view key,
                                          const std::string& path) const {
  if (!obj.contains(key)) return Fail(Member(path, key), "required field is missing");
  VIGIL_ASSIGN_OR_RETURN(std::string s, OptString(obj, key, path));
  if (s.empty()) return Fail(Member(path, key), "expected a non-empty string");
  return s;
}

Result<std::vector<std::string>> JsonReader::OptStrings(const nlohmann::json& obj,
                                                        std::string_view key,
                                                        const std::string& path) const {
  VIGIL_ASSIGN_OR_RETURN(const nlohmann::json* arr, OptArray(obj, key, path));
  std::vector<std::string> out;
  if (arr == nullptr) return out;
  for (size_t i = 0; i < arr->size(); ++i) {
    const nlohmann::json& e = (*arr)[i];
    if (!e.is_string()) return Fail(Index(path, key, i), "expected a string, got " + Describe(e));
    out.push_back(e.get<std::string>());
  }
  return out;
}

Result<const nlohmann::json*> JsonReader::OptArray(const nlohmann::json& obj, std::string_view key,
                                                   const std::string& path) const {
  auto it = obj.find(key);
  if (it == obj.end()) return static_cast<const nlohmann::json*>(nullptr);
  if (!it->is_array()) return Fail(Member(path, key), "expected an array, got " + Describe(*it));
  return &*it;
}

Result<const nlohmann::json*> JsonReader::OptObject(const nlohmann::json& obj, std::string_view key,
                                                    const std::string& path) const {
  auto it = obj.find(key);
  if (it == obj.end()) return static_cast<const nlohmann::json*>(nullptr);
  if (!it->is_object()) return Fail(Member(path, key), "expected an object, got " + Describe(*it));
  return &*it;
}

Result<JsonReader::Time> JsonReader::OptTime(const nlohmann::json& obj, std::string_view key,
                                             const std::string& path) const {
  VIGIL_ASSIGN_OR_RETURN(std::string text, OptString(obj, key, path));
  if (text.empty()) return Time{};
  std::optional<int64_t> seconds = ParseRfc3339Seconds(text);
  if (!seconds) {
    return Fail(Member(path, key),
                "expected an RFC 3339 date-time such as 2024-01-31T12:00:00Z, got '" + text + "'");
  }
  return Time{text, *seconds};
}

Status JsonReader::ExpectObject(const nlohmann::json& e, const std::string& path) const {
  if (!e.is_object()) return Fail(path, "expected an object, got " + Describe(e));
  return OkStatus();
}

std::string JsonReader::Describe(const nlohmann::json& e) {
  if (e.is_array()) return "array";
  if (e.is_object()) return "object";
  if (e.is_string()) return "string";
  if (e.is_number()) return "number";
  if (e.is_boolean()) return "boolean";
  return "null";
}

namespace {

// Reads `n` digits at `pos` into `out`; false if any is not a digit.
bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

std::optional<int64_t> ParseRfc3339Seconds(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!Digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !Digits(s, 11, 2, h) ||
      s[13] != ':' || !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, se)) {
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] + (mo == 2 && IsLeap(y)) || h > 23 ||
      mi > 59 || se > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    size_t digits = 0;
    for (++pos; pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])); ++pos) ++digits;
    if (digits == 0) return std::nullopt;
  }
  int offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!Digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = (s[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

}  // namespace vigil::vuln::internal
