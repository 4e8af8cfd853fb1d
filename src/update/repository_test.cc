// Repository tooling, checked through our own TUF client: every published tree must be accepted
// by Updater, and every refusal must name what is missing.
#include "vigil/update/repository.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "testing/nlohmann_bridge.h"
#include "vigil/core/encoding.h"
#include "vigil/crypto/hash.h"
#include "vigil/crypto/key_file.h"
#include "vigil/crypto/pq/composite.h"
#include "vigil/update/canonical_json.h"
#include "vigil/update/release_policy.h"
#include "vigil/update/updater.h"

namespace vigil::update {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int64_t kNow = 1800000000;  // 2027-01-15

class RepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigil_repo_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "keys");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A private key file of `alg` (its public half at <name>.pub) loaded as a RepoKey.
  RepoKey Key(const std::string& name, crypto::AlgorithmId alg = crypto::AlgorithmId::kEd25519) {
    std::string path = dir_ / "keys" / (name + ".pem");
    auto key = crypto::GenerateSigningKey(alg).value();
    EXPECT_TRUE(crypto::WritePrivateKeyFile(*Env::Default(), path, *key).has_value());
    EXPECT_TRUE(
        crypto::WritePublicKeyFile(*Env::Default(), path + ".pub", *key->PublicKey()).has_value());
    return LoadRepoKey(Env::Default(), path).value();
  }
  RepoKey Public(const RepoKey& k) { return LoadRepoKey(Env::Default(), k.path + ".pub").value(); }

  std::string Repo() const { return dir_ / "repo"; }

  Repository InitRepo(std::vector<RepoKey> root, uint32_t threshold = 1) {
    RepoInitOptions o;
    o.root_keys = std::move(root);
    o.root_threshold = threshold;
    o.role_keys["targets"] = {Key("targets")};
    o.role_keys["snapshot"] = {Key("snapshot", crypto::AlgorithmId::kEcdsaP256Sha256)};
    o.role_keys["timestamp"] = {Key("timestamp")};
    auto repo = Repository::Init(Env::Default(), Repo(), o, kNow);
    EXPECT_TRUE(repo.has_value()) << repo.error().ToString();
    EXPECT_TRUE(repo->Save().has_value());
    return std::move(*repo);
  }

  // A fresh client trusting public/metadata/1.root.json on first use.
  Result<std::unique_ptr<Updater>> Client(int64_t now = kNow + 60) {
    std::string meta = dir_ / "client";
    if (!fs::exists(meta)) {
      auto root = Env::Default()->ReadFile(Repo() + "/public/metadata/1.root.json");
      if (!root) return root.error();
      VIGIL_RETURN_IF_ERROR(Updater::Initialize(Env::Default(), meta, *root));
    }
    fetcher_ = NewFileFetcher(Env::Default());
    UpdaterOptions o;
    o.metadata_dir = meta;
    o.metadata_base_url = Repo() + "/public/metadata";
    o.targets_base_url = Repo() + "/public/targets";
    o.reference_time = now;
    return Updater::Create(o, Env::Default(), fetcher_.get());
  }

  // "" if the client downloads `target` with `content`, else the error.
  std::string Fetch(const std::string& target, const std::string& content,
                    int64_t now = kNow + 60) {
    auto u = Client(now);
    if (!u) return u.error().ToString();
    auto info = (*u)->GetTargetInfo(target);
    if (!info) return info.error().ToString();
    auto local = (*u)->DownloadTarget(target, *info, dir_ / "downloads");
    if (!local) return local.error().ToString();
    auto bytes = Env::Default()->ReadFile(*local);
    return bytes && AsStringView(*bytes) == content ? "" : "content differs";
  }

  fs::path dir_;
  std::unique_ptr<Fetcher> fetcher_;
};

