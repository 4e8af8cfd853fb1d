// Power loss at every write and fsync point of a refresh (root rotation, timestamp, snapshot,
// targets, delegated role all replaced): whatever survives must be a trusted state from which a
// fresh client refreshes successfully to the same versions — never a torn or mixed file.
#include <gtest/gtest.h>

#include "test_repository.h"
#include "vigil/core/fault_env.h"
#include "vigil/update/updater.h"

namespace vigil::update {
namespace {

using nlohmann::json;

UpdaterOptions Options() {
  UpdaterOptions o;
  o.metadata_dir = "/dev0/tuf";
  o.metadata_base_url = "mem://repo/metadata";
  o.targets_base_url = "mem://repo/targets";
  o.reference_time = testing::kNow;
  return o;
}

Status RefreshWith(Env* env, Fetcher* fetcher) {
  VIGIL_ASSIGN_OR_RETURN(auto updater, Updater::Create(Options(), env, fetcher));
  VIGIL_RETURN_IF_ERROR(updater->Refresh());
  auto info = updater->GetTargetInfo("pkg/p");
  if (!info) return info.error();
  if (updater->trusted_root().envelope.version != 2) return InternalError("root not at v2");
  return OkStatus();
}

TEST(TufPowerLoss, EveryCrashPointLeavesARecoverableTrustedState) {
  testing::TestRepository repo;
  repo.PublishRoot();
  testing::TestKey ka = testing::NewKey();
  json& a = repo.Delegate(repo.targets, "a", ka, {"pkg/*"}, false);
  repo.AddTarget("pkg/p", "payload", &a);
  repo.PublishTopLevel();

  FaultInjectingEnv env;
  ASSERT_TRUE(
      Updater::Initialize(&env, Options().metadata_dir, repo.fetcher.files["metadata/1.root.json"])
          .has_value());
  ASSERT_TRUE(RefreshWith(&env, &repo.fetcher).error().message().find("root not at v2") !=
              std::string::npos);
  // Everything changes: root v2 rotates the timestamp key, new snapshot/targets/delegation.
  repo.keys["timestamp"][0] = std::make_shared<testing::TestKey>(testing::NewKey());
  repo.root["version"] = 2;
  repo.PublishRoot();
  repo.targets["version"] = 2;
  a["version"] = 2;
  repo.PublishTopLevel();

  int points = 0, failures = 0;
  env.SetPowerLossObserver([&](FaultInjectingEnv& image) {
    ++points;
    Status s = RefreshWith(&image, &repo.fetcher);
    if (!s) {
      ++failures;
      ADD_FAILURE() << "crash point " << points << ": " << s.error().message();
    }
  });
  Status s = RefreshWith(&env, &repo.fetcher);
  env.SetPowerLossObserver(nullptr);
  ASSERT_TRUE(s.has_value()) << s.error().message();
  std::printf("power loss: %d crash points checked, %d failures\n", points, failures);
  EXPECT_GT(points, 20);
}

}  // namespace
}  // namespace vigil::update
