#include "internal/json_doc.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "vigil/core/encoding.h"

namespace vigil::update::internal {
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

// Length of the well-formed UTF-8 sequence at p (RFC 3629 §4: no overlong forms, no surrogates,
// nothing above U+10FFFF), or 0.
size_t Utf8SequenceLength(const uint8_t* p, const uint8_t* end) {
  auto cont = [&](size_t i, uint8_t lo = 0x80, uint8_t hi = 0xbf) {
    return p + i < end && p[i] >= lo && p[i] <= hi;
  };
  uint8_t c = p[0];
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c == 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c == 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

void AppendUtf8(std::vector<char>& out, uint32_t cp) {
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

// A byte for an error message: printable ASCII as 'c', anything else as \xNN.
std::string ShownByte(const char* p, const char* end) {
  if (p >= end) return "the end of the input";
  return "'" + OneLine(std::string_view(p, 1)) + "'";
}

}  // namespace

// One pass over the input, appending nodes in document order. Containers are closed (their
// subtree end set, their members sorted and checked for duplicates) when their closing bracket
// is read. Recursion depth is bounded by kMaxJsonDepth.
class JsonReader {
 public:
  JsonReader(std::string_view text, JsonDoc& doc)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), doc_(doc) {}

  // Empty on success, else the problem (byte offset, path, expectation).
  std::string Run() {
    if (static_cast<size_t>(end_ - begin_) > kMaxJsonBytes) {
      return "larger than " + std::to_string(kMaxJsonBytes) + " bytes";
    }
    doc_.nodes_.reserve(static_cast<size_t>(end_ - begin_) / 16 + 4);
    if (end_ - p_ >= 3 && std::memcmp(p_, "\xef\xbb\xbf", 3) == 0) {
      Fail("a byte order mark is not allowed (RFC 8259 section 8.1)");
      return problem_;
    }
    SkipSpace();
    if (Value({}) && (SkipSpace(), p_ != end_)) {
      Fail("expected the end of the input after the value, found " + ShownByte(p_, end_));
    }
    return problem_;
  }

 private:
  using Id = JsonDoc::Id;

  bool Fail(const std::string& what) {
    if (!problem_.empty()) return false;
    problem_ = "at byte " + std::to_string(p_ - begin_);
    if (!open_.empty()) {
      // The open containers end, for now, where the parse stopped (AppendPath needs the ends).
      for (Id open : open_) doc_.nodes_[open].end = static_cast<Id>(doc_.nodes_.size());
      problem_ += " (in ";
      doc_.AppendPath(problem_, open_.back());
      problem_ += ")";
    }
    problem_ += ": " + what;
    return false;
  }

  // True if it skipped anything (whitespace inside a value makes it non-canonical).
  bool SkipSpace() {
    const char* from = p_;
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    return p_ != from;
  }

  Id NewNode(JsonKind kind, std::string_view key) {
    auto id = static_cast<Id>(doc_.nodes_.size());
    JsonDoc::Node& n = doc_.nodes_.emplace_back();
    n.kind = kind;
    n.key = key;
    n.end = id + 1;  // a container's end is set when it closes
    return id;
  }

  bool Value(std::string_view key) {
    const char* start = p_;
    auto id = static_cast<Id>(doc_.nodes_.size());
    if (!ValueBody(key)) return false;
    JsonDoc::Node& n = doc_.nodes_[id];
    n.raw = std::string_view(start, static_cast<size_t>(p_ - start));
    return true;
  }

  // Any value (containers too), as the node at the end of nodes_.
  bool ValueBody(std::string_view key) {
    if (p_ == end_) return Fail("expected a value, found the end of the input");
    switch (*p_) {
      case '{':
        return Container(key, JsonKind::kObject);
      case '[':
        return Container(key, JsonKind::kArray);
      case '"': {
        Id id = NewNode(JsonKind::kString, key);
        std::string_view s;
        bool canonical = false;
        if (!String(s, canonical)) return false;
        doc_.nodes_[id].text = s;
        doc_.nodes_[id].canonical_as_written = canonical;
        return true;
      }
      case 't':
        return Literal(key, "true", JsonKind::kTrue);
      case 'f':
        return Literal(key, "false", JsonKind::kFalse);
      case 'n':
        return Literal(key, "null", JsonKind::kNull);
      default:
        if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return Number(key);
        return Fail("expected a value, found " + ShownByte(p_, end_));
    }
  }

  bool Literal(std::string_view key, std::string_view word, JsonKind kind) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size())) {
      return Fail("expected a value, found " + ShownByte(p_, end_));
    }
    Id id = NewNode(kind, key);
    doc_.nodes_[id].canonical_as_written = true;
    p_ += word.size();
    return true;
  }

  bool Digits() {
    if (p_ == end_ || *p_ < '0' || *p_ > '9') {
      return Fail("expected a digit, found " + ShownByte(p_, end_));
    }
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return true;
  }

  bool Number(std::string_view key) {
    const char* start = p_;
    bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ < end_ && *p_ == '0') {
      ++p_;
    } else if (!Digits()) {
      return false;
    }
    const char* int_end = p_;
    if (p_ < end_ && *p_ == '.' && (++p_, !Digits())) return false;
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!Digits()) return false;
    }
    Id id = NewNode(JsonKind::kFloat, key);
    JsonDoc::Node& n = doc_.nodes_[id];
    n.text = std::string_view(start, static_cast<size_t>(p_ - start));
    uint64_t magnitude = 0;
    bool fits = int_end == p_;
    for (const char* d = start + (negative ? 1 : 0); fits && d < int_end; ++d) {
      auto digit = static_cast<uint64_t>(*d - '0');
      fits = magnitude <= (UINT64_MAX - digit) / 10;
      magnitude = magnitude * 10 + digit;
    }
    if (fits && !negative) {
      n.kind = JsonKind::kUnsigned;
      n.number = magnitude;
      n.canonical_as_written = true;  // JSON integers have no '+' and no leading zeros
    } else if (fits && magnitude <= uint64_t{1} << 63) {
      n.kind = JsonKind::kNegative;
      n.number = uint64_t{0} - magnitude;
      n.canonical_as_written = magnitude != 0;  // "-0" is written "0"
    } else if (!std::isfinite(std::strtod(std::string(n.text).c_str(), nullptr))) {
      p_ = start;
      return Fail("number " + std::string(n.text.substr(0, 32)) + " is out of range");
    }
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

  // After a backslash: appends the escaped character to decoded_.
  bool Escape() {
    const char* at = p_ - 1;
    if (p_ == end_) return Fail("expected an escape after '\\', found the end of the input");
    char c = *p_++;
    static constexpr std::string_view kFrom = "\"\\/bfnrt", kTo = "\"\\/\b\f\n\r\t";
    if (size_t i = kFrom.find(c); i != std::string_view::npos && c != '\0') {
      doc_.decoded_.push_back(kTo[i]);
      return true;
    }
    if (c != 'u') {
      p_ = at;
      return Fail("expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX), found \\" +
                  OneLine(std::string_view(&c, 1)));
    }
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
    AppendUtf8(doc_.decoded_, cp);
    return true;
  }

  // At the opening quote. Strings without escapes are views into the input; the first escape
  // switches to decoding into decoded_. `canonical`: the only escapes were \" and \\.
  bool String(std::string_view& out, bool& canonical) {
    canonical = true;
    const char* start = ++p_;
    bool decoding = false;
    size_t decoded_start = 0;
    const char* run = start;  // start of bytes not yet copied while decoding
    for (;;) {
      while (p_ < end_ && kStringClass[static_cast<uint8_t>(*p_)] == kPlain) ++p_;
      if (p_ == end_) return Fail("expected '\"' to close the string, found the end of the input");
      switch (kStringClass[static_cast<uint8_t>(*p_)]) {
        case kQuote:
          if (!decoding) {
            out = std::string_view(start, static_cast<size_t>(p_ - start));
          } else {
            doc_.decoded_.insert(doc_.decoded_.end(), run, p_);
            out = std::string_view(doc_.decoded_.data() + decoded_start,
                                   doc_.decoded_.size() - decoded_start);
          }
          ++p_;
          return true;
        case kBackslash:
          if (!decoding) {
            if (doc_.decoded_.capacity() == 0) {
              doc_.decoded_.reserve(static_cast<size_t>(end_ - begin_));
            }
            decoding = true;
            decoded_start = doc_.decoded_.size();
          }
          doc_.decoded_.insert(doc_.decoded_.end(), run, p_);
          ++p_;
          if (p_ < end_ && *p_ != '"' && *p_ != '\\') canonical = false;
          if (!Escape()) return false;
          run = p_;
          break;
        case kControl:
          return Fail("expected a string character, found the control character " +
                      OneLine(std::string_view(p_, 1)) + " (write it as an escape)");
        default: {
          size_t n = Utf8SequenceLength(reinterpret_cast<const uint8_t*>(p_),
                                        reinterpret_cast<const uint8_t*>(end_));
          if (n == 0) return Fail("invalid UTF-8 in a string");
          p_ += n;
        }
      }
    }
  }

  bool Container(std::string_view key, JsonKind kind) {
    if (open_.size() >= static_cast<size_t>(kMaxJsonDepth)) {
      return Fail("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    }
    Id id = NewNode(kind, key);
    open_.push_back(id);
    ++p_;
    bool canonical = !SkipSpace();
    bool object = kind == JsonKind::kObject;
    char close = object ? '}' : ']';
    if (p_ < end_ && *p_ == close) {
      ++p_;
    } else {
      for (;;) {
        std::string_view member;
        if (object && !MemberName(member, canonical)) return false;
        auto child = static_cast<Id>(doc_.nodes_.size());
        if (!Value(member)) return false;
        canonical = canonical && doc_.nodes_[child].canonical_as_written;
        ++doc_.nodes_[id].count;
        if (SkipSpace()) canonical = false;
        if (p_ < end_ && *p_ == ',') {
          ++p_;
          if (SkipSpace()) canonical = false;
          continue;
        }
        if (p_ < end_ && *p_ == close) {
          ++p_;
          break;
        }
        return Fail(std::string("expected ',' or '") + close + "', found " + ShownByte(p_, end_));
      }
    }
    doc_.nodes_[id].end = static_cast<Id>(doc_.nodes_.size());
    if (object && !SortMembers(id, canonical)) return false;
    doc_.nodes_[id].canonical_as_written = canonical;
    open_.pop_back();
    return true;
  }

  // `"name"` and the ':' after it, with the whitespace around them.
  // Clears `canonical` for escapes canonical JSON would not write and for whitespace.
  bool MemberName(std::string_view& name, bool& canonical) {
    if (p_ == end_ || *p_ != '"') {
      return Fail("expected '\"' to start a member name, found " + ShownByte(p_, end_));
    }
    bool name_canonical = false;
    if (!String(name, name_canonical)) return false;
    if (SkipSpace()) canonical = false;
    if (p_ == end_ || *p_ != ':') {
      return Fail("expected ':' after the member name, found " + ShownByte(p_, end_));
    }
    ++p_;
    if (SkipSpace()) canonical = false;
    canonical = canonical && name_canonical;
    return true;
  }

  // Records object `id`'s members in name order; two members of one name are an error (a
  // signer and a verifier that kept different ones would read different signed values).
  // `canonical` is cleared unless they were written in that order.
  bool SortMembers(Id id, bool& canonical) {
    std::vector<Id>& sorted = doc_.sorted_;
    doc_.nodes_[id].sorted = static_cast<uint32_t>(sorted.size());
    for (Id c = doc_.FirstChild(id); c != JsonDoc::kNone; c = doc_.NextSibling(id, c)) {
      sorted.push_back(c);
    }
    auto first = sorted.begin() + doc_.nodes_[id].sorted;
    auto by_name = [&](Id a, Id b) { return doc_.nodes_[a].key < doc_.nodes_[b].key; };
    if (!std::is_sorted(first, sorted.end(), by_name)) {
      canonical = false;
      std::sort(first, sorted.end(), by_name);
    }
    auto dup = std::adjacent_find(
        first, sorted.end(), [&](Id a, Id b) { return doc_.nodes_[a].key == doc_.nodes_[b].key; });
    if (dup == sorted.end()) return true;
    return Fail("duplicate object key \"" + OneLine(doc_.nodes_[*dup].key) + "\"");
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  JsonDoc& doc_;
  std::vector<Id> open_;  // the arrays and objects not yet closed, outermost first
  std::string problem_;
};

Result<JsonDoc> JsonDoc::Parse(std::string_view text, std::string_view where) {
  JsonDoc doc;
  std::string problem = JsonReader(text, doc).Run();
  if (!problem.empty()) {
    return InvalidArgumentError(std::string(where) + ": not valid JSON: " + problem);
  }
  return doc;
}

const char* JsonDoc::KindName(JsonKind kind) {
  switch (kind) {
    case JsonKind::kNull:
      return "null";
    case JsonKind::kFalse:
    case JsonKind::kTrue:
      return "boolean";
    case JsonKind::kUnsigned:
    case JsonKind::kNegative:
    case JsonKind::kFloat:
      return "number";
    case JsonKind::kString:
      return "string";
    case JsonKind::kArray:
      return "array";
    case JsonKind::kObject:
      return "object";
  }
  return "value";
}

JsonDoc::Id JsonDoc::Find(Id id, std::string_view key) const {
  if (kind(id) != JsonKind::kObject) return kNone;
  const Id* first = SortedBegin(id);
  const Id* last = SortedEnd(id);
  const Id* it = std::lower_bound(first, last, key,
                                  [&](Id m, std::string_view k) { return nodes_[m].key < k; });
  return it != last && nodes_[*it].key == key ? *it : kNone;
}

// "$" then ".name", ["name with separators"] or "[index]" per level down to `target`. Walks
// from the root (no parent links are kept: only error messages need this).
void JsonDoc::AppendPath(std::string& out, Id target) const {
  out += "$";
  Id at = 0;
  while (at != target) {
    size_t index = 0;
    Id child = FirstChild(at);
    while (child != kNone && nodes_[child].end <= target) {
      child = NextSibling(at, child);
      ++index;
    }
    if (child == kNone) return;  // not inside `at`: cannot happen for ids from this document
    if (kind(at) == JsonKind::kArray) {
      out += "[" + std::to_string(index) + "]";
    } else if (nodes_[child].key.find_first_of(".[] \"") != std::string_view::npos) {
      out += "[\"" + OneLine(nodes_[child].key) + "\"]";
    } else {
      out += "." + OneLine(nodes_[child].key);
    }
    at = child;
  }
}

void AppendCanonicalString(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '"' && s[i] != '\\') continue;
    out.append(s, start, i - start);
    out.push_back('\\');
    out.push_back(s[i]);
    start = i + 1;
  }
  out.append(s, start, std::string_view::npos);
  out.push_back('"');
}

