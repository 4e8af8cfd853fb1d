// The "generic" scheme for C/C++ and firmware versions as NVD and vendors write them
// (1.1.1k, R0.13c, 2.0.9-hotfix.7, 5.4.0-rc2). Tokens are digit runs and letter runs; anything
// else separates them. See version.h for the ordering rules.
#include <string>
#include <vector>

#include "version_schemes.h"

namespace vigil::vuln::internal {
namespace {

struct Token {
  enum Kind { kEnd, kNumber, kWord } kind;
  std::string text;  // lower case
  bool attached;     // a word written directly after a number ("1.1.1k")
};

// Pre-release words, in order; everything else that is a word is a post-release marker.
int PreReleaseRank(const std::string& w) {
  // "dev" is not one: OpenSSL's "1.0.2zc-dev" is the development line after 1.0.2zc.
  static constexpr std::string_view kWords[] = {
      "snapshot", "alpha", "a", "beta", "b", "milestone", "m", "pre", "preview", "rc", "cr"};
  static constexpr int kRanks[] = {1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6};
  for (size_t i = 0; i < std::size(kWords); ++i) {
    if (w == kWords[i]) return kRanks[i];
  }
  return -1;
}

std::vector<Token> Tokenise(std::string_view v) {
  std::string s;
  for (char c : v) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  size_t i = 0;
  if (s.size() > 1 && (s[0] == 'v' || s[0] == 'r') && IsDigit(s[1])) i = 1;
  std::vector<Token> out;
  bool after_number = false;
  while (i < s.size()) {
    size_t j = i;
    if (IsDigit(s[i])) {
      while (j < s.size() && IsDigit(s[j])) ++j;
      out.push_back({Token::kNumber, s.substr(i, j - i), false});
      after_number = true;
    } else if (IsAlpha(s[i])) {
      while (j < s.size() && IsAlpha(s[j])) ++j;
      std::string w = s.substr(i, j - i);
      // A single letter glued to a number is a letter release (1.1.1k) unless it is a
      // pre-release abbreviation followed by a number (1.0b2, 2.0a1).
      bool attached = after_number && PreReleaseRank(w) < 0;
      if (after_number && w.size() == 1 && (j == s.size() || !IsDigit(s[j]))) attached = true;
      out.push_back({Token::kWord, w, attached});
      after_number = false;
    } else {
      j = i + 1;
      after_number = false;
    }
    i = j;
  }
  return out;
}

// Word against word: pre-release words by rank and before others; letter releases after
// separated words ("0.9.6-cvs" < "0.9.6a"); otherwise alphabetical.
int CompareWords(const Token& a, const Token& b) {
  int ra = a.attached ? -1 : PreReleaseRank(a.text), rb = b.attached ? -1 : PreReleaseRank(b.text);
  if (ra >= 0 || rb >= 0) {
    if (ra < 0) return 1;
    if (rb < 0) return -1;
    return Sign(ra - rb);
  }
  if (a.attached != b.attached) return a.attached ? 1 : -1;
  return Sign(a.text.compare(b.text));
}

// A missing token against `t`: numbers count as 0; a pre-release word is less than nothing,
// any other word more.
int CompareEndTo(const Token& t) {
  if (t.kind == Token::kNumber) return -CompareDigitRuns(t.text, "0");
  return (!t.attached && PreReleaseRank(t.text) >= 0) ? 1 : -1;
}

}  // namespace

Status ValidateGeneric(std::string_view v) {
  bool any = false;
  for (char c : v) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return InvalidArgumentError("control character");
    any = any || IsDigit(c) || IsAlpha(c);
  }
  if (!any) return InvalidArgumentError("no digits or letters");
  return OkStatus();
}

int CompareGeneric(std::string_view as, std::string_view bs) {
  std::vector<Token> a = Tokenise(as), b = Tokenise(bs);
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    int c;
    if (i >= a.size()) {
      c = CompareEndTo(b[i]);
    } else if (i >= b.size()) {
      c = -CompareEndTo(a[i]);
    } else if (a[i].kind == Token::kNumber && b[i].kind == Token::kNumber) {
      c = CompareDigitRuns(a[i].text, b[i].text);
    } else if (a[i].kind == Token::kWord && b[i].kind == Token::kWord) {
      c = CompareWords(a[i], b[i]);
    } else {
      // Number against word: a pre-release word is lower, any other word too (1.0a < 1.0.1).
      c = a[i].kind == Token::kNumber ? 1 : -1;
    }
    if (c) return c;
  }
  return 0;
}

}  // namespace vigil::vuln::internal
