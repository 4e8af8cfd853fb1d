#include "vigil/storage/database.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "vigil/storage/power_loss_vfs.h"
#if VIGIL_STORAGE_POSTGRES
#include "vigil/storage/postgres_server.h"
#endif

namespace vigil::storage {
namespace {

namespace fs = std::filesystem;

SqliteOptions Options(std::string path, bool create, bool read_only = false, std::string vfs = "") {
  SqliteOptions o;
  o.path = std::move(path);
  o.create = create;
  o.read_only = read_only;
  o.vfs = std::move(vfs);
  return o;
}

// A fresh SQLite file in a temporary folder.
class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "vigil-storage-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  Database Open(bool create = true) {
    auto db = Database::OpenSqlite(Options(Path(), create));
    EXPECT_TRUE(db) << db.error().ToString();
    return std::move(*db);
  }
  std::string Path() const { return (dir_ / "test.db").string(); }

  fs::path dir_;
};

enum class Engine { kSqlite, kPostgres };

std::string EngineName(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

// What Database promises whatever the engine: each test runs on a fresh SQLite file and on a
// fresh database of the test binary's private PostgreSQL server. The SQL is the portable
// subset (docs/ARCHITECTURE.md, "Storage dialect").
class DatabaseTest : public SqliteTest, public ::testing::WithParamInterface<Engine> {
 protected:
  void SetUp() override {
    SqliteTest::SetUp();
    if (GetParam() == Engine::kPostgres) {
#if VIGIL_STORAGE_POSTGRES
      auto server = testing::PostgresServer::Shared();
      ASSERT_TRUE(server) << server.error().ToString();
      auto url = (*server)->CreateDatabase();
      ASSERT_TRUE(url) << url.error().ToString();
      url_ = *url;
#else
      FAIL() << "PostgreSQL is not built in a VIGIL_DEVICE_ONLY build";
#endif
    }
  }

  // `create` matters to SQLite only: a server's database exists once created.
  Database Open(bool create = true) {
#if VIGIL_STORAGE_POSTGRES
    if (GetParam() == Engine::kSqlite) return SqliteTest::Open(create);
    PostgresOptions options;
    options.url = url_;
    auto db = Database::OpenPostgres(options);
    EXPECT_TRUE(db) << db.error().ToString();
    return std::move(*db);
#else
    return SqliteTest::Open(create);  // a device build links no PostgreSQL client
#endif
  }

  static int64_t CountRows(Database& db, std::string_view table) {
    auto s = db.Prepare("SELECT count(*) FROM " + std::string(table));
    EXPECT_TRUE(s) << s.error().ToString();
    EXPECT_TRUE(*s->Step());
    return s->ColumnInt(0);
  }

  std::string url_;
};

#if VIGIL_STORAGE_POSTGRES
INSTANTIATE_TEST_SUITE_P(Engines, DatabaseTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres), EngineName);
#else
INSTANTIATE_TEST_SUITE_P(Engines, DatabaseTest, ::testing::Values(Engine::kSqlite), EngineName);
#endif

TEST_F(SqliteTest, MissingFileIsNotFoundUnlessCreated) {
  auto db = Database::OpenSqlite(Options(Path(), false));
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(db.error().message().find(Path()), std::string::npos);
  EXPECT_FALSE(fs::exists(Path()));
}

TEST_F(SqliteTest, CreatedFileIsOwnerOnly) {
  ::umask(022);
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT)"));
  struct stat st {};
  ASSERT_EQ(::stat(Path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST_F(SqliteTest, GarbageFileIsDataLoss) {
  std::ofstream(Path()) << std::string(4096, 'x');
  auto db = Database::OpenSqlite(Options(Path(), false));
  ASSERT_TRUE(db) << db.error().ToString();  // SQLite reads the header lazily
  Status s = db->Exec("CREATE TABLE t(x)");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kDataLoss) << s.error().ToString();
}

TEST_F(SqliteTest, ReadOnlyRefusesWrites) {
  { ASSERT_TRUE(Open().Exec("CREATE TABLE t(x BIGINT)")); }
  auto db = Database::OpenSqlite(Options(Path(), false, true));
  ASSERT_TRUE(db) << db.error().ToString();
  Status s = db->Exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kUnavailable) << s.error().ToString();
}

