#include "internal/postgres_sql.h"

#include <algorithm>
#include <charconv>

namespace vigil::storage::postgres {

namespace {

constexpr int kMaxParameters = 65535;  // what the wire protocol's Bind message can carry

bool IsIdentChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || u >= 0x80;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Each Skip* returns the index just past the construct that starts at `i`.

// '…' with '' as a quote inside; in an E'…' string a backslash escapes the next byte too.
size_t SkipQuoted(std::string_view sql, size_t i, char quote, bool backslashes) {
  for (size_t j = i + 1; j < sql.size(); ++j) {
    if (backslashes && sql[j] == '\\') {
      ++j;
    } else if (sql[j] == quote) {
      if (j + 1 < sql.size() && sql[j + 1] == quote) {
        ++j;
      } else {
        return j + 1;
      }
    }
  }
  return sql.size();
}

size_t SkipLineComment(std::string_view sql, size_t i) {
  size_t end = sql.find('\n', i);
  return end == std::string_view::npos ? sql.size() : end + 1;
}

// PostgreSQL's block comments nest.
size_t SkipBlockComment(std::string_view sql, size_t i) {
  int depth = 0;
  for (size_t j = i; j + 1 < sql.size(); ++j) {
    if (sql[j] == '/' && sql[j + 1] == '*') {
      ++depth;
      ++j;
    } else if (sql[j] == '*' && sql[j + 1] == '/') {
      ++j;
      if (--depth == 0) return j + 1;
    }
  }
  return sql.size();
}

// $tag$…$tag$ (tag empty or an identifier not starting with a digit); `i` itself when the
// '$' starts no such string (a "$1" parameter, or a '$' inside an identifier).
size_t SkipDollarQuoted(std::string_view sql, size_t i) {
  if (i > 0 && IsIdentChar(sql[i - 1])) return i;
  size_t j = i + 1;
  if (j < sql.size() && IsDigit(sql[j])) return i;
  while (j < sql.size() && IsIdentChar(sql[j]) && sql[j] != '$') ++j;
  if (j >= sql.size() || sql[j] != '$') return i;
  std::string_view tag = sql.substr(i, j - i + 1);
  size_t end = sql.find(tag, j + 1);
  return end == std::string_view::npos ? sql.size() : end + tag.size();
}

// The index past any quoted string, identifier or comment starting at `i`; `i` otherwise.
size_t SkipLiteral(std::string_view sql, size_t i) {
  char c = sql[i];
  char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
  if (c == '\'') {
    bool e_string =
        i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i == 1 || !IsIdentChar(sql[i - 2]));
    return SkipQuoted(sql, i, '\'', e_string);
  }
  if (c == '"') return SkipQuoted(sql, i, '"', false);
  if (c == '-' && next == '-') return SkipLineComment(sql, i);
  if (c == '/' && next == '*') return SkipBlockComment(sql, i);
  if (c == '$') return SkipDollarQuoted(sql, i);
  return i;
}

}  // namespace

RewrittenSql RewritePlaceholders(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 8);
  size_t i = 0;
  while (i < sql.size()) {
    size_t past = SkipLiteral(sql, i);
    if (past != i) {
      out.sql.append(sql.substr(i, past - i));
      i = past;
      continue;
    }
    if (sql[i] != '?') {
      out.sql.push_back(sql[i++]);
      continue;
    }
    if (i + 1 < sql.size() && sql[i + 1] == '?') {
      out.sql.push_back('?');
      i += 2;
      continue;
    }
    size_t digits = i + 1;
    while (digits < sql.size() && IsDigit(sql[digits])) ++digits;
    int number = out.parameters + 1;
    if (digits > i + 1) {
      auto [p, ec] = std::from_chars(sql.data() + i + 1, sql.data() + digits, number);
      // Past PostgreSQL's limit of parameters it is passed on as written; the server refuses it.
      if (ec != std::errc() || number > kMaxParameters) number = 0;
    }
    if (number > 0) {
      out.parameters = std::max(out.parameters, number);
      out.sql += "$" + std::to_string(number);
    } else {
      out.sql += "$";
      out.sql.append(sql.substr(i + 1, digits - i - 1));
    }
    i = digits;
  }
  return out;
}

ErrorCode CodeForSqlstate(std::string_view sqlstate) {
  if (IsConnectionLoss(sqlstate)) return ErrorCode::kUnavailable;
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "40003" || sqlstate == "55P03") {
    return ErrorCode::kUnavailable;
  }
  if (sqlstate == "53100") return ErrorCode::kResourceExhausted;
  if (sqlstate.starts_with("53")) return ErrorCode::kUnavailable;
  if (sqlstate == "XX001" || sqlstate == "XX002") return ErrorCode::kDataLoss;
  return ErrorCode::kInternal;
}

bool IsConnectionLoss(std::string_view sqlstate) {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

std::string OneLine(std::string_view text, size_t max) {
  size_t cut = std::min(max, text.size());
  // Back to the start of a UTF-8 character (continuation bytes are 10xxxxxx).
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) {
    --cut;
  }
  std::string out;
  for (char c : text.substr(0, cut)) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (text.size() > max) out += "…";
  return out;
}

}  // namespace vigil::storage::postgres
