// The PostgreSQL engine behind storage::Database, over libpq's C API.
//
// Transactions are Database's own BEGIN/COMMIT/SAVEPOINT statements. A connection that breaks
// stays broken (nothing reconnects): reconnecting in the middle of a transaction would run its
// remaining statements in autocommit mode, a partial commit.
//
// Round trips: a statement sent with Send (and a transaction's BEGIN) goes into libpq's
// pipeline (PostgreSQL 14+ libpq) and is not waited for; the next call that needs an answer —
// a Step, an Exec, a Prepare, a COMMIT, Sync — sends it with everything queued and reads every
// answer in order. So a batch written as BEGIN, a SELECT, writes sent and COMMIT costs two round
// trips whatever its number of statements. After an error inside a pipeline the server skips
// the pipeline's later statements and the transaction is aborted: the first error is reported,
// and the caller's Transaction rolls back.
//
// Parameters travel as text and results come back as text: the server converts them to the
// column types it infers, bytea in its hex form.
#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "internal/postgres_sql.h"
#include "vigil/core/encoding.h"
#include "vigil/storage/database.h"

namespace vigil::storage {

namespace {

using postgres::OneLine;

constexpr size_t kSqlInMessages = 120;  // characters of SQL an error message repeats

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;
struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};

// The state a connection shares with its statements: a statement may outlive the Database
// that prepared it (it then fails with Unavailable instead of touching a freed connection).
struct Session {
  std::string where;  // "postgresql host=/run/vigil dbname=vigil user=vigil", for messages
  std::unique_ptr<PGconn, ConnDeleter> conn;
  bool broken = false;
  int64_t changes = 0;
  uint64_t statements = 0;  // names prepared statements s1, s2…
  // Each statement in the pipeline whose answer is not read yet, in order; empty when the
  // connection is out of pipeline mode.
  struct Sent {
    std::string sql;  // as Vigil wrote it, for messages
    bool rows;        // its rows are wanted (the Step that ends the pipeline)
  };
  std::vector<Sent> sent;
};

// "<where>: <what> of "<sql>" failed: <server's message> (SQLSTATE x)" on one line. Without
// a SQLSTATE (the connection's own error) the connection counts as lost.
Error Failure(Session& s, std::string_view what, std::string_view sql, std::string_view message,
              std::string_view sqlstate) {
  // The first line; the next ones (LINE, DETAIL, HINT) show the SQL again.
  std::string text = OneLine(message.substr(0, message.find('\n')), 300);
  for (std::string_view prefix : {"ERROR:", "FATAL:"}) {
    if (!text.starts_with(prefix)) continue;
    size_t start = text.find_first_not_of(' ', prefix.size());
    text = start == std::string::npos ? "" : text.substr(start);
  }
  std::string m = s.where + ": " + std::string(what) + " of \"" + OneLine(sql, kSqlInMessages) +
                  "\" failed: " + text;
  if (!sqlstate.empty()) m += " (SQLSTATE " + std::string(sqlstate) + ")";
  ErrorCode code = ErrorCode::kUnavailable;
  if (!sqlstate.empty()) {
    code = postgres::CodeForSqlstate(sqlstate);
    if (postgres::IsConnectionLoss(sqlstate)) s.broken = true;
  } else {
    s.broken = true;
  }
  if (PQstatus(s.conn.get()) == CONNECTION_BAD) s.broken = true;
  return Error(code, std::move(m));
}

// The failure libpq reports for `r` (null: the connection's own error, e.g. it was lost).
Error ResultFailure(Session& s, std::string_view what, std::string_view sql, const PGresult* r) {
  if (r == nullptr) return Failure(s, what, sql, PQerrorMessage(s.conn.get()), "");
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  return Failure(s, what, sql, primary ? primary : PQresultErrorMessage(r), state ? state : "");
}

bool Succeeded(const PGresult* r) {
  const ExecStatusType status = PQresultStatus(r);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

// `r` when it succeeded, else its failure.
Result<PgResult> Checked(Session& s, std::string_view what, std::string_view sql, PgResult r) {
  if (r == nullptr || !Succeeded(r.get())) return ResultFailure(s, what, sql, r.get());
  return r;
}

Status Usable(Session& s, std::string_view what, std::string_view sql) {
  if (!s.broken && s.conn) return OkStatus();
  return UnavailableError(s.where + ": " + std::string(what) + " of \"" +
                          OneLine(sql, kSqlInMessages) +
                          "\" failed: the connection to the server was lost earlier (open "
                          "the database again)");
}

int64_t AffectedRows(const PGresult* r) {
  const char* n = PQcmdTuples(const_cast<PGresult*>(r));
  return n == nullptr || *n == '\0' ? 0 : std::strtoll(n, nullptr, 10);
}

// Queues a prepared statement (or, with `name` null, the parameterless `text`) in the
// pipeline, entering pipeline mode first.
Status SendOne(Session& s, const char* name, const std::string& text, std::string_view sql,
               const std::vector<const char*>& params, bool rows = false) {
  VIGIL_RETURN_IF_ERROR(Usable(s, "execution", sql));
  PGconn* c = s.conn.get();
  if (PQpipelineStatus(c) == PQ_PIPELINE_OFF && PQenterPipelineMode(c) != 1) {
    return Failure(s, "execution", sql, PQerrorMessage(c), "");
  }
  const int n = static_cast<int>(params.size());
  const int ok = name != nullptr
                     ? PQsendQueryPrepared(c, name, n, params.data(), nullptr, nullptr, 0)
                     : PQsendQueryParams(c, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
  if (ok != 1) return Failure(s, "execution", sql, PQerrorMessage(c), "");
  s.sent.push_back({std::string(sql), rows});
  return OkStatus();
}

// Whether a statement sent now belongs to a transaction: one is open, or something (a BEGIN)
// is queued before it.
bool InTransaction(const Session& s) {
  if (!s.sent.empty()) return true;
  const PGTransactionStatusType status = PQtransactionStatus(s.conn.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

// Reads the answer to one statement of the pipeline (its result, then the null that ends it).
PgResult NextAnswer(PGconn* c) {
  PgResult r(PQgetResult(c));
  if (r != nullptr && PQresultStatus(r.get()) != PGRES_PIPELINE_SYNC) {
    while (PGresult* more = PQgetResult(c)) PQclear(more);
  }
  return r;
}

// Sends everything queued and reads every answer, in order: the first error among them (the
// statements after it were skipped by the server), else the last statement's result. Leaves
// pipeline mode.
Result<PgResult> SyncPipeline(Session& s) {
  PGconn* c = s.conn.get();
  std::vector<Session::Sent> sent = std::exchange(s.sent, {});
  if (sent.empty()) return PgResult();
  if (PQpipelineSync(c) != 1) {
    return Failure(s, "execution", sent.front().sql, PQerrorMessage(c), "");
  }
  std::optional<Error> first;
  PgResult last;
  for (const Session::Sent& one : sent) {
    PgResult r = NextAnswer(c);
    if (r != nullptr && PQresultStatus(r.get()) == PGRES_PIPELINE_ABORTED) continue;
    if (r == nullptr || !Succeeded(r.get())) {
      Error e = ResultFailure(s, "execution", one.sql, r.get());
      if (!first) first = std::move(e);
      if (s.broken) return *first;  // nothing more will come
      continue;
    }
    if (!one.rows && PQntuples(r.get()) > 0 && !first) {
      first = InternalError("storage: \"" + one.sql + "\" returned a row where none was expected");
    }
    s.changes = AffectedRows(r.get());
    last = std::move(r);
  }
  PgResult end = NextAnswer(c);
  if (end == nullptr || PQresultStatus(end.get()) != PGRES_PIPELINE_SYNC ||
      PQexitPipelineMode(c) != 1) {
    Error lost = Failure(s, "execution", sent.back().sql, PQerrorMessage(c), "");
    return first ? *first : lost;
  }
  if (first) return *first;
  return last;
}

// The number in a text result: integers, booleans ("t"/"f", what comparisons return) and, cut
// towards zero, numerics.
int64_t ParseInt(std::string_view text) {
  if (text == "t") return 1;
  if (text == "f") return 0;
  int64_t value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && p == text.data() + text.size()) return value;
  double real = 0;
  std::from_chars(text.data(), text.data() + text.size(), real);
  return static_cast<int64_t>(real);
}

double ParseReal(std::string_view text) {
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// bytea's hex form ("\x0a1b…") as bytes; empty for anything else (not bytea), as SQLite gives
// for a NULL.
Bytes DecodeBytea(std::string_view text) {
  if (!text.starts_with("\\x")) return {};
  auto bytes = HexDecode(text.substr(2));
  return bytes ? std::move(*bytes) : Bytes();
}

class PostgresStatement final : public StatementEngine {
 public:
  PostgresStatement(std::shared_ptr<Session> session, std::string name, std::string sql,
                    int parameters)
      : session_(std::move(session)),
        name_(std::move(name)),
        sql_(std::move(sql)),
        values_(static_cast<size_t>(parameters)) {}
  ~PostgresStatement() override {
    // In a failed transaction the server refuses DEALLOCATE, and while a pipeline is pending it
    // would cost its answers: the name is never reused, and the server drops it with the
    // connection.
    if (session_->broken || !session_->conn || !session_->sent.empty()) return;
    PgResult(PQexec(session_->conn.get(), ("DEALLOCATE " + name_).c_str()));
  }
  PostgresStatement(const PostgresStatement&) = delete;
  PostgresStatement& operator=(const PostgresStatement&) = delete;

  Status BindText(int index, std::string_view text) override {
    return Bind(index, std::string(text));
  }
  // The parameters go to the server as strings when the statement runs: a copy either way.
  Status BindTextView(int index, std::string_view text) override { return BindText(index, text); }
  Status BindBlob(int index, ByteView blob) override {
    return Bind(index, "\\x" + HexEncode(blob));
  }
  Status BindInt(int index, int64_t value) override { return Bind(index, std::to_string(value)); }
  Status BindReal(int index, double value) override {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return Bind(index, std::string(buffer, end));  // "inf", "-inf" and "nan" are float8 input
  }
  Status BindNull(int index) override { return Bind(index, std::nullopt); }

  Result<bool> Step() override {
    if (!executed_) VIGIL_RETURN_IF_ERROR(Execute());
    if (next_row_ >= Rows()) return false;
    row_ = next_row_++;
    blobs_.assign(static_cast<size_t>(PQnfields(result_.get())), std::nullopt);
    return true;
  }
  // Queued in the pipeline inside a transaction (or behind a queued BEGIN); its answer is read
  // by the connection's next call that waits. Outside a transaction it runs at once, as on
  // SQLite: queued statements would share the pipeline's implicit transaction, so one error
  // would undo the statements sent before it, which SQLite has already committed.
  Status Send() override {
    if (!InTransaction(*session_)) return StatementEngine::Send();
    std::vector<const char*> params = Params();
    Status sent = SendOne(*session_, name_.c_str(), "", sql_, params);
    Reset();
    return sent;
  }
  void Reset() override {
    executed_ = false;
    result_.reset();
    next_row_ = 0;
    for (auto& v : values_) v.reset();
  }
  int64_t ColumnInt(int column) const override { return ParseInt(Text(column)); }
  double ColumnReal(int column) const override { return ParseReal(Text(column)); }
  ByteView ColumnBlob(int column) const override {
    if (ColumnIsNull(column)) return {};
    auto& blob = blobs_.at(static_cast<size_t>(column));
    if (!blob) blob.emplace(DecodeBytea(Text(column)));
    return *blob;
  }
  std::string_view ColumnText(int column) const override { return Text(column); }
  bool ColumnIsNull(int column) const override {
    return PQgetisnull(result_.get(), static_cast<int>(row_), column) == 1;
  }
  std::string_view Sql() const override { return sql_; }

 private:
  Status Bind(int index, std::optional<std::string> value) {
    if (index < 1 || static_cast<size_t>(index) > values_.size()) {
      return InternalError(session_->where + ": parameter " + std::to_string(index) + " of \"" +
                           OneLine(sql_, kSqlInMessages) + "\" does not exist (it has " +
                           std::to_string(values_.size()) + ")");
    }
    values_[static_cast<size_t>(index) - 1] = std::move(value);
    return OkStatus();
  }

  std::vector<const char*> Params() const {
    std::vector<const char*> params;
    params.reserve(values_.size());
    for (const auto& v : values_) params.push_back(v ? v->c_str() : nullptr);
    return params;
  }

  // Runs the statement: at once when nothing is pending, else as the last of the pipeline
  // (one round trip for everything sent before it and itself).
  Status Execute() {
    std::vector<const char*> params = Params();
    Session& s = *session_;
    VIGIL_RETURN_IF_ERROR(Usable(s, "execution", sql_));
    if (!s.sent.empty()) {
      VIGIL_RETURN_IF_ERROR(SendOne(s, name_.c_str(), "", sql_, params, /*rows=*/true));
      VIGIL_ASSIGN_OR_RETURN(result_, SyncPipeline(s));
    } else {
      VIGIL_ASSIGN_OR_RETURN(
          result_, Checked(s, "execution", sql_,
                           PgResult(PQexecPrepared(s.conn.get(), name_.c_str(),
                                                   static_cast<int>(params.size()), params.data(),
                                                   nullptr, nullptr, 0))));
      s.changes = AffectedRows(result_.get());
    }
    executed_ = true;
    return OkStatus();
  }

  size_t Rows() const { return static_cast<size_t>(PQntuples(result_.get())); }
  std::string_view Text(int column) const {
    const int row = static_cast<int>(row_);
    return {PQgetvalue(result_.get(), row, column),
            static_cast<size_t>(PQgetlength(result_.get(), row, column))};
  }

  std::shared_ptr<Session> session_;
  std::string name_;
  std::string sql_;  // as Vigil wrote it ("?"), for messages
  std::vector<std::optional<std::string>> values_;
  bool executed_ = false;
  PgResult result_;
  size_t next_row_ = 0;
  size_t row_ = 0;
  mutable std::vector<std::optional<Bytes>> blobs_;  // decoded bytea of the current row
};

constexpr std::string_view kVersionTable = "vigil_schema_version";

class PostgresConnection final : public ConnectionEngine {
 public:
  explicit PostgresConnection(std::shared_ptr<Session> session) : session_(std::move(session)) {}
  ~PostgresConnection() override {
    // The statements that outlive the connection see it as lost.
    session_->broken = true;
    session_->conn.reset();
  }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  // The pipeline's answers first: an error among them is returned (the first error wins), but
  // `sql` still runs unless the connection is lost, so that the ROLLBACK after a failed
  // pipeline does roll back.
  Status Exec(std::string_view sql) override {
    VIGIL_RETURN_IF_ERROR(Usable(*session_, "execution", sql));
    if (sql == "COMMIT") return Commit();
    Result<PgResult> pending = SyncPipeline(*session_);
    if (!pending && session_->broken) return pending.error();
    Result<PgResult> r = Checked(*session_, "execution", sql,
                                 PgResult(PQexec(session_->conn.get(), std::string(sql).c_str())));
    if (r) session_->changes = AffectedRows(r->get());
    if (!pending) return pending.error();
    if (!r) return r.error();
    return OkStatus();
  }
  Status Send(std::string_view sql) override {
    return SendOne(*session_, nullptr, std::string(sql), sql, {});
  }
  Status Sync() override {
    Result<PgResult> r = SyncPipeline(*session_);
    if (!r) return r.error();
    return OkStatus();
  }

  // COMMIT of a transaction in which a statement failed rolls it back without an error; the
  // SELECT sent before it fails instead (25P02), and the transaction stays open for the
  // caller's ROLLBACK. Both go in the pipeline after whatever is pending: one round trip.
  Status Commit() {
    VIGIL_RETURN_IF_ERROR(SendOne(*session_, nullptr, "SELECT 1", "COMMIT", {}, /*rows=*/true));
    VIGIL_RETURN_IF_ERROR(SendOne(*session_, nullptr, "COMMIT", "COMMIT", {}));
    return Sync();
  }

  Result<std::unique_ptr<StatementEngine>> Prepare(std::string_view sql) override {
    VIGIL_RETURN_IF_ERROR(Usable(*session_, "preparation", sql));
    VIGIL_RETURN_IF_ERROR(Sync());
    postgres::RewrittenSql rewritten = postgres::RewritePlaceholders(sql);
    std::string name = "s" + std::to_string(++session_->statements);
    VIGIL_RETURN_IF_ERROR(
        Checked(*session_, "preparation", sql,
                PgResult(PQprepare(session_->conn.get(), name.c_str(), rewritten.sql.c_str(),
                                   0, nullptr))));
    return std::unique_ptr<StatementEngine>(std::make_unique<PostgresStatement>(
        session_, std::move(name), std::string(sql), rewritten.parameters));
  }
  int64_t Changes() const override { return session_->changes; }
  // SQLite's transactions are serializable; code written for them expects no less.
  std::string_view BeginWriteSql() const override { return "BEGIN ISOLATION LEVEL SERIALIZABLE"; }
  std::string_view BeginReadSql() const override {
    return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  }

  Result<bool> HasTable(std::string_view name) override {
    VIGIL_ASSIGN_OR_RETURN(auto s, Prepare("SELECT 1 FROM pg_catalog.pg_tables WHERE "
                                           "schemaname = current_schema() AND tablename = ?"));
    VIGIL_RETURN_IF_ERROR(s->BindText(1, name));
    return s->Step();
  }

  Result<int64_t> SchemaVersion() override {
    VIGIL_ASSIGN_OR_RETURN(bool exists, HasTable(kVersionTable));
    if (!exists) return 0;
    VIGIL_ASSIGN_OR_RETURN(auto s, Prepare("SELECT version FROM vigil_schema_version"));
    VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
    return row ? s->ColumnInt(0) : 0;
  }

  // A one-row table: the CHECK keeps it at one row whoever writes to it.
  Status SetSchemaVersion(int64_t version) override {
    VIGIL_RETURN_IF_ERROR(
        Exec("CREATE TABLE IF NOT EXISTS vigil_schema_version ("
             "one_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one_row), "
             "version BIGINT NOT NULL)"));
    VIGIL_ASSIGN_OR_RETURN(auto s, Prepare("INSERT INTO vigil_schema_version (version) VALUES (?) "
                                           "ON CONFLICT (one_row) DO UPDATE SET version = "
                                           "EXCLUDED.version"));
    VIGIL_RETURN_IF_ERROR(s->BindInt(1, version));
    VIGIL_ASSIGN_OR_RETURN(bool row, s->Step());
    (void)row;
    return OkStatus();
  }

  // A session-level advisory lock keyed by the schema the tables go to: held across the
  // migration's transactions, released by UnlockSchema or when the connection ends.
  Status LockSchema() override {
    return Exec("SELECT pg_advisory_lock(hashtext('vigil schema ' || current_schema()))");
  }
  Status UnlockSchema() override {
    return Exec("SELECT pg_advisory_unlock(hashtext('vigil schema ' || current_schema()))");
  }

 private:
  std::shared_ptr<Session> session_;
};

// libpq's parsed connection string, freed on scope exit.
struct ConninfoDeleter {
  void operator()(PQconninfoOption* o) const { PQconninfoFree(o); }
};
using Conninfo = std::unique_ptr<PQconninfoOption, ConninfoDeleter>;

// libpq's message about a malformed string, with what it quotes from the string left out (it
// may be a password).
std::string WithoutQuotes(std::string_view message) {
  std::string out;
  bool inside = false;
  for (char c : OneLine(message, 300)) {
    if (c == '"') {
      out += inside ? "\"" : "\"…";
      inside = !inside;
    } else if (!inside) {
      out.push_back(c);
    }
  }
  return out;
}

// 'value' with \ and ' escaped, as libpq's key=value syntax wants.
std::string Quoted(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

struct ConnectTo {
  std::string conninfo;  // what libpq is given
  std::string where;     // for messages: no password
};

Result<ConnectTo> ReadConninfo(const PostgresOptions& options) {
  char* error = nullptr;
  Conninfo parsed(PQconninfoParse(options.url.c_str(), &error));
  if (!parsed) {
    std::string why = error ? WithoutQuotes(error) : "out of memory";
    PQfreemem(error);
    return InvalidArgumentError("postgresql: the connection string is malformed: " + why);
  }
  ConnectTo out;
  out.where = "postgresql";
  for (PQconninfoOption* o = parsed.get(); o->keyword != nullptr; ++o) {
    std::string_view key = o->keyword;
    if (o->val == nullptr || key == "connect_timeout" || key == "application_name") continue;
    out.conninfo += std::string(key) + "=" + Quoted(o->val) + " ";
    if (key == "host" || key == "hostaddr" || key == "port" || key == "dbname" || key == "user") {
      out.where += " " + std::string(key) + "=" + o->val;
    }
  }
  out.conninfo += "connect_timeout=" + std::to_string(options.connect_timeout_seconds) +
                  " application_name=" + Quoted(options.application_name);
  return out;
}

}  // namespace

Result<Database> Database::OpenPostgres(const PostgresOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(ConnectTo target, ReadConninfo(options));
  auto session = std::make_shared<Session>();
  session->where = target.where;
  session->conn.reset(PQconnectdb(target.conninfo.c_str()));
  if (session->conn == nullptr) return UnavailableError(target.where + ": cannot connect: out of memory");
  if (PQstatus(session->conn.get()) != CONNECTION_OK) {
    return UnavailableError(target.where + ": cannot connect: " +
                            OneLine(PQerrorMessage(session->conn.get()), 400));
  }
  // The server's notices ("relation … already exists, skipping") are not errors: not printed.
  PQsetNoticeProcessor(session->conn.get(), [](void*, const char*) {}, nullptr);
  auto connection = std::make_unique<PostgresConnection>(std::move(session));
  // bytea comes back in the hex form ColumnBlob decodes, whatever the server's default.
  VIGIL_RETURN_IF_ERROR(connection->Exec("SET bytea_output = 'hex'"));
  return Database(std::move(connection));
}

}  // namespace vigil::storage