TEST_P(DatabaseTest, CachedStatementIsPreparedOnceAndComesBackReset) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT); INSERT INTO t VALUES (1), (2)"));
  auto first = db.Cached("SELECT x FROM t WHERE x = ?");
  ASSERT_TRUE(first) << first.error().ToString();
  ASSERT_TRUE((*first)->BindInt(1, 2));
  ASSERT_TRUE(*(*first)->Step());  // left mid-result on purpose
  auto again = db.Cached("SELECT x FROM t WHERE x = ?");
  ASSERT_TRUE(again);
  EXPECT_EQ(*first, *again);
  // Reset cleared the binding: NULL matches nothing.
  EXPECT_FALSE(*(*again)->Step());
}

TEST_P(DatabaseTest, SaysWhichDialectItSpeaks) {
  Database db = Open();
  EXPECT_EQ(db.dialect(), GetParam() == Engine::kSqlite ? Dialect::kSqlite : Dialect::kPostgres);
}

TEST_P(DatabaseTest, BadSqlNamesTheStatement) {
  Database db = Open();
  auto s = db.Prepare("SELEKT 1");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInternal);
  EXPECT_NE(s.error().message().find("SELEKT 1"), std::string::npos) << s.error().message();
}

TEST_P(DatabaseTest, RunRefusesAStatementThatReturnsRows) {
  Database db = Open();
  auto s = db.Prepare("SELECT 1");
  ASSERT_TRUE(s);
  Status run = s->Run();
  ASSERT_FALSE(run);
  EXPECT_NE(run.error().message().find("returned a row"), std::string::npos);
}

TEST_P(DatabaseTest, EmptyBlobStaysABlob) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(b BYTEA)"));
  auto put = db.Prepare("INSERT INTO t VALUES (?)");
  ASSERT_TRUE(put);
  ASSERT_TRUE(put->BindBlob(1, ByteView()));
  ASSERT_TRUE(put->Run());
  auto get = db.Prepare("SELECT b IS NULL, length(b) FROM t");
  ASSERT_TRUE(get && *get->Step());
  EXPECT_EQ(get->ColumnInt(0), 0);
  EXPECT_EQ(get->ColumnInt(1), 0);
}

// BindTextView reads the caller's bytes when the statement runs (SQLite) or copies them
// (PostgreSQL): either way the row holds what the buffer said at Run, and an empty view is an
// empty text, not NULL.
TEST_P(DatabaseTest, TextViewIsReadWhenTheStatementRuns) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(a TEXT NOT NULL, b TEXT NOT NULL)"));
  auto put = db.Cached("INSERT INTO t VALUES (?, ?), (?, ?)");
  ASSERT_TRUE(put) << put.error().ToString();
  std::string row1 = "first", row2 = "second";
  ASSERT_TRUE((*put)->BindTextView(1, row1));
  ASSERT_TRUE((*put)->BindTextView(2, std::string_view()));
  ASSERT_TRUE((*put)->BindTextView(3, row2));
  ASSERT_TRUE((*put)->BindText(4, "copied"));
  ASSERT_TRUE((*put)->Run());
  row1 = "changed after the run";
  auto get = db.Prepare("SELECT a, b, b IS NULL FROM t ORDER BY a");
  ASSERT_TRUE(get);
  ASSERT_TRUE(*get->Step());
  EXPECT_EQ(get->ColumnText(0), "first");
  EXPECT_EQ(get->ColumnText(1), "");
  EXPECT_EQ(get->ColumnInt(2), 0);
  ASSERT_TRUE(*get->Step());
  EXPECT_EQ(get->ColumnText(0), "second");
  EXPECT_EQ(get->ColumnText(1), "copied");
  // The run reset the statement: its views are gone, an unbound parameter is NULL again.
  auto again = db.Cached("INSERT INTO t VALUES (?, ?), (?, ?)");
  ASSERT_TRUE(again);
  EXPECT_FALSE((*again)->Run());
}

TEST_P(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT)"));
  {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(txn);
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)"));
  }
  EXPECT_EQ(CountRows(db, "t"), 0);
  {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(txn);
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)"));
    ASSERT_TRUE(txn->Commit());
    EXPECT_FALSE(txn->open());
  }
  EXPECT_EQ(CountRows(db, "t"), 1);
  auto txn = Transaction::Begin(db);
  ASSERT_TRUE(txn);
  ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (2)"));
  ASSERT_TRUE(txn->Rollback());
  EXPECT_EQ(CountRows(db, "t"), 1);
}

