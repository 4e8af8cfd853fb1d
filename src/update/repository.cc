// Repository state and the commands that change staged metadata. Publishing (signing with
// online keys, threshold checks, writing the public tree) is in repo_publish.cc.
#include "vigil/update/repository.h"

#include <algorithm>

#include "internal/repository_impl.h"
#include "vigil/core/encoding.h"
#include "vigil/core/json.h"
#include "vigil/crypto/hash.h"
#include "vigil/crypto/key_file.h"
#include "vigil/update/canonical_json.h"
#include "vigil/update/metadata.h"
#include "vigil/update/release_policy.h"
#include "vigil/update/tuf_key.h"

namespace vigil::update {
namespace {

using json::Value;

constexpr char kSpecVersion[] = "1.0.31";

bool IsTopLevel(const std::string& role) {
  return role == "root" || role == "targets" || role == "snapshot" || role == "timestamp";
}

std::string StatePath(const std::string& dir) { return JoinPath(dir, "repo.json"); }
std::string StagedPath(const std::string& dir, const std::string& role) {
  return JoinPath(JoinPath(dir, "staged"), role + ".json");
}

Value NewDocument(const std::string& type, int64_t expires) {
  Value signed_part = Value::MakeObject({{"_type", type},
                                         {"spec_version", kSpecVersion},
                                         {"version", 1},
                                         {"expires", FormatTufTime(expires)}});
  return Value::MakeObject({{"signatures", Value::MakeArray()}, {"signed", std::move(signed_part)}});
}

Status CheckThresholdFits(const std::string& what, size_t keys, uint32_t threshold) {
  if (keys == 0) return InvalidArgumentError(what + ": at least one key is needed");
  if (threshold == 0 || threshold > keys) {
    return InvalidArgumentError(what + ": threshold " + std::to_string(threshold) +
                                " must be between 1 and the number of keys (" +
                                std::to_string(keys) + ")");
  }
  return OkStatus();
}

// Target paths become file names under public/targets and URL paths as they are.
Status CheckTargetPath(const std::string& path) {
  auto bad = [&](const std::string& rule) {
    return InvalidArgumentError("target path \"" + path.substr(0, 128) + "\": " + rule);
  };
  if (path.empty() || path.size() > 1024) return bad("expected 1 to 1024 characters");
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string_view seg(path.data() + start, end - start);
    if (seg.empty() || seg == "." || seg == "..") {
      return bad("empty, '.' and '..' segments are not allowed");
    }
    for (char c : seg) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-' || c == '+' || c == '~';
      if (!ok) return bad("only [A-Za-z0-9._+~-] and '/' between segments are allowed");
    }
    start = end + 1;
  }
  return OkStatus();
}

// Whether array `array` holds the string `s` (false for anything that is not an array).
bool Contains(const Value& array, const std::string& s) {
  if (!array.is_array()) return false;
  const json::Array& a = array.as_array();
  return std::find(a.begin(), a.end(), Value(s)) != a.end();
}

// The strings of an array of strings (what the repository itself wrote).
std::vector<std::string> Strings(const Value& array) {
  std::vector<std::string> out;
  for (const Value& v : array.as_array()) out.push_back(v.as_string());
  return out;
}

Value StringArray(const std::vector<std::string>& strings) {
  Value out = Value::MakeArray();
  for (const std::string& s : strings) out.Push(s);
  return out;
}

// Adds `keys` to a key dictionary and returns their IDs.
Value AddKeys(Value& dict, const std::vector<RepoKey>& keys) {
  Value ids = Value::MakeArray();
  for (const RepoKey& k : keys) {
    dict[k.keyid] = k.tuf_key;
    if (!Contains(ids, k.keyid)) ids.Push(k.keyid);
  }
  return ids;
}