// False at the first floating-point number (the caller names it).
bool JsonDoc::AppendCanonical(std::string& out, Id id) const {
  const Node& n = nodes_[id];
  switch (n.kind) {
    case JsonKind::kNull:
      out += "null";
      return true;
    case JsonKind::kFalse:
      out += "false";
      return true;
    case JsonKind::kTrue:
      out += "true";
      return true;
    case JsonKind::kUnsigned:  // as written: JSON integers have no sign or leading zeros
      out += n.text;
      return true;
    case JsonKind::kNegative:
      out += n.number == 0 ? "0" : n.text;  // "-0" is the integer 0
      return true;
    case JsonKind::kFloat:
      return false;
    case JsonKind::kString:
      AppendCanonicalString(out, n.text);
      return true;
    case JsonKind::kArray:
      out.push_back('[');
      for (Id c = FirstChild(id); c != kNone; c = NextSibling(id, c)) {
        if (c != id + 1) out.push_back(',');
        if (!AppendCanonical(out, c)) return false;
      }
      out.push_back(']');
      return true;
    case JsonKind::kObject:
      out.push_back('{');
      for (const Id* m = SortedBegin(id); m != SortedEnd(id); ++m) {
        if (m != SortedBegin(id)) out.push_back(',');
        AppendCanonicalString(out, nodes_[*m].key);
        out.push_back(':');
        if (!AppendCanonical(out, *m)) return false;
      }
      out.push_back('}');
      return true;
  }
  return false;
}

