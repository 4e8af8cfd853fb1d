// An infusion program: what to deliver, how fast and how much, checked against the drug library
// before it can exist. A Program outside a drug's hard limits cannot be built; one outside the
// soft limits only with the clinician's explicit confirmation, which the program remembers.
//
// Thread-safety: an immutable value.
#ifndef PUMP_PROGRAM_H_
#define PUMP_PROGRAM_H_

#include <cstdint>
#include <string>

#include "drug_library.h"
#include "vigil/core/result.h"

namespace pump {

// What a clinician asks for. Exactly one of rate_ul_h and duration_s is set (> 0); with a
// duration, the rate is volume / duration, rounded down to a whole µL/h.
struct ProgramRequest {
  std::string drug_id;
  int64_t rate_ul_h = 0;
  int64_t volume_ul = 0;
  int64_t duration_s = 0;
  bool confirm_soft_limit = false;  // the clinician confirmed a rate outside the soft limits
};

class Program {
 public:
  // Validates `request` against `library`:
  //  - NotFound "drug \"x\": not in drug library version N";
  //  - InvalidArgument for a malformed request (both or neither of rate and duration, a value
  //    not > 0) and for a rate outside the hard limits or a volume above the drug's maximum;
  //  - FailedPrecondition for a rate outside the soft limits without confirm_soft_limit.
  // Every message names the field, the value and the limit.
  static vigil::Result<Program> Create(const DrugLibrary& library, const ProgramRequest& request);

  const std::string& drug_id() const { return drug_id_; }
  int64_t rate_ul_h() const { return rate_ul_h_; }
  int64_t volume_ul() const { return volume_ul_; }
  // Time to deliver the whole volume at the rate, rounded up to a whole second.
  int64_t duration_s() const;
  uint64_t library_version() const { return library_version_; }
  bool soft_limit_overridden() const { return soft_limit_overridden_; }

 private:
  Program() = default;
  std::string drug_id_;
  int64_t rate_ul_h_ = 0;
  int64_t volume_ul_ = 0;
  uint64_t library_version_ = 0;
  bool soft_limit_overridden_ = false;
};

}  // namespace pump

#endif  // PUMP_PROGRAM_H_
