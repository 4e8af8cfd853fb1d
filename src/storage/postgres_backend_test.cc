// What is particular to the PostgreSQL engine, against the test binary's private server
// (vigil/storage/postgres_server.h). What both engines promise is in database_test.cc.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vigil/storage/database.h"
#include "vigil/storage/postgres_server.h"

namespace vigil::storage {
namespace {

using testing::PostgresServer;

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = PostgresServer::Shared();
    ASSERT_TRUE(server) << server.error().ToString();
    server_ = *server;
    auto url = server_->CreateDatabase();
    ASSERT_TRUE(url) << url.error().ToString();
    url_ = *url;
  }

  Database Open() {
    PostgresOptions options;
    options.url = url_;
    auto db = Database::OpenPostgres(options);
    EXPECT_TRUE(db) << db.error().ToString();
    return std::move(*db);
  }

  static int64_t Count(Database& db, std::string_view table) {
    auto s = db.Prepare("SELECT count(*) FROM " + std::string(table));
    EXPECT_TRUE(s) << s.error().ToString();
    EXPECT_TRUE(s && *s->Step());
    return s ? s->ColumnInt(0) : -1;
  }

  PostgresServer* server_ = nullptr;
  std::string url_;
};

TEST_F(PostgresTest, ByteaRoundTripsEveryByteValue) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(id BIGINT PRIMARY KEY, b BYTEA NOT NULL)"));
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<uint8_t>(i));
  Bytes reversed(all.rbegin(), all.rend());
  auto put = db.Prepare("INSERT INTO t(id, b) VALUES (?, ?)");
  ASSERT_TRUE(put);
  ASSERT_TRUE(put->BindInt(1, 1));
  ASSERT_TRUE(put->BindBlob(2, all));
  ASSERT_TRUE(put->Run());
  ASSERT_TRUE(put->BindInt(1, 2));
  ASSERT_TRUE(put->BindBlob(2, reversed));
  ASSERT_TRUE(put->Run());
  auto get = db.Prepare("SELECT b, b, length(b) FROM t ORDER BY id");
  ASSERT_TRUE(get);
  ASSERT_TRUE(*get->Step());
  ByteView first = get->ColumnBlob(0);
  ByteView again = get->ColumnBlob(1);  // a second column does not invalidate the first
  EXPECT_EQ(Bytes(first.begin(), first.end()), all);
  EXPECT_EQ(Bytes(again.begin(), again.end()), all);
  EXPECT_EQ(get->ColumnInt(2), 256);
  ASSERT_TRUE(*get->Step());
  ByteView second = get->ColumnBlob(0);
  EXPECT_EQ(Bytes(second.begin(), second.end()), reversed);
  EXPECT_FALSE(*get->Step());
  // The bytes are stored as bytes: the server sees the same values.
  auto byte = db.Prepare("SELECT get_byte(b, 0), get_byte(b, 255) FROM t WHERE id = 1");
  ASSERT_TRUE(byte && *byte->Step());
  EXPECT_EQ(byte->ColumnInt(0), 0);
  EXPECT_EQ(byte->ColumnInt(1), 255);
}

TEST_F(PostgresTest, ValuesRoundTripWithTheirTypes) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(i BIGINT, r DOUBLE PRECISION, s TEXT, n TEXT)"));
  auto put = db.Prepare("INSERT INTO t VALUES (?, ?, ?, ?)");
  ASSERT_TRUE(put);
  const int64_t big = std::numeric_limits<int64_t>::min();
  ASSERT_TRUE(put->BindInt(1, big));
  ASSERT_TRUE(put->BindReal(2, 0.1));
  ASSERT_TRUE(put->BindText(3, "é ' \" ? \\ ünïcode"));
  ASSERT_TRUE(put->BindNull(4));
  ASSERT_TRUE(put->Run());
  ASSERT_TRUE(put->BindInt(1, std::numeric_limits<int64_t>::max()));
  ASSERT_TRUE(put->BindReal(2, -std::numeric_limits<double>::infinity()));
  ASSERT_TRUE(put->BindText(3, std::string_view()));  // empty stays text, not NULL
  ASSERT_TRUE(put->BindText(4, "x"));
  ASSERT_TRUE(put->Run());
  auto get = db.Prepare("SELECT i, r, s, n, s IS NULL FROM t ORDER BY i");
  ASSERT_TRUE(get && *get->Step());
  EXPECT_EQ(get->ColumnInt(0), big);
  EXPECT_EQ(get->ColumnReal(1), 0.1);
  EXPECT_EQ(get->ColumnText(2), "é ' \" ? \\ ünïcode");
  EXPECT_TRUE(get->ColumnIsNull(3));
  EXPECT_FALSE(get->ColumnIsNull(2));
  EXPECT_EQ(get->ColumnInt(4), 0);  // a boolean reads as 0/1, as SQLite's comparisons do
  ASSERT_TRUE(*get->Step());
  EXPECT_EQ(get->ColumnInt(0), std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(std::isinf(get->ColumnReal(1)) && get->ColumnReal(1) < 0);
  EXPECT_EQ(get->ColumnText(2), "");
  EXPECT_FALSE(get->ColumnIsNull(2));
}