Result<std::string> JsonDoc::Canonical(Id id) const {
  if (nodes_[id].canonical_as_written) return std::string(nodes_[id].raw);
  return CanonicalWritten(id);
}

Result<std::string> JsonDoc::CanonicalWritten(Id id) const {
  std::string out;
  out.reserve(nodes_[id].raw.size());
  if (AppendCanonical(out, id)) return out;
  // The first float in canonical order is the one to name.
  Id culprit = kNone;
  std::vector<Id> stack = {id};  // depth first, children pushed in reverse canonical order
  while (!stack.empty() && culprit == kNone) {
    Id at = stack.back();
    stack.pop_back();
    if (kind(at) == JsonKind::kFloat) culprit = at;
    if (kind(at) == JsonKind::kArray) {
      std::vector<Id> children;
      for (Id c = FirstChild(at); c != kNone; c = NextSibling(at, c)) children.push_back(c);
      stack.insert(stack.end(), children.rbegin(), children.rend());
    } else if (kind(at) == JsonKind::kObject) {
      stack.insert(stack.end(), std::make_reverse_iterator(SortedEnd(at)),
                   std::make_reverse_iterator(SortedBegin(at)));
    }
  }
  std::string path;
  AppendPath(path, culprit);
  return InvalidArgumentError("canonical JSON: " + path +
                              ": expected an integer, string, boolean, null, array or object; "
                              "found the number " +
                              OneLine(text(culprit).substr(0, 32)) +
                              " (canonical JSON has no floating-point numbers)");
}