TEST_P(DatabaseTest, SavepointUndoKeepsTheRestOfTheTransaction) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT)"));
  auto txn = Transaction::Begin(db);
  ASSERT_TRUE(txn);
  ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)"));
  {
    auto sp = Savepoint::Begin(db, "doc");
    ASSERT_TRUE(sp);
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (2)"));
    ASSERT_TRUE(sp->Undo());
  }
  {
    auto sp = Savepoint::Begin(db, "doc");
    ASSERT_TRUE(sp);
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (3)"));
    ASSERT_TRUE(sp->Release());
  }
  {
    auto sp = Savepoint::Begin(db, "doc");
    ASSERT_TRUE(sp);
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (4)"));
  }  // destroyed without Release: undone
  ASSERT_TRUE(txn->Commit());
  auto s = db.Prepare("SELECT x FROM t ORDER BY x");
  ASSERT_TRUE(s);
  std::vector<int64_t> kept;
  while (*s->Step()) kept.push_back(s->ColumnInt(0));
  EXPECT_EQ(kept, (std::vector<int64_t>{1, 3}));
}

// Statement::Send and Database::Sync (ARCHITECTURE.md, "Sent statements"): on SQLite a sent
// statement runs at once, on PostgreSQL inside a transaction it waits in the pipeline for the
// next call that needs an answer. What the caller sees is the same on both engines.

// Sends `x` through the cached "INSERT INTO t VALUES (?)".
Status SendInsert(Database& db, int64_t x) {
  VIGIL_ASSIGN_OR_RETURN(Statement * put, db.Cached("INSERT INTO t VALUES (?)"));
  VIGIL_RETURN_IF_ERROR(put->BindInt(1, x));
  return put->Send();
}

// A sent statement's outcome whatever the engine: Send's error (SQLite; outside a transaction)
// or else the pipeline's, read by Sync. Never both: Sync after a failed Send has nothing.
Status SentOutcome(Database& db, const Status& sent) {
  Status synced = db.Sync();
  if (sent) return synced;
  EXPECT_TRUE(synced) << "the error of a Send was reported twice";
  return sent;
}

std::vector<int64_t> Column(Database& db, std::string_view select) {
  std::vector<int64_t> out;
  auto s = db.Prepare(select);
  EXPECT_TRUE(s) << s.error().ToString();
  if (!s) return out;
  while (true) {
    auto row = s->Step();
    EXPECT_TRUE(row) << row.error().ToString();
    if (!row || !*row) return out;
    out.push_back(s->ColumnInt(0));
  }
}

TEST_P(DatabaseTest, SentStatementsRunInOrderBeforeSyncReturns) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT PRIMARY KEY)"));
  auto txn = Transaction::Begin(db);
  ASSERT_TRUE(txn);
  // The same statement bound and sent again at once: Send reset it.
  for (int64_t x : {3, 1, 2}) ASSERT_TRUE(SendInsert(db, x));
  auto bump = db.Prepare("UPDATE t SET x = x * 10 WHERE x = ?");
  ASSERT_TRUE(bump);
  ASSERT_TRUE(bump->BindInt(1, 1));
  ASSERT_TRUE(bump->Send());  // runs after the inserts: it sees row 1
  ASSERT_TRUE(db.Sync());
  ASSERT_TRUE(db.Sync());  // nothing pending: Ok
  EXPECT_EQ(Column(db, "SELECT x FROM t ORDER BY x"), (std::vector<int64_t>{2, 3, 10}));
  ASSERT_TRUE(txn->Commit());
  Database other = Open(false);
  EXPECT_EQ(Column(other, "SELECT x FROM t ORDER BY x"), (std::vector<int64_t>{2, 3, 10}));
}

// Without Sync, what was sent goes with the COMMIT, and a statement stepped (or prepared)
// after sends reads their writes.
TEST_P(DatabaseTest, SentStatementsAreSeenByTheNextReadAndKeptByCommit) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT PRIMARY KEY)"));
  auto count = db.Prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(count);
  {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(txn);
    ASSERT_TRUE(SendInsert(db, 1));
    ASSERT_TRUE(SendInsert(db, 2));
    ASSERT_TRUE(*count->Step());
    EXPECT_EQ(count->ColumnInt(0), 2);
    count->Reset();
    ASSERT_TRUE(SendInsert(db, 3));
    ASSERT_TRUE(txn->Commit());
  }
  Database other = Open(false);
  EXPECT_EQ(Column(other, "SELECT x FROM t ORDER BY x"), (std::vector<int64_t>{1, 2, 3}));
}

