#include "internal/vex_json.h"

#include <cctype>

#include "vigil/core/dates.h"

namespace vigil::vuln::internal {

Result<json::Value> ParseVexRoot(std::string_view text, std::string_view source) {
  VIGIL_ASSIGN_OR_RETURN(json::Value root, json::Parse(text, source));
  VIGIL_RETURN_IF_ERROR(json::Node(root, source).ExpectObject());
  return root;
}

Result<std::string> OptString(const json::Node& obj, std::string_view key) {
  json::Node member = obj.Get(key);
  if (!member.present()) return std::string();
  return member.String();
}

Result<std::string> ReqString(const json::Node& obj, std::string_view key) {
  json::Node member = obj.Get(key);
  VIGIL_ASSIGN_OR_RETURN(std::string s, member.String());
  if (s.empty()) return member.Invalid("expected a non-empty string");
  return s;
}

Result<std::vector<std::string>> OptStrings(const json::Node& obj, std::string_view key) {
  VIGIL_ASSIGN_OR_RETURN(json::Node array, OptArray(obj, key));
  std::vector<std::string> out;
  if (!array.present()) return out;
  Status each = array.ForEachElement([&](const json::Node& e) -> Status {
    VIGIL_ASSIGN_OR_RETURN(out.emplace_back(), e.String());
    return OkStatus();
  });
  VIGIL_RETURN_IF_ERROR(each);
  return out;
}

Result<json::Node> OptArray(const json::Node& obj, std::string_view key) {
  json::Node member = obj.Get(key);
  if (member.present()) VIGIL_RETURN_IF_ERROR(member.ExpectArray());
  return member;
}

Result<json::Node> OptObject(const json::Node& obj, std::string_view key) {
  json::Node member = obj.Get(key);
  if (member.present()) VIGIL_RETURN_IF_ERROR(member.ExpectObject());
  return member;
}

Result<Time> OptTime(const json::Node& obj, std::string_view key) {
  VIGIL_ASSIGN_OR_RETURN(std::string text, OptString(obj, key));
  if (text.empty()) return Time{};
  std::optional<int64_t> seconds = ParseRfc3339Seconds(text);
  if (!seconds) {
    return obj.Get(key).Invalid(
        "expected an RFC 3339 date-time such as 2024-01-31T12:00:00Z, got '" + text + "'");
  }
  return Time{text, *seconds};
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

}  // namespace

std::optional<int64_t> ParseRfc3339Seconds(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!Digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !Digits(s, 11, 2, h) ||
      s[13] != ':' || !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, se)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 ||
      static_cast<unsigned>(d) > DaysInMonth(y, static_cast<unsigned>(mo)) || h > 23 || mi > 59 ||
      se > 60) {
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
  return DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
         mi * 60 + se - offset;
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
