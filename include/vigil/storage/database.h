// vigil::storage — the one relational storage layer: a connection with a prepared-statement
// cache, transactions and savepoints, and versioned schemas with migrations. The vault, the
// advisory database and the triage register use it; the engine behind it is SQLite (OpenSqlite,
// embedded, the default) or a PostgreSQL server (OpenPostgres, the fleet server), both
// implementing backend.h.
//
// Crash safety is the engine's (SQLite's journal); what this layer adds is that every
// multi-statement change runs in a Transaction that rolls back unless committed, and that a
// migration step and its version bump commit together, so a power cut leaves the previous
// version or the next one, never a half-migrated schema (tested with the power-loss VFS in
// vigil/storage/power_loss_vfs.h).
//
// Thread-safety: a Database and its statements belong to one thread at a time.
#ifndef VIGIL_STORAGE_DATABASE_H_
#define VIGIL_STORAGE_DATABASE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"
#include "vigil/storage/backend.h"

namespace vigil::storage {

// A prepared statement (moveable). Binders take 1-based parameter indexes; blobs and texts are
// copied (BindTextView excepted). Column views are valid until the next Step, Reset or destruction.
class Statement {
 public:
  explicit Statement(std::unique_ptr<StatementEngine> engine) : engine_(std::move(engine)) {}

  Status BindText(int index, std::string_view text) { return engine_->BindText(index, text); }
  // BindText without the copy (SQLite reads the caller's bytes when the statement steps): for
  // texts that stay valid and unchanged until the statement is reset (Run resets) or the
  // parameter is bound again, such as the rows of a multi-row INSERT held by the caller.
  // Reset clears the binding, so a view never outlives its statement's use of it.
  Status BindTextView(int index, std::string_view text) {
    return engine_->BindTextView(index, text);
  }
  Status BindBlob(int index, ByteView blob) { return engine_->BindBlob(index, blob); }
  Status BindInt(int index, int64_t value) { return engine_->BindInt(index, value); }
  Status BindReal(int index, double value) { return engine_->BindReal(index, value); }
  Status BindNull(int index) { return engine_->BindNull(index); }

  // One step: true when a row is available, false when the statement is done.
  Result<bool> Step() { return engine_->Step(); }
  // Runs to completion expecting no rows (INSERT/UPDATE/DELETE), then resets.
  Status Run();
  // Runs it like Run, but inside a transaction a server engine (PostgreSQL) queues it without
  // waiting for its answer and sends it with the connection's next call that waits — a Step of
  // any statement, Exec, Prepare, Database::Sync, Transaction::Commit or Rollback — so that a
  // transaction's writes and its COMMIT cost one round trip; the statements run in the order
  // sent, and a later read sees their writes. Outside a transaction it runs at once on both
  // engines (its own transaction). So its error comes from Send (SQLite; outside a transaction)
  // or from that later call (PostgreSQL: the first error of what was sent, naming its statement;
  // those sent after it are not run). After an error roll the transaction back (Transaction's
  // destructor does): PostgreSQL's Commit then fails, SQLite's would keep what succeeded. As
  // with Run, a row returned is an error: a sent statement's rows are never readable. Sends
  // never synced are never committed (rolled back with their transaction or connection). The
  // statement is reset and may be bound and sent again at once; Database::Changes() is
  // unspecified for it.
  Status Send() { return engine_->Send(); }
  // Makes the statement reusable (clears bindings too).
  void Reset() { engine_->Reset(); }

  int64_t ColumnInt(int column) const { return engine_->ColumnInt(column); }
  double ColumnReal(int column) const { return engine_->ColumnReal(column); }
  ByteView ColumnBlob(int column) const { return engine_->ColumnBlob(column); }
  std::string_view ColumnText(int column) const { return engine_->ColumnText(column); }
  bool ColumnIsNull(int column) const { return engine_->ColumnIsNull(column); }

