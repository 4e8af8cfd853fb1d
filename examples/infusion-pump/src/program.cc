#include "program.h"

#include "vigil/core/encoding.h"

namespace pump {
namespace {

using vigil::Result;
using vigil::Status;

// Requests above these are malformed whatever the drug (and keep the arithmetic far from
// overflow): 10 L, 10 L/h, 30 days.
constexpr int64_t kMaxVolumeUl = 10'000'000;
constexpr int64_t kMaxRateUlH = 10'000'000;
constexpr int64_t kMaxDurationS = 30LL * 24 * 3600;

Status InRange(std::string_view field, int64_t value, int64_t max) {
  if (value >= 1 && value <= max) return vigil::OkStatus();
  return vigil::InvalidArgumentError("program: " + std::string(field) + ": expected 1.." +
                                     std::to_string(max) + ", found " + std::to_string(value));
}

Result<int64_t> RequestedRate(const ProgramRequest& r) {
  if ((r.rate_ul_h != 0) == (r.duration_s != 0)) {
    return vigil::InvalidArgumentError(
        "program: expected exactly one of rate_ul_h and duration_s, found " +
        std::string(r.rate_ul_h != 0 ? "both" : "neither"));
  }
  if (r.rate_ul_h != 0) {
    VIGIL_RETURN_IF_ERROR(InRange("rate_ul_h", r.rate_ul_h, kMaxRateUlH));
    return r.rate_ul_h;
  }
  VIGIL_RETURN_IF_ERROR(InRange("duration_s", r.duration_s, kMaxDurationS));
  const int64_t rate = r.volume_ul * 3600 / r.duration_s;
  if (rate < 1) {
    return vigil::InvalidArgumentError("program: duration_s: " + std::to_string(r.duration_s) +
                                       " s for " + std::to_string(r.volume_ul) +
                                       " µL is a rate below 1 µL/h");
  }
  return rate;
}

std::string Limit(const Drug& drug, std::string_view kind, int64_t rate, int64_t limit) {
  return "program: rate_ul_h: " + std::to_string(rate) + " µL/h is " + std::string(kind) + " " +
         std::to_string(limit) + " µL/h of \"" + drug.id + "\"";
}

Status CheckLimits(const Drug& drug, int64_t rate, bool confirmed) {
  const RateLimits& l = drug.rate_ul_h;
  if (rate < l.hard_min)
    return vigil::InvalidArgumentError(Limit(drug, "below the hard limit", rate, l.hard_min));
  if (rate > l.hard_max)
    return vigil::InvalidArgumentError(Limit(drug, "above the hard limit", rate, l.hard_max));
  if (confirmed) return vigil::OkStatus();
  if (rate < l.soft_min) {
    return vigil::FailedPreconditionError(Limit(drug, "below the soft limit", rate, l.soft_min) +
                                          ": confirm to override");
  }
  if (rate > l.soft_max) {
    return vigil::FailedPreconditionError(Limit(drug, "above the soft limit", rate, l.soft_max) +
                                          ": confirm to override");
  }
  return vigil::OkStatus();
}

}  // namespace

Result<Program> Program::Create(const DrugLibrary& library, const ProgramRequest& request) {
  const Drug* drug = library.Find(request.drug_id);
  if (drug == nullptr) {
    return vigil::NotFoundError("program: drug \"" + vigil::OneLine(request.drug_id) +
                                "\": not in drug library version " +
                                std::to_string(library.version()));
  }
  VIGIL_RETURN_IF_ERROR(InRange("volume_ul", request.volume_ul, kMaxVolumeUl));
  if (request.volume_ul > drug->max_volume_ul) {
    return vigil::InvalidArgumentError(
        "program: volume_ul: " + std::to_string(request.volume_ul) + " µL is above the maximum " +
        std::to_string(drug->max_volume_ul) + " µL of \"" + drug->id + "\"");
  }
  VIGIL_ASSIGN_OR_RETURN(int64_t rate, RequestedRate(request));
  VIGIL_RETURN_IF_ERROR(CheckLimits(*drug, rate, request.confirm_soft_limit));
  const RateLimits& l = drug->rate_ul_h;
  Program program;
  program.drug_id_ = drug->id;
  program.rate_ul_h_ = rate;
  program.volume_ul_ = request.volume_ul;
  program.library_version_ = library.version();
  program.soft_limit_overridden_ = rate < l.soft_min || rate > l.soft_max;
  return program;
}

int64_t Program::duration_s() const { return (volume_ul_ * 3600 + rate_ul_h_ - 1) / rate_ul_h_; }

}  // namespace pump
