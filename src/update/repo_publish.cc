// Publishing a repository: online signing, the threshold and expiry checks that decide whether
// anything is written, new snapshot and timestamp, and the write order that keeps the public
// tree consistent for clients reading it at any moment (timestamp.json last).
#include <algorithm>
#include <set>

#include "internal/repository_impl.h"
#include "vigil/core/encoding.h"
#include "vigil/core/json.h"
#include "vigil/crypto/hash.h"
#include "vigil/update/canonical_json.h"
#include "vigil/update/metadata.h"
#include "vigil/update/repository.h"
#include "vigil/update/tuf_key.h"

namespace vigil::update {
namespace {

using json::Value;

uint64_t VersionOf(const Value& doc) {
  return static_cast<uint64_t>(doc["signed"]["version"].as_int());
}

std::string PublicMetadata(const std::string& dir) {
  return JoinPath(JoinPath(dir, "public"), "metadata");
}
std::string PublicTargets(const std::string& dir) {
  return JoinPath(JoinPath(dir, "public"), "targets");
}

// The bytes a metadata file is published as: its canonical form, so that a client's signed
// bytes are a slice of the file (see CanonicalSigned in metadata.cc), unless the document holds a
// string with a control character, which canonical JSON writes raw and strict JSON refuses.
std::string MetadataBytes(const Value& doc) {
  auto canonical = json::Canonical(doc);
  if (canonical && std::none_of(canonical->begin(), canonical->end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20;
      })) {
    return *std::move(canonical);
  }
  return json::Write(doc);
}

template <typename T>
Result<Envelope> ParsedEnvelope(ByteView bytes, const std::string& where) {
  VIGIL_ASSIGN_OR_RETURN(T parsed, T::Parse(bytes, where));
  return std::move(parsed.envelope);
}

// The document read back through the client's strict reader for its type.
Result<Envelope> EnvelopeOf(const std::string& role, const Value& doc, const std::string& where) {
  Bytes bytes = ToBytes(MetadataBytes(doc));
  if (role == "root") return ParsedEnvelope<Root>(bytes, where);
  if (role == "snapshot") return ParsedEnvelope<Snapshot>(bytes, where);
  if (role == "timestamp") return ParsedEnvelope<Timestamp>(bytes, where);
  return ParsedEnvelope<Targets>(bytes, where);
}

// The key dictionary `dict` (a "keys" object of the document `where` names).
Result<std::map<std::string, TufKey>> ParseKeys(const Value& dict, const std::string& where) {
  std::map<std::string, TufKey> keys;
  Status each = json::Node(dict, where, "keys")
                    .ForEachMember([&](std::string_view id, const json::Node& k) -> Status {
                      VIGIL_ASSIGN_OR_RETURN(TufKey key, TufKey::Parse(k));
                      keys.emplace(id, std::move(key));
                      return OkStatus();
                    });
  VIGIL_RETURN_IF_ERROR(each);
  return keys;
}

RoleKeys RoleKeysOf(const Value& entry) {
  RoleKeys keys;
  for (const Value& id : entry["keyids"].as_array()) keys.keyids.push_back(id.as_string());
  keys.threshold = static_cast<uint32_t>(entry["threshold"].as_int());
  return keys;
}

// VerifyThreshold, with the key IDs of the signatures present added to its message.
Status VerifyWithReport(const Envelope& env, const std::map<std::string, TufKey>& keys,
                        const RoleKeys& role, const std::string& name) {
  Status s = VerifyThreshold(env, keys, role, name);
  if (s) return s;
  std::string present;
  for (const TufSignature& sig : env.signatures) {
    present += (present.empty() ? "" : ", ") + sig.keyid.substr(0, 16) + "...";
  }
  return UnauthenticatedError("publish refused: " + s.error().message() +
                              "; signatures present: " + (present.empty() ? "none" : present) +
                              " (add more with `vigil repo sign`)");
}

}  // namespace

std::string internal::RepositoryImpl::MetadataName(const std::string& role,
                                                   uint64_t version) const {
  bool versioned = role == "root" || (state_.consistent_snapshot && role != "timestamp");
  return (versioned ? std::to_string(version) + "." : "") + role + ".json";
}

Result<Value> internal::RepositoryImpl::PreviousRoot() const {
  uint64_t v = state_.PublishedVersion("root");
  if (v == 0) return Value();
  std::string path = JoinPath(PublicMetadata(dir_), MetadataName("root", v));
  VIGIL_ASSIGN_OR_RETURN(Bytes bytes, env_->ReadFileLimited(path, kMaxRootBytes, "TUF metadata"));
  return ParseStrictJson(AsStringView(bytes), path);
}

