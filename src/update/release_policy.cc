#include "vigil/update/release_policy.h"

#include "json_fields.h"

namespace vigil::update {

Result<TargetRelease> TargetRelease::FromCustom(const nlohmann::json& custom,
                                                const std::string& target) {
  internal::Field root(custom, "target \"" + target + "\": custom");
  if (custom.is_null() || !root.Has("vigil")) {
    return root.Child("vigil").Invalid(
        "required field missing (an installable target declares release and security_version)");
  }
  internal::Field vigil = root.Child("vigil");
  VIGIL_RETURN_IF_ERROR(vigil.ExpectObject());
  TargetRelease r;
  VIGIL_ASSIGN_OR_RETURN(r.release, vigil.Child("release").PositiveInteger());
  VIGIL_ASSIGN_OR_RETURN(r.security_version, vigil.Child("security_version").Integer());
  if (vigil.Has("allow_downgrade_from")) {
    VIGIL_ASSIGN_OR_RETURN(r.allow_downgrade_from,
                           vigil.Child("allow_downgrade_from").PositiveInteger());
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
