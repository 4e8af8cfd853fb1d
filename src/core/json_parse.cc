// The strict JSON parser (see vigil/core/json.h): one recursive-descent pass building the value
// tree, recursion bounded by Limits::max_depth.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "vigil/core/encoding.h"
#include "vigil/core/json.h"
#include "vigil/core/utf8.h"

namespace vigil::json {
namespace {

// How a byte continues a string scan: plain bytes are skipped in one tight loop.
enum : uint8_t { kPlain, kQuote, kBackslash, kControl, kHigh };
constexpr std::array<uint8_t, 256> kStringClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = kControl;
  for (int c = 0x80; c < 0x100; ++c) t[c] = kHigh;
  t['"'] = kQuote;
  t['\\'] = kBackslash;
  return t;
}();

// Skips plain string bytes eight at a time (SWAR): stops at or before the first '"', '\\',
// control character or non-ASCII byte, which the byte loop then classifies. Hex digests and
// paths, most of what TUF metadata and SBOMs hold, are long runs of plain bytes.
const char* SkipPlainRun(const char* p, const char* end) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighBits = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHighBits; };
  while (end - p >= 8) {
    uint64_t x;
    std::memcpy(&x, p, 8);
    uint64_t special = has_zero(x ^ (kOnes * '"')) | has_zero(x ^ (kOnes * '\\')) |
                       ((x - kOnes * 0x20) & ~x & kHighBits) | (x & kHighBits);
    if (special != 0) break;
    p += 8;
  }
  return p;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  auto put = [&](uint32_t b) { out.push_back(static_cast<char>(b)); };
  if (cp < 0x80) {
    put(cp);
  } else if (cp < 0x800) {
    put(0xc0 | (cp >> 6));
    put(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    put(0xe0 | (cp >> 12));
    put(0x80 | ((cp >> 6) & 0x3f));
    put(0x80 | (cp & 0x3f));
  } else {
    put(0xf0 | (cp >> 18));
    put(0x80 | ((cp >> 12) & 0x3f));
    put(0x80 | ((cp >> 6) & 0x3f));
    put(0x80 | (cp & 0x3f));
  }
}

// A byte for an error message: 'c' for ASCII (control characters escaped by OneLine), \xNN
// for a byte that may not be printable UTF-8 on its own.
std::string ShownByte(const char* p, const char* end) {
  if (p >= end) return "the end of the input";
  auto c = static_cast<unsigned char>(*p);
  if (c >= 0x80) {
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("byte \\x") + kHex[c >> 4] + kHex[c & 0xf];
  }
  return "'" + OneLine(std::string_view(p, 1)) + "'";
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// One step of the path to the value being parsed, in the frame of the container that takes it
// (so a step costs no allocation and the path is built into text only for an error): a member
// name (a view of the key being read) or an array index, and the step before it.
struct PathStep {
  const PathStep* parent;
  std::string_view key;
  size_t index;
  bool is_index;
};

}  // namespace

class Parser {
 public:
  Parser(std::string_view text, std::string_view name, const Limits& limits)
      : begin_(text.data()), p_(begin_), end_(begin_ + text.size()), name_(name), limits_(limits) {}

  // Whether the text read so far is written as Canonical would write its value (see
  // Parse's `canonical_text`).
  bool canonical() const { return canonical_; }

  Result<Value> Run() {
    size_t size = static_cast<size_t>(end_ - begin_);
    if (size > limits_.max_bytes) {
      return InvalidArgumentError(OneLine(name_) + ": document is " + std::to_string(size) +
                                  " bytes, more than the limit of " +
                                  std::to_string(limits_.max_bytes));
    }
    if (size >= 3 && std::memcmp(p_, "\xef\xbb\xbf", 3) == 0) {
      Fail("a byte order mark is not allowed (RFC 8259 section 8.1)");
      return *error_;
    }
    Value root;
    SkipSpace();
    if (!ParseValue(root)) return *error_;
    SkipSpace();
    if (p_ != end_) {
      Fail("expected the end of the document after the value, found " + ShownByte(p_, end_));
      return *error_;
    }
    return root;
  }

 private:
  // Records the first syntax error (with the path of the innermost open container) and returns
  // false so callers unwind.
  bool Fail(const std::string& what) {
    if (error_) return false;
    std::string m =
        OneLine(name_) + ": malformed JSON at byte " + std::to_string(p_ - begin_) + ": " + what;
    if (path_ != nullptr) m += " (in " + Path(path_) + ")";
    error_ = InvalidArgumentError(std::move(m));
    return false;
  }

  static std::string Path(const PathStep* step) {
    if (step == nullptr) return "$";
    std::string parent = Path(step->parent);
    if (step->is_index) return parent + "[" + std::to_string(step->index) + "]";
    return MemberPath(parent, step->key);
  }

  void SkipSpace() {
    const char* start = p_;
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    if (p_ != start) canonical_ = false;  // canonical text has no whitespace
  }

