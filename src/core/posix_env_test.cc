#include <gtest/gtest.h>
#include <sys/stat.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "testing/peak_memory.h"
#include "vigil/core/env.h"

namespace vigil {
namespace {

class PosixEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vigil-env-test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { (void)std::system(("rm -rf '" + dir_ + "'").c_str()); }
  Env& env_ = *Env::Default();
  std::string dir_;
};

TEST_F(PosixEnvTest, WriteAtomicReadListRemove) {
  const std::string p = JoinPath(dir_, "a/b/file");
  ASSERT_TRUE(env_.CreateDir(DirName(p)).has_value());
  ASSERT_TRUE(env_.WriteFileAtomic(p, AsBytes("hello")).has_value());
  EXPECT_EQ(AsStringView(*env_.ReadFile(p)), "hello");
  ASSERT_TRUE(env_.WriteFileAtomic(p, AsBytes("world!")).has_value());
  EXPECT_EQ(*env_.GetFileSize(p), 6U);
  EXPECT_EQ(*env_.GetChildren(DirName(p)), std::vector<std::string>{"file"});
  struct stat st {};
  ASSERT_EQ(stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U) << "files Vigil writes are private";
  ASSERT_TRUE(env_.RemoveFile(p).has_value());
  EXPECT_FALSE(env_.FileExists(p));
  EXPECT_EQ(env_.ReadFile(p).error().code(), ErrorCode::kNotFound);
  EXPECT_NE(env_.ReadFile(p).error().message().find(p), std::string::npos);
}

TEST_F(PosixEnvTest, ASymlinkLoopIsReportedAsOneNotAsMissing) {
  const std::string loop = JoinPath(dir_, "loop");
  ASSERT_EQ(symlink("loop", loop.c_str()), 0);
  EXPECT_TRUE(env_.FileExists(loop)) << "only a path known to be absent is missing";
  auto read = env_.ReadFile(loop);
  ASSERT_FALSE(read.has_value());
  EXPECT_NE(read.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(read.error().message().find("symbolic links"), std::string::npos)
      << read.error().message();
  EXPECT_FALSE(env_.FileExists(JoinPath(dir_, "absent")));
  EXPECT_FALSE(env_.FileExists(JoinPath(dir_, "absent/below")));
}

TEST_F(PosixEnvTest, AFailedReplaceNamesTheFileNotItsTemporary) {
  const std::string p = JoinPath(dir_, "no-such-dir/out.json");
  Status s = env_.WriteFileAtomic(p, AsBytes("x"));
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message().rfind(p + ": ", 0), 0U) << s.error().message();
  EXPECT_EQ(s.error().message().find(".tmp"), std::string::npos) << s.error().message();
  const std::string d = JoinPath(dir_, "a-directory");
  ASSERT_TRUE(env_.CreateDir(JoinPath(d, "child")).has_value());
  s = env_.WriteFileAtomic(d, AsBytes("x"));  // rename over a non-empty directory
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message().rfind(d + ": rename: ", 0), 0U) << s.error().message();
}

TEST_F(PosixEnvTest, SetFileModeChangesThePermissionBits) {
  const std::string p = JoinPath(dir_, "key.pub");
  ASSERT_TRUE(env_.WriteFileAtomic(p, AsBytes("pub")).has_value());
  ASSERT_TRUE(env_.SetFileMode(p, 0644).has_value());
  struct stat st {};
  ASSERT_EQ(stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644U);
  EXPECT_EQ(env_.SetFileMode(JoinPath(dir_, "absent"), 0644).error().code(), ErrorCode::kNotFound);
}

TEST_F(PosixEnvTest, AppendRandomAccessTruncate) {
  const std::string p = JoinPath(dir_, "log");
  ASSERT_TRUE(env_.AppendFileDurable(p, AsBytes("abc")).has_value());
  ASSERT_TRUE(env_.AppendFileDurable(p, AsBytes("def")).has_value());
  auto f = env_.NewRandomAccessFile(p);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(AsStringView(*(*f)->Read(2, 3)), "cde");
  EXPECT_EQ(AsStringView(*(*f)->Read(4, 100)), "ef");
  ASSERT_TRUE(env_.TruncateFile(p, 2).has_value());
  EXPECT_EQ(AsStringView(*env_.ReadFile(p)), "ab");
}

TEST_F(PosixEnvTest, ReadFileLimitedRefusesOversizedFilesInOneLine) {
  const std::string p = JoinPath(dir_, "policy.yaml");
  ASSERT_TRUE(env_.WriteFileAtomic(p, AsBytes(std::string(2048, 'x'))).has_value());
  auto ok = env_.ReadFileLimited(p, 2048, "an access policy");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->size(), 2048U);
  auto big = env_.ReadFileLimited(p, 2047, "an access policy");
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(big.error().message(),
            p + ": 2048 bytes, over the 2047 bytes limit for an access policy");
  EXPECT_EQ(env_.ReadFileLimited(JoinPath(dir_, "absent"), 10, "x").error().code(),
            ErrorCode::kNotFound);
  // A 64 MiB file refused at a 1 MiB limit costs no more than a few MiB to refuse.
  const std::string huge = JoinPath(dir_, "huge.json");
  {
    FILE* f = std::fopen(huge.c_str(), "w");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(ftruncate(fileno(f), 64 << 20), 0);
    std::fclose(f);
  }
  auto mem = testing::PeakMemoryGrowthOfChild([&] {
    auto r = Env::Default()->ReadFileLimited(huge, 1 << 20, "a test document");
    return !r.has_value() && r.error().code() == ErrorCode::kResourceExhausted;
  });
  ASSERT_TRUE(mem.has_value());
  EXPECT_TRUE(mem->fn_returned_true);
  EXPECT_LT(mem->growth_kib, 4 * 1024);
  EXPECT_EQ(HumanBytes(16u << 20), "16 MiB");
  EXPECT_EQ(HumanBytes(3u << 29), "1536 MiB");
  EXPECT_EQ(HumanBytes(2047), "2047 bytes");
  EXPECT_EQ(HumanBytes(1), "1 byte");
}

TEST_F(PosixEnvTest, ClocksAndRandomness) {
  int64_t a = env_.NowMonotonicNanos();
  int64_t b = env_.NowMonotonicNanos();
  EXPECT_LE(a, b);
  EXPECT_GT(env_.NowUnixMicros(), 1'700'000'000'000'000);  // after Nov 2023
  Bytes r1 = *env_.RandomBytes(32), r2 = *env_.RandomBytes(32);
  EXPECT_NE(r1, r2);
  EXPECT_EQ(DirName("a/b/c"), "a/b");
  EXPECT_EQ(DirName("c"), ".");
  EXPECT_EQ(DirName("/c"), "/");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
}

}  // namespace
}  // namespace vigil
