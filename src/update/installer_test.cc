#include "vigil/update/installer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "testing/peak_memory.h"
#include "update/install_fixture.h"
#include "vigil/core/fault_env.h"

namespace vigil::update {
namespace {

using testing::ImageBytes;
using testing::InfoFor;
using testing::MemorySource;

constexpr const char* kDir = "/dev0/slots";

class InstallerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Installer::Setup(&env_, kDir, testing::TestConfig(64 * 1024, 3)).has_value());
    Reopen();
  }
  void Reopen() {
    auto in = Installer::Open(&env_, kDir);
    ASSERT_TRUE(in.has_value()) << in.error().message();
    in_ = std::move(*in);
    in_->set_write_chunk_bytes(1000);
  }
  // Installs, activates, boots and commits `data` as (release, sv); returns the slot.
  std::string Deploy(const Bytes& data, uint64_t release, uint64_t sv) {
    auto rec = in_->Install("fw.bin", InfoFor(data, release, sv), MemorySource(data));
    EXPECT_TRUE(rec.has_value()) << rec.error().message();
    EXPECT_TRUE(in_->Activate().has_value());
    auto boot = in_->Boot();
    EXPECT_TRUE(boot.has_value() && boot->trial) << (boot ? "" : boot.error().message());
    Status c = in_->Commit();
    EXPECT_TRUE(c.has_value()) << c.error().message();
    return boot ? boot->slot : "";
  }
  std::string BootSlot() {
    auto boot = in_->Boot();
    EXPECT_TRUE(boot.has_value()) << boot.error().message();
    return boot ? boot->slot : "";
  }

  FaultInjectingEnv env_;
  std::unique_ptr<Installer> in_;
  Bytes v1_ = ImageBytes(20000, 1), v2_ = ImageBytes(30000, 2), v3_ = ImageBytes(25000, 3);
};

TEST_F(InstallerTest, NothingInstalledIsNotBootable) {
  auto boot = in_->Boot();
  ASSERT_FALSE(boot.has_value());
  EXPECT_EQ(boot.error().code(), ErrorCode::kFailedPrecondition);  // nothing is damaged
  EXPECT_NE(boot.error().message().find("nothing committed yet"), std::string::npos);
}