TEST_F(RepositoryTest, PublishedRepositoryIsAcceptedByTheClient) {
  Repository repo = InitRepo({Key("root")});
  ASSERT_TRUE(repo.AddTarget("targets", "app/pump-1.0.bin", AsBytes("firmware 1.0"), nullptr, kNow)
                  .has_value());
  auto report = repo.Publish(kNow);
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_EQ(report->target_files, 1u);
  EXPECT_EQ(Fetch("app/pump-1.0.bin", "firmware 1.0"), "");
  // Consistent snapshots: versioned metadata, hash-prefixed targets.
  for (const char* f :
       {"1.root.json", "root.json", "1.targets.json", "1.snapshot.json", "timestamp.json"}) {
    EXPECT_TRUE(fs::exists(Repo() + "/public/metadata/" + f)) << f;
  }
  EXPECT_EQ(fs::directory_iterator(Repo() + "/public/targets/app")->path().filename().string(),
            HexEncode(crypto::Sha256(AsBytes("firmware 1.0"))) + ".pump-1.0.bin");
}

// Issue 19 item 7: custom.vigil is read at add time by the installer's own reader, so a
// release every device would refuse is never staged; other custom fields stay free.
TEST_F(RepositoryTest, AddTargetRefusesACustomVigilTheDeviceWouldRefuse) {
  Repository repo = InitRepo({Key("root")});
  for (const char* bad :
       {R"({"vigil": {"release": "two", "security_version": 1}})", R"({"vigil": {"release": 2}})",
        R"({"vigil": []})", R"({"vigil": {"release": 0, "security_version": 1}})"}) {
    vigil::json::Value custom = ParseStrictJson(bad, "--custom").value();
    auto added = repo.AddTarget("targets", "fw.bin", AsBytes("fw"), custom, kNow);
    ASSERT_FALSE(added.has_value()) << bad;
    EXPECT_EQ(added.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(added.error().message().find("add-target: target \"fw.bin\""), std::string::npos)
        << added.error().message();
    EXPECT_NE(added.error().message().find("custom.vigil"), std::string::npos)
        << added.error().message();
    // What the installer says about the same field, word for word.
    auto device = TargetRelease::FromCustom(custom, "fw.bin");
    ASSERT_FALSE(device.has_value());
    EXPECT_EQ(added.error().message(), "add-target: " + device.error().message());
  }
  EXPECT_FALSE(fs::exists(Repo() + "/staged-targets/fw.bin"));
  for (const char* good :
       {R"({"vigil": {"release": 2, "security_version": 1}})", R"({"hardware": "rev3"})"}) {
    vigil::json::Value custom = ParseStrictJson(good, "--custom").value();
    EXPECT_TRUE(repo.AddTarget("targets", "fw.bin", AsBytes("fw"), custom, kNow).has_value())
        << good;
  }
}

TEST_F(RepositoryTest, DefaultExpiriesAndOneVersionBumpPerPublish) {
  Repository repo = InitRepo({Key("root")});
  ASSERT_TRUE(repo.Publish(kNow).has_value());
  auto expires = [&](const char* file) {
    auto bytes = Env::Default()->ReadFile(Repo() + "/public/metadata/" + file).value();
    auto doc = testing::ToNlohmann(ParseStrictJson(AsStringView(bytes), file).value());
    return ParseTufTime(doc["signed"]["expires"].get<std::string>()).value() - kNow;
  };
  EXPECT_EQ(expires("1.root.json"), 365 * 86400);
  EXPECT_EQ(expires("1.targets.json"), 90 * 86400);
  EXPECT_EQ(expires("1.snapshot.json"), 7 * 86400);
  EXPECT_EQ(expires("timestamp.json"), 86400);
  for (const char* t : {"a.bin", "b.bin"}) {
    ASSERT_TRUE(repo.AddTarget("targets", t, AsBytes(t), nullptr, kNow).has_value());
  }
  auto report = repo.Publish(kNow);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->versions["targets"], 2u);
  EXPECT_EQ(report->versions["root"], 1u);
  EXPECT_EQ(report->versions["snapshot"], 2u);
  EXPECT_EQ(report->versions["timestamp"], 2u);
  EXPECT_EQ(Fetch("b.bin", "b.bin"), "");
}