// `entry` ({"keyids", "threshold"}) after `o` adds keys (into the key dictionary `dict` too),
// removes key IDs and sets the threshold. NotFound for a removed key the role does not have;
// InvalidArgument when the threshold is 0 or above the keys left.
Status ChangeKeys(const std::string& what, const RotateOptions& o, Value& dict, Value& entry) {
  json::Array& keyids = entry["keyids"].as_array();
  for (const RepoKey& k : o.add) {
    dict[k.keyid] = k.tuf_key;
    if (!Contains(entry["keyids"], k.keyid)) keyids.push_back(k.keyid);
  }
  for (const std::string& id : o.remove) {
    auto it = std::find(keyids.begin(), keyids.end(), Value(id));
    if (it == keyids.end()) return NotFoundError(what + ": key " + id + " is not a key of " + o.role);
    keyids.erase(it);
  }
  if (o.threshold) entry["threshold"] = *o.threshold;
  return CheckThresholdFits(what, keyids.size(), static_cast<uint32_t>(entry["threshold"].as_int()));
}

// Keys that no role entry of `entries` (an object or an array of entries) lists any more leave
// the key dictionary `dict`.
void DropUnusedKeys(Value& dict, const Value& entries) {
  auto in_use = [&](const json::Member& key) {
    auto uses = [&](const Value& e) { return Contains(e["keyids"], key.key); };
    if (entries.is_array()) return std::any_of(entries.as_array().begin(), entries.as_array().end(), uses);
    const json::Object& roles = entries.as_object();
    return std::any_of(roles.begin(), roles.end(), [&](const json::Member& m) { return uses(m.value); });
  };
  json::Object& keys = dict.as_object();
  keys.erase(std::remove_if(keys.begin(), keys.end(), [&](const json::Member& k) { return !in_use(k); }),
             keys.end());
}

// Private keys of an online role: key ID → path.
std::map<std::string, std::string> OnlinePaths(const std::vector<RepoKey>& keys) {
  std::map<std::string, std::string> out;
  for (const RepoKey& k : keys) {
    if (k.signer) out[k.keyid] = k.path;
  }
  return out;
}

// The client's strict readers vouch for what the repository will sign.
Status ValidateStaged(const std::string& role, ByteView bytes, const std::string& where) {
  if (role == "root") {
    auto root = Root::Parse(bytes, where);
    return root ? OkStatus() : Status(root.error());
  }
  auto targets = Targets::Parse(bytes, where);
  return targets ? OkStatus() : Status(targets.error());
}

}  // namespace

Result<RepoKey> RepoKeyFromPublic(const crypto::VerifyingKey& key) {
  RepoKey k;
  VIGIL_ASSIGN_OR_RETURN(k.tuf_key, TufKey::ToJson(key));
  VIGIL_ASSIGN_OR_RETURN(std::string canonical, CanonicalJson(k.tuf_key));
  k.keyid = HexEncode(crypto::Sha256(AsBytes(canonical)));
  return k;
}

Result<RepoKey> LoadRepoKey(Env* env, const std::string& path) {
  if (!env->FileExists(path)) return NotFoundError(path + ": no such key file");
  auto priv = crypto::ReadPrivateKeyFile(*env, path);
  if (priv) {
    auto key = RepoKeyFromPublic(*(*priv)->PublicKey());
    if (!key) return key.error().WithContext(path);
    key->signer = std::move(*priv);
    key->path = path;
    return key;
  }
  auto pub = crypto::ReadPublicKeyFile(*env, path);
  if (!pub) {
    return InvalidArgumentError(path + ": expected a PEM private or public key (" +
                                priv.error().message() + ")");
  }
  auto key = RepoKeyFromPublic(**pub);
  if (!key) return key.error().WithContext(path);
  key->path = path;
  return key;
}

