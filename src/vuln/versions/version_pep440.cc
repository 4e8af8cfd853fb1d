// PEP 440 versions, parsed as Python's `packaging.version` does (same spellings accepted, same
// normalisation, same ordering key).
#include <algorithm>
#include <string>

#include "version_schemes.h"

namespace vigil::vuln::internal {
namespace {

// A parsed version as views into the text it was parsed from (no allocation: a scan compares
// hundreds of thousands of versions, each comparison parsing both sides).
struct Pep440 {
  std::string_view epoch = "0";
  std::string_view release;  // "1.2.0": compared component-wise, missing components are 0
  int pre_rank = -1;         // -1 none, 0 a, 1 b, 2 rc
  std::string_view pre_num = "0";
  bool has_post = false;
  std::string_view post_num = "0";
  bool has_dev = false;
  std::string_view dev_num = "0";
  std::string_view local;  // after '+': segments split on . - _, compared case-insensitively
};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool IsLocalSeparator(char c) { return c == '.' || c == '-' || c == '_'; }

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  bool AtEnd() const { return pos_ == s_.size(); }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  bool Eat(char c) {
    if (Lower(Peek()) != c) return false;
    ++pos_;
    return true;
  }
  bool EatSeparator() { return Eat('-') || Eat('_') || Eat('.'); }
  // `w` is lower case; the text matches it in any case.
  bool EatWord(std::string_view w) {
    if (s_.size() - pos_ < w.size()) return false;
    for (size_t i = 0; i < w.size(); ++i) {
      if (Lower(s_[pos_ + i]) != w[i]) return false;
    }
    pos_ += w.size();
    return true;
  }
  std::string_view Digits() {
    size_t start = pos_;
    while (IsDigit(Peek())) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  std::string_view Rest() const { return s_.substr(pos_); }
  size_t pos_ = 0;

 private:
  std::string_view s_;
};

// [sep] label [sep] [digits]; restores the position when no label matches.
bool ParseLabelled(Scanner& sc, std::initializer_list<std::pair<std::string_view, int>> labels,
                   int& rank, std::string_view& number) {
  size_t save = sc.pos_;
  sc.EatSeparator();
  for (const auto& [word, r] : labels) {
    if (!sc.EatWord(word)) continue;
    rank = r;
    size_t before_sep = sc.pos_;
    sc.EatSeparator();
    number = sc.Digits();
    if (number.empty()) {
      sc.pos_ = before_sep;
      number = "0";
    }
    return true;
  }
  sc.pos_ = save;
  return false;
}

// The segments of a local version label, checked: alphanumerics separated by single . - _.
Status CheckLocal(std::string_view local) {
  bool empty_segment = true;
  for (char c : local) {
    if (IsLocalSeparator(c)) {
      if (empty_segment) return InvalidArgumentError("empty local version segment");
      empty_segment = true;
    } else if (IsDigit(c) || IsAlpha(c)) {
      empty_segment = false;
    } else {
      return InvalidArgumentError("invalid character in local version");
    }
  }
  if (empty_segment) return InvalidArgumentError("empty local version segment");
  return OkStatus();
}

Result<Pep440> Parse(std::string_view text) {
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  Scanner sc(text);
  Pep440 v;
  sc.Eat('v');
  std::string_view first = sc.Digits();
  if (first.empty()) return InvalidArgumentError("expected a release number");
  size_t release_start = sc.pos_ - first.size();
  if (sc.Eat('!')) {
    v.epoch = first;
    release_start = sc.pos_;
    first = sc.Digits();
    if (first.empty()) return InvalidArgumentError("expected a release number after the epoch");
  }
  while (sc.Peek() == '.' && IsDigit(sc.Peek(1))) {
    sc.Eat('.');
    sc.Digits();
  }
  v.release = text.substr(release_start, sc.pos_ - release_start);
  ParseLabelled(sc,
                {{"alpha", 0},
                 {"a", 0},
                 {"beta", 1},
                 {"b", 1},
                 {"preview", 2},
                 {"pre", 2},
                 {"c", 2},
                 {"rc", 2}},
                v.pre_rank, v.pre_num);
  if (sc.Peek() == '-' && IsDigit(sc.Peek(1))) {
    sc.Eat('-');
    v.has_post = true;
    v.post_num = sc.Digits();
  } else {
    int rank = 0;
    v.has_post = ParseLabelled(sc, {{"post", 0}, {"rev", 0}, {"r", 0}}, rank, v.post_num);
  }
  int dev_rank = 0;
  v.has_dev = ParseLabelled(sc, {{"dev", 0}}, dev_rank, v.dev_num);
  if (sc.Eat('+')) {
    v.local = sc.Rest();
    VIGIL_RETURN_IF_ERROR(CheckLocal(v.local));
    sc.pos_ += v.local.size();
  }
  if (!sc.AtEnd()) {
    return InvalidArgumentError("unexpected '" + std::string(1, sc.Peek()) + "'");
  }
  return v;
}

// The next component of a dotted or separated list, consuming it and its separator; "0"
// once the list is exhausted (PEP 440 release padding).
std::string_view NextComponent(std::string_view& rest, bool (*is_separator)(char)) {
  if (rest.empty()) return "0";
  size_t end = 0;
  while (end < rest.size() && !is_separator(rest[end])) ++end;
  std::string_view out = rest.substr(0, end);
  rest.remove_prefix(end == rest.size() ? end : end + 1);
  return out;
}

bool IsDot(char c) { return c == '.'; }

// Release segments compare numerically with missing ones as zero ("1.0" == "1.0.0").
int CompareRelease(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    if (int c = CompareDigitRuns(NextComponent(a, IsDot), NextComponent(b, IsDot))) return c;
  }
  return 0;
}

// packaging's _cmpkey: a dev release without pre/post sorts before any pre-release.
int PrePhase(const Pep440& v) {
  if (v.pre_rank < 0 && !v.has_post && v.has_dev) return -1;
  return v.pre_rank < 0 ? 3 : v.pre_rank;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return !s.empty();
}

int CompareFolded(std::string_view a, std::string_view b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (int c = Sign(Lower(a[i]) - Lower(b[i]))) return c;
  }
  return Sign(static_cast<int>(a.size()) - static_cast<int>(b.size()));
}