TEST_F(RepositoryTest, RootThresholdIsMetAcrossSeparateSignings) {
  RepoKey a = Key("root-a"), b = Key("root-b");
  Repository repo = InitRepo({a, Public(b)}, 2);
  auto refused = repo.Publish(kNow);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), ErrorCode::kUnauthenticated);
  const std::string& m = refused.error().message();
  EXPECT_NE(m.find("root v1"), std::string::npos) << m;
  EXPECT_NE(m.find("threshold 2"), std::string::npos) << m;
  EXPECT_NE(m.find("1 valid signature"), std::string::npos) << m;
  EXPECT_NE(m.find(a.keyid.substr(0, 16)), std::string::npos) << m;
  EXPECT_FALSE(fs::exists(Repo() + "/public/metadata/timestamp.json"));  // nothing written
  // The second key holder signs in a separate invocation (reopened repository).
  auto reopened = Repository::Open(Env::Default(), Repo());
  ASSERT_TRUE(reopened.has_value());
  ASSERT_TRUE(reopened->Sign("root", b).has_value());
  ASSERT_TRUE(reopened->Save().has_value());
  auto again = Repository::Open(Env::Default(), Repo());
  ASSERT_TRUE(again->Publish(kNow).has_value());
  EXPECT_EQ(Fetch("none", ""), "not_found: none: no trusted targets role lists this target");
}

TEST_F(RepositoryTest, RootKeysAreNeverStored) {
  RepoKey root = Key("root");
  InitRepo({root});
  auto state = Env::Default()->ReadFile(Repo() + "/repo.json").value();
  EXPECT_EQ(AsStringView(state).find(root.path), std::string_view::npos);
  EXPECT_EQ(AsStringView(state).find(root.keyid), std::string_view::npos);
  EXPECT_NE(AsStringView(state).find("timestamp.pem"), std::string_view::npos);
  // A root key may not double as an online key.
  RepoInitOptions o;
  o.root_keys = {root};
  o.role_keys["targets"] = {root};
  o.role_keys["snapshot"] = {Key("s")};
  o.role_keys["timestamp"] = {Key("t")};
  auto bad = Repository::Init(Env::Default(), (dir_ / "other").string(), o, kNow);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("root keys must stay offline"), std::string::npos);
}

TEST_F(RepositoryTest, RootRotationNeedsOldAndNewThresholds) {
  RepoKey old_key = Key("root-old"), new_key = Key("root-new");
  Repository repo = InitRepo({old_key});
  ASSERT_TRUE(repo.AddTarget("targets", "fw.bin", AsBytes("v1"), nullptr, kNow).has_value());
  ASSERT_TRUE(repo.Publish(kNow).has_value());
  ASSERT_EQ(Fetch("fw.bin", "v1"), "");
  RotateOptions r;
  r.role = "root";
  r.add = {new_key};
  r.remove = {old_key.keyid};
  r.signers = {new_key};
  ASSERT_TRUE(repo.Rotate(r, kNow).has_value());
  auto refused = repo.Publish(kNow);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message().find("root v2 (root keys of the published root v1)"),
            std::string::npos)
      << refused.error().message();
  ASSERT_TRUE(repo.Sign("root", old_key).has_value());  // allowed: a key of the published root
  ASSERT_TRUE(repo.Publish(kNow).has_value());
  auto u = Client();
  ASSERT_TRUE(u.has_value());
  ASSERT_TRUE((*u)->Refresh().has_value());
  EXPECT_EQ((*u)->trusted_root().envelope.version, 2u);
  EXPECT_EQ((*u)->trusted_root().roles.at("root").keyids, std::vector<std::string>{new_key.keyid});
  EXPECT_TRUE(fs::exists(Repo() + "/public/metadata/2.root.json"));
}

TEST_F(RepositoryTest, TimestampKeyRotationReSignsWithTheNewOnlineKey) {
  RepoKey root = Key("root");
  Repository repo = InitRepo({root});
  ASSERT_TRUE(repo.Publish(kNow).has_value());
  ASSERT_EQ(Fetch("x", ""), "not_found: x: no trusted targets role lists this target");
  auto old_ts = LoadRepoKey(Env::Default(), (dir_ / "keys" / "timestamp.pem").string()).value();
  RotateOptions r;
  r.role = "timestamp";
  r.add = {Key("timestamp-2")};
  r.remove = {old_ts.keyid};
  r.signers = {root};
  ASSERT_TRUE(repo.Rotate(r, kNow).has_value());
  fs::remove(old_ts.path);  // the compromised key is gone; publishing must not need it
  ASSERT_TRUE(repo.Publish(kNow).has_value());
  auto u = Client();
  ASSERT_TRUE((*u)->Refresh().has_value());
  EXPECT_EQ((*u)->trusted_root().roles.at("timestamp").keyids[0], r.add[0].keyid);
}

