#include "vigil/audit/log_check.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "vigil/audit/event.h"
#include "vigil/crypto/signature.h"

namespace vigil::audit {
namespace {

namespace fs = std::filesystem;

Event Sample(uint64_t i) {
  Event e;
  e.sequence = i;
  e.time_unix_micros = 1763840000000000 + static_cast<int64_t>(i);
  e.device_id = "pump-SN1234";
  e.actor_id = "clin.jdoe";
  e.actor_role = Role::kClinician;
  e.action = Action::kLogin;
  e.outcome = Outcome::kSuccess;
  e.interface = Interface::kLocalUi;
  return e;
}

Checkpoint MakeCheckpoint(uint64_t size, const Hash& root) {
  Checkpoint c;
  c.origin = "pump.example/log";
  c.size = size;
  c.root = root;
  return c;
}

class LogCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "vigil-logcheck-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    dir_ = (root_ / "log").string();
    auto key = crypto::GenerateSigningKey(crypto::AlgorithmId::kEd25519);
    ASSERT_TRUE(key);
    auto signer = NoteSigner::Create("pump.example/log", std::move(*key));
    ASSERT_TRUE(signer);
    signer_ = std::move(*signer);
    auto verifier = NoteVerifier::Parse(signer_->VerifierKey());
    ASSERT_TRUE(verifier);
    verifier_ = std::move(*verifier);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::unique_ptr<TileLog> OpenLog() {
    auto log = TileLog::Open(env_, dir_, TileLogOptions{});
    EXPECT_TRUE(log) << log.error().ToString();
    return std::move(*log);
  }
  void Append(TileLog& log, uint64_t n) {
    for (uint64_t i = 0; i < n; ++i) {
      auto entry = EncodeEvent(Sample(log.size()));
      ASSERT_TRUE(entry);
      ASSERT_TRUE(log.Append(*entry));
    }
  }
  // Signs the log's current state into `path`.
  Checkpoint WriteCheckpoint(TileLog& log, const std::string& path) {
    Checkpoint c = MakeCheckpoint(log.size(), *log.Root());
    NoteSigner* signers[] = {signer_.get()};
    auto note = SignNote(*FormatCheckpoint(c), signers);
    EXPECT_TRUE(note);
    EXPECT_TRUE(env_.WriteFileAtomic(path, AsBytes(*note)));
    return c;
  }
  std::vector<NoteVerifier*> Verifiers() { return {verifier_.get()}; }

  Env& env_ = *Env::Default();
  fs::path root_;
  std::string dir_;
  std::unique_ptr<NoteSigner> signer_;
  std::unique_ptr<NoteVerifier> verifier_;
};

TEST_F(LogCheckTest, SignedCheckpointIsReadAndVerified) {
  auto log = OpenLog();
  Append(*log, 5);
  Checkpoint c = WriteCheckpoint(*log, dir_ + "/checkpoint");
  auto read = ReadSignedCheckpoint(env_, dir_ + "/checkpoint", Verifiers());
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_EQ(read->checkpoint, c);
  EXPECT_EQ(read->verified_by, 1u);
  // Without verifiers the body is taken unverified.
  auto unverified = ReadSignedCheckpoint(env_, dir_ + "/checkpoint", {});
  ASSERT_TRUE(unverified);
  EXPECT_EQ(unverified->verified_by, 0u);
}

TEST_F(LogCheckTest, CheckpointFromAnUnknownKeyIsRefused) {
  auto log = OpenLog();
  Append(*log, 2);
  WriteCheckpoint(*log, dir_ + "/checkpoint");
  auto other_key = crypto::GenerateSigningKey(crypto::AlgorithmId::kEd25519);
  auto other = NoteSigner::Create("pump.example/log", std::move(*other_key));
  auto other_verifier = NoteVerifier::Parse((*other)->VerifierKey());
  NoteVerifier* known[] = {other_verifier->get()};
  auto read = ReadSignedCheckpoint(env_, dir_ + "/checkpoint", known);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_NE(read.error().message().find(dir_ + "/checkpoint"), std::string::npos);
}

TEST_F(LogCheckTest, GarbageCheckpointIsDataLossNamingTheFile) {
  ASSERT_TRUE(env_.CreateDir(dir_));
  ASSERT_TRUE(env_.WriteFileAtomic(dir_ + "/checkpoint", AsBytes(std::string("hello\n"))));
  auto read = ReadSignedCheckpoint(env_, dir_ + "/checkpoint", {});
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(read.error().message(), dir_ + "/checkpoint: not a signed note");
}

TEST_F(LogCheckTest, IntactLogMatchesBothCheckpoints) {
  auto log = OpenLog();
  Append(*log, 40);
  Checkpoint older = WriteCheckpoint(*log, root_.string() + "/old-checkpoint");
  Append(*log, 300);
  Checkpoint latest = WriteCheckpoint(*log, dir_ + "/checkpoint");
  auto check = CheckLog(env_, dir_, latest, "checkpoint", older, "old-checkpoint");
  ASSERT_TRUE(check) << check.error().ToString();
  EXPECT_TRUE(check->intact) << check->problem;
  EXPECT_EQ(check->report.size, 340u);
  EXPECT_EQ(check->report.entries_checked, 340u);
}

TEST_F(LogCheckTest, RootThatDoesNotMatchIsTampering) {
  auto log = OpenLog();
  Append(*log, 10);
  Checkpoint latest = WriteCheckpoint(*log, dir_ + "/checkpoint");
  Checkpoint forged = latest;
  forged.root[0] ^= 1;
  auto check = CheckLog(env_, dir_, forged, "cp", std::nullopt, "");
  ASSERT_TRUE(check);
  EXPECT_FALSE(check->intact);
  EXPECT_FALSE(check->damaged);
  EXPECT_EQ(check->problem, "the entries on disk do not give the root that cp signed at size 10");
  // An older checkpoint whose root the log no longer gives: its first entries were rewritten.
  Checkpoint older = MakeCheckpoint(4, *log->RootAt(4));
  older.root[5] ^= 0x80;
  check = CheckLog(env_, dir_, latest, "cp", older, "old");
  ASSERT_TRUE(check);
  EXPECT_FALSE(check->intact);
  EXPECT_EQ(check->problem,
            "the log is not consistent with old (size 4): its first 4 entries were changed");
}

TEST_F(LogCheckTest, AlteredEntryOnDiskIsDamage) {
  {
    auto log = OpenLog();
    Append(*log, 300);  // one full tile: its entry bundle is a file of its own
  }
  Checkpoint latest = MakeCheckpoint(300, Hash{});
  // Flip one byte of the first entry bundle file.
  bool flipped = false;
  for (const auto& f : fs::recursive_directory_iterator(fs::path(dir_) / "tile" / "entries")) {
    if (!f.is_regular_file()) continue;
    std::fstream io(f.path(), std::ios::in | std::ios::out | std::ios::binary);
    io.seekg(10);
    char c = 0;
    io.read(&c, 1);
    io.seekp(10);
    c = static_cast<char>(c ^ 0x20);
    io.write(&c, 1);
    flipped = true;
    break;
  }
  ASSERT_TRUE(flipped);
  auto check = CheckLog(env_, dir_, latest, "cp", std::nullopt, "");
  ASSERT_TRUE(check) << check.error().ToString();
  EXPECT_FALSE(check->intact);
  EXPECT_TRUE(check->damaged);
  EXPECT_FALSE(check->problem.empty());
}

TEST_F(LogCheckTest, MissingLogIsAnErrorNotAVerdict) {
  Checkpoint latest = MakeCheckpoint(1, Hash{});
  auto check = CheckLog(env_, dir_ + "-nowhere", latest, "cp", std::nullopt, "");
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().code(), ErrorCode::kNotFound);
}