TEST_F(PostgresTest, ChangesCountsTheLastStatementsRows) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT); INSERT INTO t VALUES (1), (2), (3)"));
  EXPECT_EQ(db.Changes(), 3);
  auto update = db.Prepare("UPDATE t SET x = x + 10 WHERE x >= ?");
  ASSERT_TRUE(update);
  ASSERT_TRUE(update->BindInt(1, 2));
  ASSERT_TRUE(update->Run());
  EXPECT_EQ(db.Changes(), 2);
  ASSERT_TRUE(db.Exec("DELETE FROM t WHERE x = 99"));
  EXPECT_EQ(db.Changes(), 0);
}

TEST_F(PostgresTest, PlaceholdersInsideTextAndCommentsStayText) {
  Database db = Open();
  auto s = db.Prepare(
      "SELECT '?' || ? -- what?\n"
      ", /* ? */ \"?\" FROM (SELECT ?1 AS \"?\") q");
  ASSERT_TRUE(s) << s.error().ToString();
  ASSERT_TRUE(s->BindText(1, "a"));
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->ColumnText(0), "?a");
  EXPECT_EQ(s->ColumnText(1), "a");
  // "??" is PostgreSQL's jsonb operator "?".
  auto json = db.Prepare("SELECT '{\"k\": 1}'::jsonb ?? ?");
  ASSERT_TRUE(json) << json.error().ToString();
  ASSERT_TRUE(json->BindText(1, "k"));
  ASSERT_TRUE(*json->Step());
  EXPECT_EQ(json->ColumnInt(0), 1);
}

TEST_F(PostgresTest, ABindIndexOutOfRangeIsABug) {
  Database db = Open();
  auto s = db.Prepare("SELECT ?");
  ASSERT_TRUE(s);
  Status bound = s->BindInt(2, 1);
  ASSERT_FALSE(bound);
  EXPECT_EQ(bound.error().code(), ErrorCode::kInternal);
  EXPECT_NE(bound.error().message().find("parameter 2 of \"SELECT ?\" does not exist"),
            std::string::npos)
      << bound.error().message();
}

TEST_F(PostgresTest, ErrorsAreOneLineNamingTheSqlAndTheServersReason) {
  Database db = Open();
  std::string sql = "SELECT *\nFROM nowhere\nWHERE " + std::string(300, 'x') + " = 1";
  auto s = db.Prepare(sql);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInternal);
  const std::string& m = s.error().message();
  EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  EXPECT_NE(m.find("preparation of \"SELECT * FROM nowhere WHERE xxx"), std::string::npos) << m;
  EXPECT_NE(m.find("relation \"nowhere\" does not exist (SQLSTATE 42P01)"), std::string::npos) << m;
  EXPECT_LT(m.size(), 400u) << m;
  EXPECT_NE(m.find("dbname="), std::string::npos) << m;
}

TEST_F(PostgresTest, APasswordIsNeverRepeated) {
  PostgresOptions options;
  options.url = "postgresql://vigil:s3cr3t-pw@/vigil?host=" + server_->folder() + "/nowhere";
  options.connect_timeout_seconds = 2;
  auto db = Database::OpenPostgres(options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(db.error().message().find("s3cr3t-pw"), std::string::npos) << db.error().message();
  EXPECT_NE(db.error().message().find("user=vigil"), std::string::npos) << db.error().message();
  EXPECT_EQ(db.error().message().find('\n'), std::string::npos) << db.error().message();

  options.url = "host=/tmp password='s3cr3t-pw' bogus_key=s3cr3t-pw";
  db = Database::OpenPostgres(options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kInvalidArgument) << db.error().ToString();
  EXPECT_EQ(db.error().message().find("s3cr3t-pw"), std::string::npos) << db.error().message();

  options.url = "postgresql://u:s3cr3t-pw@/db?nonsense=1";
  db = Database::OpenPostgres(options);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kInvalidArgument) << db.error().ToString();
  EXPECT_EQ(db.error().message().find("s3cr3t-pw"), std::string::npos) << db.error().message();
}