Result<internal::RepositoryImpl> internal::RepositoryImpl::Init(Env* env, const std::string& dir,
                                                                const RepoInitOptions& options,
                                                                int64_t now) {
  if (env->FileExists(StatePath(dir))) {
    return AlreadyExistsError(dir + ": already holds a repository (repo.json)");
  }
  VIGIL_RETURN_IF_ERROR(
      CheckThresholdFits("init: root", options.root_keys.size(), options.root_threshold));
  internal::RepositoryImpl repo(env, dir);
  repo.state_.consistent_snapshot = options.consistent_snapshot;
  repo.state_.roles = {"root", "targets"};
  Value root = NewDocument("root", now + repo.state_.ExpirySeconds("root"));
  Value& rs = root["signed"];
  rs["consistent_snapshot"] = options.consistent_snapshot;
  rs["keys"] = Value::MakeObject();
  rs["roles"] = Value::MakeObject();
  rs["roles"]["root"] = Value::MakeObject({{"keyids", AddKeys(rs["keys"], options.root_keys)},
                                           {"threshold", options.root_threshold}});
  for (const char* role : {"targets", "snapshot", "timestamp"}) {
    auto it = options.role_keys.find(role);
    const std::vector<RepoKey> none;
    const auto& keys = it == options.role_keys.end() ? none : it->second;
    uint32_t threshold = options.thresholds.contains(role) ? options.thresholds.at(role) : 1;
    VIGIL_RETURN_IF_ERROR(CheckThresholdFits(std::string("init: ") + role, keys.size(), threshold));
    for (const RepoKey& k : keys) {
      if (Contains(rs["roles"]["root"]["keyids"], k.keyid)) {
        return InvalidArgumentError(std::string("init: ") + k.path + " is a root key and a " +
                                    role + " key; root keys must stay offline");
      }
    }
    rs["roles"][role] =
        Value::MakeObject({{"keyids", AddKeys(rs["keys"], keys)}, {"threshold", threshold}});
    if (auto paths = OnlinePaths(keys); !paths.empty()) repo.state_.online_keys[role] = paths;
  }
  Value targets = NewDocument("targets", now + repo.state_.ExpirySeconds("targets"));
  targets["signed"]["targets"] = Value::MakeObject();
  repo.staged_["root"] = std::move(root);
  repo.staged_["targets"] = std::move(targets);
  for (const RepoKey& k : options.root_keys) {
    if (k.signer) VIGIL_RETURN_IF_ERROR(repo.Sign("root", k));
  }
  return repo;
}

Result<internal::RepositoryImpl> internal::RepositoryImpl::Open(Env* env, const std::string& dir) {
  if (!env->FileExists(StatePath(dir))) {
    return NotFoundError(dir + ": no repository here (repo.json missing; run `vigil repo init`)");
  }
  internal::RepositoryImpl repo(env, dir);
  VIGIL_ASSIGN_OR_RETURN(Bytes state, env->ReadFileLimited(StatePath(dir), RepoState::kMaxFileBytes,
                                                           "a repository state file"));
  VIGIL_ASSIGN_OR_RETURN(repo.state_, RepoState::Parse(state, StatePath(dir)));
  for (const std::string& role : repo.state_.roles) {
    std::string path = StagedPath(dir, role);
    // Staged at most what a client would download: a bigger document could never be published.
    VIGIL_ASSIGN_OR_RETURN(Bytes bytes,
                           env->ReadFileLimited(path, MaxMetadataBytes(role), "TUF metadata"));
    // The client's strict readers vouch for what we will sign.
    VIGIL_RETURN_IF_ERROR(ValidateStaged(role, bytes, path));
    VIGIL_ASSIGN_OR_RETURN(repo.staged_[role], ParseStrictJson(AsStringView(bytes), path));
  }
  return repo;
}

Status internal::RepositoryImpl::Save() {
  VIGIL_RETURN_IF_ERROR(env_->CreateDir(JoinPath(dir_, "staged")));
  for (const auto& [role, doc] : staged_) {
    VIGIL_RETURN_IF_ERROR(env_->WriteFileAtomic(StagedPath(dir_, role), AsBytes(json::Write(doc, 2))));
  }
  return env_->WriteFileAtomic(StatePath(dir_), AsBytes(state_.Serialize()));
}

Result<const Value*> internal::RepositoryImpl::Staged(const std::string& role) const {
  auto it = staged_.find(role);
  if (it == staged_.end()) return NotFoundError("no staged metadata for role \"" + role + "\"");
  return &it->second;
}

