// SemVer 2.0.0 (https://semver.org §11) and NuGet's variant of it (up to four release numbers,
// labels compared case-insensitively).
#include <algorithm>
#include <cctype>
#include <vector>

#include "version_schemes.h"

namespace vigil::vuln::internal {
namespace {

struct Parsed {
  std::vector<std::string_view> numbers;
  std::vector<std::string_view> pre;  // dot-separated pre-release identifiers
};

std::vector<std::string_view> SplitDots(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    out.push_back(s.substr(start, dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

bool IsIdentifier(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return IsDigit(c) || IsAlpha(c) || c == '-'; });
}

// min_numbers..max_numbers release numbers; strict forbids leading zeros (SemVer §2, §9).
Result<Parsed> Parse(std::string_view v, size_t min_numbers, size_t max_numbers, bool strict) {
  if (!v.empty() && (v[0] == 'v' || v[0] == 'V')) v.remove_prefix(1);
  if (size_t plus = v.find('+'); plus != std::string_view::npos) {
    for (std::string_view id : SplitDots(v.substr(plus + 1))) {
      if (!IsIdentifier(id)) return InvalidArgumentError("bad build metadata");
    }
    v = v.substr(0, plus);
  }
  Parsed p;
  std::string_view release = v;
  if (size_t dash = v.find('-'); dash != std::string_view::npos) {
    release = v.substr(0, dash);
    p.pre = SplitDots(v.substr(dash + 1));
    for (std::string_view id : p.pre) {
      if (!IsIdentifier(id)) return InvalidArgumentError("empty or invalid pre-release identifier");
      if (strict && AllDigits(id) && id.size() > 1 && id[0] == '0') {
        return InvalidArgumentError("numeric pre-release identifier with a leading zero");
      }
    }
  }
  p.numbers = SplitDots(release);
  if (p.numbers.size() < min_numbers || p.numbers.size() > max_numbers) {
    return InvalidArgumentError(
        "expected " + std::to_string(min_numbers) +
        (min_numbers == max_numbers ? "" : "-" + std::to_string(max_numbers)) +
        " dot-separated numbers");
  }
  for (std::string_view n : p.numbers) {
    if (!AllDigits(n))
      return InvalidArgumentError("release part '" + std::string(n) + "' is not a number");
    if (strict && n.size() > 1 && n[0] == '0')
      return InvalidArgumentError("leading zero in '" + std::string(n) + "'");
  }
  return p;
}

int CompareIdentifiers(std::string_view a, std::string_view b, bool ignore_case) {
  bool an = AllDigits(a), bn = AllDigits(b);
  if (an && bn) return CompareDigitRuns(a, b);
  if (an != bn) return an ? -1 : 1;  // numeric identifiers sort before alphanumeric ones
  if (!ignore_case) return Sign(a.compare(b));
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    int ca = std::tolower(static_cast<unsigned char>(a[i]));
    int cb = std::tolower(static_cast<unsigned char>(b[i]));
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

int CompareParsed(const Parsed& a, const Parsed& b, bool ignore_case) {
  size_t n = std::max(a.numbers.size(), b.numbers.size());
  for (size_t i = 0; i < n; ++i) {
    std::string_view x = i < a.numbers.size() ? a.numbers[i] : "0";
    std::string_view y = i < b.numbers.size() ? b.numbers[i] : "0";
    if (int c = CompareDigitRuns(x, y)) return c;
  }
  if (a.pre.empty() || b.pre.empty())
    return a.pre.empty() == b.pre.empty() ? 0 : (a.pre.empty() ? 1 : -1);
  for (size_t i = 0; i < std::min(a.pre.size(), b.pre.size()); ++i) {
    if (int c = CompareIdentifiers(a.pre[i], b.pre[i], ignore_case)) return c;
  }
  return a.pre.size() == b.pre.size() ? 0 : (a.pre.size() < b.pre.size() ? -1 : 1);
}

}  // namespace

Status ValidateSemver(std::string_view v) {
  auto p = Parse(v, 3, 3, true);
  if (!p) return p.error();
  return OkStatus();
}

int CompareSemver(std::string_view a, std::string_view b) {
  return CompareParsed(*Parse(a, 3, 3, true), *Parse(b, 3, 3, true), false);
}

Status ValidateNuget(std::string_view v) {
  auto p = Parse(v, 1, 4, false);
  if (!p) return p.error();
  return OkStatus();
}

int CompareNuget(std::string_view a, std::string_view b) {
  return CompareParsed(*Parse(a, 1, 4, false), *Parse(b, 1, 4, false), true);
}

}  // namespace vigil::vuln::internal

namespace vigil::vuln {

bool IsGoPseudoVersion(std::string_view v) {
  if (!v.empty() && v[0] == 'v') v.remove_prefix(1);
  v = v.substr(0, v.find('+'));
  size_t dash = v.find('-');
  if (dash == std::string_view::npos || !internal::ValidateSemver(v)) return false;
  std::string_view pre = v.substr(dash + 1);
  // The last identifier is "yyyymmddhhmmss-abcdefabcdef"; before it, nothing or "<...>.0".
  size_t last_dot = pre.rfind('.');
  std::string_view tail = last_dot == std::string_view::npos ? pre : pre.substr(last_dot + 1);
  if (tail.size() != 27 || tail[14] != '-') return false;
  for (size_t i = 0; i < 27; ++i) {
    if (i == 14) continue;
    char c = tail[i];
    bool ok = i < 14 ? internal::IsDigit(c) : (internal::IsDigit(c) || (c >= 'a' && c <= 'f'));
    if (!ok) return false;
  }
  if (last_dot == std::string_view::npos) return true;
  std::string_view head = pre.substr(0, last_dot);
  return head == "0" || (head.size() >= 2 && head.substr(head.size() - 2) == ".0");
}

}  // namespace vigil::vuln
