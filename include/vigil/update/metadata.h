// Strict readers for the four top-level TUF metadata roles (root, timestamp, snapshot, targets,
// the last also for delegated targets roles), TUF specification 1.0.x §4, and the threshold
// signature check of §5.
//
// Every reader takes the raw bytes of one metadata file and either returns a fully validated
// object or an InvalidArgument error whose message names the file or role, the field path and the
// rule broken, e.g.
//   "snapshot.json: signed.meta[\"targets.json\"].version: expected an integer >= 1, found -3".
// Unknown fields are allowed and ignored (the specification lets repositories add them; they are
// still covered by the signature). Parsing does NOT verify signatures or expiry: that is the
// client's job (VerifyThreshold below, vigil/update/updater.h), because which keys apply depends
// on the trusted state.
//
// Thread-safety: value types.
#ifndef VIGIL_UPDATE_METADATA_H_
#define VIGIL_UPDATE_METADATA_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/bytes.h"
#include "vigil/core/json.h"
#include "vigil/core/result.h"
#include "vigil/update/tuf_key.h"

namespace vigil::update {

// One entry of "signatures".
struct TufSignature {
  std::string keyid;
  std::string sig;  // hex; may be empty (an unsigned slot, as tuf-on-ci writes)
};

// What every metadata file has: its signatures, the canonical bytes they cover, and the common
// fields of "signed".
struct Envelope {
  std::vector<TufSignature> signatures;
  std::string canonical_signed;  // OLPC canonical JSON of "signed"
  std::string type;              // signed._type
  std::string spec_version;      // "1", "1.x" or "1.x.y"
  uint64_t version = 0;          // >= 1
  int64_t expires = 0;           // Unix seconds, from "YYYY-MM-DDTHH:MM:SSZ"
};

// A role's keys and threshold (root.roles[x] or a delegation).
struct RoleKeys {
  std::vector<std::string> keyids;  // distinct
  uint32_t threshold = 1;           // >= 1
};

// A "meta" entry (timestamp → snapshot, snapshot → targets roles).
struct MetaFile {
  uint64_t version = 0;
  std::optional<uint64_t> length;
  std::map<std::string, Bytes> hashes;  // algorithm name → digest; may be empty
};

// A "targets" entry.
struct TargetFile {
  uint64_t length = 0;
  std::map<std::string, Bytes> hashes;  // never empty
  json::Value custom;                   // null when absent
};

struct DelegatedRole {
  std::string name;
  RoleKeys keys;
  bool terminating = false;
  // Exactly one of the two is set.
  std::optional<std::vector<std::string>> paths;
  std::optional<std::vector<std::string>> path_hash_prefixes;
  // True if this role is trusted for `target_path` (paths globs segment by segment, '*' never
  // crossing '/', or sha256(target_path) hex starting with one of the prefixes).
  bool IsDelegatedPath(std::string_view target_path) const;
};

struct Delegations {
  std::map<std::string, TufKey> keys;
  std::vector<DelegatedRole> roles;  // in priority order; names distinct
};

struct Root {
  Envelope envelope;
  bool consistent_snapshot = false;
  std::map<std::string, TufKey> keys;
  std::map<std::string, RoleKeys> roles;  // exactly root, snapshot, targets, timestamp
  static Result<Root> Parse(ByteView bytes, std::string_view where);
};

struct Timestamp {
  Envelope envelope;
  MetaFile snapshot_meta;  // meta["snapshot.json"]
  static Result<Timestamp> Parse(ByteView bytes, std::string_view where);
};

struct Snapshot {
  Envelope envelope;
  std::map<std::string, MetaFile> meta;  // "<role>.json" → entry
  static Result<Snapshot> Parse(ByteView bytes, std::string_view where);
};

struct Targets {
  Envelope envelope;
  std::map<std::string, TargetFile> targets;
  std::optional<Delegations> delegations;
  static Result<Targets> Parse(ByteView bytes, std::string_view where);
};

// The largest metadata file of each kind a client downloads or reads back from disk, and that
// the repository tooling reads from its staging area: python-tuf's defaults (root 512 000,
// timestamp 16 384, snapshot 2 000 000, targets 5 000 000 bytes), rounded to binary units. A
// file past its limit is refused unread, so a planted or endless file costs no memory; a real
// one is far smaller (a root with a dozen keys is a few KiB, a timestamp under 1 KiB).
inline constexpr uint64_t kMaxRootBytes = 512 * 1024;
inline constexpr uint64_t kMaxTimestampBytes = 16 * 1024;
inline constexpr uint64_t kMaxSnapshotBytes = 2 * 1024 * 1024;
inline constexpr uint64_t kMaxTargetsBytes = 5 * 1024 * 1024;  // top-level and delegated roles

// The limit above for `role` ("root", "timestamp", "snapshot"; any other name is a targets
// role).
uint64_t MaxMetadataBytes(std::string_view role);

// Parses "YYYY-MM-DDTHH:MM:SSZ" (the only form TUF allows) to Unix seconds.
Result<int64_t> ParseTufTime(std::string_view text);

// OK if at least `role.threshold` distinct keys among `role.keyids` (present in `keys`) made a
// valid signature over envelope.canonical_signed. A key ID listed twice, or two key IDs of the
// same key material, count once. Unauthenticated "<role_name>: N valid signature(s) from
// distinct keys, threshold T" otherwise.
Status VerifyThreshold(const Envelope& envelope, const std::map<std::string, TufKey>& keys,
                       const RoleKeys& role, std::string_view role_name);

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_METADATA_H_