TEST_F(PostgresTest, ApplicationNameIsShownToTheServer) {
  PostgresOptions options;
  options.url = url_ + "&application_name=ignored";
  options.application_name = "vigil-test";
  auto db = Database::OpenPostgres(options);
  ASSERT_TRUE(db) << db.error().ToString();
  auto s = db->Prepare("SELECT current_setting('application_name')");
  ASSERT_TRUE(s && *s->Step());
  EXPECT_EQ(s->ColumnText(0), "vigil-test");
}

TEST_F(PostgresTest, CommitAfterAFailedStatementFailsInsteadOfRollingBackSilently) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT PRIMARY KEY)"));
  {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(txn);
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)"));
    ASSERT_FALSE(db.Exec("INSERT INTO t VALUES (1)"));  // duplicate key: the transaction aborts
    Status commit = txn->Commit();
    ASSERT_FALSE(commit);
    EXPECT_NE(commit.error().message().find("current transaction is aborted"), std::string::npos)
        << commit.error().message();
  }  // rolled back here
  EXPECT_EQ(Count(db, "t"), 0);
  // A savepoint is how a failed part is undone while keeping the rest.
  auto txn = Transaction::Begin(db);
  ASSERT_TRUE(txn);
  ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)"));
  {
    auto sp = Savepoint::Begin(db, "dup");
    ASSERT_TRUE(sp);
    ASSERT_FALSE(db.Exec("INSERT INTO t VALUES (1)"));
    ASSERT_TRUE(sp->Undo());
  }
  ASSERT_TRUE(txn->Commit());
  EXPECT_EQ(Count(db, "t"), 1);
}

TEST_F(PostgresTest, ReadTransactionIsAReadOnlySnapshot) {
  Database reader = Open();
  Database writer = Open();
  ASSERT_TRUE(writer.Exec("CREATE TABLE t(x BIGINT); INSERT INTO t VALUES (1)"));
  auto txn = Transaction::Begin(reader, Transaction::Mode::kRead);
  ASSERT_TRUE(txn);
  EXPECT_EQ(Count(reader, "t"), 1);
  ASSERT_TRUE(writer.Exec("INSERT INTO t VALUES (2)"));
  EXPECT_EQ(Count(reader, "t"), 1);  // the snapshot does not move
  Status write = reader.Exec("INSERT INTO t VALUES (3)");
  ASSERT_FALSE(write);
  EXPECT_NE(write.error().message().find("read-only transaction"), std::string::npos)
      << write.error().message();
  ASSERT_TRUE(txn->Rollback());
  EXPECT_EQ(Count(reader, "t"), 2);
}

TEST_F(PostgresTest, SerializationConflictBetweenTwoConnectionsIsUnavailable) {
  Database a = Open();
  Database b = Open();
  ASSERT_TRUE(
      a.Exec("CREATE TABLE t(k TEXT PRIMARY KEY, n BIGINT); INSERT INTO t VALUES ('c', 0)"));
  auto ta = Transaction::Begin(a);
  auto tb = Transaction::Begin(b);
  ASSERT_TRUE(ta && tb);
  // Both read, then both write what they read: one of them must not commit.
  EXPECT_EQ(Count(a, "t"), 1);
  EXPECT_EQ(Count(b, "t"), 1);
  ASSERT_TRUE(a.Exec("INSERT INTO t VALUES ('a', 1)"));
  ASSERT_TRUE(b.Exec("INSERT INTO t VALUES ('b', 1)"));
  ASSERT_TRUE(ta->Commit());
  Status second = tb->Commit();
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), ErrorCode::kUnavailable) << second.error().ToString();
  EXPECT_NE(second.error().message().find("SQLSTATE 40001"), std::string::npos)
      << second.error().message();
  ASSERT_TRUE(tb->Rollback());
  EXPECT_EQ(Count(a, "t"), 2);
  // Tried again, it goes through: what Unavailable promises.
  auto retry = Transaction::Begin(b);
  ASSERT_TRUE(retry);
  EXPECT_EQ(Count(b, "t"), 2);
  ASSERT_TRUE(b.Exec("INSERT INTO t VALUES ('b', 1)"));
  ASSERT_TRUE(retry->Commit());
  EXPECT_EQ(Count(a, "t"), 3);
}

