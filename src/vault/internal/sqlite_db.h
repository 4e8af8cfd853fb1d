// A thin RAII layer over the SQLite C API for the vault: an open connection and prepared
// statements whose failures come back as vigil::Error values naming the SQL and SQLite's message.
//
// Thread-safety: one connection per thread (the vault serialises access with its own mutex).
#ifndef VIGIL_VAULT_INTERNAL_SQLITE_DB_H_
#define VIGIL_VAULT_INTERNAL_SQLITE_DB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace vigil::vault::internal {

class SqliteStatement {
 public:
  SqliteStatement(SqliteStatement&&) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) noexcept;
  ~SqliteStatement();

  // Binders take 1-based parameter indexes, as SQLite does. Blobs and texts are copied.
  Status BindText(int index, std::string_view text);
  Status BindBlob(int index, ByteView blob);
  Status BindInt(int index, int64_t value);
  Status BindNull(int index);

  // One step: true when a row is available, false when the statement is done.
  Result<bool> Step();
  // Runs to completion, expecting no rows (INSERT/UPDATE/DELETE).
  Status Run();
  // Makes the statement reusable (clears bindings too).
  void Reset();

  int64_t ColumnInt(int column) const;
  ByteView ColumnBlob(int column) const;
  std::string_view ColumnText(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class SqliteDb;
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::string sql);
  Error Failure(int rc, std::string_view what) const;
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;
};

class SqliteDb {
 public:
  // Opens (creating if `create`) the database at `path` through the named VFS ("" = SQLite's
  // default). Unavailable when SQLite cannot open it; NotFound when !create and it is missing.
  static Result<SqliteDb> Open(const std::string& path, const std::string& vfs, bool create);
  SqliteDb(SqliteDb&&) noexcept;
  SqliteDb& operator=(SqliteDb&&) noexcept;
  ~SqliteDb();

  // Runs one or more statements that return no rows of interest.
  Status Exec(std::string_view sql);
  Result<SqliteStatement> Prepare(std::string_view sql);
  int64_t Changes() const;

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// BEGIN IMMEDIATE … COMMIT; rolls back in the destructor unless Commit() succeeded.
class SqliteTransaction {
 public:
  static Result<SqliteTransaction> Begin(SqliteDb& db);
  SqliteTransaction(SqliteTransaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  SqliteTransaction& operator=(SqliteTransaction&&) = delete;
  ~SqliteTransaction();
  Status Commit();

 private:
  explicit SqliteTransaction(SqliteDb* db) : db_(db) {}
  SqliteDb* db_;
};

}  // namespace vigil::vault::internal

#endif  // VIGIL_VAULT_INTERNAL_SQLITE_DB_H_
