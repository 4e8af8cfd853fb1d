// The attacks of the TUF paper and the conformance suite, each against our client: every test
// fails if the attack succeeds.
#include <gtest/gtest.h>

#include <filesystem>

#include "testing/nlohmann_bridge.h"
#include "test_repository.h"
#include "testing/peak_memory.h"
#include "vigil/core/env.h"
#include "vigil/update/updater.h"

namespace vigil::update {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::TestRepository;

class TufAttack : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigil_tuf_attack_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    repo_.PublishRoot();
    repo_.AddTarget("app/firmware.bin", "firmware v1");
    repo_.PublishTopLevel();
    ASSERT_TRUE(
        Updater::Initialize(Env::Default(), Meta(), repo_.fetcher.files["metadata/1.root.json"])
            .has_value());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Meta() const { return dir_ / "metadata"; }

  Result<std::unique_ptr<Updater>> NewUpdater(int64_t now = testing::kNow,
                                              uint32_t max_rotations = 256) {
    UpdaterOptions o;
    o.metadata_dir = Meta();
    o.metadata_base_url = "mem://repo/metadata";
    o.targets_base_url = "mem://repo/targets";
    o.reference_time = now;
    o.max_root_rotations = max_rotations;
    return Updater::Create(o, Env::Default(), &repo_.fetcher);
  }

  // Refresh with a fresh client; "" on success, else the error message.
  std::string Refresh(int64_t now = testing::kNow) {
    auto u = NewUpdater(now);
    if (!u) return u.error().message();
    Status s = (*u)->Refresh();
    return s ? "" : s.error().ToString();
  }

  // Refresh + download; "" on success.
  std::string Download(const std::string& path) {
    auto u = NewUpdater();
    if (!u) return u.error().message();
    auto info = (*u)->GetTargetInfo(path);
    if (!info) return info.error().ToString();
    auto local = (*u)->DownloadTarget(path, *info, dir_ / "targets");
    return local ? "" : local.error().ToString();
  }

  uint64_t TrustedVersion(const std::string& file) {
    auto bytes = Env::Default()->ReadFile(Meta() + "/" + file);
    if (!bytes) return 0;
    return nlohmann::json::parse(AsStringView(*bytes))["signed"]["version"].get<uint64_t>();
  }

  fs::path dir_;
  TestRepository repo_;
};

TEST_F(TufAttack, BaselineRefreshAndDownloadSucceed) {
  EXPECT_EQ(Refresh(), "");
  EXPECT_EQ(Download("app/firmware.bin"), "");
  EXPECT_EQ(TrustedVersion("timestamp.json"), 1u);
  EXPECT_TRUE(fs::exists(dir_ / "targets" / "app%2Ffirmware.bin"));
}

TEST_F(TufAttack, ArbitrarySoftwareSignedByUnknownKeyIsRefused) {
  ASSERT_EQ(Refresh(), "");
  testing::TestKey mallory = testing::NewKey();
  repo_.AddTarget("app/evil.bin", "evil");
  repo_.targets["version"] = 2;
  repo_.keys["targets"][0] = std::make_shared<testing::TestKey>(std::move(mallory));  // not in root
  repo_.PublishTopLevel();
  std::string err = Download("app/evil.bin");
  EXPECT_NE(err.find("targets: 0 valid signature(s)"), std::string::npos) << err;
}

TEST_F(TufAttack, TimestampRollbackIsRefused) {
  Bytes old_ts = repo_.fetcher.files["metadata/timestamp.json"];
  repo_.PublishTopLevel();
  ASSERT_EQ(Refresh(), "");
  ASSERT_EQ(TrustedVersion("timestamp.json"), 2u);
  repo_.fetcher.files["metadata/timestamp.json"] = old_ts;  // replay v1
  std::string err = Refresh();
  EXPECT_NE(err.find("timestamp: rollback refused: version 1 is below the trusted version 2"),
            std::string::npos)
      << err;
  EXPECT_EQ(TrustedVersion("timestamp.json"), 2u);
}

TEST_F(TufAttack, SnapshotAndTargetsRollbackIsRefused) {
  repo_.targets["version"] = 5;
  repo_.PublishTopLevel();
  ASSERT_EQ(Refresh(), "");
  repo_.targets["version"] = 4;  // a newer snapshot listing an older targets version
  repo_.PublishTopLevel();
  std::string err = Refresh();
  EXPECT_NE(err.find("snapshot: targets.json: rollback refused"), std::string::npos) << err;
}

