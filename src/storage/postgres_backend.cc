// The PostgreSQL engine behind storage::Database, over libpqxx (which throws: every call into
// it is wrapped here and its exceptions become Errors).
//
// Transactions are Database's own BEGIN/COMMIT/SAVEPOINT statements sent through one
// pqxx::nontransaction that lives as long as the connection, so pqxx adds no transaction of
// its own. A connection that breaks stays broken (pqxx's silent reconnection is turned off):
// reconnecting in the middle of a transaction would run its remaining statements in autocommit
// mode, a partial commit.
//
// Parameters travel as text and results come back as text: the server converts them to the
// column types it infers, bytea in its hex form.
#include <libpq-fe.h>

#include <charconv>
#include <functional>
#include <memory>
#include <optional>
#include <pqxx/binarystring>
#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/prepared_statement>
#include <pqxx/result>
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

// The state a connection shares with its statements: a statement may outlive the Database
// that prepared it (it then fails with Unavailable instead of touching a freed connection).
struct Session {
  std::string where;  // "postgresql host=/run/vigil dbname=vigil user=vigil", for messages
  std::unique_ptr<pqxx::connection> connection;
  std::unique_ptr<pqxx::nontransaction> work;
  bool broken = false;
  int64_t changes = 0;
  uint64_t statements = 0;  // names prepared statements s1, s2…
};

// "<where>: <what> of "<sql>" failed: <server's message> (SQLSTATE x)" on one line.
Error Failure(Session& s, std::string_view what, std::string_view sql, std::string_view message,
              std::string_view sqlstate) {
  // The server's first line; the next ones (LINE, DETAIL, HINT) show the SQL again.
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
  return Error(code, std::move(m));
}

// Runs `body` (which calls into pqxx) turning pqxx's exceptions into Errors.
template <typename T, typename Body>
Result<T> Guard(Session& s, std::string_view what, std::string_view sql, Body&& body) {
  if (s.broken || !s.work) {
    return UnavailableError(s.where + ": " + std::string(what) + " of \"" +
                            OneLine(sql, kSqlInMessages) +
                            "\" failed: the connection to the server was lost earlier (open "
                            "the database again)");
  }
  try {
    return body();
  } catch (const pqxx::sql_error& e) {
    return Failure(s, what, sql, e.what(), e.sqlstate());
    // libpqxx 6 throws these outside sql_error, without the SQLSTATE they stand for.
  } catch (const pqxx::serialization_failure& e) {
    return Failure(s, what, sql, e.what(), "40001");
  } catch (const pqxx::deadlock_detected& e) {
    return Failure(s, what, sql, e.what(), "40P01");
  } catch (const pqxx::statement_completion_unknown& e) {
    return Failure(s, what, sql, e.what(), "40003");
  } catch (const pqxx::transaction_rollback& e) {
    return Failure(s, what, sql, e.what(), "40000");
  } catch (const pqxx::broken_connection& e) {
    return Failure(s, what, sql, e.what(), "");
  } catch (const pqxx::in_doubt_error& e) {
    return Failure(s, what, sql, e.what(), "");
  } catch (const std::exception& e) {
    return InternalError(s.where + ": " + std::string(what) + " of \"" +
                         OneLine(sql, kSqlInMessages) + "\" failed: " + OneLine(e.what(), 400));
  }
}