TEST_F(RepositoryTest, DelegationsWithPathsAndTerminatingRoles) {
  Repository repo = InitRepo({Key("root")});
  DelegationOptions d;
  d.name = "pump-firmware";
  d.keys = {Key("pump")};
  d.paths = {"pump/*"};
  d.terminating = true;
  ASSERT_TRUE(repo.Delegate(d, kNow).has_value());
  DelegationOptions late;
  late.name = "late";
  late.keys = {Key("late")};
  late.paths = {"pump/*"};
  ASSERT_TRUE(repo.Delegate(late, kNow).has_value());
  ASSERT_TRUE(repo.AddTarget("pump-firmware", "pump/fw-2.bin", AsBytes("fw2"),
                             testing::FromNlohmann(json{{"hw", 3}}), kNow)
                  .has_value());
  ASSERT_TRUE(
      repo.AddTarget("late", "pump/other.bin", AsBytes("other"), nullptr, kNow).has_value());
  auto outside = repo.AddTarget("pump-firmware", "monitor/fw.bin", AsBytes("x"), nullptr, kNow);
  ASSERT_FALSE(outside.has_value());
  EXPECT_NE(outside.error().message().find("not trusted for \"monitor/fw.bin\""),
            std::string::npos);
  ASSERT_TRUE(repo.Publish(kNow).has_value());
  EXPECT_EQ(Fetch("pump/fw-2.bin", "fw2"), "");
  // The terminating role ends the search before "late" is consulted.
  auto u = Client();
  auto info = (*u)->GetTargetInfo("pump/other.bin");
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().code(), ErrorCode::kNotFound);
}

// Replaces the signatures of a published metadata file with one by `key` over its signed part.
void ResignPublished(const std::string& path, const RepoKey& key) {
  auto bytes = Env::Default()->ReadFile(path).value();
  json doc = testing::ToNlohmann(ParseStrictJson(AsStringView(bytes), path).value());
  std::string canonical = CanonicalJson(testing::FromNlohmann(doc["signed"])).value();
  Bytes sig = key.signer->Sign(AsBytes(canonical)).value();
  doc["signatures"] = json::array({{{"keyid", key.keyid}, {"sig", HexEncode(sig)}}});
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(path, AsBytes(doc.dump())).has_value());
}

TEST_F(RepositoryTest, DelegatedRoleRotationIsFollowedByAClientThatTrustedTheOldKey) {
  Repository repo = InitRepo({Key("root")});
  RepoKey old_key = Key("pump-old"), new_key = Key("pump-new");
  DelegationOptions d;
  d.name = "pump";
  d.keys = {old_key};
  d.paths = {"pump/*"};
  ASSERT_TRUE(repo.Delegate(d, kNow).has_value());
  ASSERT_TRUE(repo.AddTarget("pump", "pump/fw-1.bin", AsBytes("fw1"), nullptr, kNow).has_value());
  ASSERT_TRUE(repo.Publish(kNow).has_value());
  ASSERT_EQ(Fetch("pump/fw-1.bin", "fw1"), "");  // the client now trusts pump v1 (old key)

  RotateOptions r;
  r.role = "pump";
  r.add = {new_key};
  r.remove = {old_key.keyid};
  ASSERT_TRUE(repo.Rotate(r, kNow).has_value());
  const json delegations =
      testing::ToNlohmann(repo.Staged("targets").value()).at("signed")["delegations"];
  EXPECT_EQ(delegations["roles"][0]["keyids"], json::array({new_key.keyid}));
  EXPECT_FALSE(delegations["keys"].contains(old_key.keyid));  // no delegation uses it
  EXPECT_TRUE(delegations["keys"].contains(new_key.keyid));
  auto stale = repo.Sign("pump", old_key);
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code(), ErrorCode::kPermissionDenied);
  fs::remove(old_key.path);  // the compromised key is gone; publishing must not need it
  ASSERT_TRUE(repo.AddTarget("pump", "pump/fw-2.bin", AsBytes("fw2"), nullptr, kNow).has_value());
  auto report = repo.Publish(kNow);
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_EQ(report->versions["targets"], 2u);
  EXPECT_EQ(report->versions["pump"], 2u);
  EXPECT_EQ(report->versions["root"], 1u);  // a delegation change needs no new root

  // The client that trusted pump v1 refreshes and verifies v2 against the new delegation.
  EXPECT_EQ(Fetch("pump/fw-2.bin", "fw2"), "");
  EXPECT_EQ(Fetch("pump/fw-1.bin", "fw1"), "");
  // pump v2 signed by the removed key only: refused by a client, fresh or not.
  ResignPublished(Repo() + "/public/metadata/2.pump.json", old_key);
  for (bool fresh : {false, true}) {
    if (fresh) fs::remove_all(dir_ / "client");
    fs::remove(dir_ / "client" / "pump.json");  // a trusted copy would be used as is
    std::string refused = Fetch("pump/fw-2.bin", "fw2");
    EXPECT_NE(refused.find("pump: 0 valid signature(s)"), std::string::npos) << refused;
  }
}

