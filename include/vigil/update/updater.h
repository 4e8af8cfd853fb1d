// The TUF 1.0.x client workflow (specification §5.2–§5.7): from a trusted root to a verified
// target file, defending against the attacks of the TUF paper — arbitrary software, rollback,
// indefinite freeze, endless data, mix-and-match, fast-forward, key compromise below threshold,
// malicious mirrors.
//
// Security properties, in the order Refresh() establishes them:
//  - root: each new version N+1 must be signed by a threshold of the trusted root's root keys
//    AND of its own, and carry exactly version N+1; at most max_root_rotations hops per refresh;
//  - freeze: every role's expiry is compared with one reference time fixed at Create();
//  - fast-forward recovery: when the new root rotates timestamp or snapshot keys, the trusted
//    timestamp and snapshot are deleted, so versions signed by compromised keys are forgotten;
//  - timestamp/snapshot/targets: signature threshold from the delegating role; version never
//    below the trusted one; snapshot and targets versions exactly those their parent lists;
//    lengths and hashes checked BEFORE parsing or signature checks; every role listed in the
//    trusted snapshot stays listed, at no lower version;
//  - delegations: pre-order depth-first search, terminating roles end the search, paths globs
//    and path_hash_prefixes, each role verified against its delegator's keys, at most
//    max_delegations roles visited;
//  - every download limited in length (endless data), metadata persisted with atomic replace;
//    root, timestamp and snapshot (the rollback anchors) are synced before they are trusted,
//    targets and delegated roles are not (a lost copy is re-verified or downloaded again).
//
// Trusted metadata lives in metadata_dir as root.json, timestamp.json, snapshot.json,
// targets.json and <percent-encoded role>.json (the conformance suite's layout).
//
// Thread-safety: not thread-safe; one Updater per thread.
#ifndef VIGIL_UPDATE_UPDATER_H_
#define VIGIL_UPDATE_UPDATER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/update/fetcher.h"
#include "vigil/update/metadata.h"

namespace vigil::update {

struct UpdaterOptions {
  std::string metadata_dir;       // local trusted metadata
  std::string metadata_base_url;  // e.g. "http://127.0.0.1:8080/metadata" (no trailing '/')
  std::string targets_base_url;   // e.g. "http://127.0.0.1:8080/targets"
  int64_t reference_time = 0;     // Unix seconds; the one "now" every expiry is checked against
  uint32_t max_root_rotations = 256;
  uint32_t max_delegations = 32;
  // Download limits per role (metadata.h); the same bounds apply to the copies read back from
  // metadata_dir, so an oversized local file is refused unread.
  uint64_t root_max_length = kMaxRootBytes;
  uint64_t timestamp_max_length = kMaxTimestampBytes;
  uint64_t snapshot_max_length = kMaxSnapshotBytes;
  uint64_t targets_max_length = kMaxTargetsBytes;
};

class Updater {
 public:
  // Writes `root_bytes` as the trusted root.json of `metadata_dir` (created if needed) after
  // checking it parses and carries a threshold of its own root signatures. InvalidArgument /
  // Unauthenticated otherwise; I/O errors from `env`.
  static Status Initialize(Env* env, const std::string& metadata_dir, ByteView root_bytes);

  // Loads and checks the trusted root.json of options.metadata_dir. `env` and `fetcher` must
  // outlive the Updater. NotFound if there is no trusted root; InvalidArgument/Unauthenticated if
  // it is damaged.
  static Result<std::unique_ptr<Updater>> Create(UpdaterOptions options, Env* env,
                                                 Fetcher* fetcher);

  // Updates root, timestamp, snapshot and top-level targets (§5.3–§5.6). Any failure leaves the
  // trusted metadata consistent (each file is replaced atomically after it was verified); the
  // error names the role and the check that failed: Unauthenticated (signatures),
  // FailedPrecondition (expired, rollback, version mismatch), DataLoss (hash/length mismatch),
  // ResourceExhausted (too large), Unavailable/NotFound (repository).
  Status Refresh();

  // The verified description of `target_path`, searching delegations (§5.7). Refreshes first if
  // Refresh() has not succeeded yet. NotFound if no trusted role lists the path.
  Result<TargetFile> GetTargetInfo(const std::string& target_path);