TEST_F(InstallerTest, ALostBootStateIsRecoveredEmptyKeepingTheCounter) {
  Deploy(v1_, 1, 2);
  const std::string state = std::string(kDir) + "/boot_state.json";
  EXPECT_EQ(Installer::RecoverState(&env_, kDir).error().code(), ErrorCode::kAlreadyExists);
  ASSERT_TRUE(env_.RemoveFile(state).has_value());
  auto open = Installer::Open(&env_, kDir);
  ASSERT_FALSE(open.has_value());
  EXPECT_EQ(open.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(open.error().message().find("--recover-state"), std::string::npos)
      << open.error().message();
  ASSERT_TRUE(Installer::RecoverState(&env_, kDir).has_value());
  Reopen();
  EXPECT_EQ(in_->rollback_counter(), 2u);  // kept: an image below it still cannot come back
  auto boot = in_->Boot();
  ASSERT_FALSE(boot.has_value());
  EXPECT_EQ(boot.error().code(), ErrorCode::kFailedPrecondition);
  auto old = in_->Install("fw.bin", InfoFor(v2_, 2, 1), MemorySource(v2_));
  EXPECT_FALSE(old.has_value());
  Deploy(v3_, 3, 2);
  EXPECT_EQ(BootSlot(), in_->state().committed.value());
}

TEST_F(InstallerTest, RecoveryNeedsAProvisionedDirectory) {
  EXPECT_EQ(Installer::RecoverState(&env_, "/dev0/other").error().code(),
            ErrorCode::kFailedPrecondition);
}

TEST_F(InstallerTest, InstallTrialCommitAlternatesSlotsAndRaisesTheCounter) {
  EXPECT_EQ(Deploy(v1_, 1, 1), "a");
  EXPECT_EQ(in_->rollback_counter(), 1u);
  auto rec = in_->Install("fw.bin", InfoFor(v2_, 2, 2, std::nullopt, true), MemorySource(v2_, 333));
  ASSERT_TRUE(rec.has_value()) << rec.error().message();
  EXPECT_EQ(in_->state().slots.at("b").status, SlotStatus::kVerified);
  EXPECT_EQ(BootSlot(), "a");  // verified but not activated: not booted
  ASSERT_TRUE(in_->Activate().has_value());
  Reopen();  // everything persisted
  auto boot = in_->Boot();
  ASSERT_TRUE(boot.has_value());
  EXPECT_EQ(boot->slot, "b");
  EXPECT_TRUE(boot->trial);
  EXPECT_EQ(boot->attempts_left, 2u);
  EXPECT_EQ(in_->rollback_counter(), 1u);  // not before commit
  ASSERT_TRUE(in_->ConfirmHealth([] { return OkStatus(); }).has_value());
  Reopen();
  EXPECT_EQ(in_->state().committed, "b");
  EXPECT_EQ(in_->rollback_counter(), 2u);
  EXPECT_EQ(BootSlot(), "b");
  EXPECT_TRUE(in_->VerifySlot("b").has_value());
  EXPECT_EQ(in_->inactive_slot(), "a");
}

TEST_F(InstallerTest, WrongHashLengthOrExtraBytesAreNeverActivated) {
  Deploy(v1_, 1, 1);
  TargetFile bad_hash = InfoFor(v2_, 2, 1);
  bad_hash.hashes["sha256"][0] ^= 1;
  TargetFile bad_512 = InfoFor(v2_, 2, 1, std::nullopt, true);
  bad_512.hashes["sha512"][5] ^= 1;
  Bytes longer = v2_;
  longer.push_back(0);
  Bytes shorter(v2_.begin(), v2_.end() - 1);
  struct Case {
    TargetFile info;
    Bytes data;
    std::string expect;
  } cases[] = {{bad_hash, v2_, "sha256 mismatch"},
               {bad_512, v2_, "sha512 mismatch"},
               {InfoFor(v2_, 2, 1), longer, "received more"},
               {InfoFor(v2_, 2, 1), shorter, "expected length 30000, found 29999"}};
  for (const Case& c : cases) {
    auto rec = in_->Install("fw.bin", c.info, MemorySource(c.data));
    ASSERT_FALSE(rec.has_value()) << c.expect;
    EXPECT_EQ(rec.error().code(), ErrorCode::kDataLoss);
    EXPECT_NE(rec.error().message().find(c.expect), std::string::npos) << rec.error().message();
    Reopen();
    EXPECT_NE(in_->state().slots.at("b").status, SlotStatus::kVerified);
    auto act = in_->Activate();
    ASSERT_FALSE(act.has_value());
    EXPECT_EQ(act.error().code(), ErrorCode::kFailedPrecondition);
    EXPECT_EQ(BootSlot(), "a");
  }
}

TEST_F(InstallerTest, TargetWithoutSupportedHashOrReleaseIsRefused) {
  Deploy(v1_, 1, 1);
  TargetFile md5_only = InfoFor(v2_, 2, 1);
  md5_only.hashes = {{"md5", Bytes(16, 0)}};
  auto r = in_->Install("fw.bin", md5_only, MemorySource(v2_));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("none of the listed hash algorithms"), std::string::npos);
  TargetFile no_custom = InfoFor(v2_, 2, 1);
  no_custom.custom = nullptr;
  r = in_->Install("fw.bin", no_custom, MemorySource(v2_));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("custom.vigil"), std::string::npos) << r.error().message();
}

TEST_F(InstallerTest, ImageLargerThanTheSlotIsRefusedBeforeWriting) {
  Deploy(v1_, 1, 1);
  Bytes huge = ImageBytes(64 * 1024 + 1, 9);
  auto r = in_->Install("fw.bin", InfoFor(huge, 2, 1), MemorySource(huge));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(in_->state().slots.at("b").status, SlotStatus::kEmpty);
}

