// The fault-injecting Env must model power loss exactly: what was synced survives, what was
// not is lost (or torn), directory changes count only after the directory is synced.
#include "vigil/core/fault_env.h"

#include <gtest/gtest.h>

#include <set>

#include "vigil/core/atomic_file.h"

namespace vigil {
namespace {

std::string Read(Env& env, const std::string& path) {
  auto r = env.ReadFile(path);
  return r ? std::string(AsStringView(*r))
           : "<" + std::string(ErrorCodeName(r.error().code())) + ">";
}

class FaultEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(env_.CreateDir("/data").has_value());
    ASSERT_TRUE(env_.SyncDir("/").has_value());
  }
  // Creates `path` with durable content `text` (file and directory entry synced).
  void MakeDurable(const std::string& path, std::string_view text) {
    ASSERT_TRUE(env_.WriteFileAtomic(path, AsBytes(text)).has_value());
  }
  FaultInjectingEnv env_{42};
};

TEST_F(FaultEnvTest, PowerLossLosesExactlyTheUnsyncedAppends) {
  auto f = env_.NewWritableFile("/data/log");
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE(env_.SyncDir("/data").has_value());
  ASSERT_TRUE((*f)->Append(AsBytes("synced-")).has_value());
  ASSERT_TRUE((*f)->Sync().has_value());
  ASSERT_TRUE((*f)->Append(AsBytes("volatile")).has_value());
  EXPECT_EQ(Read(env_, "/data/log"), "synced-volatile");
  env_.SimulatePowerLoss();
  EXPECT_EQ(Read(env_, "/data/log"), "synced-");
  // The old handle is dead after the power cut.
  auto after = (*f)->Append(AsBytes("x"));
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().code(), ErrorCode::kFailedPrecondition);
}

TEST_F(FaultEnvTest, UnsyncedDirectoryEntriesVanish) {
  auto f = env_.NewWritableFile("/data/new");
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE((*f)->Append(AsBytes("content")).has_value());
  ASSERT_TRUE((*f)->Sync().has_value());  // data synced, directory entry not
  env_.SimulatePowerLoss();
  EXPECT_FALSE(env_.FileExists("/data/new"));
  EXPECT_TRUE(env_.GetChildren("/data")->empty());
}

TEST_F(FaultEnvTest, UnsyncedRenameAndRemoveRevert) {
  MakeDurable("/data/a", "A");
  MakeDurable("/data/b", "B");
  ASSERT_TRUE(env_.RenameFile("/data/a", "/data/b").has_value());
  ASSERT_TRUE(env_.RemoveFile("/data/b").has_value());
  EXPECT_FALSE(env_.FileExists("/data/a"));
  EXPECT_FALSE(env_.FileExists("/data/b"));
  env_.SimulatePowerLoss();
  EXPECT_EQ(Read(env_, "/data/a"), "A");
  EXPECT_EQ(Read(env_, "/data/b"), "B");
  ASSERT_TRUE(env_.RenameFile("/data/a", "/data/b").has_value());
  ASSERT_TRUE(env_.SyncDir("/data").has_value());
  env_.SimulatePowerLoss();
  EXPECT_FALSE(env_.FileExists("/data/a"));
  EXPECT_EQ(Read(env_, "/data/b"), "A");
}

TEST_F(FaultEnvTest, UnsyncedSubdirectoryVanishesWithItsFiles) {
  ASSERT_TRUE(env_.CreateDir("/data/sub/deeper").has_value());
  MakeDurable("/data/sub/deeper/f", "x");  // syncs /data/sub/deeper, not /data
  env_.SimulatePowerLoss();
  EXPECT_FALSE(env_.FileExists("/data/sub"));
  EXPECT_FALSE(env_.FileExists("/data/sub/deeper/f"));
  EXPECT_EQ(env_.NewWritableFile("/data/sub/deeper/f").error().code(), ErrorCode::kNotFound);
}