Status internal::RepositoryImpl::CheckThreshold(const std::string& role, const Value& doc) const {
  std::string name = role + " v" + std::to_string(VersionOf(doc));
  VIGIL_ASSIGN_OR_RETURN(Envelope env, EnvelopeOf(role, doc, name));
  VIGIL_ASSIGN_OR_RETURN(auto keys, KeysOf(role));
  VIGIL_ASSIGN_OR_RETURN(auto parsed, ParseKeys(keys.first, name));
  return VerifyWithReport(env, parsed, RoleKeysOf(keys.second), name);
}

// A new root must satisfy its own root role and the root role it replaces (TUF §5.3.4).
Status internal::RepositoryImpl::CheckRootThresholds(const Value& doc) const {
  std::string name = "root v" + std::to_string(VersionOf(doc));
  VIGIL_ASSIGN_OR_RETURN(Envelope env, EnvelopeOf("root", doc, name));
  VIGIL_ASSIGN_OR_RETURN(auto own, ParseKeys(doc["signed"]["keys"], name));
  VIGIL_RETURN_IF_ERROR(VerifyWithReport(env, own, RoleKeysOf(doc["signed"]["roles"]["root"]),
                                         name + " (its own root keys)"));
  VIGIL_ASSIGN_OR_RETURN(Value previous, PreviousRoot());
  if (previous.is_null()) return OkStatus();
  const Value& ps = previous["signed"];
  std::string prev_name = "root v" + std::to_string(VersionOf(previous));
  VIGIL_ASSIGN_OR_RETURN(auto old, ParseKeys(ps["keys"], prev_name));
  return VerifyWithReport(env, old, RoleKeysOf(ps["roles"]["root"]),
                          name + " (root keys of the published " + prev_name + ")");
}

Status internal::RepositoryImpl::CheckFresh(const std::string& role, const Value& doc,
                                            int64_t now) const {
  const std::string& at = doc["signed"]["expires"].as_string();
  VIGIL_ASSIGN_OR_RETURN(int64_t expires, ParseTufTime(at));
  if (expires > now) return OkStatus();
  return FailedPreconditionError("publish refused: " + role + " v" +
                                 std::to_string(VersionOf(doc)) + " expired at " + at +
                                 " (run `vigil repo expire --role " + role + " --in <duration>`)");
}

Status internal::RepositoryImpl::SignWithOnlineKeys(const std::string& role, Value& doc) {
  auto paths = state_.online_keys.find(role);
  if (paths == state_.online_keys.end()) return OkStatus();
  VIGIL_ASSIGN_OR_RETURN(auto keys, KeysOf(role));
  std::set<std::string> signed_by;
  for (const Value& sig : doc["signatures"].as_array()) signed_by.insert(sig["keyid"].as_string());
  const json::Array& ids = keys.second["keyids"].as_array();
  for (const auto& [keyid, path] : paths->second) {
    if (signed_by.contains(keyid) || std::find(ids.begin(), ids.end(), Value(keyid)) == ids.end()) {
      continue;
    }
    VIGIL_ASSIGN_OR_RETURN(RepoKey key, LoadRepoKey(env_, path));
    if (key.keyid != keyid || !key.signer) {
      return FailedPreconditionError(role + ": " + path + " no longer holds the private key " +
                                     keyid.substr(0, 16) + "... listed for this role");
    }
    VIGIL_RETURN_IF_ERROR(SignDocument(doc, *key.signer, keyid));
  }
  return OkStatus();
}

Result<Value> internal::RepositoryImpl::BuildOnlineRole(const std::string& role, Value meta,
                                                        int64_t now) {
  auto at = state_.next_expires.find(role);
  int64_t expires = at != state_.next_expires.end() ? at->second : now + state_.ExpirySeconds(role);
  Value doc = Value::MakeObject(
      {{"signatures", Value::MakeArray()},
       {"signed", Value::MakeObject({{"_type", role},
                                     {"spec_version", "1.0.31"},
                                     {"version", state_.PublishedVersion(role) + 1},
                                     {"expires", FormatTufTime(expires)},
                                     {"meta", std::move(meta)}})}});
  VIGIL_RETURN_IF_ERROR(SignWithOnlineKeys(role, doc));
  VIGIL_RETURN_IF_ERROR(CheckFresh(role, doc, now));
  VIGIL_RETURN_IF_ERROR(CheckThreshold(role, doc));
  return doc;
}

Status internal::RepositoryImpl::WritePublic(const std::string& rel, ByteView bytes) {
  std::string path = JoinPath(JoinPath(dir_, "public"), rel);
  VIGIL_RETURN_IF_ERROR(env_->CreateDir(DirName(path)));
  return env_->WriteFileAtomic(path, bytes);
}