// A constraint violation in the second of three sent statements: the error (from Send on
// SQLite, from the call that waits on PostgreSQL) names that statement; the transaction is
// rolled back whole, nothing of it is kept, and the connection serves the next transaction.
TEST_P(DatabaseTest, ErrorInsideSentStatementsRollsTheTransactionBack) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT PRIMARY KEY); INSERT INTO t VALUES (7)"));
  {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(txn);
    Status first = SendInsert(db, 1);
    ASSERT_TRUE(first) << first.error().ToString();
    auto dup = db.Prepare("INSERT INTO t VALUES (7) /* the duplicate */");
    ASSERT_TRUE(dup);
    Status sent = dup->Send();
    if (sent) {  // PostgreSQL: the error is not known yet
      ASSERT_TRUE(SendInsert(db, 2));
    }
    Status outcome = SentOutcome(db, sent);
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().code(), ErrorCode::kInternal);
    EXPECT_NE(outcome.error().message().find("the duplicate"), std::string::npos)
        << outcome.error().message();
    ASSERT_TRUE(txn->Rollback());
  }
  EXPECT_EQ(Column(db, "SELECT x FROM t ORDER BY x"), (std::vector<int64_t>{7}));
  auto txn = Transaction::Begin(db);
  ASSERT_TRUE(txn);
  ASSERT_TRUE(SendInsert(db, 8));
  ASSERT_TRUE(txn->Commit());
  EXPECT_EQ(Column(db, "SELECT x FROM t ORDER BY x"), (std::vector<int64_t>{7, 8}));
}

// An error left in the pipeline (PostgreSQL) fails the Commit, which names the failed
// statement (a COMMIT there would roll back without an error), and the Transaction's
// destructor rolls back; on SQLite the error came from Send. Either way nothing is kept.
TEST_P(DatabaseTest, CommitAfterAnUnreadErrorKeepsNothing) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT PRIMARY KEY); INSERT INTO t VALUES (7)"));
  {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(txn);
    ASSERT_TRUE(SendInsert(db, 1));
    Status dup = SendInsert(db, 7);
    EXPECT_EQ(static_cast<bool>(dup), GetParam() == Engine::kPostgres);
    if (dup) {  // PostgreSQL: the error is still in the pipeline
      Status committed = txn->Commit();
      ASSERT_FALSE(committed);
      EXPECT_NE(committed.error().message().find("INSERT INTO t VALUES"), std::string::npos)
          << committed.error().message();
      EXPECT_TRUE(txn->open());
    }
  }  // rolled back
  EXPECT_EQ(Column(db, "SELECT x FROM t ORDER BY x"), (std::vector<int64_t>{7}));
}

// Outside a transaction a sent statement runs at once on both engines, each its own
// transaction: its error comes from Send, and the statements before it stay.
TEST_P(DatabaseTest, SendOutsideATransactionRunsAtOnce) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT PRIMARY KEY)"));
  ASSERT_TRUE(SendInsert(db, 1));
  Status dup = SendInsert(db, 1);
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message().find("INSERT INTO t VALUES"), std::string::npos);
  ASSERT_TRUE(db.Sync());
  ASSERT_TRUE(SendInsert(db, 2));
  Database other = Open(false);
  EXPECT_EQ(Column(other, "SELECT x FROM t ORDER BY x"), (std::vector<int64_t>{1, 2}));
}

// A sent statement's rows cannot be read: one that returns a row is an error, as with Run,
// from Send or (PostgreSQL, in a transaction) from the call that waits. Its write is done.
TEST_P(DatabaseTest, SentStatementThatReturnsRowsIsAnError) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT PRIMARY KEY)"));
  auto returning = db.Prepare("INSERT INTO t VALUES (?) RETURNING x");
  ASSERT_TRUE(returning);
  ASSERT_TRUE(returning->BindInt(1, 1));
  Status outside = returning->Send();
  ASSERT_FALSE(outside);
  EXPECT_NE(outside.error().message().find("returned a row"), std::string::npos);
  auto txn = Transaction::Begin(db);
  ASSERT_TRUE(txn);
  ASSERT_TRUE(returning->BindInt(1, 2));
  Status outcome = SentOutcome(db, returning->Send());
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message().find("returned a row"), std::string::npos)
      << outcome.error().message();
  ASSERT_TRUE(txn->Commit());
  EXPECT_EQ(Column(db, "SELECT x FROM t ORDER BY x"), (std::vector<int64_t>{1, 2}));
}