TEST_F(RepositoryTest, RoleDelegatedByADelegatedRoleRotatesToo) {
  Repository repo = InitRepo({Key("root")});
  DelegationOptions d;
  d.name = "pump";
  d.keys = {Key("pump")};
  d.paths = {"pump/*", "pump/*/*"};
  ASSERT_TRUE(repo.Delegate(d, kNow).has_value());
  d.delegator = "pump";
  d.name = "pump-rev3";
  d.keys = {Key("rev3-a"), Key("rev3-b")};
  d.threshold = 2;
  d.paths = {"pump/rev3/*"};
  ASSERT_TRUE(repo.Delegate(d, kNow).has_value());
  ASSERT_TRUE(repo.Publish(kNow).has_value());
  RotateOptions r;
  r.role = "pump-rev3";
  r.remove = {d.keys[1].keyid};
  r.threshold = 1;
  r.signers = {d.keys[0]};
  ASSERT_TRUE(repo.Rotate(r, kNow).has_value());
  EXPECT_EQ(testing::ToNlohmann(repo.Staged("pump-rev3").value()).at("signatures").size(), 1u);
  ASSERT_TRUE(
      repo.AddTarget("pump-rev3", "pump/rev3/fw.bin", AsBytes("rev3"), nullptr, kNow).has_value());
  auto report = repo.Publish(kNow);
  ASSERT_TRUE(report.has_value()) << report.error().ToString();
  EXPECT_EQ(report->versions["pump"], 2u);
  EXPECT_EQ(report->versions["targets"], 1u);  // only the delegator changes
  EXPECT_EQ(Fetch("pump/rev3/fw.bin", "rev3"), "");
}

