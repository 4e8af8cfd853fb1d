// CPE 2.3 formatted-string binding, following the grammar in NISTIR 7695 §6.2.2 (and the
// cpe23-type pattern in the CPE 2.3 dictionary schema).
#include "vigil/sbom/cpe.h"

#include <cctype>
#include <string>
#include <vector>

namespace vigil::sbom {
namespace {

constexpr std::string_view kPrefix = "cpe:2.3:";
constexpr std::string_view kEscapable = "\\*?!\"#$%&'()+,/:;<=>@[]^`{|}~-.";

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
// ASCII only, as CPE folds case; inline instead of the C library's locale lookup per character.
char LowerChar(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Splits on ':' not preceded by an escaping '\'.
std::vector<std::string_view> SplitUnescaped(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == ':') {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

Status CheckLanguage(std::string_view v) {
  // RFC 5646 subset allowed by CPE: 2-3 letters, optionally '-' and a 2-letter or 3-digit region.
  size_t letters = 0;
  while (letters < v.size() && IsAlpha(v[letters])) ++letters;
  bool ok = letters >= 2 && letters <= 3;
  if (ok && letters < v.size()) {
    std::string_view region = v.substr(letters);
    ok = region.size() >= 2 && region[0] == '\\' && region[1] == '-';
    region = ok ? region.substr(2) : region;
    bool two_letters = region.size() == 2 && IsAlpha(region[0]) && IsAlpha(region[1]);
    bool three_digits = region.size() == 3 && std::isdigit(static_cast<unsigned char>(region[0])) &&
                        std::isdigit(static_cast<unsigned char>(region[1])) &&
                        std::isdigit(static_cast<unsigned char>(region[2]));
    ok = ok && (two_letters || three_digits);
  }
  if (!ok) return InvalidArgumentError("expected a language tag like 'en' or 'en\\-us'");
  return OkStatus();
}

}  // namespace

std::string_view Cpe::AttributeName(Attribute a) {
  static constexpr std::string_view kNames[] = {"part",      "vendor",    "product",  "version",
                                                "update",    "edition",   "language", "sw_edition",
                                                "target_sw", "target_hw", "other"};
  return a < kAttributeCount ? kNames[a] : "?";
}

Result<Cpe> Cpe::Parse(std::string_view text) {
  auto fail = [&](std::string_view where, const std::string& what) {
    return InvalidArgumentError("cpe '" + std::string(text) + "': " + std::string(where) + ": " +
                                what);
  };
  if (text.size() < kPrefix.size() || text.substr(0, kPrefix.size()) != kPrefix) {
    return fail("prefix", "expected 'cpe:2.3:'");
  }
  std::vector<std::string_view> parts = SplitUnescaped(text.substr(kPrefix.size()));
  if (parts.size() != kAttributeCount) {
    return fail("attributes",
                "expected 11 ':'-separated attributes, found " + std::to_string(parts.size()));
  }
  Cpe cpe;
  for (int i = 0; i < kAttributeCount; ++i) {
    auto attr = static_cast<Attribute>(i);
    std::string_view raw = parts[static_cast<size_t>(i)];
    if (raw.empty()) return fail(AttributeName(attr), "empty (use * for ANY or - for NA)");
    std::string lowered(raw);
    for (char& c : lowered) c = LowerChar(c);
    if (attr == kPart && lowered != "a" && lowered != "o" && lowered != "h" && lowered != "*" &&
        lowered != "-") {
      return fail("part", "expected a, o, h, * or -, got '" + std::string(raw) + "'");
    }
    auto value = ParseValue(lowered);
    if (!value) return fail(AttributeName(attr), value.error().message());
    if (attr == kLanguage && value->kind() == CpeValue::Kind::kValue) {
      if (auto st = CheckLanguage(lowered); !st) return fail("language", st.error().message());
    }
    cpe.values_[static_cast<size_t>(i)] = std::move(*value);
  }
  return cpe;
}

Result<CpeValue> Cpe::ParseValue(std::string_view v) {
  CpeValue out;
  out.bound_ = std::string(v);
  if (v == "*") return out;
  if (v == "-") {
    out.kind_ = CpeValue::Kind::kNa;
    return out;
  }
  out.kind_ = CpeValue::Kind::kValue;
  // Leading '*' or run of '?', body, trailing '*' or run of '?' (NISTIR 7695 §6.2.2.2).
  size_t begin = 0, end = v.size();
  if (v[0] == '*') {
    begin = 1;
  } else {
    while (begin < end && v[begin] == '?') ++begin;
  }
  if (end > begin && v[end - 1] == '*' && (end < 2 || v[end - 2] != '\\')) {
    --end;
  } else {
    while (end > begin && v[end - 1] == '?' && (end < 2 || v[end - 2] != '\\')) --end;
  }
  out.has_wildcard_ = begin > 0 || end < v.size();
  if (begin == end) return InvalidArgumentError("a wildcard needs a value beside it");
  out.unescaped_ = std::string(v.substr(0, begin));
  for (size_t i = begin; i < end; ++i) {
    char c = v[i];
    if (c == '\\') {
      if (i + 1 >= end || kEscapable.find(v[i + 1]) == std::string_view::npos) {
        return InvalidArgumentError("'\\' must escape a punctuation character");
      }
      out.unescaped_.push_back(v[++i]);
    } else if (IsAlnum(c) || c == '_' || c == '-' || c == '.') {
      out.unescaped_.push_back(c);
    } else if (c == '*' || c == '?') {
      return InvalidArgumentError("unquoted '" + std::string(1, c) +
                                  "' is allowed only at the start or end of a value");
    } else {
      return InvalidArgumentError("character '" + std::string(1, c) + "' must be escaped");
    }
  }
  out.unescaped_ += std::string(v.substr(end));
  return out;
}

std::string Cpe::ToString() const {
  std::string out(kPrefix);
  for (size_t i = 0; i < values_.size(); ++i) {
    if (i > 0) out.push_back(':');
    out += values_[i].bound();
  }
  return out;
}

}  // namespace vigil::sbom