  bool ParseValue(Value& out) {
    if (p_ == end_) return Fail("expected a value, found the end of the input");
    switch (*p_) {
      case '{':
        return ParseObject(out);
      case '[':
        return ParseArray(out);
      case '"':
        // Decoded straight into the value (as containers are below): no temporary to move.
        return ParseString(out.data_.emplace<std::string>());
      case 't':
        return Literal("true", Value(true), out);
      case 'f':
        return Literal("false", Value(false), out);
      case 'n':
        return Literal("null", Value(), out);
      case 'N':
      case 'I':
        return Fail("NaN and Infinity are not JSON numbers");
      default:
        if (*p_ == '-' || IsDigit(*p_)) return ParseNumber(out);
        return Fail("expected a value, found " + ShownByte(p_, end_));
    }
  }

  bool Literal(std::string_view word, Value value, Value& out) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return Fail("expected a value, found " + ShownByte(p_, end_));
    }
    p_ += word.size();
    out = std::move(value);
    return true;
  }

  bool Digits() {
    if (p_ == end_ || !IsDigit(*p_)) return Fail("expected a digit, found " + ShownByte(p_, end_));
    while (p_ < end_ && IsDigit(*p_)) ++p_;
    return true;
  }

  bool ParseNumber(Value& out) {
    const char* start = p_;
    bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ < end_ && *p_ == 'I') return Fail("NaN and Infinity are not JSON numbers");
    if (p_ < end_ && *p_ == '0') {
      ++p_;
      if (negative) canonical_ = false;  // -0 is written 0
      if (p_ < end_ && IsDigit(*p_)) return Fail("a number must not have leading zeros");
    } else if (!Digits()) {
      return false;
    }
    bool integer = true;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      integer = false;
      if (!Digits()) return false;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      integer = false;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!Digits()) return false;
    }
    if (integer) {
      int64_t n = 0;
      auto r = std::from_chars(start, p_, n);
      if (r.ec == std::errc() && r.ptr == p_) {
        out = Value(n);
        return true;
      }
    }
    canonical_ = false;  // canonical JSON has integers (within int64) only
    return ParseDouble(start, out);
  }

  // A fraction, an exponent or an integer beyond int64. strtod (on a bounded copy) rather than
  // from_chars because it gives underflow as 0 or a subnormal, as every other JSON parser does.
  bool ParseDouble(const char* start, Value& out) {
    std::string digits(start, p_);
    double d = std::strtod(digits.c_str(), nullptr);
    if (!std::isfinite(d)) {
      p_ = start;
      return Fail("number " + digits.substr(0, 32) + " is out of range");
    }
    out = Value(d);
    return true;
  }

  // Reads 4 hex digits after "\u".
  bool Hex4(uint32_t& out) {
    out = 0;
    for (int i = 0; i < 4; ++i, ++p_) {
      char c = p_ < end_ ? *p_ : '\0';
      int v = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (v < 0) return Fail("expected 4 hex digits after \\u, found " + ShownByte(p_, end_));
      out = out << 4 | static_cast<uint32_t>(v);
    }
    return true;
  }

  // After a backslash: appends the escaped character to `out`.
  bool Escape(std::string& out) {
    const char* at = p_ - 1;
    if (p_ == end_) return Fail("expected an escape after '\\', found the end of the input");
    char c = *p_++;
    static constexpr std::string_view kFrom = "\"\\/bfnrt", kTo = "\"\\/\b\f\n\r\t";
    if (size_t i = kFrom.find(c); i != std::string_view::npos) {
      if (i > 1) canonical_ = false;  // canonical strings escape only '"' and '\\'
      out.push_back(kTo[i]);
      return true;
    }
    if (c != 'u') {
      p_ = at;
      return Fail("expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX), found \\" +
                  OneLine(std::string_view(&c, 1)));
    }
    canonical_ = false;
    uint32_t cp = 0;
    if (!Hex4(cp)) return false;
    if (cp >= 0xdc00 && cp <= 0xdfff) {
      p_ = at;
      return Fail("a \\u low surrogate without a high surrogate before it");
    }
    if (cp >= 0xd800 && cp <= 0xdbff) {
      uint32_t low = 0;
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u' || (p_ += 2, !Hex4(low)) || low < 0xdc00 ||
          low > 0xdfff) {
        p_ = at;
        return Fail("a \\u high surrogate must be followed by a \\u low surrogate");
      }
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
    }
    AppendUtf8(out, cp);
    return true;
  }

  // At the opening quote; decodes into `out`. Runs of plain bytes are appended in one piece
  // (by length: append(first, last) would take std::string's general replace path).
  bool ParseString(std::string& out) {
    const char* run = ++p_;
    for (;;) {
      p_ = SkipPlainRun(p_, end_);
      while (p_ < end_ && kStringClass[static_cast<uint8_t>(*p_)] == kPlain) ++p_;
      if (p_ == end_) return Fail("expected '\"' to close the string, found the end of the input");
      switch (kStringClass[static_cast<uint8_t>(*p_)]) {
        case kQuote:
          out.append(run, static_cast<size_t>(p_ - run));
          ++p_;
          return true;
        case kBackslash:
          out.append(run, static_cast<size_t>(p_ - run));
          ++p_;
          if (!Escape(out)) return false;
          run = p_;
          break;
        case kControl:
          return Fail("expected a string character, found the control character " +
                      OneLine(std::string_view(p_, 1)) + " (write it as an escape)");
        default: {
          size_t n = Utf8SequenceLength(std::string_view(p_, static_cast<size_t>(end_ - p_)), 0);
          if (n == 0) return Fail("invalid UTF-8 in a string");
          p_ += n;
        }
      }
    }
  }

  bool Enter() {
    if (depth_ >= limits_.max_depth) {
      return Fail("nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    ++depth_;
    ++p_;
    SkipSpace();
    return true;
  }

  // After a member or element: true at ',' (consumed), false at `close` (consumed) or on error
  // (`failed` set).
  bool More(char close, const char* what, bool& failed) {
    SkipSpace();
    if (p_ < end_ && *p_ == ',') {
      ++p_;
      SkipSpace();
      return true;
    }
    if (p_ < end_ && *p_ == close) {
      ++p_;
      --depth_;
      return false;
    }
    failed = true;
    Fail(std::string("expected ',' or '") + close + "' after " + what + ", found " +
         ShownByte(p_, end_));
    return false;
  }

  bool ParseArray(Value& out) {
    if (!Enter()) return false;
    Array& elements = out.data_.emplace<Array>();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      --depth_;
      return true;
    }
    bool failed = false;
    do {
      PathStep step{path_, {}, elements.size(), true};
      path_ = &step;
      bool ok = ParseValue(elements.emplace_back());
      path_ = step.parent;
      if (!ok) return false;
    } while (More(']', "an array element", failed));
    return !failed;
  }

  bool ParseObject(Value& out) {
    if (!Enter()) return false;
    Object& members = out.data_.emplace<Object>();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      --depth_;
      return true;
    }
    // Most objects are small: one allocation for the first few members instead of one per
    // doubling (a TUF target entry has two members, its hashes one or two).
    members.reserve(4);
    bool failed = false;
    do {
      if (!ParseMember(members)) return false;
    } while (More('}', "an object member", failed));
    if (failed) return false;
    return CheckUnique(members);
  }

  bool ParseMember(Object& members) {
    if (p_ == end_ || *p_ != '"') {
      return Fail("expected '\"' to start a member name, found " + ShownByte(p_, end_));
    }
    Member& m = members.emplace_back();
    if (!ParseString(m.key)) return false;
    SkipSpace();
    if (p_ == end_ || *p_ != ':') {
      return Fail("expected ':' after a member name, found " + ShownByte(p_, end_));
    }
    ++p_;
    SkipSpace();
    PathStep step{path_, m.key, 0, false};
    path_ = &step;
    bool ok = ParseValue(m.value);
    path_ = step.parent;
    return ok;
  }

  // Duplicate names. Names that rise strictly (canonical documents, as TUF repositories publish
  // them, list members in name order) are unique: one pass. Others (and the text is then not
  // canonical) are compared pairwise in small objects, by sorting views in large ones (a
  // targets map has 10,000 members).
  bool CheckUnique(const Object& members) {
    if (NamesRise(members)) return true;
    canonical_ = false;
    const std::string* dup = nullptr;
    if (members.size() <= 16) {
      for (size_t i = 1; i < members.size() && !dup; ++i) {
        for (size_t j = 0; j < i && !dup; ++j) {
          if (members[i].key == members[j].key) dup = &members[i].key;
        }
      }
    } else {
      std::vector<std::string_view> keys;
      keys.reserve(members.size());
      for (const Member& m : members) keys.push_back(m.key);
      std::sort(keys.begin(), keys.end());
      for (size_t i = 1; i < keys.size() && !dup; ++i) {
        if (keys[i] == keys[i - 1]) dup = &Find(members, keys[i])->key;
      }
    }
    if (dup == nullptr) return true;
    if (!error_) {
      error_ = InvalidArgumentError(OneLine(name_) + ": " + Path(path_) +
                                    ": duplicate object key \"" + OneLine(*dup) + "\"");
    }
    return false;
  }

  static bool NamesRise(const Object& members) {
    for (size_t i = 1; i < members.size(); ++i) {
      if (!(members[i - 1].key < members[i].key)) return false;
    }
    return true;
  }

  static const Member* Find(const Object& members, std::string_view key) {
    for (const Member& m : members) {
      if (m.key == key) return &m;
    }
    return nullptr;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  std::string_view name_;
  const Limits& limits_;
  int depth_ = 0;
  const PathStep* path_ = nullptr;  // to the value being parsed; null at the root
  std::optional<Error> error_;
  // Cleared at the first thing Canonical would write otherwise: whitespace, an escape other than
  // \" and \\, a number that is not an integer within int64 or is -0, members out of name order.
  // Kept during the one pass, so a reader of signed documents learns it without reading the
  // text again.
  bool canonical_ = true;
};

Result<Value> Parse(std::string_view text, std::string_view name, const Limits& limits,
                    bool* canonical_text) {
  Parser parser(text, name, limits);
  Result<Value> value = parser.Run();
  if (canonical_text != nullptr) *canonical_text = value.has_value() && parser.canonical();
  return value;
}

}  // namespace vigil::json
