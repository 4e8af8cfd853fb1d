// Streaming JSON writer (see json_writer.h).
#include "vigil/core/json_writer.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "vigil/core/utf8.h"

namespace vigil {
namespace {

bool IsPlain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

// Whether the eight bytes at `p` are all written as they are (IsPlain): no byte below 0x20,
// at or above 0x80, a quote or a backslash (the classic "has a byte less than n / equal to n"
// tests, which never miss one).
bool PlainWord(const char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  uint64_t w;
  std::memcpy(&w, p, 8);
  const uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
  const uint64_t control = (w - kOnes * 0x20) & ~w;
  const uint64_t special =
      control | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash);
  return ((special | w) & kHigh) == 0;
}

// The length of the leading run of `s` written as it is, eight bytes at a time: most strings
// hold nothing to escape, and a scan's report writes megabytes of them. The last bytes of a
// string of eight or more are checked as the word that ends it (overlapping the one before),
// not one at a time.
size_t PlainPrefix(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    if (!PlainWord(s.data() + i)) break;
  }
  if (i < s.size() && i + 8 > s.size() && s.size() >= 8 && PlainWord(s.data() + s.size() - 8)) {
    return s.size();
  }
  while (i < s.size() && IsPlain(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  AppendJsonStringBody(out, s);
  out.push_back('"');
}

void AppendJsonStringBody(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;  // start of the pending run of bytes that need no escaping
  for (size_t i = 0;;) {
    i += PlainPrefix(s.substr(i));
    if (i >= s.size()) break;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (size_t n = Utf8SequenceLength(s, i); n != 0) {
        i += n;
        continue;
      }
    }
    out.append(s.substr(run, i - run));
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out += "\xEF\xBF\xBD";  // U+FFFD for a byte that starts no valid UTF-8 sequence
        }
    }
    run = ++i;
  }
  out.append(s.substr(run));
}

void AppendJsonNumber(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  // The shortest digits that read back as `v`, placed as nlohmann and JavaScript place them:
  // plain decimals while the decimal exponent is in [-4, 14], exponent notation outside.
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  int exponent = 0;
  size_t e = sci.find('e');
  const char* exp_begin = sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0);
  std::from_chars(exp_begin, sci.data() + sci.size(), exponent);
  if (v == 0 || (exponent >= -4 && exponent <= 14)) {
    r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    std::string_view fixed(buf, static_cast<size_t>(r.ptr - buf));
    out.append(fixed);
    if (fixed.find('.') == std::string_view::npos) out += ".0";
  } else {
    out.append(sci);
  }
}

JsonWriter::JsonWriter(std::string& out, int indent, int base_depth)
    : out_(out), indent_(indent), base_depth_(base_depth) {}

void JsonWriter::NewLine(size_t depth) {
  if (indent_ == 0 || has_members_.size() >= compact_depth_) return;
  // The line break and the indentation in one append (a report has a million lines).
  static constexpr std::string_view kBreak =
      "\n                                                                ";
  const size_t spaces = (static_cast<size_t>(base_depth_) + depth) * static_cast<size_t>(indent_);
  if (spaces < kBreak.size()) {
    out_.append(kBreak.data(), spaces + 1);
    return;
  }
  out_.push_back('\n');
  out_.append(spaces, ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_members_.empty()) return;
  if (has_members_.back()) out_.push_back(',');
  has_members_.back() = true;
  NewLine(has_members_.size());
}

JsonWriter& JsonWriter::Compact() {
  compact_next_ = true;
  return *this;
}

JsonWriter& JsonWriter::Open(char c) {
  BeforeValue();
  out_.push_back(c);
  has_members_.push_back(false);
  if (compact_next_ && compact_depth_ == SIZE_MAX) compact_depth_ = has_members_.size();
  compact_next_ = false;
  return *this;
}

JsonWriter& JsonWriter::BeginObject() { return Open('{'); }

JsonWriter& JsonWriter::ResumeObject() {
  assert(has_members_.empty() && !after_key_);
  has_members_.push_back(true);
  return *this;
}
JsonWriter& JsonWriter::BeginArray() { return Open('['); }

JsonWriter& JsonWriter::Close(char c) {
  assert(!has_members_.empty() && !after_key_);
  const bool any = has_members_.back();
  const bool compact = has_members_.size() >= compact_depth_;
  has_members_.pop_back();
  if (any && !compact) NewLine(has_members_.size());
  if (has_members_.size() < compact_depth_) compact_depth_ = SIZE_MAX;
  out_.push_back(c);
  return *this;
}

JsonWriter& JsonWriter::EndObject() { return Close('}'); }
JsonWriter& JsonWriter::EndArray() { return Close(']'); }

JsonWriter& JsonWriter::Key(std::string_view key) {
  assert(!after_key_);
  BeforeValue();
  AppendJsonString(out_, key);
  out_ += indent_ == 0 || has_members_.size() >= compact_depth_ ? ":" : ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json);
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  AppendJsonString(out_, s);
  return *this;
}

JsonWriter& JsonWriter::Number(double v) {
  BeforeValue();
  AppendJsonNumber(out_, v);
  return *this;
}

JsonWriter& JsonWriter::Integer(int64_t v) {
  BeforeValue();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool b) {
  BeforeValue();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Member(std::string_view key, std::string_view value) {
  return Key(key).String(value);
}

JsonWriter& JsonWriter::StringArray(std::string_view key, const std::vector<std::string>& values) {
  Key(key).BeginArray();
  for (const std::string& v : values) String(v);
  return EndArray();
}

}  // namespace vigil