TEST_F(InstallerTest, AntiRollbackCounterRefusesOldSecurityVersionsEvenWithPermission) {
  Deploy(v1_, 1, 1);
  Deploy(v2_, 2, 3);
  ASSERT_EQ(in_->rollback_counter(), 3u);
  auto r = in_->Install("fw.bin", InfoFor(v3_, 5, 2, 9), MemorySource(v3_));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message().find("security version 2 is below the device's counter 3"),
            std::string::npos)
      << r.error().message();
  EXPECT_EQ(in_->state().slots.at("a").status, SlotStatus::kGood);  // untouched
}

TEST_F(InstallerTest, DowngradeNeedsSignedPermissionCoveringTheRunningRelease) {
  Deploy(v1_, 1, 1);
  Deploy(v2_, 3, 2);
  auto r = in_->Install("fw.bin", InfoFor(v3_, 2, 2), MemorySource(v3_));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("downgrade from release 3 to 2 refused"), std::string::npos);
  r = in_->Install("fw.bin", InfoFor(v3_, 2, 2, 2), MemorySource(v3_));  // stale permission
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  r = in_->Install("fw.bin", InfoFor(v3_, 2, 2, 3), MemorySource(v3_));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_TRUE(in_->Activate().has_value());
  ASSERT_EQ(BootSlot(), "a");
  ASSERT_TRUE(in_->Commit().has_value());
  EXPECT_EQ(in_->state().slots.at("a").release, 2u);
  EXPECT_EQ(in_->rollback_counter(), 2u);
}

TEST_F(InstallerTest, FailedTrialFallsBackAfterTheLastAttempt) {
  Deploy(v1_, 1, 1);
  ASSERT_TRUE(in_->Install("fw.bin", InfoFor(v2_, 2, 2), MemorySource(v2_)).has_value());
  ASSERT_TRUE(in_->Activate().has_value());
  for (uint32_t left = 2;; --left) {
    Reopen();  // every boot is a new process
    auto boot = in_->Boot();
    ASSERT_TRUE(boot.has_value());
    ASSERT_EQ(boot->slot, "b");
    ASSERT_EQ(boot->attempts_left, left);
    Status h = in_->ConfirmHealth([] { return UnavailableError("infusion motor self-test"); });
    ASSERT_FALSE(h.has_value());
    EXPECT_NE(h.error().message().find("motor self-test"), std::string::npos);
    EXPECT_NE(h.error().message().find(std::to_string(left) + " boot attempt(s) left"),
              std::string::npos);
    if (left == 0) break;
  }
  Reopen();
  auto boot = in_->Boot();
  ASSERT_TRUE(boot.has_value());
  EXPECT_EQ(boot->slot, "a");
  EXPECT_FALSE(boot->trial);
  EXPECT_NE(boot->fallback.find("no boot attempts left"), std::string::npos);
  EXPECT_EQ(in_->state().slots.at("b").status, SlotStatus::kFailed);
  EXPECT_EQ(in_->rollback_counter(), 1u);  // the failed image never raised it
  EXPECT_FALSE(in_->Commit().has_value());
  Reopen();
  EXPECT_EQ(BootSlot(), "a");
}

TEST_F(InstallerTest, RollbackAbandonsTheTrialAndProtectsTheRunningSlot) {
  Deploy(v1_, 1, 1);
  EXPECT_FALSE(in_->Rollback().has_value());  // nothing to roll back
  ASSERT_TRUE(in_->Install("fw.bin", InfoFor(v2_, 2, 2), MemorySource(v2_)).has_value());
  auto again = in_->Install("fw.bin", InfoFor(v2_, 2, 2), MemorySource(v2_));
  EXPECT_TRUE(again.has_value());  // re-install of a verified, not yet armed slot is fine
  ASSERT_TRUE(in_->Activate().has_value());
  EXPECT_FALSE(in_->Activate().has_value());
  auto pending = in_->Install("fw.bin", InfoFor(v3_, 3, 2), MemorySource(v3_));
  ASSERT_FALSE(pending.has_value());
  EXPECT_NE(pending.error().message().find("armed for a trial"), std::string::npos);
  Status early = in_->Commit();
  ASSERT_FALSE(early.has_value());
  EXPECT_NE(early.error().message().find("boot it first"), std::string::npos);
  ASSERT_EQ(BootSlot(), "b");
  ASSERT_TRUE(in_->Rollback().has_value());
  auto running = in_->Install("fw.bin", InfoFor(v3_, 3, 2), MemorySource(v3_));
  ASSERT_FALSE(running.has_value());
  EXPECT_NE(running.error().message().find("is running"), std::string::npos);
  EXPECT_EQ(BootSlot(), "a");
  EXPECT_TRUE(in_->Install("fw.bin", InfoFor(v3_, 3, 2), MemorySource(v3_)).has_value());
}

