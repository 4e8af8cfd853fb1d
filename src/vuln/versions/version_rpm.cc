// RPM version ordering: rpmvercmp() (rpm 4.x, with '~' sorting before and '^' after the end of
// a version) applied to [epoch:]version[-release].
#include <string>

#include "version_schemes.h"

namespace vigil::vuln::internal {
namespace {

bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }

int RpmVerCmp(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    while (i < a.size() && !IsAlnum(a[i]) && a[i] != '~' && a[i] != '^') ++i;
    while (j < b.size() && !IsAlnum(b[j]) && b[j] != '~' && b[j] != '^') ++j;
    char ca = i < a.size() ? a[i] : '\0', cb = j < b.size() ? b[j] : '\0';
    if (ca == '~' || cb == '~') {
      if (ca != '~') return 1;
      if (cb != '~') return -1;
      ++i;
      ++j;
      continue;
    }
    if (ca == '^' || cb == '^') {
      if (i == a.size()) return -1;
      if (j == b.size()) return 1;
      if (ca != '^') return 1;
      if (cb != '^') return -1;
      ++i;
      ++j;
      continue;
    }
    if (i == a.size() || j == b.size()) break;
    size_t si = i, sj = j;
    bool numeric = IsDigit(a[i]);
    auto same_class = [numeric](char c) { return numeric ? IsDigit(c) : IsAlpha(c); };
    while (i < a.size() && same_class(a[i])) ++i;
    while (j < b.size() && same_class(b[j])) ++j;
    if (sj == j) return numeric ? 1 : -1;  // numeric segments beat alphabetic ones
    std::string_view x = a.substr(si, i - si), y = b.substr(sj, j - sj);
    int c = numeric ? CompareDigitRuns(x, y) : Sign(x.compare(y));
    if (c) return c;
  }
  if (i >= a.size() && j >= b.size()) return 0;
  return i >= a.size() ? -1 : 1;
}

struct Evr {
  std::string_view epoch = "0", version, release;
};

Evr SplitEvr(std::string_view v) {
  Evr e;
  if (size_t colon = v.find(':'); colon != std::string_view::npos) {
    e.epoch = v.substr(0, colon);
    v = v.substr(colon + 1);
  }
  if (size_t dash = v.rfind('-'); dash != std::string_view::npos) {
    e.release = v.substr(dash + 1);
    v = v.substr(0, dash);
  }
  e.version = v;
  return e;
}

}  // namespace

Status ValidateRpm(std::string_view v) {
  Evr e = SplitEvr(v);
  if (e.epoch.empty() || e.epoch.find_first_not_of("0123456789") != std::string_view::npos) {
    return InvalidArgumentError("epoch must be a number");
  }
  if (e.version.empty()) return InvalidArgumentError("empty version");
  for (char c : v) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return InvalidArgumentError("space or control character");
  }
  return OkStatus();
}

int CompareRpm(std::string_view a, std::string_view b) {
  Evr x = SplitEvr(a), y = SplitEvr(b);
  if (int c = CompareDigitRuns(x.epoch, y.epoch)) return c;
  if (int c = RpmVerCmp(x.version, y.version)) return c;
  // A release is compared only when both sides name one ("1.0" matches any "1.0-N").
  if (x.release.empty() || y.release.empty()) return 0;
  return RpmVerCmp(x.release, y.release);
}

// rpmvercmp on raw strings, for the rpm test suite.
int RpmVerCmpForTest(std::string_view a, std::string_view b) { return RpmVerCmp(a, b); }

}  // namespace vigil::vuln::internal
