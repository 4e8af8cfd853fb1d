// Alpine apk versions: numbers[.numbers]*[letter](_suffix[N])*[~hash][-rN], ordered as apk does:
// numbers (later ones with a leading zero compared as decimal fractions), then the letter, then
// the suffixes (_alpha < _beta < _pre < _rc < none < _cvs < _svn < _git < _hg < _p), then -rN.
#include <string>
#include <vector>

#include "version_schemes.h"

namespace vigil::vuln::internal {
namespace {

constexpr std::string_view kSuffixes[] = {"alpha", "beta", "pre", "rc", "",
                                          "cvs",   "svn",  "git", "hg", "p"};
constexpr int kNoSuffix = 4;

struct Apk {
  std::vector<std::string_view> numbers;
  char letter = 0;
  std::vector<std::pair<int, std::string_view>> suffixes;
  std::string_view revision = "0";
};

Result<Apk> Parse(std::string_view v) {
  Apk a;
  size_t i = 0;
  auto digits = [&] {
    size_t s = i;
    while (i < v.size() && IsDigit(v[i])) ++i;
    return v.substr(s, i - s);
  };
  do {
    if (!a.numbers.empty()) ++i;  // the '.'
    std::string_view n = digits();
    if (n.empty()) return InvalidArgumentError("expected a number");
    a.numbers.push_back(n);
  } while (i < v.size() && v[i] == '.');
  if (i < v.size() && v[i] >= 'a' && v[i] <= 'z') a.letter = v[i++];
  while (i < v.size() && v[i] == '_') {
    ++i;
    int rank = -1;
    for (int r = 0; r < static_cast<int>(std::size(kSuffixes)); ++r) {
      std::string_view s = kSuffixes[r];
      if (!s.empty() && v.substr(i, s.size()) == s &&
          (i + s.size() == v.size() || !IsAlpha(v[i + s.size()]))) {
        rank = r;
        i += s.size();
        break;
      }
    }
    if (rank < 0) return InvalidArgumentError("unknown suffix after '_'");
    std::string_view n = digits();
    a.suffixes.emplace_back(rank, n.empty() ? std::string_view("0") : n);
  }
  if (i < v.size() && v[i] == '~') {  // ~<commit hash>: not part of the ordering
    ++i;
    while (i < v.size() && (IsDigit(v[i]) || (v[i] >= 'a' && v[i] <= 'f'))) ++i;
  }
  if (i < v.size() && v.substr(i, 2) == "-r") {
    i += 2;
    a.revision = digits();
    if (a.revision.empty()) return InvalidArgumentError("expected a number after '-r'");
  }
  if (i != v.size()) return InvalidArgumentError("unexpected '" + std::string(1, v[i]) + "'");
  return a;
}

// Numbers after the first compare as decimal fractions when either has a leading zero.
int CompareNumber(std::string_view x, std::string_view y, bool first) {
  if (!first && ((x.size() > 1 && x[0] == '0') || (y.size() > 1 && y[0] == '0'))) {
    return Sign(x.compare(y));
  }
  return CompareDigitRuns(x, y);
}

}  // namespace

Status ValidateAlpine(std::string_view v) {
  auto a = Parse(v);
  if (!a) return a.error();
  return OkStatus();
}

int CompareAlpine(std::string_view as, std::string_view bs) {
  Apk a = *Parse(as), b = *Parse(bs);
  for (size_t i = 0; i < std::min(a.numbers.size(), b.numbers.size()); ++i) {
    if (int c = CompareNumber(a.numbers[i], b.numbers[i], i == 0)) return c;
  }
  if (a.numbers.size() != b.numbers.size()) return a.numbers.size() < b.numbers.size() ? -1 : 1;
  if (a.letter != b.letter) return a.letter < b.letter ? -1 : 1;
  size_t n = std::max(a.suffixes.size(), b.suffixes.size());
  for (size_t i = 0; i < n; ++i) {
    auto x =
        i < a.suffixes.size() ? a.suffixes[i] : std::make_pair(kNoSuffix, std::string_view("0"));
    auto y =
        i < b.suffixes.size() ? b.suffixes[i] : std::make_pair(kNoSuffix, std::string_view("0"));
    if (x.first != y.first) return x.first < y.first ? -1 : 1;
    if (int c = CompareDigitRuns(x.second, y.second)) return c;
  }
  return CompareDigitRuns(a.revision, b.revision);
}

}  // namespace vigil::vuln::internal
