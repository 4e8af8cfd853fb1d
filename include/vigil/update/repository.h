// TUF repository tooling for the manufacturer (the `vigil repo` command): a repository
// directory in which metadata is staged, signed by one or several keys in separate steps, and
// published as a static tree that any web server can serve to the TUF client (updater.h) or to
// any other TUF 1.0 client.
//
// Layout of a repository directory DIR:
//   DIR/repo.json              state (repo_state.h): published versions, online key paths,
//                              expiry durations; never holds a root key or any key material
//   DIR/staged/<role>.json     the next version of root, targets and every delegated role
//                              (full documents: "signed" + "signatures")
//   DIR/staged-targets/<path>  target files added since the last publish
//   DIR/public/metadata/       published metadata: <v>.root.json for every root version, and
//                              with consistent snapshots <v>.<role>.json; timestamp.json
//   DIR/public/targets/        published targets, as <sha256>.<name> with consistent snapshots
//
// Security properties:
//  - Root keys are offline: root is only ever signed with key files passed to the call that
//    signs (Init, Rotate, Sign); their paths are never written to DIR. Online roles (targets,
//    snapshot, timestamp, delegated roles) may reference private key files by path.
//  - Threshold signing: a staged role collects signatures across invocations (Sign); Publish
//    refuses any role below its threshold (a new root: below the threshold of its own root keys
//    OR of the previously published root's) and names role, threshold and signatures present.
//  - Any change to a role's signed content bumps its version once per publish and drops the
//    signatures over the old content; Publish refuses metadata that is already expired.
//  - Publish is atomic for clients: every file is written with atomic replace, versioned and
//    hash-named files first and timestamp.json last, so a client sees either the old or the new
//    repository, never a mix (with consistent snapshots, which Init enables by default).
//
// Thread-safety: not thread-safe; one Repository per directory at a time (no locking between
// processes: run one `vigil repo` command at a time per repository).
#ifndef VIGIL_UPDATE_REPOSITORY_H_
#define VIGIL_UPDATE_REPOSITORY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vigil/core/env.h"
#include "vigil/core/json.h"
#include "vigil/core/result.h"
#include "vigil/crypto/signature.h"
#include "vigil/update/repo_state.h"

namespace vigil::update {

namespace internal {
class RepositoryImpl;
}  // namespace internal

// A key named on the command line: a public key (listed in metadata only) or a private key
// (listed, and able to sign). Supported: ed25519, ecdsa-p256-sha256, ml-dsa-65,
// ml-dsa-65+ed25519.
struct RepoKey {
  std::string path;                            // the file it was read from
  std::string keyid;                           // sha256 of the canonical TUF key object
  json::Value tuf_key;                         // {"keytype", "scheme", "keyval": {"public"}}
  std::shared_ptr<crypto::SigningKey> signer;  // null for a public key file
};

// Reads a PEM private key (PKCS#8) or, failing that, a PEM public key (SPKI). InvalidArgument
// naming the file if it is neither, or of an algorithm TUF metadata cannot carry.
Result<RepoKey> LoadRepoKey(Env* env, const std::string& path);

// The TUF key object and key ID of a public key (key ID: hex SHA-256 of the key object's
// canonical JSON, as python-tuf computes it).
Result<RepoKey> RepoKeyFromPublic(const crypto::VerifyingKey& key);

struct RepoInitOptions {
  std::vector<RepoKey> root_keys;  // private ones sign root v1; paths never stored
  uint32_t root_threshold = 1;
  // Keys of targets, snapshot and timestamp; private key paths are stored (online roles).
  std::map<std::string, std::vector<RepoKey>> role_keys;
  std::map<std::string, uint32_t> thresholds;  // default 1
  bool consistent_snapshot = true;
};

struct DelegationOptions {
  std::string delegator = "targets";
  std::string name;
  std::vector<RepoKey> keys;
  uint32_t threshold = 1;
  std::vector<std::string> paths;               // glob patterns, or
  std::vector<std::string> path_hash_prefixes;  // hex prefixes; exactly one list non-empty
  bool terminating = false;
};

struct RotateOptions {
  std::string role;                   // root, targets, snapshot, timestamp or a delegated role
  std::vector<RepoKey> add;           // keys that join the role
  std::vector<std::string> remove;    // key IDs that leave it
  std::optional<uint32_t> threshold;  // new threshold, if it changes
  // Keys that sign now: for a top-level role, root keys (old and new) signing the new root; for
  // a delegated role, keys of the role (after the change) signing its new version.
  std::vector<RepoKey> signers;
};

// What one Publish wrote.
struct PublishReport {
  std::map<std::string, uint64_t> versions;  // every role → its published version
  std::vector<std::string> changed;          // roles with a new version in this publish
  size_t target_files = 0;                   // target files moved into public/targets
};

class Repository {
 public:
  // Creates DIR (must not hold a repository yet) with root v1, empty targets v1, staged for the
  // first Publish. `now` (Unix seconds) sets the initial expiries. InvalidArgument for missing
  // keys, thresholds above the number of keys, a root key also given for an online role;
  // AlreadyExists if DIR/repo.json exists.
  static Result<Repository> Init(Env* env, const std::string& dir, const RepoInitOptions& options,
                                 int64_t now);

