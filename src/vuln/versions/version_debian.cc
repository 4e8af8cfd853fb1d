// Debian version ordering (deb-version(7), dpkg's verrevcmp): [epoch:]upstream[-revision], with
// letters sorting before non-letters and '~' before everything, even the end of the string.
#include <string>

#include "version_schemes.h"

namespace vigil::vuln::internal {
namespace {

struct DebVersion {
  std::string_view epoch = "0";
  std::string_view upstream;
  std::string_view revision;
};

DebVersion Split(std::string_view v) {
  DebVersion d;
  if (size_t colon = v.find(':'); colon != std::string_view::npos) {
    d.epoch = v.substr(0, colon);
    v = v.substr(colon + 1);
  }
  if (size_t dash = v.rfind('-'); dash != std::string_view::npos) {
    d.revision = v.substr(dash + 1);
    v = v.substr(0, dash);
  }
  d.upstream = v;
  return d;
}

int Order(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  char c = s[i];
  if (IsDigit(c)) return 0;
  if (IsAlpha(c)) return c;
  if (c == '~') return -1;
  return static_cast<unsigned char>(c) + 256;
}

int VerRevCmp(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !IsDigit(a[i])) || (j < b.size() && !IsDigit(b[j]))) {
      int ac = Order(a, i), bc = Order(b, j);
      if (ac != bc) return Sign(ac - bc);
      ++i;
      ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    while (i < a.size() && j < b.size() && IsDigit(a[i]) && IsDigit(b[j])) {
      if (!first_diff) first_diff = a[i] - b[j];
      ++i;
      ++j;
    }
    if (i < a.size() && IsDigit(a[i])) return 1;
    if (j < b.size() && IsDigit(b[j])) return -1;
    if (first_diff) return Sign(first_diff);
  }
  return 0;
}

bool ValidChars(std::string_view s, std::string_view extra) {
  for (char c : s) {
    if (!IsDigit(c) && !IsAlpha(c) && extra.find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace

Status ValidateDebian(std::string_view v) {
  DebVersion d = Split(v);
  if (d.epoch.empty() || !ValidChars(d.epoch, "") ||
      d.epoch.find_first_not_of("0123456789") != std::string_view::npos) {
    return InvalidArgumentError("epoch must be a number");
  }
  if (d.upstream.empty() || !IsDigit(d.upstream[0])) {
    return InvalidArgumentError("upstream version must start with a digit");
  }
  if (!ValidChars(d.upstream, ".+~-:"))
    return InvalidArgumentError("invalid character in upstream version");
  if (v.find('-') != std::string_view::npos &&
      (d.revision.empty() || !ValidChars(d.revision, ".+~"))) {
    return InvalidArgumentError("invalid Debian revision");
  }
  return OkStatus();
}

int CompareDebian(std::string_view a, std::string_view b) {
  DebVersion x = Split(a), y = Split(b);
  if (int c = CompareDigitRuns(x.epoch, y.epoch)) return c;
  if (int c = VerRevCmp(x.upstream, y.upstream)) return c;
  return VerRevCmp(x.revision, y.revision);
}

}  // namespace vigil::vuln::internal
