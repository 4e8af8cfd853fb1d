// What the PostgreSQL engine does to Vigil's SQL text and to the server's errors, apart from
// the connection itself (postgres_backend.cc), so that both are tested and fuzzed without a
// server.
#ifndef VIGIL_STORAGE_INTERNAL_POSTGRES_SQL_H_
#define VIGIL_STORAGE_INTERNAL_POSTGRES_SQL_H_

#include <string>
#include <string_view>

#include "vigil/core/error.h"

namespace vigil::storage::postgres {

struct RewrittenSql {
  std::string sql;     // with $1..$n
  int parameters = 0;  // the highest parameter number used
};

// Rewrites SQLite's positional parameters for PostgreSQL: each "?" becomes the next "$n",
// "?NNN" becomes "$NNN" (and a later bare "?" continues after the highest number, as in
// SQLite; a number past 65535 is left for the server to refuse), and "??" becomes a literal "?"
// (PostgreSQL's jsonb operators; portable code never writes it). Text inside '…' and E'…' strings,
// "…" identifiers, $tag$…$tag$ strings, -- and
// /* */ comments is copied unchanged. Never fails: malformed SQL is the server's to refuse.
RewrittenSql RewritePlaceholders(std::string_view sql);

// The error code for a SQLSTATE: connection loss (class 08, 57P01-57P03), serialization
// failures, deadlocks, lock timeouts and a commit of unknown outcome (40001, 40P01, 55P03,
// 40003) are Unavailable (try again); a
// full disk (53100) is ResourceExhausted, and out of memory or connections (other 53xxx)
// Unavailable; corrupted data (XX001, XX002) is DataLoss; everything else (syntax, undefined
// objects, constraint violations) Internal — a bug in our SQL.
ErrorCode CodeForSqlstate(std::string_view sqlstate);

// True for the SQLSTATEs after which the connection is gone.
bool IsConnectionLoss(std::string_view sqlstate);

// `text` on one line (line breaks and tabs become spaces), cut to `max` bytes with "…".
std::string OneLine(std::string_view text, size_t max);

}  // namespace vigil::storage::postgres

#endif  // VIGIL_STORAGE_INTERNAL_POSTGRES_SQL_H_