TEST_F(RepositoryTest, DelegatedRotationRefusalsChangeNothing) {
  RepoKey root = Key("root"), a = Key("a"), b = Key("b"), shared = Key("shared");
  Repository repo = InitRepo({root});
  DelegationOptions d;
  d.name = "pump";
  d.keys = {a, b, shared};
  d.threshold = 2;
  d.paths = {"pump/*"};
  ASSERT_TRUE(repo.Delegate(d, kNow).has_value());
  d.name = "monitor";
  d.keys = {shared};
  d.threshold = 1;
  d.paths = {"monitor/*"};
  ASSERT_TRUE(repo.Delegate(d, kNow).has_value());
  ASSERT_TRUE(repo.Publish(kNow).has_value());
  const json before = testing::ToNlohmann(repo.Staged("targets").value());
  auto refused = [&](RotateOptions r, ErrorCode code, const std::string& text) {
    auto s = repo.Rotate(r, kNow);
    ASSERT_FALSE(s.has_value()) << text;
    EXPECT_EQ(s.error().code(), code) << s.error().ToString();
    EXPECT_NE(s.error().message().find(text), std::string::npos) << s.error().ToString();
    EXPECT_EQ(testing::ToNlohmann(repo.Staged("targets").value()), before) << text;
    EXPECT_EQ(testing::ToNlohmann(repo.Staged("pump").value()).at("signed")["version"], 1) << text;
  };
  RotateOptions r;
  r.role = "nope";
  refused(r, ErrorCode::kInvalidArgument, "rotate nope: no such role in this repository");
  r.role = "pump";
  r.remove = {Key("stranger").keyid};
  refused(r, ErrorCode::kNotFound, "is not a key of pump");
  r.remove = {a.keyid, b.keyid};  // one key left, threshold 2
  refused(r, ErrorCode::kInvalidArgument,
          "threshold 2 must be between 1 and the number of keys (1)");
  r.remove = {};
  r.threshold = 0;
  refused(r, ErrorCode::kInvalidArgument, "threshold 0");
  r.threshold = 4;
  refused(r, ErrorCode::kInvalidArgument, "threshold 4");
  r.threshold.reset();
  r.add = {root};
  refused(r, ErrorCode::kInvalidArgument, "is a root key; root keys must stay offline");
  r.add = {Key("c")};
  r.signers = {Key("d")};
  refused(r, ErrorCode::kPermissionDenied, "not a private key of the role after the change");

  // A key another delegation still uses stays in delegations.keys.
  r = RotateOptions{};
  r.role = "pump";
  r.remove = {shared.keyid, b.keyid};
  r.threshold = 1;
  ASSERT_TRUE(repo.Rotate(r, kNow).has_value());
  const json after =
      testing::ToNlohmann(repo.Staged("targets").value()).at("signed")["delegations"]["keys"];
  EXPECT_TRUE(after.contains(shared.keyid));
  EXPECT_FALSE(after.contains(b.keyid));
  ASSERT_TRUE(repo.Publish(kNow).has_value());
}

TEST_F(RepositoryTest, HybridAndPostQuantumKeys) {
  // Root: ML-DSA-65+Ed25519 composite (generated in memory: signs now, never stored);
  // targets: ML-DSA-65; snapshot ECDSA P-256; timestamp Ed25519.
  auto composite = crypto::pq::GenerateComposite(crypto::AlgorithmId::kMlDsa65Ed25519).value();
  RepoKey root = RepoKeyFromPublic(*composite->PublicKey()).value();
  root.signer = std::move(composite);
  RepoInitOptions o;
  o.root_keys = {root};
  o.role_keys["targets"] = {Key("targets", crypto::AlgorithmId::kMlDsa65)};
  o.role_keys["snapshot"] = {Key("snapshot", crypto::AlgorithmId::kEcdsaP256Sha256)};
  o.role_keys["timestamp"] = {Key("timestamp")};
  auto repo = Repository::Init(Env::Default(), Repo(), o, kNow);
  ASSERT_TRUE(repo.has_value()) << repo.error().ToString();
  EXPECT_EQ(testing::ToNlohmann(repo->Staged("root").value())
                .at("signed")["keys"][root.keyid]["keytype"],
            "ml-dsa-65+ed25519");
  ASSERT_TRUE(repo->AddTarget("targets", "fw.bin", AsBytes("pq"), nullptr, kNow).has_value());
  ASSERT_TRUE(repo->Publish(kNow).has_value());
  EXPECT_EQ(Fetch("fw.bin", "pq"), "");
}

TEST_F(RepositoryTest, ExpiryIsSetAndExpiredMetadataIsNotPublished) {
  Repository repo = InitRepo({Key("root")});
  ASSERT_TRUE(repo.SetExpiry("timestamp", 30, std::nullopt, kNow).has_value());
  ASSERT_TRUE(repo.SetExpiry("targets", std::nullopt, kNow + 3600, kNow).has_value());
  ASSERT_TRUE(repo.Publish(kNow).has_value());
  EXPECT_EQ(Fetch("x", "", kNow + 10), "not_found: x: no trusted targets role lists this target");
  fs::remove_all(dir_ / "client");
  std::string expired = Fetch("x", "", kNow + 31);
  EXPECT_NE(expired.find("timestamp v1: expired"), std::string::npos) << expired;
  // targets expires after an hour; a publish after that is refused, naming the role.
  auto late = repo.Publish(kNow + 7200);
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(late.error().message().find("targets v1 expired"), std::string::npos);
  EXPECT_FALSE(repo.SetExpiry("timestamp", std::nullopt, kNow - 1, kNow).has_value());
}

