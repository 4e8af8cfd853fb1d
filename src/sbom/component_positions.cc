#include "vigil/sbom/component_positions.h"

#include <array>

#include "vigil/core/json.h"

namespace vigil::sbom {
namespace {

constexpr std::array<std::string_view, 3> kKeys = {"\"bom-ref\"", "\"SPDXID\"", "\"spdxId\""};

// Line and column of a byte offset, kept as the scan moves forward (never backwards).
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  void AdvanceTo(size_t offset) {
    for (; at_ < offset; ++at_) {
      const auto u = static_cast<unsigned char>(text_[at_]);
      if (u == '\n') {
        ++line_;
        column_ = 1;
      } else if ((u & 0xC0) != 0x80) {  // not a UTF-8 continuation byte: a new code point
        ++column_;
      }
    }
  }
  uint32_t line() const { return line_; }
  uint32_t column() const { return column_; }

 private:
  std::string_view text_;
  size_t at_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
};

size_t SkipSpace(std::string_view text, size_t i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
  return i;
}

// The end (one past the closing quote) of the JSON string starting at `open`, or npos.
size_t StringEnd(std::string_view text, size_t open) {
  for (size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    } else if (text[i] == '\n') {
      return std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

// A quote starts a member name when, before it, only spaces separate it from '{' or ','.
bool StartsMember(std::string_view text, size_t quote) {
  size_t i = quote;
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\r' ||
                   text[i - 1] == '\n')) {
    --i;
  }
  return i > 0 && (text[i - 1] == '{' || text[i - 1] == ',');
}

}  // namespace

std::map<std::string, TextSpan> ComponentRefPositions(std::string_view json) {
  std::map<std::string, TextSpan> out;
  Cursor cursor(json);
  size_t i = 0;
  while ((i = json.find('"', i)) != std::string_view::npos) {
    size_t end = StringEnd(json, i);
    if (end == std::string_view::npos) break;
    std::string_view token = json.substr(i, end - i);
    bool is_key = false;
    for (std::string_view k : kKeys) is_key = is_key || token == k;
    if (!is_key || !StartsMember(json, i)) {
      i = end;
      continue;
    }
    size_t colon = SkipSpace(json, end);
    size_t open = colon < json.size() && json[colon] == ':' ? SkipSpace(json, colon + 1) : colon;
    if (open >= json.size() || json[open] != '"') {
      i = end;
      continue;
    }
    size_t close = StringEnd(json, open);
    if (close == std::string_view::npos) break;
    auto value = json::Parse(json.substr(open, close - open), "ref");
    if (value && value->is_string()) {
      cursor.AdvanceTo(i);
      TextSpan span{cursor.line(), cursor.column(), 0};
      cursor.AdvanceTo(close);
      span.end_column = cursor.column();
      out.emplace(value->as_string(), span);
    }
    i = close;
  }
  return out;
}

}  // namespace vigil::sbom