Status internal::RepositoryImpl::MarkChanged(const std::string& role, int64_t now) {
  Value& doc = staged_.at(role);
  auto version = static_cast<uint64_t>(doc["signed"]["version"].as_int());
  uint64_t published = state_.PublishedVersion(role);
  if (version <= published) {
    doc["signed"]["version"] = published + 1;
    doc["signed"]["expires"] = FormatTufTime(now + state_.ExpirySeconds(role));
  }
  doc["signatures"] = Value::MakeArray();  // they covered the old content
  return OkStatus();
}

Result<std::pair<std::string, Value*>> internal::RepositoryImpl::Delegation(
    const std::string& role) {
  for (auto& [delegator, doc] : staged_) {
    Value& s = doc["signed"];
    if (delegator == "root" || s.Find("delegations") == nullptr) continue;
    for (Value& entry : s["delegations"]["roles"].as_array()) {
      if (entry["name"] == Value(role)) return std::make_pair(delegator, &entry);
    }
  }
  return NotFoundError("role \"" + role + "\": no staged role delegates to it");
}

Result<std::pair<Value, Value>> internal::RepositoryImpl::KeysOf(const std::string& role) const {
  if (IsTopLevel(role)) {
    const Value& rs = staged_.at("root")["signed"];
    return std::make_pair(rs["keys"], rs["roles"][role]);
  }
  VIGIL_ASSIGN_OR_RETURN(auto d, const_cast<internal::RepositoryImpl*>(this)->Delegation(role));
  return std::make_pair(staged_.at(d.first)["signed"]["delegations"]["keys"], *d.second);
}

Status internal::RepositoryImpl::AddTarget(const std::string& role, const std::string& target_path,
                                           ByteView content, const Value& custom,
                                           int64_t now) {
  VIGIL_RETURN_IF_ERROR(CheckTargetPath(target_path));
  if (role == "root" || !staged_.contains(role)) {
    return InvalidArgumentError("add-target: \"" + role +
                                "\" is not a targets role of this repository");
  }
  if (role != "targets") {
    VIGIL_ASSIGN_OR_RETURN(auto d, Delegation(role));
    DelegatedRole spec;
    const Value& e = *d.second;
    const Value* patterns = e.Find("paths");
    if (patterns != nullptr) {
      spec.paths = Strings(*patterns);
    } else {
      patterns = &e["path_hash_prefixes"];
      spec.path_hash_prefixes = Strings(*patterns);
    }
    if (!spec.IsDelegatedPath(target_path)) {
      return InvalidArgumentError("add-target: role \"" + role + "\" is not trusted for \"" +
                                  target_path + "\" (its delegation: " + json::Write(*patterns) +
                                  ")");
    }
  }
  // A target declaring its release (custom.vigil) is read by the device's own reader, so the
  // repository never signs a release every device would refuse at install.
  if (custom.is_object() && custom.Find("vigil") != nullptr) {
    if (auto release = TargetRelease::FromCustom(custom, target_path); !release) {
      return InvalidArgumentError("add-target: " + release.error().message());
    }
  }
  std::string staged = JoinPath(JoinPath(dir_, "staged-targets"), target_path);
  VIGIL_RETURN_IF_ERROR(env_->CreateDir(DirName(staged)));
  VIGIL_RETURN_IF_ERROR(env_->WriteFileAtomic(staged, content));
  Value entry = Value::MakeObject(
      {{"length", content.size()},
       {"hashes", Value::MakeObject({{"sha256", HexEncode(crypto::Sha256(content))}})}});
  if (!custom.is_null()) entry["custom"] = custom;
  staged_[role]["signed"]["targets"][target_path] = std::move(entry);
  state_.staged_targets.insert(target_path);
  return MarkChanged(role, now);
}