TEST_F(PostgresTest, SchemaVersionLivesInAOneRowTable) {
  Database db = Open();
  EXPECT_EQ(*db.SchemaVersion(), 0);
  EXPECT_FALSE(*db.HasTable("vigil_schema_version"));
  std::vector<Migration> steps = {
      {1, "one", [](Database& d) { return d.Exec("CREATE TABLE a(x BIGINT)"); }},
      {2, "two", [](Database& d) { return d.Exec("CREATE TABLE b(x BIGINT)"); }},
  };
  ASSERT_TRUE(Migrate(db, "test db", steps));
  EXPECT_EQ(*db.SchemaVersion(), 2);
  EXPECT_EQ(Count(db, "vigil_schema_version"), 1);
  Status second_row =
      db.Exec("INSERT INTO vigil_schema_version(one_row, version) VALUES (FALSE, 9)");
  EXPECT_FALSE(second_row);
  EXPECT_EQ(Count(db, "vigil_schema_version"), 1);
}

// Two processes opening a new database at once: each step runs once, both see the last
// version, neither fails.
TEST_F(PostgresTest, MigrationsRacingRunOnce) {
  std::atomic<int> applied{0};
  std::vector<Migration> steps = {
      {1, "slow create",
       [&](Database& d) -> Status {
         ++applied;
         VIGIL_RETURN_IF_ERROR(d.Exec("SELECT pg_sleep(0.3)"));
         return d.Exec("CREATE TABLE t(x BIGINT)");
       }},
      {2, "fill",
       [&](Database& d) {
         ++applied;
         return d.Exec("INSERT INTO t VALUES (7)");
       }},
  };
  Database first = Open();
  Database second = Open();
  Result<int64_t> found_first = 0, found_second = 0;
  std::thread racer([&] { found_first = Migrate(first, "first", steps); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  found_second = Migrate(second, "second", steps);
  racer.join();
  ASSERT_TRUE(found_first) << found_first.error().ToString();
  ASSERT_TRUE(found_second) << found_second.error().ToString();
  EXPECT_EQ(*found_first + *found_second, 2);  // one found 0, the other 2
  EXPECT_EQ(applied.load(), 2);
  EXPECT_EQ(Count(first, "t"), 1);
  EXPECT_EQ(*second.SchemaVersion(), 2);
}

TEST_F(PostgresTest, AStatementOutlivingItsDatabaseFailsCleanly) {
  std::optional<Statement> orphan;
  {
    Database db = Open();
    auto s = db.Prepare("SELECT 1");
    ASSERT_TRUE(s);
    orphan.emplace(std::move(*s));
  }
  auto step = orphan->Step();
  ASSERT_FALSE(step);
  EXPECT_EQ(step.error().code(), ErrorCode::kUnavailable);
}

// Last: it kills the shared server (and starts it again).
TEST_F(PostgresTest, ZServerKilledMidTransactionIsUnavailableAndCommitsNothing) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x BIGINT); INSERT INTO t VALUES (1)"));
  {
    auto txn = Transaction::Begin(db);
    ASSERT_TRUE(txn);
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (2)"));
    ASSERT_TRUE(server_->Kill());
    Status next = db.Exec("INSERT INTO t VALUES (3)");
    ASSERT_FALSE(next);
    EXPECT_EQ(next.error().code(), ErrorCode::kUnavailable) << next.error().ToString();
    ASSERT_TRUE(server_->Restart());
    // The connection stays lost: nothing more runs on it, in autocommit or otherwise.
    Status commit = txn->Commit();
    ASSERT_FALSE(commit);
    EXPECT_EQ(commit.error().code(), ErrorCode::kUnavailable) << commit.error().ToString();
    EXPECT_FALSE(db.Exec("INSERT INTO t VALUES (4)"));
  }
  PostgresOptions options;
  options.url = url_;
  auto again = Database::OpenPostgres(options);
  ASSERT_TRUE(again) << again.error().ToString();
  auto rows = again->Prepare("SELECT x FROM t ORDER BY x");
  ASSERT_TRUE(rows) << rows.error().ToString();
  std::vector<int64_t> kept;
  while (*rows->Step()) kept.push_back(rows->ColumnInt(0));
  EXPECT_EQ(kept, std::vector<int64_t>{1});
}

TEST(PostgresServerTest, StopsAndRemovesItsFolder) {
  std::string folder;
  {
    auto server = PostgresServer::Start();
    ASSERT_TRUE(server) << server.error().ToString();
    folder = (*server)->folder();
    PostgresOptions options;
    options.url = (*server)->Url("postgres");
    auto db = Database::OpenPostgres(options);
    ASSERT_TRUE(db) << db.error().ToString();
    // Only the socket in its own folder: no TCP port.
    auto s = db->Prepare("SELECT current_setting('listen_addresses')");
    ASSERT_TRUE(s && *s->Step());
    EXPECT_EQ(s->ColumnText(0), "");
  }
  EXPECT_FALSE(std::filesystem::exists(folder));
}

}  // namespace
}  // namespace vigil::storage
