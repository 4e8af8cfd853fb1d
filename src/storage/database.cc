#include "vigil/storage/database.h"

#include <string>

namespace vigil::storage {

Status StatementEngine::Send() {
  VIGIL_ASSIGN_OR_RETURN(bool row, Step());
  Reset();
  if (row) {
    return InternalError("storage: \"" + std::string(Sql()) +
                         "\" returned a row where none was expected");
  }
  return OkStatus();
}

// Run is the engine's default Send whatever the engine: it waits.
Status Statement::Run() { return engine_->StatementEngine::Send(); }

Database::Database(std::unique_ptr<ConnectionEngine> engine) : engine_(std::move(engine)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
// Statements are finalised before the connection closes (SQLite refuses to close otherwise).
Database::~Database() { cache_.clear(); }

Result<Statement> Database::Prepare(std::string_view sql) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<StatementEngine> s, engine_->Prepare(sql));
  return Statement(std::move(s));
}

Result<Statement*> Database::Cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    VIGIL_ASSIGN_OR_RETURN(Statement s, Prepare(sql));
    it = cache_.emplace(std::string(sql), std::move(s)).first;
  }
  it->second.Reset();
  return &it->second;
}

Result<Transaction> Transaction::Begin(Database& db, Mode mode) {
  VIGIL_RETURN_IF_ERROR(db.engine().Send(mode == Mode::kWrite ? db.engine().BeginWriteSql()
                                                               : db.engine().BeginReadSql()));
  return Transaction(&db);
}

Transaction::~Transaction() {
  // Best effort: after an I/O failure the engine may already have rolled back by itself.
  if (db_ != nullptr) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Status s = db_->Exec("COMMIT");
  if (s) db_ = nullptr;
  return s;
}

Status Transaction::Rollback() { return std::exchange(db_, nullptr)->Exec("ROLLBACK"); }

Result<Savepoint> Savepoint::Begin(Database& db, std::string name) {
  VIGIL_RETURN_IF_ERROR(db.Exec("SAVEPOINT " + name));
  return Savepoint(&db, std::move(name));
}

Savepoint::~Savepoint() {
  if (db_ != nullptr) (void)Undo();
}

Status Savepoint::Release() { return std::exchange(db_, nullptr)->Exec("RELEASE " + name_); }

Status Savepoint::Undo() {
  // ROLLBACK TO keeps the savepoint open; RELEASE then closes it, keeping nothing of it.
  return std::exchange(db_, nullptr)->Exec("ROLLBACK TO " + name_ + "; RELEASE " + name_);
}

namespace {

Status CheckNumbering(std::string_view name, std::span<const Migration> steps) {
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].version != static_cast<int64_t>(i) + 1) {
      return InternalError(std::string(name) + ": schema step " + std::to_string(i) +
                           " is numbered " + std::to_string(steps[i].version));
    }
  }
  return OkStatus();
}

// The version is read again inside the step's write transaction: another process may have
// applied the step since Migrate looked (SQLite's BEGIN IMMEDIATE waits for it to finish).
Status ApplyStep(Database& db, std::string_view name, const Migration& step) {
  VIGIL_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
  VIGIL_ASSIGN_OR_RETURN(int64_t now, db.SchemaVersion());
  if (now >= step.version) return txn.Rollback();
  Status applied = step.apply(db);
  if (!applied) {
    return Error(applied.error().code(),
                 std::string(name) + ": schema version " + std::to_string(step.version) + " (" +
                     std::string(step.what) + "): " + applied.error().message());
  }
  VIGIL_RETURN_IF_ERROR(db.engine().SetSchemaVersion(step.version));
  return txn.Commit();
}

Result<int64_t> MigrateLocked(Database& db, std::string_view name,
                              std::span<const Migration> steps) {
  VIGIL_ASSIGN_OR_RETURN(int64_t found, db.SchemaVersion());
  const auto latest = static_cast<int64_t>(steps.size());
  if (found > latest) {
    return FailedPreconditionError(std::string(name) + ": schema version " + std::to_string(found) +
                                   " was written by a newer Vigil (this "
                                   "one knows up to version " +
                                   std::to_string(latest) + ")");
  }
  if (found < latest) db.ClearCache();
  for (int64_t v = found; v < latest; ++v) {
    VIGIL_RETURN_IF_ERROR(ApplyStep(db, name, steps[static_cast<size_t>(v)]));
  }
  return found;
}

}  // namespace

Result<int64_t> Migrate(Database& db, std::string_view name, std::span<const Migration> steps) {
  VIGIL_RETURN_IF_ERROR(CheckNumbering(name, steps));
  VIGIL_RETURN_IF_ERROR(db.engine().LockSchema());
  Result<int64_t> found = MigrateLocked(db, name, steps);
  Status unlocked = db.engine().UnlockSchema();
  if (found && !unlocked) return unlocked.error();
  return found;
}

}  // namespace vigil::storage