// Sends never synced are never committed: a Transaction destroyed with them pending rolls them
// back, and so does closing the connection inside a transaction.
TEST_P(DatabaseTest, UnsyncedSendsAreDroppedWithTheTransactionOrTheConnection) {
  {
    Database db = Open();
    ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT PRIMARY KEY)"));
    {
      auto txn = Transaction::Begin(db);
      ASSERT_TRUE(txn);
      ASSERT_TRUE(SendInsert(db, 1));
    }
    EXPECT_TRUE(Column(db, "SELECT x FROM t").empty());
    ASSERT_TRUE(db.Exec(db.engine().BeginWriteSql()));
    ASSERT_TRUE(SendInsert(db, 2));
  }  // closed with the INSERT unsynced and the transaction open
  Database db = Open(false);
  EXPECT_TRUE(Column(db, "SELECT x FROM t").empty());
  ASSERT_TRUE(SendInsert(db, 3));
  EXPECT_EQ(Column(db, "SELECT x FROM t"), (std::vector<int64_t>{3}));
}

// The portable subset of docs/ARCHITECTURE.md ("Storage dialect"), each rule exercised on both
// engines.
TEST_P(DatabaseTest, PortableDialectBehavesAlikeOnBothEngines) {
  Database db = Open();
  ASSERT_TRUE(db.Exec(
      "CREATE TABLE kv(k TEXT PRIMARY KEY, n BIGINT NOT NULL, r DOUBLE PRECISION, b BYTEA)"));
  auto upsert = db.Prepare(
      "INSERT INTO kv(k, n, r) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET n = kv.n + "
      "excluded.n RETURNING n");
  ASSERT_TRUE(upsert) << upsert.error().ToString();
  for (int round = 0; round < 2; ++round) {
    ASSERT_TRUE(upsert->BindText(1, "a"));
    ASSERT_TRUE(upsert->BindInt(2, std::numeric_limits<int64_t>::max() / 4));
    ASSERT_TRUE(upsert->BindReal(3, 0.1));
    ASSERT_TRUE(*upsert->Step());
    EXPECT_EQ(upsert->ColumnInt(0), (round + 1) * (std::numeric_limits<int64_t>::max() / 4));
    EXPECT_FALSE(*upsert->Step());
    upsert->Reset();
  }
  // INSERT … SELECT needs "WHERE true" before ON CONFLICT (SQLite's grammar).
  ASSERT_TRUE(db.Exec("INSERT INTO kv(k, n) SELECT 'a', 1 WHERE true ON CONFLICT DO NOTHING"));
  EXPECT_EQ(db.Changes(), 0);
  ASSERT_TRUE(
      db.Exec("INSERT INTO kv(k, n) SELECT 'b', coalesce(max(n), 0) + 1 FROM kv "
              "WHERE true ON CONFLICT DO NOTHING"));
  EXPECT_EQ(db.Changes(), 1);
  auto get = db.Prepare(
      "SELECT r, r IS NULL, length(k), k || '!', b IS NULL FROM kv ORDER BY k LIMIT 1 OFFSET 0");
  ASSERT_TRUE(get && *get->Step());
  EXPECT_EQ(get->ColumnReal(0), 0.1);  // DOUBLE PRECISION: not PostgreSQL's 4-byte REAL
  EXPECT_EQ(get->ColumnInt(1), 0);     // a comparison reads as 0/1 on both
  EXPECT_EQ(get->ColumnInt(2), 1);
  EXPECT_EQ(get->ColumnText(3), "a!");
  EXPECT_EQ(get->ColumnInt(4), 1);
}

std::vector<Migration> TwoSteps() {
  return {
      {1, "create t", [](Database& db) { return db.Exec("CREATE TABLE t(x BIGINT)"); }},
      {2, "add u",
       [](Database& db) { return db.Exec("CREATE TABLE u(y BIGINT); INSERT INTO u VALUES (7)"); }},
  };
}

