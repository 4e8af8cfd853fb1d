// A TUF repository built in memory for attack tests: ed25519 keys per role, metadata assembled
// as JSON, signed over canonical JSON and "published" into a MemoryFetcher that an attacker can
// then edit (replay old files, swap bytes, inflate sizes).
#ifndef VIGIL_TESTS_UPDATE_TEST_REPOSITORY_H_
#define VIGIL_TESTS_UPDATE_TEST_REPOSITORY_H_

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testing/nlohmann_bridge.h"
#include "vigil/core/encoding.h"
#include "vigil/crypto/hash.h"
#include "vigil/crypto/signature.h"
#include "vigil/update/canonical_json.h"
#include "vigil/update/fetcher.h"
#include "vigil/update/tuf_key.h"

namespace vigil::update::testing {

using nlohmann::json;

// Serves files from a map; "mem://repo/<name>" → files["<name>"]. Records every request.
class MemoryFetcher : public Fetcher {
 public:
  Result<Bytes> Fetch(const std::string& url, uint64_t max_length) override {
    requests.push_back(url);
    std::string name = url.substr(url.find("://repo/") + 8);
    auto it = files.find(name);
    if (it == files.end()) return NotFoundError(url + ": not found");
    if (it->second.size() > max_length) return ResourceExhaustedError(url + ": too large");
    return it->second;
  }
  std::map<std::string, Bytes> files;
  std::vector<std::string> requests;
};

struct TestKey {
  std::unique_ptr<crypto::SigningKey> key;
  std::string keyid;
  json key_json;
};

inline TestKey NewKey() {
  TestKey k;
  k.key = std::move(crypto::GenerateSigningKey(crypto::AlgorithmId::kEd25519).value());
  k.key_json = testing::ToNlohmann(TufKey::ToJson(*k.key->PublicKey()).value());
  k.keyid =
      HexEncode(crypto::Sha256(AsBytes(CanonicalJson(testing::FromNlohmann(k.key_json)).value())));
  return k;
}

inline Bytes SignDocument(const json& signed_part, const std::vector<const TestKey*>& signers) {
  std::string canonical = CanonicalJson(testing::FromNlohmann(signed_part)).value();
  json sigs = json::array();
  for (const TestKey* k : signers) {
    Bytes sig = k->key->Sign(AsBytes(canonical)).value();
    sigs.push_back({{"keyid", k->keyid}, {"sig", HexEncode(sig)}});
  }
  return ToBytes(json{{"signatures", sigs}, {"signed", signed_part}}.dump(1));
}

inline constexpr const char* kFuture = "2100-01-01T00:00:00Z";
inline constexpr int64_t kNow = 1800000000;  // 2027-01-15

// A repository with one key per top-level role (more can be added), publishing
// metadata/<file> and targets/<path>.
class TestRepository {
 public:
  TestRepository() {
    for (const char* role : {"root", "timestamp", "snapshot", "targets"}) {
      keys[role].push_back(std::make_shared<TestKey>(NewKey()));
    }
    root = {{"_type", "root"},
            {"spec_version", "1.0.31"},
            {"version", 1},
            {"expires", kFuture},
            {"consistent_snapshot", false}};
    targets = {{"_type", "targets"},
               {"spec_version", "1.0.31"},
               {"version", 1},
               {"expires", kFuture},
               {"targets", json::object()}};
  }

  // Root JSON's keys/roles from `keys` and `thresholds`.
  void RebuildRootRoles() {
    root["keys"] = json::object();
    root["roles"] = json::object();
    for (auto& [role, list] : keys) {
      json ids = json::array();
      for (auto& k : list) {
        root["keys"][k->keyid] = k->key_json;
        ids.push_back(k->keyid);
      }
      root["roles"][role] = {{"keyids", ids},
                             {"threshold", thresholds.count(role) ? thresholds[role] : 1}};
    }
  }

  std::vector<const TestKey*> Signers(const std::string& role) const {
    std::vector<const TestKey*> out;
    for (auto& k : keys.at(role)) out.push_back(k.get());
    return out;
  }

