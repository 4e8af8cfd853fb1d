// The interface a storage engine implements behind vigil::storage::Database: SQLite
// (OpenSqlite, src/storage/sqlite_backend.cc) and PostgreSQL (OpenPostgres,
// src/storage/postgres_backend.cc, over libpq) implement the same two classes, so the register
// and the fleet code above Database do not change with the engine.
//
// Engines differ in SQL dialect; what Database asks of an engine is deliberately small:
// statements with positional parameters ("?" — an engine whose server wants "$1" rewrites
// them when preparing), transaction and savepoint verbs by name, and a schema version number
// (SQLite keeps it in PRAGMA user_version; a server engine in a one-row table).
//
// Errors are vigil::Error values whose code says what the caller can do: Unavailable for I/O,
// locks and connection loss (try again), ResourceExhausted for a full disk, DataLoss for a
// corrupt database, Internal for a bug in our SQL.
#ifndef VIGIL_STORAGE_BACKEND_H_
#define VIGIL_STORAGE_BACKEND_H_

#include <cstdint>
#include <memory>
#include <string_view>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"

namespace vigil::storage {

// One prepared statement. Parameter indexes are 1-based, column indexes 0-based. Column
// accessors return views valid until the next Step, Reset or destruction.
class StatementEngine {
 public:
  virtual ~StatementEngine() = default;
  virtual Status BindText(int index, std::string_view text) = 0;
  // BindText without a copy where the engine can: the caller keeps `text` valid and unchanged
  // until the statement is reset (Statement::Run resets) or the parameter bound again.
  virtual Status BindTextView(int index, std::string_view text) = 0;
  virtual Status BindBlob(int index, ByteView blob) = 0;
  virtual Status BindInt(int index, int64_t value) = 0;
  virtual Status BindReal(int index, double value) = 0;
  virtual Status BindNull(int index) = 0;
  // True when a row is available, false when the statement is done.
  virtual Result<bool> Step() = 0;
  // Runs the bound statement (no rows expected) after everything sent before it, then resets
  // it. Inside a transaction a server engine may queue it without waiting for its answer: an
  // error then comes from the connection's next call that waits (Step, Exec, Prepare, Sync).
  // The default runs it at once (SQLite; Statement::Run on every engine). Database.h's
  // Statement::Send has the whole contract.
  virtual Status Send();
  // Ready to run again, bindings cleared.
  virtual void Reset() = 0;
  virtual int64_t ColumnInt(int column) const = 0;
  virtual double ColumnReal(int column) const = 0;
  virtual ByteView ColumnBlob(int column) const = 0;
  virtual std::string_view ColumnText(int column) const = 0;
  virtual bool ColumnIsNull(int column) const = 0;
  // The SQL text, for error messages.
  virtual std::string_view Sql() const = 0;
};

// The SQL a connection speaks, for the rare statement the two cannot share (a migration's
// engine-specific DDL: partitions, triggers); everything else is the portable subset
// (docs/ARCHITECTURE.md, "Storage dialect").
enum class Dialect { kSqlite, kPostgres };

// One connection. Not thread-safe: one thread at a time (callers serialise).
class ConnectionEngine {
 public:
  virtual ~ConnectionEngine() = default;
  virtual Dialect dialect() const = 0;
  // Runs statements that return no rows of interest (several, separated by ';').
  virtual Status Exec(std::string_view sql) = 0;
  virtual Result<std::unique_ptr<StatementEngine>> Prepare(std::string_view sql) = 0;
  // Exec of one statement without parameters, which a server engine may queue as
  // StatementEngine::Send does (a transaction's BEGIN). The default runs it at once.
  virtual Status Send(std::string_view sql) { return Exec(sql); }
  // Waits for the answers to everything sent: the first error among them (the statements sent
  // after a failed one were not run). The default has nothing to wait for.
  virtual Status Sync() { return OkStatus(); }
  // Rows changed by the last INSERT, UPDATE or DELETE.
  virtual int64_t Changes() const = 0;
  // The verb that starts a write transaction which takes the write lock at once (SQLite:
  // "BEGIN IMMEDIATE"), and one that starts a read transaction (a consistent snapshot).
  virtual std::string_view BeginWriteSql() const = 0;
  virtual std::string_view BeginReadSql() const = 0;
  virtual Result<bool> HasTable(std::string_view name) = 0;
  virtual Result<int64_t> SchemaVersion() = 0;
  // Called inside the migration's transaction.
  virtual Status SetSchemaVersion(int64_t version) = 0;
  // Held by Migrate from reading the version to the last step, so that two processes opening
  // the same database at once migrate it once (the second finds it done). SQLite needs none:
  // each step's BEGIN IMMEDIATE excludes other writers and Migrate reads the version again
  // inside it; a server engine takes a lock of the database that blocks until it is free.
  virtual Status LockSchema() { return OkStatus(); }
  virtual Status UnlockSchema() { return OkStatus(); }
};

}  // namespace vigil::storage

#endif  // VIGIL_STORAGE_BACKEND_H_
