// The SQLite engine behind storage::Database.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "vigil/storage/database.h"

namespace vigil::storage {

namespace {

// SQLite's I/O failures are transient from the caller's point of view (disk, power, locks);
// corruption is data loss; everything else is a bug in our SQL.
Error SqliteError(int rc, std::string message) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(std::move(message));
    case SQLITE_FULL:
      return ResourceExhaustedError(std::move(message));
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_READONLY:
      return UnavailableError(std::move(message));
    default:
      return InternalError(std::move(message));
  }
}

// Failures of the file rather than of our SQL: the user can act on them (a locked, read-only,
// full, damaged or foreign file), and the SQL that met them would only hide what happened.
bool IsFileProblem(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return true;
    default:
      return false;
  }
}

// "PATH: database is locked" for a file problem (`path` as the user gave it); the SQL and
// SQLite's text otherwise.
Error Failure(sqlite3* db, const std::string& path, int rc, std::string_view sql,
              std::string_view what) {
  if (IsFileProblem(rc)) {
    std::string m = (path.empty() ? std::string("database") : path) + ": " + sqlite3_errmsg(db);
    if ((rc & 0xff) == SQLITE_NOTADB) m += " (not a SQLite database, or damaged)";
    return SqliteError(rc, std::move(m));
  }
  return SqliteError(rc, "sqlite: " + std::string(what) + " of \"" + std::string(sql) +
                             "\" failed: " + sqlite3_errmsg(db) + " (code " + std::to_string(rc) +
                             ")");
}

class SqliteStatement final : public StatementEngine {
 public:
  SqliteStatement(sqlite3* db, std::string path, sqlite3_stmt* stmt, std::string sql)
      : db_(db), path_(std::move(path)), stmt_(stmt), sql_(std::move(sql)) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  Status BindText(int index, std::string_view text) override {
    return BindTextAs(index, text, SQLITE_TRANSIENT);
  }
  // SQLITE_STATIC: SQLite keeps the pointer until the binding is replaced or cleared (Reset
  // clears it), which is the caller's promise.
  Status BindTextView(int index, std::string_view text) override {
    return BindTextAs(index, text, SQLITE_STATIC);
  }
  Status BindBlob(int index, ByteView blob) override {
    // A zero-length blob must still be a blob, not NULL: SQLite takes a null pointer as NULL.
    static const uint8_t kEmpty = 0;
    const void* data = blob.empty() ? &kEmpty : blob.data();
    return Check(
        sqlite3_bind_blob(stmt_, index, data, static_cast<int>(blob.size()), SQLITE_TRANSIENT));
  }
  Status BindInt(int index, int64_t value) override {
    return Check(sqlite3_bind_int64(stmt_, index, value));
  }
  Status BindReal(int index, double value) override {
    return Check(sqlite3_bind_double(stmt_, index, value));
  }
  Status BindNull(int index) override { return Check(sqlite3_bind_null(stmt_, index)); }

  Result<bool> Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Failure(rc, "step");
  }
  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t ColumnInt(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double ColumnReal(int column) const override { return sqlite3_column_double(stmt_, column); }
  ByteView ColumnBlob(int column) const override {
    const void* p = sqlite3_column_blob(stmt_, column);
    int n = sqlite3_column_bytes(stmt_, column);
    return {static_cast<const uint8_t*>(p), static_cast<size_t>(n)};
  }
  std::string_view ColumnText(int column) const override {
    const unsigned char* p = sqlite3_column_text(stmt_, column);
    int n = sqlite3_column_bytes(stmt_, column);
    return {reinterpret_cast<const char*>(p), static_cast<size_t>(n)};
  }
  bool ColumnIsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  std::string_view Sql() const override { return sql_; }

 private:
  Status BindTextAs(int index, std::string_view text, sqlite3_destructor_type lifetime) {
    // An empty text must stay text, not NULL: a default string_view has a null pointer, which
    // SQLite takes as NULL (and a NOT NULL column then refuses it).
    const char* data = text.data() == nullptr ? "" : text.data();
    return Check(sqlite3_bind_text(stmt_, index, data, static_cast<int>(text.size()), lifetime));
  }
  Status Check(int rc) const { return rc == SQLITE_OK ? OkStatus() : Failure(rc, "bind"); }
  Error Failure(int rc, std::string_view what) const {
    return storage::Failure(db_, path_, rc, sql_, what);
  }
  sqlite3* db_;
  std::string path_;  // the database file as the user named it, for messages
  sqlite3_stmt* stmt_;
  std::string sql_;
};

class SqliteConnection final : public ConnectionEngine {
 public:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteConnection() override { sqlite3_close(db_); }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }
  Status Exec(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);  // the same text as sqlite3_errmsg, which Failure reads
    if (rc == SQLITE_OK) return OkStatus();
    return Failure(db_, path_, rc, text, "execution");
  }
  Result<std::unique_ptr<StatementEngine>> Prepare(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return Failure(db_, path_, rc, sql, "preparation");
    }
    return std::unique_ptr<StatementEngine>(
        std::make_unique<SqliteStatement>(db_, path_, stmt, std::string(sql)));
  }
  int64_t Changes() const override { return sqlite3_changes64(db_); }
  std::string_view BeginWriteSql() const override { return "BEGIN IMMEDIATE"; }
  std::string_view BeginReadSql() const override { return "BEGIN DEFERRED"; }
  Result<bool> HasTable(std::string_view name) override {
    VIGIL_ASSIGN_OR_RETURN(auto s,
                           Prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?"));
    VIGIL_RETURN_IF_ERROR(s->BindText(1, name));
    return s->Step();
  }
  Result<int64_t> SchemaVersion() override {
    VIGIL_ASSIGN_OR_RETURN(auto s, Prepare("PRAGMA user_version"));
    VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
    return row ? s->ColumnInt(0) : 0;
  }
  Status SetSchemaVersion(int64_t version) override {
    // PRAGMA takes no bound parameters; the value is an integer we formatted.
    return Exec("PRAGMA user_version = " + std::to_string(version));
  }

 private:
  sqlite3* db_;
  std::string path_;
};

// SQLite creates files with the process umask (usually 0644); a database holds device or
// manufacturer data, so it is created owner-only first. SQLite gives its journal and WAL
// files the database file's permissions.
Status CreateOwnerOnly(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return OkStatus();
  }
  if (errno == EEXIST) return OkStatus();
  return UnavailableError(path + ": cannot create the database: " + std::strerror(errno));
}

}  // namespace

Result<Database> Database::OpenSqlite(const SqliteOptions& options) {
  if (options.create && options.vfs.empty() && !options.read_only) {
    VIGIL_RETURN_IF_ERROR(CreateOwnerOnly(options.path));
  }
  int flags = SQLITE_OPEN_NOMUTEX;
  if (options.read_only) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(options.path.c_str(), &db, flags,
                           options.vfs.empty() ? nullptr : options.vfs.c_str());
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    if (!options.create && rc == SQLITE_CANTOPEN) {
      return NotFoundError(options.path + ": no database there (" + msg + ")");
    }
    return SqliteError(rc, options.path + ": cannot open the database: " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  return Database(std::make_unique<SqliteConnection>(db, options.path));
}

}  // namespace vigil::storage