nlohmann::json JsonDoc::ToNlohmann(Id id) const {
  using nlohmann::json;
  const Node& n = nodes_[id];
  switch (n.kind) {
    case JsonKind::kNull:
      return nullptr;
    case JsonKind::kFalse:
      return false;
    case JsonKind::kTrue:
      return true;
    case JsonKind::kUnsigned:
      return n.number;
    case JsonKind::kNegative:
      return static_cast<int64_t>(n.number);
    case JsonKind::kFloat:
      return std::strtod(std::string(n.text).c_str(), nullptr);
    case JsonKind::kString:
      return std::string(n.text);
    case JsonKind::kArray: {
      json out = json::array();
      for (Id c = FirstChild(id); c != kNone; c = NextSibling(id, c)) {
        out.push_back(ToNlohmann(c));
      }
      return out;
    }
    case JsonKind::kObject: {
      json out = json::object();
      auto& members = out.get_ref<json::object_t&>();
      for (const Id* m = SortedBegin(id); m != SortedEnd(id); ++m) {
        members.emplace_hint(members.end(), std::string(nodes_[*m].key), ToNlohmann(*m));
      }
      return out;
    }
  }
  return nullptr;
}

json::Value JsonDoc::ToValue(Id id) const {
  const Node& n = nodes_[id];
  switch (n.kind) {
    case JsonKind::kNull:
      return json::Value();
    case JsonKind::kFalse:
      return json::Value(false);
    case JsonKind::kTrue:
      return json::Value(true);
    case JsonKind::kUnsigned:
      return json::Value(n.number);  // a double above INT64_MAX, as json::Parse reads it
    case JsonKind::kNegative:
      return json::Value(static_cast<int64_t>(n.number));
    case JsonKind::kFloat:
      return json::Value(std::strtod(std::string(n.text).c_str(), nullptr));
    case JsonKind::kString:
      return json::Value(n.text);
    case JsonKind::kArray: {
      json::Value out = json::Value::MakeArray();
      for (Id c = FirstChild(id); c != kNone; c = NextSibling(id, c)) out.Push(ToValue(c));
      return out;
    }
    case JsonKind::kObject: {
      json::Object members;
      members.reserve(n.count);
      for (Id c = FirstChild(id); c != kNone; c = NextSibling(id, c)) {
        members.push_back(json::Member{std::string(nodes_[c].key), ToValue(c)});
      }
      return json::Value(std::move(members));
    }
  }
  return json::Value();
}

}  // namespace vigil::update::internal