TEST_F(LogCheckTest, ProofsAreSelfCheckedAndVerifyIndependently) {
  auto log = OpenLog();
  Append(*log, 77);
  for (uint64_t i : {0ull, 1ull, 38ull, 76ull}) {
    auto e = ProveInclusion(*log, i);
    ASSERT_TRUE(e) << e.error().ToString();
    EXPECT_EQ(e->tree_size, 77u);
    EXPECT_EQ(e->leaf_hash, HashLeaf(*log->Entry(i)));
    EXPECT_TRUE(VerifyInclusion(e->leaf_hash, i, 77, e->proof, e->root));
  }
  EXPECT_EQ(ProveInclusion(*log, 77).error().code(), ErrorCode::kInvalidArgument);
  for (uint64_t from : {0ull, 1ull, 32ull, 76ull, 77ull}) {
    auto e = ProveConsistency(*log, from);
    ASSERT_TRUE(e) << e.error().ToString();
    EXPECT_EQ(e->root2, *log->Root());
    if (from > 0) {
      EXPECT_TRUE(VerifyConsistency(from, 77, e->root1, e->root2, e->proof));
    }
  }
  EXPECT_FALSE(ProveConsistency(*log, 78));
}

TEST_F(LogCheckTest, ForwardingQueuesEachEntryOnceBehindADurableCursor) {
  auto log = OpenLog();
  Append(*log, 5);
  auto queue = SyslogQueue::Open(&env_, root_.string() + "/queue");
  ASSERT_TRUE(queue) << queue.error().ToString();
  const std::string cursor = root_.string() + "/queue/log-cursor";
  auto queued = QueueNewEntries(env_, *log, **queue, cursor);
  ASSERT_TRUE(queued) << queued.error().ToString();
  EXPECT_EQ(*queued, 5u);
  EXPECT_EQ(AsStringView(*env_.ReadFile(cursor)), "5\n");
  EXPECT_EQ(*QueueNewEntries(env_, *log, **queue, cursor), 0u);  // nothing new
  Append(*log, 3);
  EXPECT_EQ(*QueueNewEntries(env_, *log, **queue, cursor), 3u);
  EXPECT_EQ((*queue)->size(), 8u);
  auto lines = (*queue)->Peek(8);
  EXPECT_NE(lines[7].find("seq=\"7\""), std::string::npos) << lines[7];
}

TEST_F(LogCheckTest, CursorThatIsNotAnIndexIsRefused) {
  auto log = OpenLog();
  Append(*log, 2);
  auto queue = SyslogQueue::Open(&env_, root_.string() + "/queue");
  ASSERT_TRUE(queue);
  const std::string cursor = root_.string() + "/queue/log-cursor";
  for (std::string bad : {"-1\n", " 3", "", "4x", "99999999999999999999999\n"}) {
    ASSERT_TRUE(env_.WriteFileAtomic(cursor, AsBytes(bad)));
    auto queued = QueueNewEntries(env_, *log, **queue, cursor);
    ASSERT_FALSE(queued) << "'" << bad << "'";
    EXPECT_EQ(queued.error().code(), ErrorCode::kDataLoss);
  }
  EXPECT_EQ((*queue)->size(), 0u);
}

}  // namespace
}  // namespace vigil::audit
