// The PostgreSQL engine's placeholder rewriting (src/storage/internal/postgres_sql.h) reads any
// SQL text: it never crashes or reads past the end, leaves text without "?" unchanged, and
// adds at most a few characters per "?".
#include <cstdlib>
#include <string>
#include <string_view>

#include "internal/postgres_sql.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  vigil::storage::postgres::RewrittenSql r = vigil::storage::postgres::RewritePlaceholders(sql);
  size_t marks = 0;
  for (char c : sql) marks += c == '?' ? 1 : 0;
  if (marks == 0 && (r.sql != sql || r.parameters != 0)) std::abort();
  // "?" becomes "$n": n has at most as many digits as the number of marks so far allows.
  if (r.sql.size() > sql.size() + marks * 11) std::abort();
  if (r.parameters < 0) std::abort();
  return 0;
}