  // Signs and publishes root (as <v>.root.json) with the current root keys plus `extra`.
  void PublishRoot(const std::vector<const TestKey*>& extra = {}) {
    RebuildRootRoles();
    auto signers = Signers("root");
    signers.insert(signers.end(), extra.begin(), extra.end());
    fetcher.files["metadata/" + std::to_string(root["version"].get<int>()) + ".root.json"] =
        SignDocument(root, signers);
  }

  void AddTarget(const std::string& path, const std::string& content, json* role = nullptr) {
    Bytes data = ToBytes(content);
    (role ? *role : targets)["targets"][path] = {
        {"length", data.size()}, {"hashes", {{"sha256", HexEncode(crypto::Sha256(data))}}}};
    fetcher.files["targets/" + path] = data;
  }

  // Publishes targets (+ delegated roles), snapshot and timestamp, bumping the versions of
  // snapshot and timestamp.
  void PublishTopLevel() {
    bool consistent = root["consistent_snapshot"].get<bool>();
    json meta = json::object();
    auto publish_targets = [&](const std::string& name, const json& doc,
                               const std::vector<const TestKey*>& signers) {
      Bytes bytes = SignDocument(doc, signers);
      int v = doc["version"].get<int>();
      fetcher.files["metadata/" + (consistent ? std::to_string(v) + "." : "") + name + ".json"] =
          bytes;
      meta[name + ".json"] = {{"version", v}};
    };
    publish_targets("targets", targets, Signers("targets"));
    for (auto& [name, d] : delegated) publish_targets(name, d.doc, d.signers);
    snapshot_version++;
    json snap = {{"_type", "snapshot"},
                 {"spec_version", "1.0.31"},
                 {"version", snapshot_version},
                 {"expires", snapshot_expires},
                 {"meta", meta}};
    Bytes snap_bytes = SignDocument(snap, Signers("snapshot"));
    if (repeat_snapshot_signature) {  // a malformed envelope the client must refuse whole
      json doc = json::parse(AsStringView(snap_bytes));
      doc["signatures"].push_back(doc["signatures"][0]);
      snap_bytes = ToBytes(doc.dump(1));
    }
    fetcher.files["metadata/" + (consistent ? std::to_string(snapshot_version) + "." : "") +
                  "snapshot.json"] = snap_bytes;
    timestamp_version++;
    json ts = {{"_type", "timestamp"},
               {"spec_version", "1.0.31"},
               {"version", timestamp_version},
               {"expires", timestamp_expires},
               {"meta",
                {{"snapshot.json",
                  {{"version", snapshot_version},
                   {"length", snap_bytes.size()},
                   {"hashes", {{"sha256", HexEncode(crypto::Sha256(snap_bytes))}}}}}}}};
    fetcher.files["metadata/timestamp.json"] = SignDocument(ts, Signers("timestamp"));
  }

  // A delegated targets role named `name` signed by `signers`.
  struct Delegated {
    json doc;
    std::vector<const TestKey*> signers;
  };
  json& Delegate(json& delegator, const std::string& name, const TestKey& key,
                 json paths_or_prefixes, bool terminating, bool hash_prefixes = false) {
    if (!delegator.contains("delegations")) {
      delegator["delegations"] = {{"keys", json::object()}, {"roles", json::array()}};
    }
    delegator["delegations"]["keys"][key.keyid] = key.key_json;
    json role = {
        {"name", name}, {"keyids", {key.keyid}}, {"threshold", 1}, {"terminating", terminating}};
    role[hash_prefixes ? "path_hash_prefixes" : "paths"] = paths_or_prefixes;
    delegator["delegations"]["roles"].push_back(role);
    delegated[name] = {{{"_type", "targets"},
                        {"spec_version", "1.0.31"},
                        {"version", 1},
                        {"expires", kFuture},
                        {"targets", json::object()}},
                       {&key}};
    return delegated[name].doc;
  }

  std::map<std::string, std::vector<std::shared_ptr<TestKey>>> keys;
  std::map<std::string, int> thresholds;
  json root, targets;
  std::map<std::string, Delegated> delegated;
  int snapshot_version = 0, timestamp_version = 0;
  bool repeat_snapshot_signature = false;  // publish the snapshot with signatures[0] twice
  std::string snapshot_expires = kFuture, timestamp_expires = kFuture;
  MemoryFetcher fetcher;
};

}  // namespace vigil::update::testing

#endif  // VIGIL_TESTS_UPDATE_TEST_REPOSITORY_H_
