// Gem::Version ordering: segments are runs of digits or letters; a letter makes the version a
// pre-release; trailing zero segments of the release and pre-release parts are dropped.
#include <string>
#include <variant>
#include <vector>

#include "version_schemes.h"

namespace vigil::vuln::internal {
namespace {

struct Segment {
  bool numeric;
  std::string text;
};

bool IsZero(const Segment& s) { return s.numeric && CompareDigitRuns(s.text, "0") == 0; }

std::vector<Segment> CanonicalSegments(std::string_view text) {
  std::string v;
  // Gem::Version treats "-" as ".pre.".
  for (char c : text) {
    if (c == '-')
      v += ".pre.";
    else if (c != ' ')
      v.push_back(c);
  }
  std::vector<Segment> all;
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    if (IsDigit(v[i])) {
      while (j < v.size() && IsDigit(v[j])) ++j;
      all.push_back({true, v.substr(i, j - i)});
    } else if (IsAlpha(v[i])) {
      while (j < v.size() && IsAlpha(v[j])) ++j;
      all.push_back({false, v.substr(i, j - i)});
    } else {
      ++j;
    }
    i = j;
  }
  size_t string_start = 0;
  while (string_start < all.size() && all[string_start].numeric) ++string_start;
  std::vector<Segment> numeric(all.begin(),
                               all.begin() + static_cast<std::ptrdiff_t>(string_start));
  std::vector<Segment> rest(all.begin() + static_cast<std::ptrdiff_t>(string_start), all.end());
  while (!numeric.empty() && IsZero(numeric.back())) numeric.pop_back();
  while (!rest.empty() && IsZero(rest.back())) rest.pop_back();
  numeric.insert(numeric.end(), rest.begin(), rest.end());
  return numeric;
}

}  // namespace

Status ValidateRubyGems(std::string_view v) {
  // /\A\s*([0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z/
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.empty()) return OkStatus();
  size_t i = 0;
  if (!IsDigit(v[0])) return InvalidArgumentError("must start with a digit");
  while (i < v.size() && IsDigit(v[i])) ++i;
  while (i < v.size() && v[i] == '.') {
    size_t start = ++i;
    while (i < v.size() && (IsDigit(v[i]) || IsAlpha(v[i]))) ++i;
    if (i == start) return InvalidArgumentError("empty segment");
  }
  if (i < v.size() && v[i] == '-') {
    do {
      size_t start = ++i;
      while (i < v.size() && (IsDigit(v[i]) || IsAlpha(v[i]) || v[i] == '-')) ++i;
      if (i == start) return InvalidArgumentError("empty pre-release segment");
    } while (i < v.size() && v[i] == '.');
  }
  if (i != v.size()) return InvalidArgumentError("unexpected '" + std::string(1, v[i]) + "'");
  return OkStatus();
}

int CompareRubyGems(std::string_view a, std::string_view b) {
  std::vector<Segment> x = CanonicalSegments(a), y = CanonicalSegments(b);
  const Segment zero{true, "0"};
  for (size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
    const Segment& l = i < x.size() ? x[i] : zero;
    const Segment& r = i < y.size() ? y[i] : zero;
    if (l.numeric != r.numeric) return l.numeric ? 1 : -1;
    int c = l.numeric ? CompareDigitRuns(l.text, r.text) : Sign(l.text.compare(r.text));
    if (c) return c;
  }
  return 0;
}

}  // namespace vigil::vuln::internal
