// SemVer 2.0.0 (https://semver.org §11) and NuGet's variant of it (up to four release numbers,
// labels compared case-insensitively).
#include <algorithm>
#include <cctype>

#include "version_schemes.h"

namespace vigil::vuln::internal {
namespace {

// Calls `each` on every dot-separated part of `s` ("" has one, empty), until one fails. No
// vector of parts: a scan validates hundreds of thousands of versions.
template <typename F>
Status EachPart(std::string_view s, F each) {
  while (true) {
    const size_t dot = s.find('.');
    VIGIL_RETURN_IF_ERROR(each(s.substr(0, dot)));
    if (dot == std::string_view::npos) return OkStatus();
    s.remove_prefix(dot + 1);
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
Status Check(std::string_view v, size_t min_numbers, size_t max_numbers, bool strict) {
  if (!v.empty() && (v[0] == 'v' || v[0] == 'V')) v.remove_prefix(1);
  if (size_t plus = v.find('+'); plus != std::string_view::npos) {
    VIGIL_RETURN_IF_ERROR(EachPart(v.substr(plus + 1), [](std::string_view id) -> Status {
      if (!IsIdentifier(id)) return InvalidArgumentError("bad build metadata");
      return OkStatus();
    }));
    v = v.substr(0, plus);
  }
  std::string_view release = v;
  if (size_t dash = v.find('-'); dash != std::string_view::npos) {
    release = v.substr(0, dash);
    VIGIL_RETURN_IF_ERROR(EachPart(v.substr(dash + 1), [&](std::string_view id) -> Status {
      if (!IsIdentifier(id)) return InvalidArgumentError("empty or invalid pre-release identifier");
      if (strict && AllDigits(id) && id.size() > 1 && id[0] == '0') {
        return InvalidArgumentError("numeric pre-release identifier with a leading zero");
      }
      return OkStatus();
    }));
  }
  const size_t numbers = static_cast<size_t>(std::count(release.begin(), release.end(), '.')) + 1;
  if (numbers < min_numbers || numbers > max_numbers) {
    return InvalidArgumentError(
        "expected " + std::to_string(min_numbers) +
        (min_numbers == max_numbers ? "" : "-" + std::to_string(max_numbers)) +
        " dot-separated numbers");
  }
  return EachPart(release, [&](std::string_view n) -> Status {
    if (!AllDigits(n))
      return InvalidArgumentError("release part '" + std::string(n) + "' is not a number");
    if (strict && n.size() > 1 && n[0] == '0')
      return InvalidArgumentError("leading zero in '" + std::string(n) + "'");
    return OkStatus();
  });
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

// A validated version's release numbers and pre-release identifiers, as dot-separated text
// (views into it): comparing walks them in place, allocating nothing (a scan
// compares hundreds of thousands of versions, parsing both sides of each comparison).
struct Sides {
  std::string_view release, pre;  // pre empty: no pre-release (its identifiers are never empty)
};

Sides SidesOf(std::string_view v) {
  if (!v.empty() && (v[0] == 'v' || v[0] == 'V')) v.remove_prefix(1);
  v = v.substr(0, v.find('+'));
  const size_t dash = v.find('-');
  if (dash == std::string_view::npos) return {v, {}};
  return {v.substr(0, dash), v.substr(dash + 1)};
}

// The next dot-separated part of `rest`, consumed with its dot.
std::string_view NextPart(std::string_view& rest) {
  const size_t dot = rest.find('.');
  const std::string_view part = rest.substr(0, dot);
  rest.remove_prefix(dot == std::string_view::npos ? rest.size() : dot + 1);
  return part;
}

int CompareSides(Sides a, Sides b, bool ignore_case) {
  while (!a.release.empty() || !b.release.empty()) {
    std::string_view x = a.release.empty() ? "0" : NextPart(a.release);
    std::string_view y = b.release.empty() ? "0" : NextPart(b.release);
    if (int c = CompareDigitRuns(x, y)) return c;
  }
  if (a.pre.empty() || b.pre.empty())
    return a.pre.empty() == b.pre.empty() ? 0 : (a.pre.empty() ? 1 : -1);
  while (!a.pre.empty() && !b.pre.empty()) {
    if (int c = CompareIdentifiers(NextPart(a.pre), NextPart(b.pre), ignore_case)) return c;
  }
  return a.pre.empty() == b.pre.empty() ? 0 : (a.pre.empty() ? -1 : 1);
}

}  // namespace

Status ValidateSemver(std::string_view v) { return Check(v, 3, 3, true); }

int CompareSemver(std::string_view a, std::string_view b) {
  return CompareSides(SidesOf(a), SidesOf(b), false);
}

Status ValidateNuget(std::string_view v) { return Check(v, 1, 4, false); }

int CompareNuget(std::string_view a, std::string_view b) {
  return CompareSides(SidesOf(a), SidesOf(b), true);
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