  // Downloads `target_path` described by `info` into `target_dir` (file name: the
  // percent-encoded target path), unless a file with the right length and hashes is already
  // there. Returns the local path. DataLoss for a wrong length or hash (nothing is written).
  Result<std::string> DownloadTarget(const std::string& target_path, const TargetFile& info,
                                     const std::string& target_dir);

  // The URL DownloadTarget fetches `target_path` from: targets_base_url + "/" + the path, whose
  // file name is prefixed with its first listed hash when the root uses consistent snapshots.
  // For streaming the target elsewhere (vigil/update/installer.h); `info` from GetTargetInfo.
  std::string TargetUrl(const std::string& target_path, const TargetFile& info) const;

  const Root& trusted_root() const { return root_; }

 private:
  Updater(UpdaterOptions options, Env* env, Fetcher* fetcher, Root root);

  Status UpdateRoot();
  Status UpdateTimestamp();
  Status UpdateSnapshot();
  Result<const Targets*> LoadTargets(const std::string& role,
                                     const std::map<std::string, TufKey>& keys,
                                     const RoleKeys& role_keys);
  Status CheckFresh(const Envelope& envelope, const std::string& role) const;
  template <typename T>
  std::optional<T> LoadLocal(const std::string& file, const std::map<std::string, TufKey>& keys,
                             const RoleKeys& role_keys, uint64_t max_length);
  Result<Bytes> FetchChecked(const std::string& url, const MetaFile* meta, uint64_t max_length,
                             const std::string& what);
  // The steps of Refresh, before the trusted anchors are synced.
  Status RefreshSteps();
  // Durably replaces root.json in metadata_dir (file and directory synced before it returns).
  Status PersistRoot(ByteView bytes);
  // Replaces the timestamp or snapshot anchor: the file's data is synced before the rename; the
  // rename is made durable by SyncAnchors, which Refresh calls before it returns (updater.cc
  // explains why one directory sync at the end keeps the rollback argument).
  Status PersistAnchor(const std::string& file, ByteView bytes);
  Status SyncAnchors();
  // Atomically replaces a targets or delegated role's file without syncing it (updater.cc
  // explains why that is safe: nothing trusts the local copy without re-verifying it against the
  // trusted snapshot).
  Status PersistVerifiedCopy(const std::string& file, ByteView bytes);
  // write `file`.tmp (synced if `sync`), rename over `file`; the directory is not synced.
  Status ReplaceFile(const std::string& file, ByteView bytes, bool sync);
  std::string MetadataUrl(const std::string& role, uint64_t version) const;

  UpdaterOptions options_;
  Env* env_;
  Fetcher* fetcher_;
  Root root_;
  std::optional<Timestamp> timestamp_;
  std::optional<Snapshot> snapshot_;
  std::map<std::string, Targets> targets_;  // role name → verified targets metadata
  bool refreshed_ = false;
  bool anchors_unsynced_ = false;  // an anchor was renamed since the last directory sync
};

// A reference time for UpdaterOptions: "YYYY-MM-DDTHH:MM:SSZ", "YYYY-MM-DD HH:MM:SS+00:00"
// (the conformance suite's faketime files; trailing whitespace ignored) or "@<Unix seconds>".
// InvalidArgument naming the accepted forms otherwise.
Result<int64_t> ParseReferenceTime(std::string_view text);

// The options every front end builds the same way (vigil update, vigil-tuf-client, a device):
// base URLs without trailing '/', and the reference time from `time` (ParseReferenceTime's forms;
// "" = env's clock now). InvalidArgument naming "--time" for a malformed time.
Result<UpdaterOptions> MakeUpdaterOptions(Env& env, std::string metadata_dir,
                                          std::string metadata_url, std::string targets_url,
                                          std::string_view time);

// Percent-encodes everything except [A-Za-z0-9-._~] (role names in URLs and file names).
std::string PercentEncode(std::string_view s);

// OK if `data` has `length` bytes (when given) and matches every hash in `hashes` that this
// client can compute (sha256, sha512); at least one must be computable. DataLoss naming `what`
// and the mismatch otherwise.
Status CheckLengthAndHashes(ByteView data, std::optional<uint64_t> length,
                            const std::map<std::string, Bytes>& hashes, const std::string& what);

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_UPDATER_H_
