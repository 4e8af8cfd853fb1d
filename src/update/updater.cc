#include "vigil/update/updater.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "internal/durable_dir.h"
#include "vigil/core/encoding.h"
#include "vigil/crypto/hash.h"

namespace vigil::update {
namespace {

using internal::CreateDurableDir;

std::string TimeText(int64_t t) { return std::to_string(t) + " (Unix seconds)"; }

std::set<std::string> KeyIdSet(const Root& root, const std::string& role) {
  const auto& ids = root.roles.at(role).keyids;
  return {ids.begin(), ids.end()};
}

Error Rollback(const std::string& what, uint64_t trusted, uint64_t found) {
  return FailedPreconditionError(what + ": rollback refused: version " + std::to_string(found) +
                                 " is below the trusted version " + std::to_string(trusted));
}

}  // namespace

Result<int64_t> ParseReferenceTime(std::string_view text) {
  std::string t(text);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  if (t.starts_with("@") && t.size() > 1 && t.size() < 20 &&
      t.find_first_not_of("0123456789", 1) == std::string::npos) {
    return static_cast<int64_t>(std::stoll(t.substr(1)));
  }
  if (t.size() == 25 && t.ends_with("+00:00")) t = t.substr(0, 19) + "Z";
  if (t.size() == 20 && t[10] == ' ') t[10] = 'T';
  auto v = ParseTufTime(t);
  if (v) return v;
  return InvalidArgumentError(
      "reference time: expected \"YYYY-MM-DDTHH:MM:SSZ\", \"YYYY-MM-DD "
      "HH:MM:SS+00:00\" or \"@<Unix seconds>\", found \"" +
      t.substr(0, 64) + "\"");
}

Result<UpdaterOptions> MakeUpdaterOptions(Env& env, std::string metadata_dir,
                                          std::string metadata_url, std::string targets_url,
                                          std::string_view time) {
  UpdaterOptions o;
  o.metadata_dir = std::move(metadata_dir);
  o.metadata_base_url = std::move(metadata_url);
  o.targets_base_url = std::move(targets_url);
  while (o.metadata_base_url.ends_with('/')) o.metadata_base_url.pop_back();
  while (o.targets_base_url.ends_with('/')) o.targets_base_url.pop_back();
  if (time.empty()) {
    o.reference_time = env.NowUnixMicros() / 1000000;
  } else {
    auto t = ParseReferenceTime(time);
    if (!t) return t.error().WithContext("--time");
    o.reference_time = *t;
  }
  return o;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

Status CheckLengthAndHashes(ByteView data, std::optional<uint64_t> length,
                            const std::map<std::string, Bytes>& hashes, const std::string& what) {
  if (length && data.size() != *length) {
    return DataLossError(what + ": expected length " + std::to_string(*length) + ", found " +
                         std::to_string(data.size()) + " bytes");
  }
  int checked = 0;
  for (const auto& [name, expected] : hashes) {
    std::optional<crypto::AlgorithmId> alg;
    if (name == "sha256") alg = crypto::AlgorithmId::kSha256;
    if (name == "sha512") alg = crypto::AlgorithmId::kSha512;
    if (!alg) continue;
    VIGIL_ASSIGN_OR_RETURN(Bytes digest, crypto::Digest(*alg, data));
    if (digest != expected) {
      return DataLossError(what + ": " + name + " mismatch: expected " + HexEncode(expected) +
                           ", found " + HexEncode(digest));
    }
    ++checked;
  }
  if (!hashes.empty() && checked == 0) {
    return DataLossError(what +
                         ": none of the listed hash algorithms is supported (sha256, "
                         "sha512)");
  }
  return OkStatus();
}

Status Updater::Initialize(Env* env, const std::string& metadata_dir, ByteView root_bytes) {
  VIGIL_ASSIGN_OR_RETURN(Root root, Root::Parse(root_bytes, "initial root"));
  VIGIL_RETURN_IF_ERROR(
      VerifyThreshold(root.envelope, root.keys, root.roles.at("root"), "initial root"));
  VIGIL_RETURN_IF_ERROR(CreateDurableDir(env, metadata_dir));
  return env->WriteFileAtomic(JoinPath(metadata_dir, "root.json"), root_bytes);
}

Result<std::unique_ptr<Updater>> Updater::Create(UpdaterOptions options, Env* env,
                                                 Fetcher* fetcher) {
  std::string path = JoinPath(options.metadata_dir, "root.json");
  if (!env->FileExists(path)) return NotFoundError(path + ": no trusted root (run init first)");
  VIGIL_ASSIGN_OR_RETURN(
      Bytes bytes, env->ReadFileLimited(path, options.root_max_length, "trusted TUF metadata"));
  VIGIL_ASSIGN_OR_RETURN(Root root, Root::Parse(bytes, "trusted root.json"));
  VIGIL_RETURN_IF_ERROR(
      VerifyThreshold(root.envelope, root.keys, root.roles.at("root"), "trusted root.json"));
  return std::unique_ptr<Updater>(new Updater(std::move(options), env, fetcher, std::move(root)));
}

Updater::Updater(UpdaterOptions options, Env* env, Fetcher* fetcher, Root root)
    : options_(std::move(options)), env_(env), fetcher_(fetcher), root_(std::move(root)) {}

Status Updater::Refresh() {
  refreshed_ = false;
  timestamp_.reset();
  snapshot_.reset();
  targets_.clear();
  Status steps = RefreshSteps();
  // Also after a failure: what the refresh accepted before it is durable when Refresh returns.
  Status synced = SyncAnchors();
  VIGIL_RETURN_IF_ERROR(steps);
  VIGIL_RETURN_IF_ERROR(synced);
  refreshed_ = true;
  return OkStatus();
}

Status Updater::RefreshSteps() {
  VIGIL_RETURN_IF_ERROR(UpdateRoot());
  VIGIL_RETURN_IF_ERROR(UpdateTimestamp());
  VIGIL_RETURN_IF_ERROR(UpdateSnapshot());
  auto top = LoadTargets("targets", root_.keys, root_.roles.at("targets"));
  if (!top) return top.error();
  return OkStatus();
}

Status Updater::CheckFresh(const Envelope& envelope, const std::string& role) const {
  if (envelope.expires > options_.reference_time) return OkStatus();
  return FailedPreconditionError(role + " v" + std::to_string(envelope.version) + ": expired at " +
                                 TimeText(envelope.expires) + ", reference time " +
                                 TimeText(options_.reference_time) +
                                 " (freeze attack or stale repository)");
}

// Trusted metadata on disk comes in two classes, as the specification's rollback defence does:
//
//  - root, timestamp and snapshot are the rollback anchors. A new version is compared with the
//    trusted one (the root chain, timestamp and snapshot versions, and every role version the
//    snapshot lists), so losing an accepted version in a power cut would let an attacker replay
//    an older one to a device that already acted on the newer one.
//
//    root.json is durable before the next step uses it (file synced, renamed, directory
//    synced): a rotation may delete timestamp.json and snapshot.json (fast-forward recovery),
//    and that deletion must never reach the disk while the rotation does not, or a device back
//    on the old root would have no timestamp to compare with and accept one signed by the
//    rotated-out key.
//
//    timestamp.json and snapshot.json have their data synced before they are renamed into
//    place, so a rename that survives a power cut always names complete, verified bytes. Their
//    renames are made durable by one directory sync that Refresh runs before it returns, on
//    success and on failure (SyncAnchors), instead of one per file. Nothing outside a refresh
//    sees a timestamp or snapshot before Refresh returns; inside it they only select what to
//    download next. A power cut before that sync leaves, for each of the two, the old or the
//    new verified version: old ones are what the device last acted on (a refresh that did not
//    return has produced nothing to act on), so a replay of them gains the attacker nothing,
//    and every mix of old and new is a state the rollback checks handle (a newer snapshot
//    beside an older timestamp makes the older snapshot that timestamp names fail the role
//    version checks against the newer one; the reverse is the state between the two steps).
//    The power-loss tests (tests/update/power_loss_test.cc) refresh from every crash image.
//
//  - targets and delegated roles anchor nothing. The client never trusts a local copy as such:
//    LoadLocal re-verifies its signatures against the delegator's keys on every load, and
//    LoadTargets accepts it only at exactly the version (and hashes, if listed) that the durable
//    trusted snapshot names; no check ever compares a new targets role with an older local
//    one. A copy lost, torn, emptied or left at an older version by a power cut is therefore
//    refused and downloaded again, which costs bandwidth, not security. So they are written
//    with an atomic rename but without fsync: a refresh of 50 delegated roles would otherwise
//    pay 50 file and 50 directory syncs (most of its time on a real disk) for nothing the
//    client relies on. The kernel writes them back on its own schedule; the power-loss tests
//    check that every crash image, torn writes included, still refreshes to the right versions
//    and keeps the anchors.
Status Updater::ReplaceFile(const std::string& file, ByteView bytes, bool sync) {
  if (!env_->FileExists(JoinPath(options_.metadata_dir, "root.json"))) {
    VIGIL_RETURN_IF_ERROR(CreateDurableDir(env_, options_.metadata_dir));
  }
  // The rename matters even unsynced: a reader never sees a half-written file under the role's
  // name while the system stays up, and a crash leaves the old inode or the new one.
  return env_->ReplaceFile(JoinPath(options_.metadata_dir, file), bytes, sync);
}

Status Updater::PersistRoot(ByteView bytes) {
  VIGIL_RETURN_IF_ERROR(ReplaceFile("root.json", bytes, /*sync=*/true));
  VIGIL_RETURN_IF_ERROR(env_->SyncDir(options_.metadata_dir));
  anchors_unsynced_ = false;  // the sync covered every rename before it too
  return OkStatus();
}

Status Updater::PersistAnchor(const std::string& file, ByteView bytes) {
  VIGIL_RETURN_IF_ERROR(ReplaceFile(file, bytes, /*sync=*/true));
  anchors_unsynced_ = true;
  return OkStatus();
}

Status Updater::SyncAnchors() {
  if (!anchors_unsynced_) return OkStatus();
  VIGIL_RETURN_IF_ERROR(env_->SyncDir(options_.metadata_dir));
  anchors_unsynced_ = false;
  return OkStatus();
}

Status Updater::PersistVerifiedCopy(const std::string& file, ByteView bytes) {
  return ReplaceFile(file, bytes, /*sync=*/false);
}

Result<Bytes> Updater::FetchChecked(const std::string& url, const MetaFile* meta,
                                    uint64_t max_length, const std::string& what) {
  if (meta != nullptr && meta->length) max_length = *meta->length;
  auto bytes = fetcher_->Fetch(url, max_length);
  if (!bytes) return bytes.error().WithContext(what);
  if (meta != nullptr) {
    // Before any parsing or signature work: a mirror's substitute costs one hash.
    VIGIL_RETURN_IF_ERROR(CheckLengthAndHashes(*bytes, meta->length, meta->hashes, what));
  }
  return bytes;
}

Status Updater::UpdateRoot() {
  const Root initial = root_;
  for (uint32_t hop = 0; hop < options_.max_root_rotations; ++hop) {
    uint64_t next = root_.envelope.version + 1;
    std::string name = std::to_string(next) + ".root.json";
    auto bytes = fetcher_->Fetch(options_.metadata_base_url + "/" + name, options_.root_max_length);
    if (!bytes && bytes.error().code() == ErrorCode::kNotFound) break;
    if (!bytes) return bytes.error().WithContext("root v" + std::to_string(next));
    VIGIL_ASSIGN_OR_RETURN(Root candidate, Root::Parse(*bytes, name));
    VIGIL_RETURN_IF_ERROR(VerifyThreshold(candidate.envelope, root_.keys, root_.roles.at("root"),
                                          "root v" + std::to_string(next) +
                                              " (keys of trusted root v" +
                                              std::to_string(root_.envelope.version) + ")"));
    VIGIL_RETURN_IF_ERROR(VerifyThreshold(candidate.envelope, candidate.keys,
                                          candidate.roles.at("root"),
                                          "root v" + std::to_string(next) + " (its own keys)"));
    if (candidate.envelope.version != next) {
      return FailedPreconditionError(name + ": expected version " + std::to_string(next) +
                                     ", found " + std::to_string(candidate.envelope.version));
    }
    VIGIL_RETURN_IF_ERROR(PersistRoot(*bytes));
    root_ = std::move(candidate);
  }
  VIGIL_RETURN_IF_ERROR(CheckFresh(root_.envelope, "root"));
  // Fast-forward recovery (§5.3.11): versions signed by rotated-out keys must not pin us.
  if (KeyIdSet(initial, "timestamp") != KeyIdSet(root_, "timestamp") ||
      KeyIdSet(initial, "snapshot") != KeyIdSet(root_, "snapshot")) {
    for (const char* f : {"timestamp.json", "snapshot.json"}) {
      std::string path = JoinPath(options_.metadata_dir, f);
      if (env_->FileExists(path)) VIGIL_RETURN_IF_ERROR(env_->RemoveFile(path));
    }
  }
  return OkStatus();
}

template <typename T>
std::optional<T> Updater::LoadLocal(const std::string& file,
                                    const std::map<std::string, TufKey>& keys,
                                    const RoleKeys& role_keys, uint64_t max_length) {
  // A local file that no longer verifies (damaged, or signed by keys the root has since
  // replaced) is simply not trusted any more; expiry is deliberately not checked here.
  std::string path = JoinPath(options_.metadata_dir, file);
  if (!env_->FileExists(path)) return std::nullopt;
  // Over the role's download limit it cannot be a copy this client stored: not trusted, unread.
  auto bytes = env_->ReadFileLimited(path, max_length, "trusted TUF metadata");
  if (!bytes) return std::nullopt;
  auto parsed = T::Parse(*bytes, file);
  if (!parsed || !VerifyThreshold(parsed->envelope, keys, role_keys, file)) return std::nullopt;
  return std::move(*parsed);
}

Status Updater::UpdateTimestamp() {
  auto trusted = LoadLocal<Timestamp>("timestamp.json", root_.keys, root_.roles.at("timestamp"),
                                      options_.timestamp_max_length);
  VIGIL_ASSIGN_OR_RETURN(Bytes bytes,
                         FetchChecked(options_.metadata_base_url + "/timestamp.json", nullptr,
                                      options_.timestamp_max_length, "timestamp"));
  VIGIL_ASSIGN_OR_RETURN(Timestamp ts, Timestamp::Parse(bytes, "timestamp.json"));
  VIGIL_RETURN_IF_ERROR(
      VerifyThreshold(ts.envelope, root_.keys, root_.roles.at("timestamp"), "timestamp"));
  if (trusted) {
    if (ts.envelope.version < trusted->envelope.version) {
      return Rollback("timestamp", trusted->envelope.version, ts.envelope.version);
    }
    if (ts.snapshot_meta.version < trusted->snapshot_meta.version) {
      return Rollback("timestamp: snapshot.json", trusted->snapshot_meta.version,
                      ts.snapshot_meta.version);
    }
    if (ts.envelope.version == trusted->envelope.version) {
      // Nothing new: keep what we trust (byte-identical or not), but it must still be fresh.
      VIGIL_RETURN_IF_ERROR(CheckFresh(trusted->envelope, "timestamp"));
      timestamp_ = std::move(trusted);
      return OkStatus();
    }
  }
  VIGIL_RETURN_IF_ERROR(CheckFresh(ts.envelope, "timestamp"));
  VIGIL_RETURN_IF_ERROR(PersistAnchor("timestamp.json", bytes));
  timestamp_ = std::move(ts);
  return OkStatus();
}

std::string Updater::MetadataUrl(const std::string& role, uint64_t version) const {
  std::string file = PercentEncode(role) + ".json";
  if (root_.consistent_snapshot) file = std::to_string(version) + "." + file;
  return options_.metadata_base_url + "/" + file;
}

Status Updater::UpdateSnapshot() {
  const MetaFile& meta = timestamp_->snapshot_meta;
  auto trusted = LoadLocal<Snapshot>("snapshot.json", root_.keys, root_.roles.at("snapshot"),
                                     options_.snapshot_max_length);
  if (trusted && trusted->envelope.version == meta.version) {
    // The local copy is the one the timestamp names; check its hashes/length if listed.
    auto bytes = env_->ReadFileLimited(JoinPath(options_.metadata_dir, "snapshot.json"),
                                       options_.snapshot_max_length, "trusted TUF metadata");
    if (bytes && CheckLengthAndHashes(*bytes, meta.length, meta.hashes, "snapshot")) {
      VIGIL_RETURN_IF_ERROR(CheckFresh(trusted->envelope, "snapshot"));
      snapshot_ = std::move(trusted);
      return OkStatus();
    }
  }
  VIGIL_ASSIGN_OR_RETURN(Bytes bytes, FetchChecked(MetadataUrl("snapshot", meta.version), &meta,
                                                   options_.snapshot_max_length, "snapshot"));
  VIGIL_ASSIGN_OR_RETURN(Snapshot snap, Snapshot::Parse(bytes, "snapshot.json"));
  VIGIL_RETURN_IF_ERROR(
      VerifyThreshold(snap.envelope, root_.keys, root_.roles.at("snapshot"), "snapshot"));
  if (snap.envelope.version != meta.version) {
    return FailedPreconditionError("snapshot: expected version " + std::to_string(meta.version) +
                                   " (from timestamp), found " +
                                   std::to_string(snap.envelope.version));
  }
  if (trusted) {
    for (const auto& [name, old] : trusted->meta) {
      auto it = snap.meta.find(name);
      if (it == snap.meta.end()) {
        return FailedPreconditionError("snapshot v" + std::to_string(snap.envelope.version) + ": " +
                                       name + " is missing but the trusted snapshot v" +
                                       std::to_string(trusted->envelope.version) + " lists it");
      }
      if (it->second.version < old.version) {
        return Rollback("snapshot: " + name, old.version, it->second.version);
      }
    }
  }
  VIGIL_RETURN_IF_ERROR(CheckFresh(snap.envelope, "snapshot"));
  VIGIL_RETURN_IF_ERROR(PersistAnchor("snapshot.json", bytes));
  snapshot_ = std::move(snap);
  return OkStatus();
}

Result<const Targets*> Updater::LoadTargets(const std::string& role,
                                            const std::map<std::string, TufKey>& keys,
                                            const RoleKeys& role_keys) {
  if (auto it = targets_.find(role); it != targets_.end()) {
    // The cache is by role name, but trust is by delegation: two delegators may each delegate
    // a role of this name to different keys. A copy verified on one path says nothing about the
    // other, so it is checked against the keys and threshold of the path being walked now.
    VIGIL_RETURN_IF_ERROR(VerifyThreshold(it->second.envelope, keys, role_keys, role));
    return &it->second;
  }
  auto meta_it = snapshot_->meta.find(role + ".json");
  if (meta_it == snapshot_->meta.end()) {
    return FailedPreconditionError(role + ": the snapshot lists no " + role + ".json");
  }
  const MetaFile& meta = meta_it->second;
  const std::string file = PercentEncode(role) + ".json";
  auto trusted = LoadLocal<Targets>(file, keys, role_keys, options_.targets_max_length);
  if (trusted && trusted->envelope.version == meta.version) {
    auto bytes = env_->ReadFileLimited(JoinPath(options_.metadata_dir, file),
                                       options_.targets_max_length, "trusted TUF metadata");
    if (bytes && CheckLengthAndHashes(*bytes, meta.length, meta.hashes, role)) {
      VIGIL_RETURN_IF_ERROR(CheckFresh(trusted->envelope, role));
      return &targets_.emplace(role, std::move(*trusted)).first->second;
    }
  }
  VIGIL_ASSIGN_OR_RETURN(Bytes bytes, FetchChecked(MetadataUrl(role, meta.version), &meta,
                                                   options_.targets_max_length, role));
  VIGIL_ASSIGN_OR_RETURN(Targets targets, Targets::Parse(bytes, file));
  VIGIL_RETURN_IF_ERROR(VerifyThreshold(targets.envelope, keys, role_keys, role));
  if (targets.envelope.version != meta.version) {
    return FailedPreconditionError(role + ": expected version " + std::to_string(meta.version) +
                                   " (from snapshot), found " +
                                   std::to_string(targets.envelope.version));
  }
  VIGIL_RETURN_IF_ERROR(CheckFresh(targets.envelope, role));
  VIGIL_RETURN_IF_ERROR(PersistVerifiedCopy(file, bytes));
  return &targets_.emplace(role, std::move(targets)).first->second;
}

Result<TargetFile> Updater::GetTargetInfo(const std::string& target_path) {
  if (!refreshed_) VIGIL_RETURN_IF_ERROR(Refresh());
  // Pre-order depth-first search (§5.7.3); the stack holds (role, delegator).
  std::vector<std::pair<std::string, std::string>> stack = {{"targets", ""}};
  std::set<std::string> visited;
  while (!stack.empty()) {
    if (visited.size() >= options_.max_delegations) {
      return NotFoundError(target_path + ": not found within the cap of " +
                           std::to_string(options_.max_delegations) + " visited roles");
    }
    auto [role, delegator] = stack.back();
    stack.pop_back();
    if (!visited.insert(role).second) continue;  // cycles
    const Targets* t = nullptr;
    if (delegator.empty()) {
      t = &targets_.at("targets");
    } else {
      const Delegations& d = *targets_.at(delegator).delegations;
      auto spec = std::find_if(d.roles.begin(), d.roles.end(),
                               [&](const DelegatedRole& r) { return r.name == role; });
      VIGIL_ASSIGN_OR_RETURN(t, LoadTargets(role, d.keys, spec->keys));
    }
    if (auto hit = t->targets.find(target_path); hit != t->targets.end()) return hit->second;
    if (!t->delegations) continue;
    std::vector<std::pair<std::string, std::string>> children;
    for (const DelegatedRole& child : t->delegations->roles) {
      if (!child.IsDelegatedPath(target_path)) continue;
      children.emplace_back(child.name, role);
      if (child.terminating) {
        stack.clear();  // nothing after a terminating delegation is consulted
        break;
      }
    }
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
  return NotFoundError(target_path + ": no trusted targets role lists this target");
}

std::string Updater::TargetUrl(const std::string& target_path, const TargetFile& info) const {
  std::string remote = target_path;
  if (root_.consistent_snapshot) {
    size_t slash = remote.rfind('/');
    std::string dir = slash == std::string::npos ? "" : remote.substr(0, slash + 1);
    std::string base = slash == std::string::npos ? remote : remote.substr(slash + 1);
    remote = dir + HexEncode(info.hashes.begin()->second) + "." + base;
  }
  return options_.targets_base_url + "/" + remote;
}

Result<std::string> Updater::DownloadTarget(const std::string& target_path, const TargetFile& info,
                                            const std::string& target_dir) {
  std::string local = JoinPath(target_dir, PercentEncode(target_path));
  if (env_->FileExists(local)) {
    // A cached file longer than the target cannot be it: not read, downloaded again.
    auto cached = env_->ReadFileLimited(local, info.length, "a cached target");
    if (cached && CheckLengthAndHashes(*cached, info.length, info.hashes, target_path)) {
      return local;
    }
  }
  auto bytes = fetcher_->Fetch(TargetUrl(target_path, info), info.length);
  if (!bytes) return bytes.error().WithContext("target " + target_path);
  VIGIL_RETURN_IF_ERROR(
      CheckLengthAndHashes(*bytes, info.length, info.hashes, "target " + target_path));
  VIGIL_RETURN_IF_ERROR(CreateDurableDir(env_, target_dir));
  VIGIL_RETURN_IF_ERROR(env_->WriteFileAtomic(local, *bytes));
  return local;
}

}  // namespace vigil::update
