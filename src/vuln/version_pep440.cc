// PEP 440 versions, parsed as Python's `packaging.version` does (same spellings accepted, same
// normalisation, same ordering key).
#include <cctype>
#include <string>
#include <vector>

#include "vuln/version_schemes.h"

namespace vigil::vuln::internal {
namespace {

struct Pep440 {
  std::string epoch = "0";
  std::vector<std::string> release;  // trailing zeros stripped
  int pre_rank = -1;                 // -1 none, 0 a, 1 b, 2 rc
  std::string pre_num = "0";
  bool has_post = false;
  std::string post_num = "0";
  bool has_dev = false;
  std::string dev_num = "0";
  std::vector<std::string> local;  // lower-case segments
};

class Scanner {
 public:
  explicit Scanner(std::string s) : s_(std::move(s)) {}
  bool AtEnd() const { return pos_ == s_.size(); }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  bool EatSeparator() { return Eat('-') || Eat('_') || Eat('.'); }
  bool EatWord(std::string_view w) {
    if (s_.compare(pos_, w.size(), w) != 0) return false;
    pos_ += w.size();
    return true;
  }
  std::string Digits() {
    size_t start = pos_;
    while (IsDigit(Peek())) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  size_t pos_ = 0;
  std::string s_;
};

// [sep] label [sep] [digits]; restores the position when no label matches.
bool ParseLabelled(Scanner& sc, std::initializer_list<std::pair<std::string_view, int>> labels,
                   int& rank, std::string& number) {
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

Result<Pep440> Parse(std::string_view text) {
  std::string s;
  for (char c : text) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t lead = 0;
  while (lead < s.size() && std::isspace(static_cast<unsigned char>(s[lead]))) ++lead;
  Scanner sc(s.substr(lead));
  Pep440 v;
  sc.Eat('v');
  std::string first = sc.Digits();
  if (first.empty()) return InvalidArgumentError("expected a release number");
  if (sc.Eat('!')) {
    v.epoch = first;
    first = sc.Digits();
    if (first.empty()) return InvalidArgumentError("expected a release number after the epoch");
  }
  v.release.push_back(first);
  while (sc.Peek() == '.' && IsDigit(sc.Peek(1))) {
    sc.Eat('.');
    v.release.push_back(sc.Digits());
  }
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
    std::string seg;
    while (!sc.AtEnd()) {
      char c = sc.Peek();
      if (std::isalnum(static_cast<unsigned char>(c))) {
        seg.push_back(c);
      } else if (c == '.' || c == '-' || c == '_') {
        if (seg.empty()) return InvalidArgumentError("empty local version segment");
        v.local.push_back(seg);
        seg.clear();
      } else {
        return InvalidArgumentError("invalid character in local version");
      }
      sc.pos_++;
    }
    if (seg.empty()) return InvalidArgumentError("empty local version segment");
    v.local.push_back(seg);
  }
  if (!sc.AtEnd()) {
    return InvalidArgumentError("unexpected '" + std::string(1, sc.Peek()) + "'");
  }
  while (v.release.size() > 1 && CompareDigitRuns(v.release.back(), "0") == 0) v.release.pop_back();
  if (v.release.size() == 1 && CompareDigitRuns(v.release[0], "0") == 0) v.release.clear();
  return v;
}

bool AllDigits(const std::string& s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return !s.empty();
}

int CompareRelease(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (int c = CompareDigitRuns(a[i], b[i])) return c;
  }
  return Sign(static_cast<int>(a.size()) - static_cast<int>(b.size()));
}

// packaging's _cmpkey: a dev release without pre/post sorts before any pre-release.
int PrePhase(const Pep440& v) {
  if (v.pre_rank < 0 && !v.has_post && v.has_dev) return -1;
  return v.pre_rank < 0 ? 3 : v.pre_rank;
}

int CompareLocal(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    bool an = AllDigits(a[i]), bn = AllDigits(b[i]);
    if (an != bn) return an ? 1 : -1;  // numeric segments sort after alphanumeric ones
    int c = an ? CompareDigitRuns(a[i], b[i]) : Sign(a[i].compare(b[i]));
    if (c) return c;
  }
  return Sign(static_cast<int>(a.size()) - static_cast<int>(b.size()));
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