TEST_P(DatabaseTest, MigrateAppliesEachStepOnce) {
  auto steps = TwoSteps();
  {
    Database db = Open();
    auto found = Migrate(db, "test db", steps);
    ASSERT_TRUE(found) << found.error().ToString();
    EXPECT_EQ(*found, 0);
    EXPECT_EQ(*db.SchemaVersion(), 2);
  }
  Database db = Open(false);
  auto found = Migrate(db, "test db", steps);
  ASSERT_TRUE(found) << found.error().ToString();
  EXPECT_EQ(*found, 2);
  EXPECT_EQ(CountRows(db, "u"), 1);
}

TEST_P(DatabaseTest, MigrateUpgradesFromAnOlderVersion) {
  auto steps = TwoSteps();
  {
    Database db = Open();
    ASSERT_TRUE(Migrate(db, "test db", std::span(steps).first(1)));
    ASSERT_TRUE(*db.HasTable("t"));
    ASSERT_FALSE(*db.HasTable("u"));
  }
  Database db = Open(false);
  auto found = Migrate(db, "test db", steps);
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, 1);
  EXPECT_TRUE(*db.HasTable("u"));
}

TEST_P(DatabaseTest, NewerSchemaIsRefusedAndLeftAlone) {
  auto steps = TwoSteps();
  {
    Database db = Open();
    ASSERT_TRUE(Migrate(db, "test db", steps));
  }
  Database db = Open(false);
  auto found = Migrate(db, "test db", std::span(steps).first(1));
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(found.error().message(),
            "test db: schema version 2 was written by a newer Vigil (this one knows up to "
            "version 1)");
  EXPECT_EQ(*db.SchemaVersion(), 2);
}

TEST_P(DatabaseTest, FailedStepLeavesThePreviousVersionWhole) {
  std::vector<Migration> steps = TwoSteps();
  steps.push_back({3, "broken", [](Database& db) -> Status {
                     VIGIL_RETURN_IF_ERROR(db.Exec("CREATE TABLE v(z BIGINT)"));
                     return db.Exec("INSERT INTO nowhere VALUES (1)");
                   }});
  Database db = Open();
  auto found = Migrate(db, "test db", steps);
  ASSERT_FALSE(found);
  EXPECT_NE(found.error().message().find("test db: schema version 3 (broken): "), std::string::npos)
      << found.error().message();
  EXPECT_EQ(*db.SchemaVersion(), 2);
  EXPECT_FALSE(*db.HasTable("v"));
}

TEST_P(DatabaseTest, GapsInTheStepsAreABug) {
  std::vector<Migration> steps = TwoSteps();
  steps[1].version = 3;
  Database db = Open();
  auto found = Migrate(db, "test db", steps);
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(*db.SchemaVersion(), 0);
}

// A power cut at every I/O point of a two-step migration leaves version 0, 1 or 2 with exactly
// that version's tables, and running the migration again completes it.
TEST(DatabasePowerLossTest, MigrationIsAtomicAtEveryIoPoint) {
  testing::PowerLossVfs vfs("storage-powerloss");
  auto steps = TwoSteps();
  SqliteOptions options = Options("/disk/test.db", true, false, vfs.name());
  // Count the points of one clean run.
  {
    auto db = Database::OpenSqlite(options);
    ASSERT_TRUE(db);
    ASSERT_TRUE(Migrate(*db, "test db", steps));
  }
  const uint64_t total = vfs.points();
  ASSERT_GT(total, 4u);
  int cuts = 0;
  for (uint64_t cut = 1; cut <= total; ++cut) {
    vfs.Wipe();
    const uint64_t start = vfs.points();
    vfs.CutPowerAt(start + cut);
    {
      auto db = Database::OpenSqlite(options);
      if (db) (void)Migrate(*db, "test db", steps);
    }
    if (vfs.power_lost()) ++cuts;
    vfs.Reboot();
    auto db = Database::OpenSqlite(options);
    ASSERT_TRUE(db) << db.error().ToString();
    auto version = db->SchemaVersion();
    ASSERT_TRUE(version) << version.error().ToString();
    EXPECT_EQ(*db->HasTable("t"), *version >= 1) << "cut at " << cut;
    EXPECT_EQ(*db->HasTable("u"), *version >= 2) << "cut at " << cut;
    auto again = Migrate(*db, "test db", steps);
    ASSERT_TRUE(again) << "cut at " << cut << ": " << again.error().ToString();
    EXPECT_EQ(*db->SchemaVersion(), 2);
  }
  EXPECT_GT(cuts, 4);
}

}  // namespace
}  // namespace vigil::storage