Status internal::RepositoryImpl::Delegate(const DelegationOptions& o, int64_t now) {
  const std::string what = "delegate " + o.name;
  if (!IsValidRoleName(o.name) || IsTopLevel(o.name)) {
    return InvalidArgumentError(what +
                                ": role names are 1-64 characters of [A-Za-z0-9._-], "
                                "not starting with '.', and not a top-level role");
  }
  if (staged_.contains(o.name)) return AlreadyExistsError(what + ": role exists");
  if (o.delegator == "root" || !staged_.contains(o.delegator)) {
    return InvalidArgumentError(what + ": delegating role \"" + o.delegator +
                                "\" is not a targets role of this repository");
  }
  VIGIL_RETURN_IF_ERROR(CheckThresholdFits(what, o.keys.size(), o.threshold));
  VIGIL_RETURN_IF_ERROR(CheckNotRootKeys(what, o.keys));
  if (o.paths.empty() == o.path_hash_prefixes.empty()) {
    return InvalidArgumentError(what + ": give either paths or path hash prefixes");
  }
  for (const std::string& p : o.path_hash_prefixes) {
    if (p.empty() || p.size() > 64 || p.find_first_not_of("0123456789abcdef") != p.npos) {
      return InvalidArgumentError(what + ": path hash prefix \"" + p + "\" is not lower-case hex");
    }
  }
  Value& s = staged_[o.delegator]["signed"];
  if (s.Find("delegations") == nullptr) {
    s["delegations"] =
        Value::MakeObject({{"keys", Value::MakeObject()}, {"roles", Value::MakeArray()}});
  }
  Value role = Value::MakeObject({{"name", o.name},
                                  {"keyids", AddKeys(s["delegations"]["keys"], o.keys)},
                                  {"threshold", o.threshold},
                                  {"terminating", o.terminating}});
  if (!o.paths.empty()) role["paths"] = StringArray(o.paths);
  if (!o.path_hash_prefixes.empty()) role["path_hash_prefixes"] = StringArray(o.path_hash_prefixes);
  s["delegations"]["roles"].Push(std::move(role));
  VIGIL_RETURN_IF_ERROR(MarkChanged(o.delegator, now));
  Value doc = NewDocument("targets", now + state_.ExpirySeconds(o.name));
  doc["signed"]["targets"] = Value::MakeObject();
  staged_[o.name] = std::move(doc);
  state_.roles.push_back(o.name);
  if (auto paths = OnlinePaths(o.keys); !paths.empty()) state_.online_keys[o.name] = paths;
  return OkStatus();
}

Status internal::RepositoryImpl::Rotate(const RotateOptions& o, int64_t now) {
  const std::string what = "rotate " + o.role;
  if (!IsTopLevel(o.role)) return RotateDelegated(o, now);
  Value rs = staged_.at("root")["signed"];  // changed as a copy: a refusal leaves no trace
  for (const RepoKey& k : o.add) {
    for (const auto& [other, e] : rs["roles"].as_object()) {
      if ((o.role == "root") != (other == "root") && Contains(e["keyids"], k.keyid)) {
        return InvalidArgumentError(what + ": " + k.path + " is already a key of " + other +
                                    "; root keys and online keys must differ");
      }
    }
  }
  VIGIL_RETURN_IF_ERROR(ChangeKeys(what, o, rs["keys"], rs["roles"][o.role]));
  DropUnusedKeys(rs["keys"], rs["roles"]);
  staged_.at("root")["signed"] = std::move(rs);
  if (o.role != "root") UpdateOnlineKeys(o);
  VIGIL_RETURN_IF_ERROR(MarkChanged("root", now));
  if (o.role == "targets") VIGIL_RETURN_IF_ERROR(MarkChanged("targets", now));
  for (const RepoKey& k : o.signers) VIGIL_RETURN_IF_ERROR(Sign("root", k));
  return OkStatus();
}