TEST_F(InstallerTest, DamagedTrialImageIsNotBootedAndDamagedCommittedImageIsReplaced) {
  Deploy(v1_, 1, 1);
  ASSERT_TRUE(in_->Install("fw.bin", InfoFor(v2_, 2, 1), MemorySource(v2_)).has_value());
  ASSERT_TRUE(in_->Activate().has_value());
  // One flipped bit in slot b after it was verified (flash damage, or tampering).
  Bytes damaged = v2_;
  damaged[100] ^= 0x10;
  ASSERT_TRUE(env_.WriteFileAtomic(std::string(kDir) + "/slot-b.img", damaged).has_value());
  auto boot = in_->Boot();
  ASSERT_TRUE(boot.has_value());
  EXPECT_EQ(boot->slot, "a");
  EXPECT_NE(boot->fallback.find("sha256 mismatch"), std::string::npos) << boot->fallback;
  // Now b good (same security version), then a's image damaged: b takes over as committed.
  ASSERT_TRUE(in_->Install("fw.bin", InfoFor(v2_, 2, 1), MemorySource(v2_)).has_value());
  ASSERT_TRUE(in_->Activate().has_value());
  ASSERT_EQ(BootSlot(), "b");
  ASSERT_TRUE(in_->Commit().has_value());
  Deploy(v3_, 3, 1);  // a holds v3, committed; b holds v2, good
  ASSERT_TRUE(env_.WriteFileAtomic(std::string(kDir) + "/slot-a/image", v1_).has_value());
  boot = in_->Boot();
  ASSERT_TRUE(boot.has_value());
  EXPECT_EQ(boot->slot, "b");
  EXPECT_EQ(in_->state().committed, "b");
  EXPECT_EQ(in_->inactive_slot(), "a");
}

TEST_F(InstallerTest, InterruptedCommitIsFinishedWhenReopened) {
  Deploy(v1_, 1, 1);
  ASSERT_TRUE(in_->Install("fw.bin", InfoFor(v2_, 2, 7), MemorySource(v2_)).has_value());
  ASSERT_TRUE(in_->Activate().has_value());
  ASSERT_EQ(BootSlot(), "b");
  // Commit's boot-state write is mutation 1..4 (create, append, sync, close / rename / syncdir);
  // crash right after the state became durable, before the counter write.
  uint64_t before = env_.mutation_count();
  ASSERT_TRUE(in_->Commit().has_value());
  uint64_t commit_ops = env_.mutation_count() - before;
  ASSERT_GT(commit_ops, 6u);
  // Replay on a fresh device: same history, crash after the boot-state replace.
  FaultInjectingEnv env2;
  ASSERT_TRUE(Installer::Setup(&env2, kDir, testing::TestConfig(64 * 1024, 3)).has_value());
  auto in2 = std::move(Installer::Open(&env2, kDir).value());
  for (const auto& [data, rel, sv] : {std::tuple{v1_, 1, 1}}) {
    ASSERT_TRUE(in2->Install("fw.bin", InfoFor(data, rel, sv), MemorySource(data)).has_value());
    ASSERT_TRUE(in2->Activate().has_value());
    ASSERT_TRUE(in2->Boot().has_value());
    ASSERT_TRUE(in2->Commit().has_value());
  }
  ASSERT_TRUE(in2->Install("fw.bin", InfoFor(v2_, 2, 7), MemorySource(v2_)).has_value());
  ASSERT_TRUE(in2->Activate().has_value());
  ASSERT_TRUE(in2->Boot().has_value());
  env2.CrashAfter(commit_ops / 2 + 1);  // the state file is written by then, the counter not
  EXPECT_FALSE(in2->Commit().has_value());
  env2.SimulatePowerLoss();
  auto reopened = Installer::Open(&env2, kDir);
  ASSERT_TRUE(reopened.has_value()) << reopened.error().message();
  EXPECT_EQ((*reopened)->state().committed, "b");
  EXPECT_EQ((*reopened)->rollback_counter(), 7u);
}