TEST_F(FaultEnvTest, TruncationBelowTheSyncedLengthIsVolatile) {
  MakeDurable("/data/f", "old content");
  auto f = env_.NewWritableFile("/data/f");  // O_TRUNC
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE((*f)->Append(AsBytes("new")).has_value());
  EXPECT_EQ(Read(env_, "/data/f"), "new");
  env_.SimulatePowerLoss();
  EXPECT_EQ(Read(env_, "/data/f"), "old content");
}

TEST_F(FaultEnvTest, WriteFileAtomicIsOldOrNewAtEveryCrashPoint) {
  MakeDurable("/data/state", "version-1");
  // Count the mutations of one replace, then crash at each of them in turn.
  uint64_t before = env_.mutation_count();
  MakeDurable("/data/probe", "version-2");
  const uint64_t points = env_.mutation_count() - before;
  ASSERT_GE(points, 5U);  // create, append, sync, close, rename, sync dir
  for (uint64_t n = 1; n <= points + 1; ++n) {
    MakeDurable("/data/state", "version-1");
    env_.CrashAfter(n);
    Status s = env_.WriteFileAtomic("/data/state", AsBytes("version-2"));
    env_.SimulatePowerLoss();
    std::string got = Read(env_, "/data/state");
    if (n <= points) {
      EXPECT_FALSE(s.has_value()) << "crash point " << n;
      EXPECT_TRUE(got == "version-1" || got == "version-2") << "point " << n << ": " << got;
    } else {
      ASSERT_TRUE(s.has_value());
      EXPECT_EQ(got, "version-2") << "acknowledged replace lost";
    }
  }
}

// A streamed AtomicFile (several MiB, so the buffer flushes several times) is old or new at every
// crash point, and never visible half-written.
TEST_F(FaultEnvTest, AtomicFileIsOldOrNewAtEveryCrashPoint) {
  const std::string chunk(700 * 1024, 'x');
  auto write = [&](std::string_view tail) -> Status {
    VIGIL_ASSIGN_OR_RETURN(AtomicFile f, AtomicFile::Create(&env_, "/data/out"));
    for (int i = 0; i < 4; ++i) VIGIL_RETURN_IF_ERROR(f.Append(chunk));
    VIGIL_RETURN_IF_ERROR(f.Append(tail));
    EXPECT_EQ(Read(env_, "/data/out"), "old");  // nothing visible before Commit
    return f.Commit();
  };
  const std::string whole = chunk + chunk + chunk + chunk + "end";
  MakeDurable("/data/out", "old");
  uint64_t before = env_.mutation_count();
  ASSERT_TRUE(write("end").has_value());
  const uint64_t points = env_.mutation_count() - before;
  ASSERT_GE(points, 7U);  // create, 3 flushes, sync, close, rename, sync dir
  for (uint64_t n = 1; n <= points + 1; ++n) {
    MakeDurable("/data/out", "old");
    env_.CrashAfter(n);
    Status s = write("end");
    env_.SimulatePowerLoss();
    std::string got = Read(env_, "/data/out");
    if (n <= points) {
      EXPECT_FALSE(s.has_value()) << "crash point " << n;
      EXPECT_TRUE(got == "old" || got == whole) << "point " << n << ": " << got.size() << " bytes";
    } else {
      ASSERT_TRUE(s.has_value());
      EXPECT_EQ(got, whole) << "acknowledged write lost";
    }
  }
}

// An AtomicFile abandoned before Commit (an error upstream) leaves no file and no .tmp; errors
// name the path the caller gave.
TEST_F(FaultEnvTest, AbandonedAtomicFileLeavesNothing) {
  {
    auto f = AtomicFile::Create(&env_, "/data/new");
    ASSERT_TRUE(f.has_value());
    ASSERT_TRUE(f->Append("partial").has_value());
  }
  EXPECT_FALSE(env_.FileExists("/data/new"));
  EXPECT_FALSE(env_.FileExists("/data/new.tmp"));
  auto missing = AtomicFile::Create(&env_, "/nowhere/out");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message().rfind("/nowhere/out: ", 0), 0u) << missing.error().message();
  auto f = AtomicFile::Create(&env_, "/data/twice");
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE(f->Commit().has_value());
  EXPECT_EQ(Read(env_, "/data/twice"), "");
  EXPECT_FALSE(f->Commit().has_value());
  EXPECT_FALSE(f->Append("late").has_value());
}