// TUF §4.5: a delegated role's keys and threshold live in its delegator's delegations entry, so
// the rotation is a new version of the delegator (signed by the delegator's keys at publish or
// with `vigil repo sign`) and a new version of the role itself, signed by its new keys: clients
// verify the role's metadata against the delegation in the delegator version they just trusted.
Status internal::RepositoryImpl::RotateDelegated(const RotateOptions& o, int64_t now) {
  const std::string what = "rotate " + o.role;
  if (o.role.empty() || !staged_.contains(o.role)) {
    return InvalidArgumentError(what +
                                ": no such role in this repository; expected root, targets, "
                                "snapshot, timestamp or a role created with `vigil repo delegate`");
  }
  VIGIL_RETURN_IF_ERROR(CheckNotRootKeys(what, o.add));
  VIGIL_ASSIGN_OR_RETURN(auto d, Delegation(o.role));
  Value delegations = staged_.at(d.first)["signed"]["delegations"];  // a copy, as above
  Value* entry = nullptr;
  for (Value& e : delegations["roles"].as_array()) entry = e["name"] == Value(o.role) ? &e : entry;
  VIGIL_RETURN_IF_ERROR(ChangeKeys(what, o, delegations["keys"], *entry));
  for (const RepoKey& k : o.signers) {
    if (!k.signer || !Contains((*entry)["keyids"], k.keyid)) {
      return PermissionDeniedError(what + ": " + k.path + " cannot sign " + o.role +
                                   ": not a private key of the role after the change");
    }
  }
  DropUnusedKeys(delegations["keys"], delegations["roles"]);
  staged_.at(d.first)["signed"]["delegations"] = std::move(delegations);
  UpdateOnlineKeys(o);
  VIGIL_RETURN_IF_ERROR(MarkChanged(d.first, now));
  VIGIL_RETURN_IF_ERROR(MarkChanged(o.role, now));
  for (const RepoKey& k : o.signers) VIGIL_RETURN_IF_ERROR(Sign(o.role, k));
  return OkStatus();
}

void internal::RepositoryImpl::UpdateOnlineKeys(const RotateOptions& o) {
  for (const RepoKey& k : o.add) {
    if (k.signer) state_.online_keys[o.role][k.keyid] = k.path;
  }
  auto paths = state_.online_keys.find(o.role);
  if (paths == state_.online_keys.end()) return;
  for (const std::string& id : o.remove) paths->second.erase(id);
  if (paths->second.empty()) state_.online_keys.erase(paths);
}

Status internal::RepositoryImpl::CheckNotRootKeys(const std::string& what,
                                                  const std::vector<RepoKey>& keys) const {
  const Value& root_ids = staged_.at("root")["signed"]["roles"]["root"]["keyids"];
  for (const RepoKey& k : keys) {
    if (Contains(root_ids, k.keyid)) {
      return InvalidArgumentError(what + ": " + k.path +
                                  " is a root key; root keys must stay offline");
    }
  }
  return OkStatus();
}

Status internal::RepositoryImpl::SetExpiry(const std::string& role, std::optional<int64_t> duration,
                                           std::optional<int64_t> at, int64_t now) {
  if (duration.has_value() == at.has_value()) {
    return InvalidArgumentError("expire: give either a duration or an absolute time");
  }
  bool online = role == "snapshot" || role == "timestamp";
  if (!online && !staged_.contains(role)) {
    return InvalidArgumentError("expire: \"" + role + "\" is not a role of this repository");
  }
  int64_t expires = at ? *at : now + *duration;
  if (expires <= now) {
    return InvalidArgumentError("expire: " + role + " would expire at " + FormatTufTime(expires) +
                                ", not after now (" + FormatTufTime(now) + ")");
  }
  if (duration) state_.expiry_seconds[role] = *duration;
  if (online) {
    state_.next_expires[role] = expires;
    return OkStatus();
  }
  VIGIL_RETURN_IF_ERROR(MarkChanged(role, now));
  staged_[role]["signed"]["expires"] = FormatTufTime(expires);
  return OkStatus();
}

