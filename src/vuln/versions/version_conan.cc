// Conan 2 version ordering (pkg:conan, vers:conan), as Conan's documented Version model orders
// versions: MAIN[-PRE][+BUILD]. The build part starts at the first '+', the pre-release part at
// the first '-' before it. Each part is a list of dot-separated items; an item of decimal digits
// is a number, anything else is a word. Trailing zero numbers are dropped ("1" == "1.0.0",
// "1-pre1" == "1.0-pre1.0"). Items compare numerically when both are numbers, otherwise as ASCII
// text of the item ("1.1" < "1.1a" < "1.a"; "1.20" > "1.1*"); a list that is a prefix of another
// is smaller ("1.1" < "1.1.a"). The main parts decide first; then a pre-release sorts before the
// release ("1.1-alpha.1" < "1.1"); then a build part sorts after its absence and builds compare
// as lists ("1.1" < "1.1+b1" < "1.1+b2").
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "version_schemes.h"

namespace vigil::vuln::internal {
namespace {

struct ConanVersion {
  std::vector<std::string_view> main;
  std::optional<std::vector<std::string_view>> pre;
  std::optional<std::vector<std::string_view>> build;
};

bool IsNumber(std::string_view item) {
  return !item.empty() && std::all_of(item.begin(), item.end(), IsDigit);
}

std::string_view WithoutLeadingZeros(std::string_view n) {
  while (n.size() > 1 && n[0] == '0') n.remove_prefix(1);
  return n;
}

// Dot-separated items without the trailing zero numbers.
std::vector<std::string_view> Items(std::string_view part) {
  std::vector<std::string_view> items;
  for (size_t start = 0;;) {
    size_t dot = part.find('.', start);
    items.push_back(part.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  while (!items.empty() && IsNumber(items.back()) && WithoutLeadingZeros(items.back()) == "0") {
    items.pop_back();
  }
  return items;
}

ConanVersion Split(std::string_view v) {
  ConanVersion out;
  if (size_t plus = v.find('+'); plus != std::string_view::npos) {
    out.build = Items(v.substr(plus + 1));
    v = v.substr(0, plus);
  }
  if (size_t dash = v.find('-'); dash != std::string_view::npos) {
    out.pre = Items(v.substr(dash + 1));
    v = v.substr(0, dash);
  }
  out.main = Items(v);
  return out;
}

int CompareItem(std::string_view a, std::string_view b) {
  if (IsNumber(a) && IsNumber(b)) return CompareDigitRuns(a, b);
  // A number against a word: both as text, the number in its canonical decimal form.
  if (IsNumber(a)) a = WithoutLeadingZeros(a);
  if (IsNumber(b)) b = WithoutLeadingZeros(b);
  return Sign(a.compare(b));
}

int CompareItems(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (int c = CompareItem(a[i], b[i]); c != 0) return c;
  }
  return a.size() == b.size() ? 0 : a.size() < b.size() ? -1 : 1;
}

}  // namespace

Status ValidateConan(std::string_view v) {
  for (char c : v) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return InvalidArgumentError("only printable ASCII without spaces");
    }
  }
  if (v.front() == '-' || v.front() == '+' || v.front() == '.') {
    return InvalidArgumentError("starts with '" + std::string(1, v.front()) + "'");
  }
  return OkStatus();
}

int CompareConan(std::string_view as, std::string_view bs) {
  const ConanVersion a = Split(as), b = Split(bs);
  if (int c = CompareItems(a.main, b.main); c != 0) return c;
  if (a.pre.has_value() != b.pre.has_value()) return a.pre.has_value() ? -1 : 1;
  if (a.pre.has_value()) {
    if (int c = CompareItems(*a.pre, *b.pre); c != 0) return c;
  }
  if (a.build.has_value() != b.build.has_value()) return a.build.has_value() ? 1 : -1;
  return a.build.has_value() ? CompareItems(*a.build, *b.build) : 0;
}

}  // namespace vigil::vuln::internal
