#include "vigil/storage/database.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "vigil/storage/power_loss_vfs.h"

namespace vigil::storage {
namespace {

namespace fs = std::filesystem;

SqliteOptions Options(std::string path, bool create, bool read_only = false,
                      std::string vfs = "") {
  SqliteOptions o;
  o.path = std::move(path);
  o.create = create;
  o.read_only = read_only;
  o.vfs = std::move(vfs);
  return o;
}

class DatabaseTest : public ::testing::Test {
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

  static int64_t CountRows(Database& db, std::string_view table) {
    auto s = db.Prepare("SELECT count(*) FROM " + std::string(table));
    EXPECT_TRUE(s) << s.error().ToString();
    EXPECT_TRUE(*s->Step());
    return s->ColumnInt(0);
  }

  fs::path dir_;
};

TEST_F(DatabaseTest, MissingFileIsNotFoundUnlessCreated) {
  auto db = Database::OpenSqlite(Options(Path(), false));
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(db.error().message().find(Path()), std::string::npos);
  EXPECT_FALSE(fs::exists(Path()));
}

TEST_F(DatabaseTest, CreatedFileIsOwnerOnly) {
  ::umask(022);
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x)"));
  struct stat st {};
  ASSERT_EQ(::stat(Path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST_F(DatabaseTest, GarbageFileIsDataLoss) {
  std::ofstream(Path()) << std::string(4096, 'x');
  auto db = Database::OpenSqlite(Options(Path(), false));
  ASSERT_TRUE(db) << db.error().ToString();  // SQLite reads the header lazily
  Status s = db->Exec("CREATE TABLE t(x)");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kDataLoss) << s.error().ToString();
}

TEST_F(DatabaseTest, ReadOnlyRefusesWrites) {
  { ASSERT_TRUE(Open().Exec("CREATE TABLE t(x)")); }
  auto db = Database::OpenSqlite(Options(Path(), false, true));
  ASSERT_TRUE(db) << db.error().ToString();
  Status s = db->Exec("INSERT INTO t VALUES (1)");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kUnavailable) << s.error().ToString();
}

TEST_F(DatabaseTest, CachedStatementIsPreparedOnceAndComesBackReset) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1), (2)"));
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

TEST_F(DatabaseTest, BadSqlNamesTheStatement) {
  Database db = Open();
  auto s = db.Prepare("SELEKT 1");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kInternal);
  EXPECT_NE(s.error().message().find("SELEKT 1"), std::string::npos) << s.error().message();
}

TEST_F(DatabaseTest, RunRefusesAStatementThatReturnsRows) {
  Database db = Open();
  auto s = db.Prepare("SELECT 1");
  ASSERT_TRUE(s);
  Status run = s->Run();
  ASSERT_FALSE(run);
  EXPECT_NE(run.error().message().find("returned a row"), std::string::npos);
}

TEST_F(DatabaseTest, EmptyBlobStaysABlob) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(b BLOB)"));
  auto put = db.Prepare("INSERT INTO t VALUES (?)");
  ASSERT_TRUE(put);
  ASSERT_TRUE(put->BindBlob(1, ByteView()));
  ASSERT_TRUE(put->Run());
  auto get = db.Prepare("SELECT b IS NULL, length(b) FROM t");
  ASSERT_TRUE(get && *get->Step());
  EXPECT_EQ(get->ColumnInt(0), 0);
  EXPECT_EQ(get->ColumnInt(1), 0);
}

TEST_F(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x)"));
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

TEST_F(DatabaseTest, SavepointUndoKeepsTheRestOfTheTransaction) {
  Database db = Open();
  ASSERT_TRUE(db.Exec("CREATE TABLE t(x)"));
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
  auto s = db.Prepare("SELECT group_concat(x) FROM t");
  ASSERT_TRUE(s && *s->Step());
  EXPECT_EQ(s->ColumnText(0), "1,3");
}

std::vector<Migration> TwoSteps() {
  return {
      {1, "create t", [](Database& db) { return db.Exec("CREATE TABLE t(x)"); }},
      {2, "add u", [](Database& db) { return db.Exec("CREATE TABLE u(y); INSERT INTO u VALUES (7)"); }},
  };
}

TEST_F(DatabaseTest, MigrateAppliesEachStepOnce) {
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

TEST_F(DatabaseTest, MigrateUpgradesFromAnOlderVersion) {
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

TEST_F(DatabaseTest, NewerSchemaIsRefusedAndLeftAlone) {
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

TEST_F(DatabaseTest, FailedStepLeavesThePreviousVersionWhole) {
  std::vector<Migration> steps = TwoSteps();
  steps.push_back({3, "broken", [](Database& db) -> Status {
                     VIGIL_RETURN_IF_ERROR(db.Exec("CREATE TABLE v(z)"));
                     return db.Exec("INSERT INTO nowhere VALUES (1)");
                   }});
  Database db = Open();
  auto found = Migrate(db, "test db", steps);
  ASSERT_FALSE(found);
  EXPECT_NE(found.error().message().find("test db: schema version 3 (broken): "),
            std::string::npos)
      << found.error().message();
  EXPECT_EQ(*db.SchemaVersion(), 2);
  EXPECT_FALSE(*db.HasTable("v"));
}

TEST_F(DatabaseTest, GapsInTheStepsAreABug) {
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