Status internal::RepositoryImpl::Sign(const std::string& role, const RepoKey& key) {
  if (!key.signer) {
    return InvalidArgumentError("sign " + role + ": " + key.path +
                                " is a public key; signing needs the private key file");
  }
  if (role == "snapshot" || role == "timestamp") {
    return InvalidArgumentError("sign " + role +
                                ": snapshot and timestamp are signed by their online keys "
                                "when the repository is published");
  }
  auto it = staged_.find(role);
  if (it == staged_.end()) {
    return InvalidArgumentError("sign: \"" + role + "\" is not a role of this repository");
  }
  auto version = static_cast<uint64_t>(it->second["signed"]["version"].as_int());
  if (version <= state_.PublishedVersion(role)) {
    return FailedPreconditionError("sign " + role + ": v" + std::to_string(version) +
                                   " is already published; nothing new to sign");
  }
  VIGIL_ASSIGN_OR_RETURN(auto keys, KeysOf(role));
  bool allowed = Contains(keys.second["keyids"], key.keyid);
  if (!allowed && role == "root") {
    VIGIL_ASSIGN_OR_RETURN(Value previous, PreviousRoot());
    allowed =
        !previous.is_null() && Contains(previous["signed"]["roles"]["root"]["keyids"], key.keyid);
  }
  if (!allowed) {
    return PermissionDeniedError("sign " + role + ": " + key.path + " (key " +
                                 key.keyid.substr(0, 16) + "...) is not a key of " + role +
                                 (role == "root" ? " (nor of the published root)" : ""));
  }
  return SignDocument(it->second, *key.signer, key.keyid);
}

Status internal::RepositoryImpl::SignDocument(Value& doc, crypto::SigningKey& key,
                                              const std::string& keyid) {
  VIGIL_ASSIGN_OR_RETURN(std::string canonical, CanonicalJson(doc["signed"]));
  VIGIL_ASSIGN_OR_RETURN(Bytes sig, key.Sign(AsBytes(canonical)));
  json::Array& sigs = doc["signatures"].as_array();
  std::erase_if(sigs, [&](const Value& s) { return s["keyid"] == Value(keyid); });
  sigs.push_back(Value::MakeObject({{"keyid", keyid}, {"sig", HexEncode(sig)}}));
  return OkStatus();
}

// ---- Repository: forwards to RepositoryImpl ----

Repository::Repository(std::unique_ptr<internal::RepositoryImpl> impl) : impl_(std::move(impl)) {}
Repository::~Repository() = default;
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;

Result<Repository> Repository::Init(Env* env, const std::string& dir,
                                    const RepoInitOptions& options, int64_t now) {
  VIGIL_ASSIGN_OR_RETURN(internal::RepositoryImpl impl,
                         internal::RepositoryImpl::Init(env, dir, options, now));
  return Repository(std::make_unique<internal::RepositoryImpl>(std::move(impl)));
}

Result<Repository> Repository::Open(Env* env, const std::string& dir) {
  VIGIL_ASSIGN_OR_RETURN(internal::RepositoryImpl impl, internal::RepositoryImpl::Open(env, dir));
  return Repository(std::make_unique<internal::RepositoryImpl>(std::move(impl)));
}

Status Repository::AddTarget(const std::string& role, const std::string& target_path,
                             ByteView content, const Value& custom, int64_t now) {
  return impl_->AddTarget(role, target_path, content, custom, now);
}

Status Repository::Delegate(const DelegationOptions& options, int64_t now) {
  return impl_->Delegate(options, now);
}

Status Repository::Rotate(const RotateOptions& options, int64_t now) {
  return impl_->Rotate(options, now);
}

Status Repository::Sign(const std::string& role, const RepoKey& key) {
  return impl_->Sign(role, key);
}

Status Repository::SetExpiry(const std::string& role, std::optional<int64_t> duration,
                             std::optional<int64_t> at, int64_t now) {
  return impl_->SetExpiry(role, duration, at, now);
}

Result<PublishReport> Repository::Publish(int64_t now) { return impl_->Publish(now); }

Status Repository::Save() { return impl_->Save(); }

Result<Value> Repository::Staged(const std::string& role) const {
  VIGIL_ASSIGN_OR_RETURN(const Value* doc, impl_->Staged(role));
  return *doc;
}

const std::string& Repository::dir() const { return impl_->dir(); }

}  // namespace vigil::update