TEST_F(TufAttack, FreezeWithExpiredMetadataIsRefused) {
  ASSERT_EQ(Refresh(), "");
  repo_.timestamp_expires = "2026-01-01T00:00:00Z";  // before kNow
  repo_.PublishTopLevel();
  std::string err = Refresh();
  EXPECT_NE(err.find("timestamp v2: expired"), std::string::npos) << err;
  // A fresh timestamp over an expired snapshot is a freeze as well.
  repo_.timestamp_expires = testing::kFuture;
  repo_.snapshot_expires = "2026-01-01T00:00:00Z";
  repo_.PublishTopLevel();
  err = Refresh();
  EXPECT_NE(err.find("snapshot v3: expired"), std::string::npos) << err;
  // Expired root: the reference time is past everything.
  err = Refresh(4200000000);
  EXPECT_NE(err.find("root v1: expired"), std::string::npos) << err;
}

TEST_F(TufAttack, EndlessDataIsCutAtTheLimits) {
  Bytes huge(17 * 1024, ' ');
  Bytes& ts = repo_.fetcher.files["metadata/timestamp.json"];
  ts.insert(ts.end(), huge.begin(), huge.end());
  EXPECT_NE(Refresh().find("resource_exhausted"), std::string::npos);
  repo_.PublishTopLevel();
  ASSERT_EQ(Refresh(), "");
  // A target served longer than its signed length.
  Append(repo_.fetcher.files["targets/app/firmware.bin"], ToBytes("and then some"));
  std::string err = Download("app/firmware.bin");
  EXPECT_NE(err.find("resource_exhausted"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(dir_ / "targets" / "app%2Ffirmware.bin"));
}

TEST_F(TufAttack, MixAndMatchIsRefused) {
  // The snapshot lists targets v1 but the mirror serves a validly signed targets v2.
  Bytes snap = repo_.fetcher.files["metadata/snapshot.json"];
  Bytes ts = repo_.fetcher.files["metadata/timestamp.json"];
  repo_.targets["version"] = 2;
  repo_.PublishTopLevel();
  repo_.fetcher.files["metadata/snapshot.json"] = snap;
  repo_.fetcher.files["metadata/timestamp.json"] = ts;
  std::string err = Refresh();
  EXPECT_NE(err.find("targets: expected version 1 (from snapshot), found 2"), std::string::npos)
      << err;
  // A snapshot that does not match the timestamp's hash is refused before parsing.
  repo_.PublishTopLevel();
  Bytes& s = repo_.fetcher.files["metadata/snapshot.json"];
  s[s.size() - 2] = ' ';
  err = Refresh();
  EXPECT_NE(err.find("snapshot: sha256 mismatch"), std::string::npos) << err;
}

TEST_F(TufAttack, FastForwardIsRecoveredAfterKeyRotation) {
  // Mallory holds the timestamp key and pushes the client to timestamp v1000.
  repo_.timestamp_version = 999;
  repo_.PublishTopLevel();
  ASSERT_EQ(Refresh(), "");
  ASSERT_EQ(TrustedVersion("timestamp.json"), 1000u);
  // The repository recovers at its real next version: without rotation that is a rollback...
  repo_.timestamp_version = 1;
  repo_.PublishTopLevel();
  EXPECT_NE(Refresh().find("rollback refused"), std::string::npos);
  // ...with the timestamp key rotated in root v2, the client forgets v1000 and accepts v3.
  repo_.keys["timestamp"][0] = std::make_shared<testing::TestKey>(testing::NewKey());
  repo_.root["version"] = 2;
  repo_.PublishRoot();
  repo_.timestamp_version = 2;
  repo_.PublishTopLevel();
  EXPECT_EQ(Refresh(), "");
  EXPECT_EQ(TrustedVersion("timestamp.json"), 3u);
  EXPECT_EQ(TrustedVersion("root.json"), 2u);
}

TEST_F(TufAttack, KeyCompromiseBelowThresholdIsRefused) {
  repo_.keys["targets"].push_back(std::make_shared<testing::TestKey>(testing::NewKey()));
  repo_.keys["targets"].push_back(std::make_shared<testing::TestKey>(testing::NewKey()));
  repo_.thresholds["targets"] = 2;
  repo_.root["version"] = 2;
  repo_.PublishRoot();
  repo_.targets["version"] = 2;
  repo_.PublishTopLevel();
  ASSERT_EQ(Refresh(), "");
  // Mallory has one targets key and signs v3 with it — three times, under the same key ID.
  repo_.targets["version"] = 3;
  repo_.PublishTopLevel();
  auto doc = nlohmann::json::parse(AsStringView(repo_.fetcher.files["metadata/targets.json"]));
  nlohmann::json one = doc["signatures"][0];
  doc["signatures"] = {one, one, one};
  repo_.fetcher.files["metadata/targets.json"] = ToBytes(doc.dump());
  // Refused before any signature is counted: a key ID may appear once (issue 13 item 1). The
  // threshold's own defence, one key under two IDs counting once, is Metadata's
  // TwoKeyIdsOfOneKeyCountOnce.
  std::string err = Refresh();
  EXPECT_NE(err.find("targets.json: $.signatures[1].keyid: key ID \"" +
                     repo_.keys["targets"][0]->keyid + "\" signs more than once"),
            std::string::npos)
      << err;
}

TEST_F(TufAttack, RootRotationChainNeedsOldAndNewThresholds) {
  // v2 rotates the root key: signed by the old key and the new one — accepted.
  auto old_root = repo_.keys["root"][0];
  repo_.keys["root"][0] = std::make_shared<testing::TestKey>(testing::NewKey());
  repo_.root["version"] = 2;
  repo_.PublishRoot({old_root.get()});
  // v3 signed only by its own new key, not by v2's — refused, v2 stays trusted.
  auto v2_key = repo_.keys["root"][0];
  repo_.keys["root"][0] = std::make_shared<testing::TestKey>(testing::NewKey());
  repo_.root["version"] = 3;
  repo_.PublishRoot();
  std::string err = Refresh();
  EXPECT_NE(err.find("root v3 (keys of trusted root v2): 0 valid signature(s)"), std::string::npos)
      << err;
  EXPECT_EQ(TrustedVersion("root.json"), 2u);
  // v3 properly cross-signed — accepted.
  repo_.PublishRoot({v2_key.get()});
  EXPECT_EQ(Refresh(), "");
  EXPECT_EQ(TrustedVersion("root.json"), 3u);
  // A file named 4.root.json that holds version 5: refused (exact version steps).
  repo_.root["version"] = 5;
  repo_.PublishRoot();
  repo_.fetcher.files["metadata/4.root.json"] = repo_.fetcher.files["metadata/5.root.json"];
  repo_.fetcher.files.erase("metadata/5.root.json");
  err = Refresh();
  EXPECT_NE(err.find("4.root.json: expected version 4, found 5"), std::string::npos) << err;
}

TEST_F(TufAttack, RootRotationHopsAreCapped) {
  for (int v = 2; v <= 6; ++v) {
    repo_.root["version"] = v;
    repo_.PublishRoot();
  }
  auto u = NewUpdater(testing::kNow, /*max_rotations=*/3);
  ASSERT_TRUE(u.has_value());
  ASSERT_TRUE((*u)->Refresh().has_value());
  EXPECT_EQ((*u)->trusted_root().envelope.version, 4u);
  EXPECT_EQ(Refresh(), "");
  EXPECT_EQ(TrustedVersion("root.json"), 6u);
}

TEST_F(TufAttack, MaliciousMirrorWrongContentIsRefusedAndNotStored) {
  ASSERT_EQ(Refresh(), "");
  repo_.fetcher.files["targets/app/firmware.bin"] = ToBytes("firmware v6");  // same length
  std::string err = Download("app/firmware.bin");
  EXPECT_NE(err.find("data_loss: target app/firmware.bin: sha256 mismatch"), std::string::npos)
      << err;
  repo_.fetcher.files["targets/app/firmware.bin"] = ToBytes("short");
  err = Download("app/firmware.bin");
  EXPECT_NE(err.find("expected length 11, found 5"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(dir_ / "targets" / "app%2Ffirmware.bin"));
}

TEST_F(TufAttack, CachedTargetIsNotDownloadedAgain) {
  ASSERT_EQ(Download("app/firmware.bin"), "");
  repo_.fetcher.requests.clear();
  ASSERT_EQ(Download("app/firmware.bin"), "");
  for (const auto& r : repo_.fetcher.requests)
    EXPECT_EQ(r.find("targets/"), std::string::npos) << r;
}

TEST_F(TufAttack, ConsistentSnapshotUsesVersionedAndHashedNames) {
  repo_.root["consistent_snapshot"] = true;
  repo_.root["version"] = 2;
  repo_.PublishRoot();
  repo_.PublishTopLevel();
  Bytes fw = repo_.fetcher.files["targets/app/firmware.bin"];
  repo_.fetcher.files.erase("targets/app/firmware.bin");
  repo_.fetcher.files["targets/app/" + HexEncode(crypto::Sha256(fw)) + ".firmware.bin"] = fw;
  repo_.fetcher.files.erase("metadata/snapshot.json");
  repo_.fetcher.files.erase("metadata/targets.json");
  EXPECT_EQ(Download("app/firmware.bin"), "");
}

TEST_F(TufAttack, DelegationSearchIsPreOrderAndTerminatingStops) {
  testing::TestKey ka = testing::NewKey(), kb = testing::NewKey(), kc = testing::NewKey();
  auto& a = repo_.Delegate(repo_.targets, "a", ka, {"pkg/*"}, /*terminating=*/true);
  auto& b = repo_.Delegate(repo_.targets, "b", kb, {"pkg/*"}, false);
  auto& c = repo_.Delegate(a, "c", kc, {"pkg/x*"}, false);
  repo_.AddTarget("pkg/xyz", "from c", &c);
  repo_.AddTarget("pkg/xyz", "from b", &b);
  repo_.AddTarget("pkg/only-b", "only in b", &b);
  repo_.targets["version"] = 2;
  repo_.PublishTopLevel();
  auto u = NewUpdater();
  ASSERT_TRUE(u.has_value());
  auto info = (*u)->GetTargetInfo("pkg/xyz");
  ASSERT_TRUE(info.has_value()) << info.error().message();
  EXPECT_EQ(info->length, 6u);  // c (under a) wins over b: pre-order
  // a is terminating: b is never consulted for pkg/*.
  auto miss = (*u)->GetTargetInfo("pkg/only-b");
  ASSERT_FALSE(miss.has_value());
  EXPECT_EQ(miss.error().code(), ErrorCode::kNotFound);
  // Outside a's paths, a is skipped; role b is consulted only for matching paths.
  EXPECT_FALSE((*u)->GetTargetInfo("other/file").has_value());
  EXPECT_TRUE(fs::exists(fs::path(Meta()) / "c.json"));
}

TEST_F(TufAttack, DelegatedRoleSignedByWrongKeyIsRefused) {
  testing::TestKey ka = testing::NewKey(), mallory = testing::NewKey();
  auto& a = repo_.Delegate(repo_.targets, "a", ka, {"pkg/*"}, false);
  repo_.AddTarget("pkg/p", "payload", &a);
  repo_.delegated["a"].signers = {&mallory};
  repo_.targets["version"] = 2;
  repo_.PublishTopLevel();
  std::string err = Download("pkg/p");
  EXPECT_NE(err.find("a: 0 valid signature(s)"), std::string::npos) << err;
}

// Issue 13 item 1: the specification requires unique key IDs in signatures. The repeat never
// counted twice, but the snapshot was accepted and stored; now it is refused and not stored.
TEST_F(TufAttack, RepeatedKeyIdInSignaturesIsRefusedAndNotStored) {
  ASSERT_EQ(Refresh(), "");
  ASSERT_EQ(TrustedVersion("snapshot.json"), 1u);
  repo_.repeat_snapshot_signature = true;
  repo_.PublishTopLevel();
  std::string err = Refresh();
  EXPECT_NE(err.find("snapshot.json: $.signatures[1].keyid: key ID \"" +
                     repo_.keys["snapshot"][0]->keyid + "\" signs more than once"),
            std::string::npos)
      << err;
  EXPECT_EQ(TrustedVersion("snapshot.json"), 1u);
  repo_.repeat_snapshot_signature = false;
  repo_.PublishTopLevel();
  EXPECT_EQ(Refresh(), "");
  EXPECT_EQ(TrustedVersion("snapshot.json"), 3u);
}

// Issue 13 item 2: two delegators each delegate a role named "shared", to different keys; the
// role is signed only with the key the first delegation names. Once a target was found through
// the first path, the same client trusted the cached copy on the second path without checking
// it against the second delegation's keys (a fresh client refused it).
TEST_F(TufAttack, RoleOfOneNameUnderTwoDelegatorsIsVerifiedPerPath) {
  testing::TestKey ka = testing::NewKey(), kb = testing::NewKey();
  testing::TestKey k_one = testing::NewKey(), k_two = testing::NewKey();
  auto& a = repo_.Delegate(repo_.targets, "a", ka, {"one/*"}, false);
  auto& b = repo_.Delegate(repo_.targets, "b", kb, {"two/*"}, false);
  repo_.Delegate(a, "shared", k_one, {"one/*"}, false);
  auto& shared = repo_.Delegate(b, "shared", k_two, {"two/*"}, false);
  repo_.AddTarget("one/x", "through a", &shared);
  repo_.AddTarget("two/y", "through b", &shared);
  repo_.delegated["shared"].signers = {&k_one};  // valid for a's delegation only
  repo_.targets["version"] = 2;
  repo_.PublishTopLevel();
  auto u = NewUpdater();
  ASSERT_TRUE(u.has_value());
  auto first = (*u)->GetTargetInfo("one/x");
  ASSERT_TRUE(first.has_value()) << first.error().message();
  auto second = (*u)->GetTargetInfo("two/y");
  ASSERT_FALSE(second.has_value()) << "a copy verified under a was trusted under b";
  EXPECT_NE(second.error().message().find("shared: 0 valid signature(s)"), std::string::npos)
      << second.error().message();
  // A fresh client agrees: the walk order does not change the verdict.
  auto fresh = NewUpdater();
  ASSERT_TRUE(fresh.has_value());
  EXPECT_FALSE((*fresh)->GetTargetInfo("two/y").has_value());
}

// Issue 13 item 3: trusted metadata on the device is read within its role's download limit. An
// oversized root is refused unread within 4 MiB; an oversized local snapshot is simply not
// trusted, and downloaded again.
TEST_F(TufAttack, OversizedTrustedMetadataIsRefusedUnread) {
  ASSERT_EQ(Refresh(), "");
  fs::resize_file(fs::path(Meta()) / "snapshot.json", 64 << 20);
  EXPECT_EQ(Refresh(), "");
  EXPECT_EQ(TrustedVersion("snapshot.json"), 1u);
  fs::resize_file(fs::path(Meta()) / "root.json", 64 << 20);
  auto mem = ::vigil::testing::PeakMemoryGrowthOfChild([&] {
    auto u = NewUpdater();
    return !u && u.error().code() == ErrorCode::kResourceExhausted &&
           u.error().message() == Meta() +
                                      "/root.json: 67108864 bytes, over the 512 KiB limit "
                                      "for trusted TUF metadata";
  });
  ASSERT_TRUE(mem.has_value());
  EXPECT_TRUE(mem->fn_returned_true);
  EXPECT_LT(mem->growth_kib, 4 * 1024);
}

TEST_F(TufAttack, PathHashPrefixesAndVisitedRoleCap) {
  std::vector<testing::TestKey> keys;
  for (int i = 0; i < 40; ++i) keys.push_back(testing::NewKey());
  // A chain r0 → r1 → ... → r39 (each matching everything); the target sits at the end.
  json* parent = &repo_.targets;
  for (int i = 0; i < 40; ++i) {
    parent = &repo_.Delegate(*parent, "r" + std::to_string(i), keys[i],
                             json::array({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a",
                                          "b", "c", "d", "e", "f"}),
                             false, /*hash_prefixes=*/true);
  }
  repo_.AddTarget("deep/file", "deep", parent);
  repo_.targets["version"] = 2;
  repo_.PublishTopLevel();
  std::string err = Download("deep/file");
  EXPECT_NE(err.find("cap of 32 visited roles"), std::string::npos) << err;
}

TEST_F(TufAttack, HybridPostQuantumKeysSignTopLevelRoles) {
  // Root and targets signed with ML-DSA-65+Ed25519 composite keys.
  auto hybrid = [] {
    auto k = std::make_shared<testing::TestKey>();
    k->key = std::move(crypto::GenerateSigningKey(crypto::AlgorithmId::kMlDsa65Ed25519).value());
    k->key_json = testing::ToNlohmann(TufKey::ToJson(*k->key->PublicKey()).value());
    k->keyid = HexEncode(
        crypto::Sha256(AsBytes(CanonicalJson(testing::FromNlohmann(k->key_json)).value())));
    return k;
  };
  auto old_root = repo_.keys["root"][0];
  repo_.keys["root"][0] = hybrid();
  repo_.keys["targets"][0] = hybrid();
  repo_.root["version"] = 2;
  repo_.PublishRoot({old_root.get()});
  repo_.targets["version"] = 2;
  repo_.PublishTopLevel();
  EXPECT_EQ(Download("app/firmware.bin"), "");
  EXPECT_EQ(TrustedVersion("targets.json"), 2u);
}

}  // namespace
}  // namespace vigil::update