 private:
  std::unique_ptr<StatementEngine> engine_;
};

struct SqliteOptions {
  std::string path;
  bool create = false;     // create the file when missing (NotFound otherwise)
  bool read_only = false;  // open read-only (no journal, no writes)
  std::string vfs;         // SQLite VFS name, "" = SQLite's default (tests: PowerLossVfs)
};

// A PostgreSQL 15 server (the fleet server's engine, src/storage/postgres_backend.cc). The SQL
// both engines accept is in docs/ARCHITECTURE.md ("Storage dialect").
struct PostgresOptions {
  // A libpq connection string, as a URL ("postgresql:///vigil?host=/run/vigil" — a unix
  // socket folder; "postgresql://vigil@db.example:5432/vigil?sslmode=verify-full") or as
  // "key=value" pairs. It may hold a password; no error message ever repeats it.
  std::string url;
  int connect_timeout_seconds = 10;        // gives up connecting after this (libpq connect_timeout)
  std::string application_name = "vigil";  // shown in pg_stat_activity
};

class Database {
 public:
  // Opens an SQLite database. A created file is made owner-only (0600): databases hold device
  // or manufacturer data. NotFound when it is missing and !create; Unavailable when SQLite
  // cannot open it.
  static Result<Database> OpenSqlite(const SqliteOptions& options);
  // Connects to a PostgreSQL server. InvalidArgument for a malformed connection string,
  // Unavailable when the server cannot be reached or refuses the connection (the message names
  // host, port, database and user, never the password). Defined in host builds only: a
  // VIGIL_DEVICE_ONLY build links no PostgreSQL client. Tests start a private server with
  // vigil/storage/postgres_server.h (library vigil::storage_testing).
  static Result<Database> OpenPostgres(const PostgresOptions& options);
  explicit Database(std::unique_ptr<ConnectionEngine> engine);
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  Status Exec(std::string_view sql) { return engine_->Exec(sql); }
  // A new statement the caller owns.
  Result<Statement> Prepare(std::string_view sql);
  // The cached statement for `sql` (prepared once per connection), reset and ready to bind.
  // The pointer stays valid until ClearCache() or destruction.
  Result<Statement*> Cached(std::string_view sql);
  // Finalises every cached statement (before a schema change that would invalidate them).
  void ClearCache() { cache_.clear(); }
  // Rows changed by the last INSERT, UPDATE or DELETE run (Run, Step, Exec; not Send).
  int64_t Changes() const { return engine_->Changes(); }
  // Waits for the answers to every statement sent (Statement::Send, a transaction's BEGIN):
  // the first error among them, Ok when nothing was pending (always on SQLite, whose sends
  // have already run). Only needed to learn the outcome before the transaction's next read or
  // its Commit, which wait anyway.
  Status Sync() { return engine_->Sync(); }
  Result<bool> HasTable(std::string_view name) { return engine_->HasTable(name); }
  Result<int64_t> SchemaVersion() { return engine_->SchemaVersion(); }
  Dialect dialect() const { return engine_->dialect(); }

  ConnectionEngine& engine() { return *engine_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unique_ptr<ConnectionEngine> engine_;
  std::unordered_map<std::string, Statement, Hash, std::equal_to<>> cache_;
};

// A transaction that rolls back in its destructor unless Commit() succeeded. On PostgreSQL its
// BEGIN is sent with its first statement and its COMMIT with the statements sent before it
// (Statement::Send): an error of BEGIN comes from that first statement.
class Transaction {
 public:
  enum class Mode { kWrite, kRead };
  static Result<Transaction> Begin(Database& db, Mode mode = Mode::kWrite);
  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status Commit();
  // Ends it now, keeping nothing.
  Status Rollback();
  bool open() const { return db_ != nullptr; }

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

// A named savepoint inside an open transaction: Release keeps its changes, Undo discards them
// (both close it); the destructor undoes it unless Release or Undo ran.
class Savepoint {
 public:
  static Result<Savepoint> Begin(Database& db, std::string name);
  Savepoint(Savepoint&& other) noexcept
      : db_(std::exchange(other.db_, nullptr)), name_(std::move(other.name_)) {}
  Savepoint& operator=(Savepoint&&) = delete;
  ~Savepoint();
  Status Release();
  Status Undo();

 private:
  Savepoint(Database* db, std::string name) : db_(db), name_(std::move(name)) {}
  Database* db_;
  std::string name_;
};

// One step of a schema's history: `apply` brings the schema from version - 1 to `version`.
// Steps run in order, each in its own write transaction together with the version bump.
struct Migration {
  int64_t version;
  std::string_view what;  // "create the record tables", for errors
  std::function<Status(Database&)> apply;
};

// Brings the database's schema to the last step's version and returns the version it found.
// `name` ("vault database at /x") prefixes errors. A database at a newer version than the
// steps know is refused (FailedPrecondition: written by a newer Vigil) and left untouched.
// Steps must be numbered 1, 2, 3… without gaps. Safe when several processes open the same
// database at once: each step runs once (ConnectionEngine::LockSchema).
Result<int64_t> Migrate(Database& db, std::string_view name, std::span<const Migration> steps);

}  // namespace vigil::storage

#endif  // VIGIL_STORAGE_DATABASE_H_