// Staged target files move (rename: no copy, no partial file) to their public names; hash
// prefixed names never change meaning, so they may appear before the metadata that lists them.
Status internal::RepositoryImpl::MoveStagedTargets(size_t& moved) {
  std::set<std::string> synced_dirs;
  for (const std::string& path : state_.staged_targets) {
    std::string from = JoinPath(JoinPath(dir_, "staged-targets"), path);
    if (!env_->FileExists(from)) continue;  // moved by an interrupted earlier publish
    std::string name = path;
    if (state_.consistent_snapshot) {
      VIGIL_ASSIGN_OR_RETURN(Bytes content, env_->ReadFile(from));
      size_t slash = path.rfind('/');
      size_t base = slash == std::string::npos ? 0 : slash + 1;
      name = path.substr(0, base) + HexEncode(crypto::Sha256(content)) + "." + path.substr(base);
    }
    std::string to = JoinPath(PublicTargets(dir_), name);
    VIGIL_RETURN_IF_ERROR(env_->CreateDir(DirName(to)));
    VIGIL_RETURN_IF_ERROR(env_->RenameFile(from, to));
    synced_dirs.insert(DirName(to));
    ++moved;
  }
  for (const std::string& d : synced_dirs) VIGIL_RETURN_IF_ERROR(env_->SyncDir(d));
  return OkStatus();
}

Result<PublishReport> internal::RepositoryImpl::Publish(int64_t now) {
  PublishReport report;
  std::map<std::string, Value> docs = staged_;
  Value snapshot_meta = Value::MakeObject();
  for (const std::string& role : state_.roles) {
    Value& doc = docs.at(role);
    uint64_t version = VersionOf(doc);
    if (version > state_.PublishedVersion(role)) {
      report.changed.push_back(role);
      if (role == "root") {
        VIGIL_RETURN_IF_ERROR(CheckRootThresholds(doc));
      } else {
        VIGIL_RETURN_IF_ERROR(SignWithOnlineKeys(role, doc));
        VIGIL_RETURN_IF_ERROR(CheckThreshold(role, doc));
      }
    }
    VIGIL_RETURN_IF_ERROR(CheckFresh(role, doc, now));
    if (role != "root") snapshot_meta[role + ".json"] = Value::MakeObject({{"version", version}});
    report.versions[role] = version;
  }
  VIGIL_ASSIGN_OR_RETURN(Value snapshot, BuildOnlineRole("snapshot", snapshot_meta, now));
  std::string snapshot_bytes = MetadataBytes(snapshot);
  Value hashes =
      Value::MakeObject({{"sha256", HexEncode(crypto::Sha256(AsBytes(snapshot_bytes)))}});
  Value ts_meta = Value::MakeObject(
      {{"snapshot.json", Value::MakeObject({{"version", snapshot["signed"]["version"]},
                                            {"length", snapshot_bytes.size()},
                                            {"hashes", std::move(hashes)}})}});
  VIGIL_ASSIGN_OR_RETURN(Value timestamp, BuildOnlineRole("timestamp", ts_meta, now));

  // Every check passed: write, referenced files before the files that reference them.
  VIGIL_RETURN_IF_ERROR(MoveStagedTargets(report.target_files));
  for (auto it = report.changed.rbegin(); it != report.changed.rend(); ++it) {
    const Value& doc = docs.at(*it);
    uint64_t v = VersionOf(doc);
    std::string bytes = MetadataBytes(doc);
    VIGIL_RETURN_IF_ERROR(WritePublic("metadata/" + MetadataName(*it, v), AsBytes(bytes)));
    if (*it == "root") VIGIL_RETURN_IF_ERROR(WritePublic("metadata/root.json", AsBytes(bytes)));
  }
  for (const char* role : {"snapshot", "timestamp"}) {
    const Value& doc = std::string(role) == "snapshot" ? snapshot : timestamp;
    uint64_t v = VersionOf(doc);
    std::string bytes = std::string(role) == "snapshot" ? snapshot_bytes : MetadataBytes(doc);
    VIGIL_RETURN_IF_ERROR(WritePublic("metadata/" + MetadataName(role, v), AsBytes(bytes)));
    report.versions[role] = v;
    report.changed.push_back(role);
  }
  for (const auto& [role, v] : report.versions) state_.published[role] = v;
  state_.next_expires.clear();
  state_.staged_targets.clear();
  staged_ = std::move(docs);
  VIGIL_RETURN_IF_ERROR(Save());
  return report;
}

}  // namespace vigil::update
