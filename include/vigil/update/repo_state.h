// The state file of a TUF repository directory (DIR/repo.json, see repository.h): what was
// published, which online keys sign which role, how long new versions stay valid. It never
// holds key material, and never a root key path: Parse rejects one, so a hand-edited file
// cannot turn the offline root key into an online one.
//
//   {"vigil_repository": 1, "consistent_snapshot": true,
//    "roles": ["root", "targets", "firmware"],              staged roles, creation order
//    "published": {"root": 1, "targets": 3, "snapshot": 7, "timestamp": 9},
//    "online_keys": {"timestamp": {"<key ID>": "/keys/ts.pem"}},
//    "expiry_seconds": {"timestamp": 86400},                 overrides of the defaults
//    "next_expires": {"timestamp": 1767225600},              snapshot/timestamp, next publish
//    "staged_targets": ["app/firmware-2.1.bin"]}
//
// Thread-safety: value type; the functions are pure.
#ifndef VIGIL_UPDATE_REPO_STATE_H_
#define VIGIL_UPDATE_REPO_STATE_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/bytes.h"
#include "vigil/core/result.h"

namespace vigil::update {

struct RepoState {
  bool consistent_snapshot = true;
  std::vector<std::string> roles;
  std::map<std::string, uint64_t> published;
  std::map<std::string, std::map<std::string, std::string>> online_keys;  // role → key ID → path
  std::map<std::string, int64_t> expiry_seconds;
  std::map<std::string, int64_t> next_expires;
  std::set<std::string> staged_targets;

  // Strict: unknown fields, wrong types, negative or zero durations, role names that are not
  // valid (IsValidRoleName), a root entry in online_keys and duplicates are InvalidArgument
  // errors naming `where` and the field.
  static Result<RepoState> Parse(ByteView bytes, std::string_view where);
  // The most bytes Repository::Open reads of repo.json (ResourceExhausted, unread, beyond). Its
  // largest part, staged_targets, names targets a targets role lists, and a role is at most
  // kMaxTargetsBytes (metadata.h); a real file is a few KiB.
  static constexpr uint64_t kMaxFileBytes = 8 * 1024 * 1024;
  // Pretty-printed JSON that Parse reads back to an equal state.
  std::string Serialize() const;

  // The version last published for `role`, 0 if never.
  uint64_t PublishedVersion(const std::string& role) const;
  // How long a new version of `role` stays valid: the override, else the default
  // (root 365 days, targets and delegated roles 90 days, snapshot 7 days, timestamp 1 day).
  int64_t ExpirySeconds(const std::string& role) const;
};

// True for root/targets/snapshot/timestamp and for delegated role names: 1 to 64 characters
// of [A-Za-z0-9._-], not starting with '.' (names become file names and URL segments as is).
bool IsValidRoleName(std::string_view name);

// `unix_seconds` as "YYYY-MM-DDTHH:MM:SSZ" (the inverse of ParseTufTime).
std::string FormatTufTime(int64_t unix_seconds);

// "45s", "90m", "12h", "30d", "2w", "1y" (365 days) → seconds. InvalidArgument naming the
// accepted forms for anything else, zero, or more than 100 years.
Result<int64_t> ParseDuration(std::string_view text);

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_REPO_STATE_H_
