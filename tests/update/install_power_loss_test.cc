// Power loss at every write and fsync point of a whole update — TUF refresh (metadata
// persisted), target streamed from the repository into the inactive slot, activation, trial
// boot, health check and commit — and of a failing update (trial boots, automatic fallback,
// explicit rollback). After every cut the device must boot a verified image not below the
// anti-rollback counter (testing::CheckBootInvariant), and then still be able to finish the
// update from where it stands.
#include <gtest/gtest.h>

#include "testing/nlohmann_bridge.h"
#include "test_repository.h"
#include "update/install_fixture.h"
#include "vigil/core/fault_env.h"
#include "vigil/update/installer.h"
#include "vigil/update/updater.h"

namespace vigil::update {
namespace {

using testing::CheckBootInvariant;
using testing::ImageBytes;
using testing::InfoFor;
using testing::MemorySource;

constexpr const char* kSlots = "/dev0/slots";
constexpr const char* kTarget = "pump/fw.bin";

UpdaterOptions Options() {
  UpdaterOptions o;
  o.metadata_dir = "/dev0/tuf";
  o.metadata_base_url = "mem://repo/metadata";
  o.targets_base_url = "mem://repo/targets";
  o.reference_time = testing::kNow;
  return o;
}

// What the device's update agent does at every start: boot; a running trial is health-checked
// (`healthy`) and committed; otherwise, unless release `want` is committed, refresh, stream the
// target into the inactive slot, arm the trial, reboot and check again.
Status Converge(Env* env, Fetcher* fetcher, uint64_t want, bool healthy) {
  for (int round = 0; round < 6; ++round) {
    VIGIL_ASSIGN_OR_RETURN(auto in, Installer::Open(env, kSlots));
    in->set_write_chunk_bytes(4096);
    VIGIL_ASSIGN_OR_RETURN(BootDecision boot, in->Boot());
    if (boot.trial) {
      Status h = in->ConfirmHealth(
          [&] { return healthy ? OkStatus() : UnavailableError("alarm self-test failed"); });
      if (!h && healthy) return h;
      continue;  // reboot
    }
    const SlotRecord& committed = in->state().slots.at(*in->state().committed);
    if (committed.release == want || !boot.fallback.empty()) return OkStatus();
    VIGIL_ASSIGN_OR_RETURN(auto updater, Updater::Create(Options(), env, fetcher));
    VIGIL_RETURN_IF_ERROR(updater->Refresh());
    VIGIL_ASSIGN_OR_RETURN(TargetFile info, updater->GetTargetInfo(kTarget));
    auto installed = in->Install(
        kTarget, info, FetchSource(fetcher, updater->TargetUrl(kTarget, info), info.length));
    if (!installed) return installed.error();
    VIGIL_RETURN_IF_ERROR(in->Activate());
  }
  return InternalError("update did not converge in 6 boots");
}

class InstallPowerLossTest : public ::testing::Test {
 protected:
  // A device running release 1 (security version 1) in slot a, trusting the repository, which
  // publishes release 2 (security version 2).
  void Provision(FaultInjectingEnv& env) {
    ASSERT_TRUE(Installer::Setup(&env, kSlots, testing::TestConfig(64 * 1024, 3)).has_value());
    auto in = std::move(Installer::Open(&env, kSlots).value());
    ASSERT_TRUE(in->Install(kTarget, InfoFor(v1_, 1, 1), MemorySource(v1_)).has_value());
    ASSERT_TRUE(in->Activate().has_value());
    ASSERT_TRUE(in->Boot().has_value());
    ASSERT_TRUE(in->Commit().has_value());
    ASSERT_TRUE(Updater::Initialize(&env, Options().metadata_dir,
                                    repo_.fetcher.files["metadata/1.root.json"])
                    .has_value());
  }
  void Publish(const Bytes& data, uint64_t release, uint64_t sv) {
    repo_.AddTarget(kTarget, std::string(data.begin(), data.end()));
    repo_.targets["targets"][kTarget]["custom"] =
        testing::ToNlohmann(testing::VigilCustom(release, sv));
    repo_.targets["version"] = repo_.targets["version"].get<int>() + 1;
    repo_.PublishTopLevel();
  }
  void SetUp() override {
    repo_.PublishRoot();
    Publish(v2_, 2, 2);
  }

  // Committed release and counter after whatever `env` holds now.
  std::pair<uint64_t, uint64_t> CommittedRelease(Env* env) {
    auto in = std::move(Installer::Open(env, kSlots).value());
    return {in->state().slots.at(*in->state().committed).release, in->rollback_counter()};
  }