TEST_F(InstallerTest, FailedWritesLeaveTheCommittedSlotBooting) {
  Deploy(v1_, 1, 1);
  // Each failed write of the install in turn.
  for (uint64_t n = 1; n <= 40; ++n) {
    env_.FailNthWrite(n);
    auto fail = in_->Install("fw.bin", InfoFor(v2_, 2, 2), MemorySource(v2_));
    env_.ResetFaults();
    Reopen();
    if (fail.has_value()) break;  // n is past the last write
    EXPECT_EQ(BootSlot(), "a") << "failed write " << n;
    EXPECT_FALSE(in_->Activate().has_value()) << "failed write " << n;
  }
  ASSERT_TRUE(in_->Install("fw.bin", InfoFor(v2_, 2, 2), MemorySource(v2_)).has_value());
  ASSERT_TRUE(in_->Activate().has_value());
  EXPECT_EQ(BootSlot(), "b");
}

TEST(InstallerFaults, FullDiskLeavesTheCommittedSlotBootingAndALaterInstallWorks) {
  FaultInjectingEnv env;
  InstallerConfig config = testing::TestConfig();
  config.slots["b"] = SlotSpec{"dir", "slot-b", 0};  // no preallocated image to overwrite
  ASSERT_TRUE(Installer::Setup(&env, kDir, config).has_value());
  Bytes v1 = ImageBytes(20000, 1), v2 = ImageBytes(30000, 2);
  auto in = std::move(Installer::Open(&env, kDir).value());
  in->set_write_chunk_bytes(1000);
  ASSERT_TRUE(in->Install("fw.bin", InfoFor(v1, 1, 1), MemorySource(v1)).has_value());
  ASSERT_TRUE(in->Activate().has_value());
  ASSERT_TRUE(in->Boot().has_value());
  ASSERT_TRUE(in->Commit().has_value());
  uint64_t used = 0;
  for (const char* f :
       {"/slot-a/image", "/boot_state.json", "/slots.json", "/rollback_counter.json"}) {
    used += env.GetFileSize(std::string(kDir) + f).value();
  }
  env.SetDiskCapacity(used + 2000 + v2.size() / 3);  // room for the state, a third of the image
  auto r = in->Install("fw.bin", InfoFor(v2, 2, 2), MemorySource(v2));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_NE(r.error().message().find("slot-b/image"), std::string::npos) << r.error().message();
  in = std::move(Installer::Open(&env, kDir).value());
  EXPECT_EQ(in->Boot().value().slot, "a");
  EXPECT_FALSE(in->Activate().has_value());
  env.SetDiskCapacity(0);  // space freed
  ASSERT_TRUE(in->Install("fw.bin", InfoFor(v2, 2, 2), MemorySource(v2)).has_value());
  ASSERT_TRUE(in->Activate().has_value());
  EXPECT_EQ(in->Boot().value().slot, "b");
}