// Local labels: segment by segment, numeric segments after alphanumeric ones, a longer label
// (all else equal) after a shorter one.
int CompareLocal(std::string_view a, std::string_view b) {
  while (!a.empty() && !b.empty()) {
    std::string_view x = NextComponent(a, IsLocalSeparator);
    std::string_view y = NextComponent(b, IsLocalSeparator);
    bool xn = AllDigits(x), yn = AllDigits(y);
    if (xn != yn) return xn ? 1 : -1;
    if (int c = xn ? CompareDigitRuns(x, y) : CompareFolded(x, y)) return c;
  }
  return Sign(static_cast<int>(!a.empty()) - static_cast<int>(!b.empty()));
}

}  // namespace

Status ValidatePep440(std::string_view v) {
  auto p = Parse(v);
  if (!p) return p.error();
  return OkStatus();
}

int ComparePep440(std::string_view as, std::string_view bs) {
  Pep440 a = *Parse(as), b = *Parse(bs);
  if (int c = CompareDigitRuns(a.epoch, b.epoch)) return c;
  if (int c = CompareRelease(a.release, b.release)) return c;
  if (int c = Sign(PrePhase(a) - PrePhase(b))) return c;
  if (a.pre_rank >= 0 && PrePhase(a) >= 0) {
    if (int c = CompareDigitRuns(a.pre_num, b.pre_num)) return c;
  }
  if (a.has_post != b.has_post) return a.has_post ? 1 : -1;
  if (a.has_post) {
    if (int c = CompareDigitRuns(a.post_num, b.post_num)) return c;
  }
  if (a.has_dev != b.has_dev) return a.has_dev ? -1 : 1;
  if (a.has_dev) {
    if (int c = CompareDigitRuns(a.dev_num, b.dev_num)) return c;
  }
  if (a.local.empty() != b.local.empty()) return a.local.empty() ? -1 : 1;
  return CompareLocal(a.local, b.local);
}

}  // namespace vigil::vuln::internal