Status GuardStatus(Session& s, std::string_view what, std::string_view sql,
                   const std::function<void()>& body) {
  Result<bool> r = Guard<bool>(s, what, sql, [&] {
    body();
    return true;
  });
  if (!r) return r.error();
  return OkStatus();
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

class PostgresStatement final : public StatementEngine {
 public:
  PostgresStatement(std::shared_ptr<Session> session, std::string name, std::string sql,
                    int parameters)
      : session_(std::move(session)),
        name_(std::move(name)),
        sql_(std::move(sql)),
        values_(static_cast<size_t>(parameters)) {}
  ~PostgresStatement() override {
    if (session_->broken || !session_->connection) return;
    try {
      session_->connection->unprepare(name_);
    } catch (const std::exception&) {
      // In a failed transaction the server refuses DEALLOCATE; the name is never reused, and
      // the server drops it with the connection.
    }
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
    if (next_row_ >= result_.size()) return false;
    row_ = next_row_++;
    blobs_.assign(result_.columns(), std::nullopt);
    return true;
  }
  void Reset() override {
    executed_ = false;
    result_.clear();
    next_row_ = 0;
    for (auto& v : values_) v.reset();
  }
  int64_t ColumnInt(int column) const override { return ParseInt(Text(column)); }
  double ColumnReal(int column) const override { return ParseReal(Text(column)); }
  ByteView ColumnBlob(int column) const override {
    if (ColumnIsNull(column)) return {};
    auto& blob = blobs_.at(static_cast<size_t>(column));
    if (!blob) {
      try {
        pqxx::binarystring decoded(Field(column));
        blob.emplace(decoded.data(), decoded.data() + decoded.size());
      } catch (const std::exception&) {
        blob.emplace();  // not bytea: no bytes, as SQLite gives for a NULL
      }
    }
    return *blob;
  }
  std::string_view ColumnText(int column) const override { return Text(column); }
  bool ColumnIsNull(int column) const override { return Field(column).is_null(); }
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

  Status Execute() {
    std::vector<const char*> params;
    params.reserve(values_.size());
    for (const auto& v : values_) params.push_back(v ? v->c_str() : nullptr);
    VIGIL_ASSIGN_OR_RETURN(result_, Guard<pqxx::result>(*session_, "execution", sql_, [&] {
                             return session_->work->exec_prepared(
                                 name_, pqxx::prepare::make_dynamic_params(params));
                           }));
    executed_ = true;
    session_->changes = static_cast<int64_t>(result_.affected_rows());
    return OkStatus();
  }

  pqxx::field Field(int column) const {
    return result_[static_cast<pqxx::result::size_type>(row_)]
                  [static_cast<pqxx::row::size_type>(column)];
  }
  std::string_view Text(int column) const {
    pqxx::field f = Field(column);
    return {f.c_str(), f.size()};
  }

  std::shared_ptr<Session> session_;
  std::string name_;
  std::string sql_;  // as Vigil wrote it ("?"), for messages
  std::vector<std::optional<std::string>> values_;
  bool executed_ = false;
  pqxx::result result_;
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
    session_->work.reset();
    session_->connection.reset();
  }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  Status Exec(std::string_view sql) override {
    // COMMIT of a transaction in which a statement failed rolls it back without an error; the
    // SELECT before it fails instead (25P02), and the transaction stays open for the caller's
    // ROLLBACK.
    std::string text = sql == "COMMIT" ? "SELECT 1; COMMIT" : std::string(sql);
    return GuardStatus(*session_, "execution", sql, [&] {
      pqxx::result r = session_->work->exec(text);
      session_->changes = static_cast<int64_t>(r.affected_rows());
    });
  }

  Result<std::unique_ptr<StatementEngine>> Prepare(std::string_view sql) override {
    postgres::RewrittenSql rewritten = postgres::RewritePlaceholders(sql);
    std::string name = "s" + std::to_string(++session_->statements);
    VIGIL_RETURN_IF_ERROR(GuardStatus(*session_, "preparation", sql, [&] {
      session_->connection->prepare(name, rewritten.sql);
      try {
        session_->connection->prepare_now(name);
      } catch (...) {
        session_->connection->unprepare(name);
        throw;
      }
    }));
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
  try {
    session->connection = std::make_unique<pqxx::connection>(target.conninfo);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    session->connection->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    session->work = std::make_unique<pqxx::nontransaction>(*session->connection, "vigil");
    // bytea comes back in the hex form ColumnBlob decodes, whatever the server's default.
    session->work->exec("SET bytea_output = 'hex'");
  } catch (const std::exception& e) {
    return UnavailableError(target.where + ": cannot connect: " + OneLine(e.what(), 400));
  }
  return Database(std::make_unique<PostgresConnection>(std::move(session)));
}

}  // namespace vigil::storage