TEST_F(RepositoryTest, SigningIsRestrictedToTheRolesKeys) {
  Repository repo = InitRepo({Key("root")});
  RepoKey stranger = Key("stranger");
  auto denied = repo.Sign("targets", stranger);
  ASSERT_FALSE(denied.has_value());
  EXPECT_EQ(denied.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_FALSE(repo.Sign("snapshot", stranger).has_value());
  EXPECT_FALSE(repo.Sign("root", Public(stranger)).has_value());
  ASSERT_TRUE(repo.Publish(kNow).has_value());
  auto published = repo.Sign("root", stranger);
  EXPECT_EQ(published.error().code(), ErrorCode::kFailedPrecondition);
}

TEST_F(RepositoryTest, UnsafeTargetPathsAndRoleNamesAreRefused) {
  Repository repo = InitRepo({Key("root")});
  for (const char* p : {"", "../x", "a//b", "a/./b", "/abs", "a b", "a/..", "x%2f"}) {
    EXPECT_FALSE(repo.AddTarget("targets", p, AsBytes("x"), nullptr, kNow).has_value()) << p;
  }
  EXPECT_FALSE(repo.AddTarget("root", "x", AsBytes("x"), nullptr, kNow).has_value());
  DelegationOptions d;
  d.keys = {Key("d")};
  d.paths = {"*"};
  for (const char* n : {"", "snapshot", "a/b", ".hidden", "x y"}) {
    d.name = n;
    EXPECT_FALSE(repo.Delegate(d, kNow).has_value()) << n;
  }
  d.name = "ok";
  d.path_hash_prefixes = {"ab"};
  EXPECT_FALSE(repo.Delegate(d, kNow).has_value());  // both path lists
  d.paths.clear();
  d.threshold = 2;
  EXPECT_FALSE(repo.Delegate(d, kNow).has_value());  // threshold above key count
}

TEST_F(RepositoryTest, OpenValidatesStagedMetadata) {
  InitRepo({Key("root")});
  EXPECT_EQ(Repository::Open(Env::Default(), (dir_ / "none").string()).error().code(),
            ErrorCode::kNotFound);
  ASSERT_TRUE(Env::Default()
                  ->WriteFileAtomic(Repo() + "/staged/targets.json",
                                    AsBytes(R"({"signatures":[],"signed":{"_type":"root"}})"))
                  .has_value());
  auto bad = Repository::Open(Env::Default(), Repo());
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("targets.json"), std::string::npos);
}

// Issue 13 item 1: TUF requires unique key IDs in signatures. Signing a role again with the
// same key replaces its signature, online signing skips keys that signed already, and a
// staged document that repeats a key ID (edited by hand) is refused when the repository opens.
TEST_F(RepositoryTest, NoKeyIdSignsTwice) {
  RepoKey root = Key("root");
  Repository repo = InitRepo({root});
  ASSERT_TRUE(repo.Sign("root", root).has_value());
  // targets' key is also an online key: Publish must not add its signature a second time.
  RepoKey targets = LoadRepoKey(Env::Default(), (dir_ / "keys" / "targets.pem").string()).value();
  ASSERT_TRUE(repo.Sign("targets", targets).has_value());
  ASSERT_TRUE(repo.Publish(kNow).has_value());
  for (const char* f : {"1.root.json", "1.targets.json", "1.snapshot.json", "timestamp.json"}) {
    auto bytes = Env::Default()->ReadFile(Repo() + "/public/metadata/" + f).value();
    json doc = testing::ToNlohmann(ParseStrictJson(AsStringView(bytes), f).value());
    std::set<std::string> keyids;
    for (const json& sig : doc["signatures"]) keyids.insert(sig["keyid"].get<std::string>());
    EXPECT_EQ(keyids.size(), doc["signatures"].size()) << f;
  }
  ASSERT_TRUE(repo.AddTarget("targets", "a.bin", AsBytes("a"), nullptr, kNow).has_value());
  ASSERT_TRUE(repo.Sign("targets", targets).has_value());  // AddTarget dropped the signature
  ASSERT_TRUE(repo.Save().has_value());
  std::string staged = Repo() + "/staged/targets.json";
  json doc = testing::ToNlohmann(
      ParseStrictJson(AsStringView(Env::Default()->ReadFile(staged).value()), "t").value());
  ASSERT_EQ(doc["signatures"].size(), 1u);
  std::string keyid = doc["signatures"][0]["keyid"];
  doc["signatures"].push_back(doc["signatures"][0]);
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(staged, AsBytes(doc.dump(1))).has_value());
  auto reopened = Repository::Open(Env::Default(), Repo());
  ASSERT_FALSE(reopened.has_value());
  EXPECT_EQ(reopened.error().message(), staged + ": $.signatures[1].keyid: key ID \"" + keyid +
                                            "\" signs more than once; each key ID may appear once");
}