  // Opens an existing repository, validating repo.json and every staged document with the
  // client's strict readers. NotFound if DIR holds no repository; ResourceExhausted, unread, if
  // repo.json is over RepoState::kMaxFileBytes or a staged document over its role's limit
  // (MaxMetadataBytes: what a client would refuse to download is never signed).
  static Result<Repository> Open(Env* env, const std::string& dir);

  // Adds (or replaces) `target_path` in `role` with `content`; `custom` is written as the
  // target's "custom" field unless null. InvalidArgument for unsafe paths (empty or '.'/'..'
  // segments, characters outside [A-Za-z0-9._+~-]), unknown roles, a delegated role not
  // trusted for the path, or a custom.vigil the device would refuse at install (read by
  // TargetRelease::FromCustom, the installer's reader: release >= 1 and security_version are
  // integers; a target without custom.vigil is staged as it is, but is not installable).
  Status AddTarget(const std::string& role, const std::string& target_path, ByteView content,
                   const json::Value& custom, int64_t now);

  // Delegates paths from `options.delegator` to a new targets role. InvalidArgument for a
  // bad or duplicate role name, no keys, threshold above the key count, no or both path lists.
  Status Delegate(const DelegationOptions& options, int64_t now);

  // Changes the keys or threshold of a role. Top-level role: in a new root version, signed with
  // `options.signers`; Publish then needs that root signed by a threshold of the new root keys
  // and of the previous root's (Sign adds the missing ones). Delegated role (TUF §4.5): in its
  // delegator's delegations entry (keys no delegation uses any more leave delegations.keys); the
  // delegator and the role both get a new version, the role's signed with `options.signers` or,
  // at Publish, with its new online keys, so clients verify it against the new delegation.
  // Refusals leave the staged metadata as it was: InvalidArgument for an unknown role, a
  // threshold of 0 or above the keys left, a root key joining an online or delegated role;
  // NotFound for a removed key the role does not have; PermissionDenied for a signer that is
  // not a key of the delegated role after the change (for root, Sign's rule applies after the
  // change is staged).
  Status Rotate(const RotateOptions& options, int64_t now);

  // Adds `key`'s signature to the staged `role` (root, targets or a delegated role), replacing
  // an older signature by the same key. PermissionDenied if the key is not one of the role's
  // keys (for root: of the staged or of the last published root); FailedPrecondition if the
  // staged version was already published (nothing to sign).
  Status Sign(const std::string& role, const RepoKey& key);

  // Sets when `role` expires: `duration` seconds after now (kept as the role's default for
  // future versions) or at the absolute time `at`. Root, targets and delegated roles get a new
  // staged version; snapshot and timestamp use it at the next Publish.
  Status SetExpiry(const std::string& role, std::optional<int64_t> duration,
                   std::optional<int64_t> at, int64_t now);

  // Signs what online keys can sign, checks every threshold and expiry, and writes the new
  // versions into DIR/public (new snapshot and timestamp every time). Nothing is written when a
  // check fails: Unauthenticated names the role, its threshold and the signatures present;
  // FailedPrecondition names an expired role.
  Result<PublishReport> Publish(int64_t now);

  // Persists the staged documents and repo.json (each file atomically).
  Status Save();

  // A copy of the staged document of `role` (for inspection); NotFound if there is none.
  Result<json::Value> Staged(const std::string& role) const;
  const std::string& dir() const;

  ~Repository();
  Repository(Repository&&) noexcept;
  Repository& operator=(Repository&&) noexcept;

 private:
  explicit Repository(std::unique_ptr<internal::RepositoryImpl> impl);

  // The staged documents and the code that edits and signs them; private to the module
  // (src/update/internal/repository_impl.h) so that this header needs no JSON library beyond
  // core's.
  std::unique_ptr<internal::RepositoryImpl> impl_;
};

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_REPOSITORY_H_