// ReplaceFile is WriteFileAtomic without the directory sync: old or new while the system is up
// and after a crash; new once the directory is synced, so one sync can cover several files.
TEST_F(FaultEnvTest, ReplaceFileIsDurableAtTheNextDirectorySync) {
  MakeDurable("/data/a", "a-1");
  MakeDurable("/data/b", "b-1");
  ASSERT_TRUE(env_.ReplaceFile("/data/a", AsBytes("a-2"), /*sync_data=*/true).has_value());
  ASSERT_TRUE(env_.ReplaceFile("/data/b", AsBytes("b-2"), /*sync_data=*/true).has_value());
  EXPECT_EQ(Read(env_, "/data/a"), "a-2");
  EXPECT_FALSE(env_.FileExists("/data/a.tmp"));
  env_.SimulatePowerLoss();
  EXPECT_EQ(Read(env_, "/data/a"), "a-1");
  EXPECT_EQ(Read(env_, "/data/b"), "b-1");
  ASSERT_TRUE(env_.ReplaceFile("/data/a", AsBytes("a-2"), /*sync_data=*/true).has_value());
  ASSERT_TRUE(env_.ReplaceFile("/data/b", AsBytes("b-2"), /*sync_data=*/false).has_value());
  ASSERT_TRUE(env_.SyncDir("/data").has_value());
  env_.SimulatePowerLoss();
  EXPECT_EQ(Read(env_, "/data/a"), "a-2");  // data synced before the rename: complete
  // Data not synced: the renamed entry survives, its bytes need not.
  EXPECT_NE(Read(env_, "/data/b"), "b-1");
}

TEST_F(FaultEnvTest, CrashAfterFailsThatOperationAndAllLaterOnes) {
  auto f = env_.NewWritableFile("/data/f");
  ASSERT_TRUE(f.has_value());
  env_.CrashAfter(2);
  EXPECT_TRUE((*f)->Append(AsBytes("1")).has_value());
  auto second = (*f)->Append(AsBytes("2"));
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(second.error().message().find("simulated power loss"), std::string::npos);
  EXPECT_TRUE(env_.crashed());
  EXPECT_FALSE((*f)->Sync().has_value());
  EXPECT_FALSE(env_.SyncDir("/data").has_value());
  EXPECT_EQ(Read(env_, "/data/f"), "1");
  env_.SimulatePowerLoss();
  EXPECT_FALSE(env_.crashed());
  EXPECT_FALSE(env_.FileExists("/data/f"));
}

TEST_F(FaultEnvTest, TornWritesKeepAPrefixOfTheUnsyncedTail) {
  env_.TearWrites(true);
  std::set<size_t> lengths;
  for (int i = 0; i < 40; ++i) {
    MakeDurable("/data/t", "SYNCED");
    auto f = env_.NewAppendableFile("/data/t");
    ASSERT_TRUE(f.has_value());
    ASSERT_TRUE((*f)->Append(AsBytes("0123456789")).has_value());
    env_.SimulatePowerLoss();
    std::string got = Read(env_, "/data/t");
    ASSERT_EQ(got.rfind("SYNCED", 0), 0U) << got;
    EXPECT_EQ(std::string("SYNCED0123456789").substr(0, got.size()), got);
    lengths.insert(got.size());
  }
  EXPECT_GT(lengths.size(), 3U) << "tearing should keep different prefixes";
}

TEST_F(FaultEnvTest, FailNthWriteFailsOnlyThatWrite) {
  auto f = env_.NewWritableFile("/data/f");
  ASSERT_TRUE(f.has_value());
  env_.FailNthWrite(2);
  EXPECT_TRUE((*f)->Append(AsBytes("a")).has_value());
  auto bad = (*f)->Append(AsBytes("b"));
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("injected I/O error"), std::string::npos);
  EXPECT_TRUE((*f)->Append(AsBytes("c")).has_value());
  EXPECT_EQ(Read(env_, "/data/f"), "ac");
}

