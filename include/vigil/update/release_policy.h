// Release policy: what a signed target says about itself in its TUF `custom` field, and the
// anti-rollback and downgrade rules the installer applies before writing anything.
//
// The target's entry in targets metadata (signed by the targets role or a delegation) carries:
//   "custom": {"vigil": {"release": 12,              // release order, integer >= 1
//                        "security_version": 4,      // anti-rollback index, integer >= 0
//                        "allow_downgrade_from": 13  // optional, see below
//                       }}
// Rules (CheckInstallAllowed):
//  1. security_version below the device's anti-rollback counter: always refused — no metadata,
//     however signed, can reopen a release the device has locked out;
//  2. release below the running (committed) release — a downgrade — only if the target carries
//     allow_downgrade_from >= the running release: the repository signed, after that release
//     existed, that going back from it is intended. A stale permission does not cover releases
//     published later.
//
// Thread-safety: value types and pure functions.
#ifndef VIGIL_UPDATE_RELEASE_POLICY_H_
#define VIGIL_UPDATE_RELEASE_POLICY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "vigil/core/json.h"
#include "vigil/core/result.h"

namespace vigil::update {

struct TargetRelease {
  uint64_t release = 0;
  uint64_t security_version = 0;
  std::optional<uint64_t> allow_downgrade_from;

  // Reads custom.vigil of target `target` (TargetFile::custom). InvalidArgument naming the
  // target and field if it is missing or malformed: an installable target must declare both.
  static Result<TargetRelease> FromCustom(const json::Value& custom, const std::string& target);
};

// OK if `candidate` may replace the running release under the rules above. `counter` is the
// anti-rollback counter; `running_release` is nullopt on a device with no committed image.
// FailedPrecondition naming the target, the versions and the rule otherwise.
Status CheckInstallAllowed(const TargetRelease& candidate, const std::string& target,
                           uint64_t counter, std::optional<uint64_t> running_release);

}  // namespace vigil::update

#endif  // VIGIL_UPDATE_RELEASE_POLICY_H_