  update::testing::TestRepository repo_;
  Bytes v1_ = ImageBytes(40000, 1), v2_ = ImageBytes(50000, 2), v3_ = ImageBytes(45000, 3);
};

TEST_F(InstallPowerLossTest, EveryCrashPointOfAnUpdateBootsAVerifiedImageAndCanFinish) {
  for (bool torn : {false, true}) {
    FaultInjectingEnv env(torn ? 7 : 1);
    Provision(env);
    env.TearWrites(torn);
    int points = 0;
    uint64_t min_counter = 1;
    bool committed = false;
    env.SetPowerLossObserver([&](FaultInjectingEnv& image) {
      ++points;
      std::string booted;
      std::string broken = CheckBootInvariant(&image, kSlots, min_counter, &booted);
      if (!broken.empty()) {
        ADD_FAILURE() << "torn=" << torn << " crash point " << points << ": " << broken;
        return;
      }
      if (committed && booted != "b") ADD_FAILURE() << "point " << points << ": commit lost";
      Status s = Converge(&image, &repo_.fetcher, 2, true);
      auto [release, counter] = CommittedRelease(&image);
      if (!s || release != 2 || counter != 2) {
        ADD_FAILURE() << "torn=" << torn << " crash point " << points << ": cannot finish ("
                      << (s ? "" : s.error().message()) << ") release " << release;
      }
    });
    // The update, step by step, so the checker knows what has been promised.
    auto in = std::move(Installer::Open(&env, kSlots).value());
    in->set_write_chunk_bytes(4096);
    auto updater = std::move(Updater::Create(Options(), &env, &repo_.fetcher).value());
    ASSERT_TRUE(updater->Refresh().has_value());
    TargetFile info = updater->GetTargetInfo(kTarget).value();
    ASSERT_TRUE(
        in->Install(kTarget, info,
                    FetchSource(&repo_.fetcher, updater->TargetUrl(kTarget, info), info.length))
            .has_value());
    ASSERT_TRUE(in->Activate().has_value());
    ASSERT_TRUE(in->Boot().value().trial);
    ASSERT_TRUE(in->ConfirmHealth([] { return OkStatus(); }).has_value());
    committed = true;
    min_counter = 2;
    ASSERT_TRUE(in->Boot().has_value());
    env.SetPowerLossObserver(nullptr);
    std::printf("update power loss (torn=%d): %d crash points checked\n", torn, points);
    EXPECT_GT(points, 40);
    EXPECT_EQ(CommittedRelease(&env), std::make_pair(uint64_t{2}, uint64_t{2}));
  }
}

TEST_F(InstallPowerLossTest, EveryCrashPointOfAFailingUpdateFallsBackToTheCommittedImage) {
  FaultInjectingEnv env;
  Provision(env);
  ASSERT_TRUE(Converge(&env, &repo_.fetcher, 2, true).has_value());
  Publish(v3_, 3, 3);  // release 3 fails its health check on this device
  env.TearWrites(true);
  int points = 0;
  env.SetPowerLossObserver([&](FaultInjectingEnv& image) {
    ++points;
    std::string booted;
    std::string broken = CheckBootInvariant(&image, kSlots, 2, &booted);
    if (!broken.empty()) {
      ADD_FAILURE() << "crash point " << points << ": " << broken;
      return;
    }
    // However far the failing update got, the device ends on release 2, counter 2.
    Status s = Converge(&image, &repo_.fetcher, 3, false);
    auto [release, counter] = CommittedRelease(&image);
    if (!s || release != 2 || counter != 2) {
      ADD_FAILURE() << "crash point " << points << ": after fallback release " << release
                    << " counter " << counter << (s ? "" : " " + s.error().message());
    }
  });
  ASSERT_TRUE(Converge(&env, &repo_.fetcher, 3, false).has_value());
  // Then an explicit rollback of a second attempt.
  auto in = std::move(Installer::Open(&env, kSlots).value());
  auto updater = std::move(Updater::Create(Options(), &env, &repo_.fetcher).value());
  TargetFile info = updater->GetTargetInfo(kTarget).value();
  ASSERT_TRUE(
      in->Install(kTarget, info,
                  FetchSource(&repo_.fetcher, updater->TargetUrl(kTarget, info), info.length))
          .has_value());
  ASSERT_TRUE(in->Activate().has_value());
  ASSERT_EQ(in->Boot().value().slot, "a");
  ASSERT_TRUE(in->Rollback().has_value());
  ASSERT_EQ(in->Boot().value().slot, "b");
  env.SetPowerLossObserver(nullptr);
  std::printf("failing update power loss: %d crash points checked\n", points);
  EXPECT_GT(points, 40);
  EXPECT_EQ(CommittedRelease(&env), std::make_pair(uint64_t{2}, uint64_t{2}));
}

// The running process itself hits the cut (its handles die, its own error paths run), at each
// mutation in turn; after the power comes back the device boots and finishes the update.
TEST_F(InstallPowerLossTest, InterruptedRunAtEachPointRecoversAndFinishes) {
  uint64_t total = 0;
  {
    FaultInjectingEnv env;
    Provision(env);
    uint64_t before = env.mutation_count();
    ASSERT_TRUE(Converge(&env, &repo_.fetcher, 2, true).has_value());
    total = env.mutation_count() - before;
  }
  ASSERT_GT(total, 20u);
  for (uint64_t n = 1; n <= total; ++n) {
    FaultInjectingEnv env(n);
    Provision(env);
    env.TearWrites(n % 2 == 0);
    env.CrashAfter(n);
    EXPECT_FALSE(Converge(&env, &repo_.fetcher, 2, true).has_value()) << "crash at " << n;
    env.SimulatePowerLoss();
    std::string broken = CheckBootInvariant(&env, kSlots, 1);
    ASSERT_EQ(broken, "") << "crash at " << n;
    Status s = Converge(&env, &repo_.fetcher, 2, true);
    ASSERT_TRUE(s.has_value()) << "crash at " << n << ": " << s.error().message();
    EXPECT_EQ(CommittedRelease(&env), std::make_pair(uint64_t{2}, uint64_t{2})) << n;
  }
}

}  // namespace
}  // namespace vigil::update