TEST(InstallerSetup, RefusesToProvisionTwiceAndMissingFilesAreErrors) {
  FaultInjectingEnv env;
  ASSERT_TRUE(Installer::Setup(&env, kDir, testing::TestConfig()).has_value());
  auto again = Installer::Setup(&env, kDir, testing::TestConfig());
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);
  ASSERT_TRUE(env.RemoveFile(std::string(kDir) + "/rollback_counter.json").has_value());
  auto open = Installer::Open(&env, kDir);
  ASSERT_FALSE(open.has_value());
  EXPECT_EQ(open.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(open.error().message().find("never read as 0"), std::string::npos);
  ASSERT_TRUE(
      env.WriteFileAtomic(std::string(kDir) + "/rollback_counter.json", ToBytes("{]")).has_value());
  open = Installer::Open(&env, kDir);
  ASSERT_FALSE(open.has_value());
  EXPECT_EQ(open.error().code(), ErrorCode::kDataLoss);
  auto missing = Installer::Open(&env, "/dev0/nothing");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

// The same cycle on the real file system: a directory slot and an image file opened like a
// block device (fixed size, written from offset 0, the tail left as it was).
TEST(InstallerPosix, FullCycleOnRealFiles) {
  std::string dir = ::testing::TempDir() + "vigil-installer-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  Env* env = Env::Default();
  ASSERT_TRUE(Installer::Setup(env, dir, testing::TestConfig(1 << 20, 2)).has_value());
  EXPECT_EQ(std::filesystem::file_size(dir + "/slot-b.img"), 1u << 20);
  auto in = std::move(Installer::Open(env, dir).value());
  Bytes v1 = ImageBytes(300000, 1), v2 = ImageBytes(700000, 2);
  ASSERT_TRUE(in->Install("fw.bin", InfoFor(v1, 1, 1), MemorySource(v1, 65536)).has_value());
  ASSERT_TRUE(in->Activate().has_value());
  ASSERT_EQ(in->Boot()->slot, "a");
  ASSERT_TRUE(in->Commit().has_value());
  ASSERT_TRUE(in->Install("fw.bin", InfoFor(v2, 2, 2), MemorySource(v2, 65536)).has_value());
  EXPECT_EQ(std::filesystem::file_size(dir + "/slot-b.img"), 1u << 20);  // keeps its size
  ASSERT_TRUE(in->Activate().has_value());
  in = std::move(Installer::Open(env, dir).value());
  ASSERT_EQ(in->Boot()->slot, "b");
  ASSERT_TRUE(in->Commit().has_value());
  in = std::move(Installer::Open(env, dir).value());
  EXPECT_EQ(in->Boot()->slot, "b");
  EXPECT_EQ(in->rollback_counter(), 2u);
  EXPECT_TRUE(in->VerifySlot("a").has_value());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::update

namespace vigil::update {
namespace {

// Issue 13 item 3: the device-side readers of the slot directory (slots.json, boot_state.json,
// the anti-rollback counter) and of trusted TUF metadata refuse an oversized file unread, in
// one line, within a stated memory bound (4 MiB), instead of reading it whole. A sparse 64 MiB
// file stands in for a damaged or planted one.
class OversizedDeviceFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "oversized_" + std::to_string(getpid());
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(Installer::Setup(Env::Default(), dir_, testing::TestConfig(64 * 1024, 3)));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  // Runs `open` in a child; true when it was refused with `message` within 4 MiB.
  template <typename F>
  void ExpectRefusedWithin4MiB(F open, const std::string& message) {
    auto mem = ::vigil::testing::PeakMemoryGrowthOfChild([&] {
      auto r = open();
      return !r && r.error().code() == ErrorCode::kResourceExhausted &&
             r.error().message() == message;
    });
    ASSERT_TRUE(mem.has_value());
    EXPECT_TRUE(mem->fn_returned_true) << message;
    EXPECT_LT(mem->growth_kib, 4 * 1024);
  }
  std::string dir_;
};

TEST_F(OversizedDeviceFileTest, BootStateAndSlotsAreRefusedUnread) {
  for (const char* name : {"boot_state.json", "slots.json"}) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(Installer::Setup(Env::Default(), dir_ + "/" + name + ".d",
                                 testing::TestConfig(64 * 1024, 3)));
    std::string d = dir_ + "/" + name + ".d";
    std::filesystem::resize_file(d + "/" + name, 64 << 20);
    ExpectRefusedWithin4MiB(
        [&] { return Installer::Open(Env::Default(), d); },
        d + "/" + name + ": 67108864 bytes, over the 64 KiB limit for a slot directory file");
  }
}

TEST_F(OversizedDeviceFileTest, AntiRollbackCounterIsRefusedUnread) {
  const std::string path = dir_ + "/rollback_counter.json";
  ASSERT_TRUE(std::filesystem::exists(path));
  std::filesystem::resize_file(path, 64 << 20);
  ExpectRefusedWithin4MiB([&] { return RollbackCounter::Open(Env::Default(), path); },
                          path +
                              ": 67108864 bytes, over the 4 KiB limit for an "
                              "anti-rollback counter");
}

}  // namespace
}  // namespace vigil::update
