#include "vigil/update/release_policy.h"

#include "vigil/core/encoding.h"

namespace vigil::update {

Result<TargetRelease> TargetRelease::FromCustom(const json::Value& custom,
                                                const std::string& target) {
  json::Node root(custom, "target \"" + target + "\"", "custom");
  if (!root.Has("vigil")) {
    return InvalidArgumentError(OneLine(root.name()) +
                                ": custom.vigil: required field missing (an "
                                "installable target declares release and security_version)");
  }
  VIGIL_ASSIGN_OR_RETURN(json::Node vigil, root.Required("vigil"));
  VIGIL_RETURN_IF_ERROR(vigil.AsObject());
  TargetRelease r;
  VIGIL_ASSIGN_OR_RETURN(json::Node release, vigil.Required("release"));
  VIGIL_ASSIGN_OR_RETURN(r.release, release.UInt(1));
  VIGIL_ASSIGN_OR_RETURN(json::Node security_version, vigil.Required("security_version"));
  VIGIL_ASSIGN_OR_RETURN(r.security_version, security_version.UInt());
  VIGIL_ASSIGN_OR_RETURN(std::optional<json::Node> allow, vigil.Optional("allow_downgrade_from"));
  if (allow) {
    VIGIL_ASSIGN_OR_RETURN(r.allow_downgrade_from, allow->UInt(1));
  }
  return r;
}

Status CheckInstallAllowed(const TargetRelease& candidate, const std::string& target,
                           uint64_t counter, std::optional<uint64_t> running_release) {
  if (candidate.security_version < counter) {
    return FailedPreconditionError(
        target + ": anti-rollback: security version " + std::to_string(candidate.security_version) +
        " is below the device's counter " + std::to_string(counter) + " (never installable)");
  }
  if (!running_release || candidate.release >= *running_release) return OkStatus();
  if (candidate.allow_downgrade_from && *candidate.allow_downgrade_from >= *running_release) {
    return OkStatus();
  }
  return FailedPreconditionError(
      target + ": downgrade from release " + std::to_string(*running_release) + " to " +
      std::to_string(candidate.release) +
      " refused: the signed metadata does not allow it (custom.vigil.allow_downgrade_from must "
      "be >= " +
      std::to_string(*running_release) + ")");
}

}  // namespace vigil::update
