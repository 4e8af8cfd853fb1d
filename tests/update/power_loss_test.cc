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

// Publishes root v1 and top-level metadata delegating "pkg/*" to role "a" (key `ka`), which
// lists pkg/p with `content`. Returns role a's document for later versions.
json& PublishWithDelegation(testing::TestRepository& repo, const testing::TestKey& ka,
                            const std::string& content) {
  repo.PublishRoot();
  json& a = repo.Delegate(repo.targets, "a", ka, {"pkg/*"}, false);
  repo.AddTarget("pkg/p", content, &a);
  repo.PublishTopLevel();
  return a;
}

// Runs a refresh that replaces everything, checking a recovery refresh at every crash point;
// with `tear`, unsynced bytes survive as a torn prefix instead of vanishing.
void SweepEveryCrashPoint(bool tear) {
  testing::TestRepository repo;
  testing::TestKey ka = testing::NewKey();
  json& a = PublishWithDelegation(repo, ka, "payload");

  FaultInjectingEnv env;
  env.TearWrites(tear);
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
  std::printf("power loss%s: %d crash points checked, %d failures\n", tear ? " (torn)" : "", points,
              failures);
  EXPECT_GT(points, 20);
}

TEST(TufPowerLoss, EveryCrashPointLeavesARecoverableTrustedState) { SweepEveryCrashPoint(false); }

TEST(TufPowerLoss, EveryCrashPointWithTornWritesLeavesARecoverableTrustedState) {
  SweepEveryCrashPoint(true);
}

uint64_t VersionOf(FaultInjectingEnv& env, const std::string& file) {
  auto bytes = env.ReadFile(Options().metadata_dir + "/" + file);
  if (!bytes) return 0;
  auto doc = json::parse(bytes->begin(), bytes->end(), nullptr, false);
  if (doc.is_discarded() || !doc.contains("signed")) return 0;
  return doc["signed"].value("version", 0u);
}

// Targets roles are written without fsync (Updater::PersistVerifiedCopy); the rollback anchors
// are synced. A power cut right after a completed refresh may therefore lose or tear the local
// targets copies, but must keep timestamp and snapshot at their new versions: a replayed older
// timestamp is still refused, and the client recovers by downloading the lost roles again.
TEST(TufPowerLoss, LostTargetsCopiesAreDownloadedAgainWhileRollbackAnchorsSurvive) {
  testing::TestRepository repo;
  testing::TestKey ka = testing::NewKey();
  json& a = PublishWithDelegation(repo, ka, "payload v1");
  const Bytes timestamp_v1 = repo.fetcher.files["metadata/timestamp.json"];

  FaultInjectingEnv env;
  env.TearWrites(true);
  ASSERT_TRUE(
      Updater::Initialize(&env, Options().metadata_dir, repo.fetcher.files["metadata/1.root.json"])
          .has_value());
  auto lookup = [&]() -> Result<TargetFile> {
    VIGIL_ASSIGN_OR_RETURN(auto updater, Updater::Create(Options(), &env, &repo.fetcher));
    return updater->GetTargetInfo("pkg/p");
  };
  ASSERT_TRUE(lookup().has_value());
  repo.targets["version"] = 2;
  a["version"] = 2;
  repo.AddTarget("pkg/p", "payload v2", &a);
  repo.PublishTopLevel();
  ASSERT_TRUE(lookup().has_value());
  const Bytes a_v2 = repo.fetcher.files["metadata/a.json"];
  ASSERT_EQ(env.ReadFile(Options().metadata_dir + "/a.json").value(), a_v2);

  env.SimulatePowerLoss();
  // The anchors are durable; the unsynced copy of the delegated role is not what was written.
  EXPECT_EQ(VersionOf(env, "timestamp.json"), 2u);
  EXPECT_EQ(VersionOf(env, "snapshot.json"), 2u);
  auto a_after = env.ReadFile(Options().metadata_dir + "/a.json");
  EXPECT_TRUE(!a_after || *a_after != a_v2);

  repo.fetcher.files["metadata/timestamp.json"] = timestamp_v1;
  auto replayed = lookup();
  ASSERT_FALSE(replayed.has_value());
  EXPECT_NE(replayed.error().message().find("timestamp: rollback refused"), std::string::npos)
      << replayed.error().message();

  repo.PublishTopLevel();  // timestamp v3, same roles
  auto info = lookup();
  ASSERT_TRUE(info.has_value()) << info.error().message();
  auto v2_digest = crypto::Sha256(ToBytes("payload v2"));
  EXPECT_EQ(info->hashes.at("sha256"), Bytes(v2_digest.begin(), v2_digest.end()));
  EXPECT_EQ(env.ReadFile(Options().metadata_dir + "/a.json").value(), a_v2);
}

}  // namespace
}  // namespace vigil::update