TEST_F(FaultEnvTest, FullDiskRefusesAndWritesNothing) {
  env_.SetDiskCapacity(10);
  auto f = env_.NewWritableFile("/data/f");
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE((*f)->Append(AsBytes("12345678")).has_value());
  auto full = (*f)->Append(AsBytes("abc"));
  ASSERT_FALSE(full.has_value());
  EXPECT_EQ(full.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(Read(env_, "/data/f"), "12345678");
  EXPECT_FALSE(env_.WriteFileAtomic("/data/g", AsBytes("abc")).has_value());
  EXPECT_FALSE(env_.FileExists("/data/g.tmp"));  // cleaned up after the failure
}

TEST_F(FaultEnvTest, ClocksJumpAndAdvance) {
  const int64_t wall = env_.NowUnixMicros();
  const int64_t mono = env_.NowMonotonicNanos();
  env_.AdvanceClock(5'000'000);
  EXPECT_EQ(env_.NowUnixMicros(), wall + 5'000'000);
  EXPECT_EQ(env_.NowMonotonicNanos(), mono + 5'000'000'000);
  env_.JumpWallClock(-3'600'000'000);
  EXPECT_EQ(env_.NowUnixMicros(), wall + 5'000'000 - 3'600'000'000);
  EXPECT_EQ(env_.NowMonotonicNanos(), mono + 5'000'000'000);
  env_.SetUnixMicros(0);
  EXPECT_EQ(env_.NowUnixMicros(), 0);
}

TEST_F(FaultEnvTest, RandomnessIsDeterministicPerSeed) {
  FaultInjectingEnv a(9), b(9), c(10);
  Bytes x = *a.RandomBytes(33), y = *b.RandomBytes(33), z = *c.RandomBytes(33);
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
}

TEST_F(FaultEnvTest, ErrorsNameThePath) {
  auto r = env_.ReadFile("/data/missing");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.error().message().find("/data/missing"), std::string::npos);
  EXPECT_EQ(env_.NewWritableFile("/nodir/f").error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(env_.CreateDir("/data/d").has_value());
  MakeDurable("/data/d/f", "x");
  EXPECT_EQ(env_.RemoveDir("/data/d").error().code(), ErrorCode::kFailedPrecondition);
}

// Scale: 20,000 synced appends to one file and a power loss stay fast (no quadratic copies).
TEST_F(FaultEnvTest, ManySyncedAppendsAreCheap) {
  auto f = env_.NewWritableFile("/data/big");
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE(env_.SyncDir("/data").has_value());
  Bytes chunk(100, 0x5a);
  for (int i = 0; i < 20000; ++i) {
    ASSERT_TRUE((*f)->Append(chunk).has_value());
    ASSERT_TRUE((*f)->Sync().has_value());
  }
  ASSERT_TRUE((*f)->Append(chunk).has_value());
  env_.SimulatePowerLoss();
  EXPECT_EQ(*env_.GetFileSize("/data/big"), 2'000'000U);
}

TEST_F(FaultEnvTest, PowerLossObserverSeesEveryPointWithoutDisturbingTheRun) {
  std::vector<std::string> seen;
  env_.SetPowerLossObserver([&](FaultInjectingEnv& after) {
    seen.push_back(Read(after, "/data/log"));
    // The snapshot is independent: writing to it does not reach the original.
    (void)after.WriteFileAtomic("/data/other", AsBytes("x"));
  });
  auto f = env_.NewWritableFile("/data/log");
  ASSERT_TRUE(f.has_value());
  ASSERT_TRUE(env_.SyncDir("/data").has_value());
  ASSERT_TRUE((*f)->Append(AsBytes("one")).has_value());
  ASSERT_TRUE((*f)->Sync().has_value());
  ASSERT_TRUE((*f)->Append(AsBytes("two")).has_value());
  env_.SetPowerLossObserver(nullptr);
  // Points: before create, before SyncDir, before append, before sync, before second append.
  EXPECT_EQ(seen, (std::vector<std::string>{"<not_found>", "<not_found>", "", "", "one"}));
  EXPECT_FALSE(env_.FileExists("/data/other"));
  EXPECT_EQ(Read(env_, "/data/log"), "onetwo");
}

}  // namespace
}  // namespace vigil