// Issue 13 item 3: repo.json and the staged documents are read within a bound (the state file
// 8 MiB, a staged role its download limit), refused unread in one line beyond it.
TEST_F(RepositoryTest, OversizedStateOrStagedFileIsRefusedUnread) {
  InitRepo({Key("root")});
  const std::string staged = Repo() + "/staged/targets.json", state = Repo() + "/repo.json";
  fs::resize_file(staged, 64 << 20);
  auto refused = Repository::Open(Env::Default(), Repo());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(refused.error().message(),
            staged + ": 67108864 bytes, over the 5 MiB limit for TUF metadata");
  fs::resize_file(state, 64 << 20);
  refused = Repository::Open(Env::Default(), Repo());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().message(),
            state + ": 67108864 bytes, over the 8 MiB limit for a repository state file");
}

TEST(RepoState, ParsesWhatItWritesAndRejectsOnlineRootKeys) {
  RepoState s;
  s.roles = {"root", "targets", "fw"};
  s.published = {{"root", 1}, {"timestamp", 4}};
  s.online_keys["timestamp"]["ab"] = "/k/ts.pem";
  s.expiry_seconds["timestamp"] = 3600;
  s.next_expires["snapshot"] = 1900000000;
  s.staged_targets = {"a/b.bin"};
  std::string text = s.Serialize();
  auto back = RepoState::Parse(AsBytes(text), "repo.json");
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->Serialize(), text);
  EXPECT_EQ(back->ExpirySeconds("timestamp"), 3600);
  EXPECT_EQ(back->ExpirySeconds("fw"), 90 * 86400);
  auto j = testing::ToNlohmann(ParseStrictJson(text, "x").value());
  j["online_keys"]["root"] = {{"cd", "/k/root.pem"}};
  auto online_root = RepoState::Parse(AsBytes(j.dump()), "repo.json");
  ASSERT_FALSE(online_root.has_value());
  EXPECT_NE(online_root.error().message().find("root keys are offline"), std::string::npos);
  for (auto [field, value] : {std::pair<const char*, json>{"roles", json::array({"targets"})},
                              {"published", json{{"root", 0}}},
                              {"expiry_seconds", json{{"timestamp", -5}}},
                              {"next_expires", json{{"targets", 5}}},
                              {"unknown", json(1)},
                              {"vigil_repository", json(2)}}) {
    auto k = testing::ToNlohmann(ParseStrictJson(text, "x").value());
    k[field] = value;
    EXPECT_FALSE(RepoState::Parse(AsBytes(k.dump()), "repo.json").has_value()) << field;
  }
}

TEST(RepoState, Durations) {
  EXPECT_EQ(ParseDuration("30d").value(), 30 * 86400);
  EXPECT_EQ(ParseDuration("45s").value(), 45);
  EXPECT_EQ(ParseDuration("12h").value(), 12 * 3600);
  EXPECT_EQ(ParseDuration("2w").value(), 14 * 86400);
  EXPECT_EQ(ParseDuration("1y").value(), 365 * 86400);
  for (const char* bad : {"", "d", "0d", "-1d", "30", "3x", "101y", "1.5d", "99999999999d"}) {
    EXPECT_FALSE(ParseDuration(bad).has_value()) << bad;
  }
  EXPECT_EQ(FormatTufTime(kNow), "2027-01-15T08:00:00Z");
  EXPECT_EQ(ParseTufTime(FormatTufTime(kNow)).value(), kNow);
}

}  // namespace
}  // namespace vigil::update
