// Coverage: which framework requirements the device's controls satisfy, judged by evidence.
//
// A control is VERIFIED only when it names at least one test (verified_by) and every test it
// names passed in the evidence; a test that failed, was skipped, was not run or appears in no
// evidence file makes it UNVERIFIED, with the reason. A requirement is
//   covered         at least one verified control names it;
//   open            no verified control names it (the unverified controls that name it are
//                   listed with their reasons);
//   not applicable  the model's `not_applicable:` says so, with its reason.
//
// Errors (InvalidArgument, one line naming the model file and line): a control or a
// `not_applicable:` entry naming a framework or requirement id that the frameworks do not have,
// and a requirement declared not applicable that a control also names.
//
// Thread-safety: a pure function of its inputs.
#ifndef VIGIL_REPORT_COVERAGE_H_
#define VIGIL_REPORT_COVERAGE_H_

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/report/evidence.h"
#include "vigil/report/framework.h"
#include "vigil/threat/model.h"

namespace vigil::report {

struct ControlStatus {
  std::string id;
  std::string title;
  bool verified = false;
  std::vector<std::pair<std::string, TestOutcome>> tests;  // verified_by, with outcomes
  std::string why;  // unverified: "identity_totp_test failed; no test named"; verified: ""
};

enum class RequirementState { kCovered, kOpen, kNotApplicable };
std::string_view RequirementStateName(RequirementState s);  // "covered", "open", "n/a"

struct RequirementCoverage {
  std::string id;
  std::string title;
  RequirementState state = RequirementState::kOpen;
  std::vector<std::string> verified_controls;
  std::vector<std::string> unverified_controls;
  std::string reason;  // n/a: the model's reason; open: why no control verifies it
};

struct FrameworkCoverage {
  std::string id, name, version;
  std::vector<RequirementCoverage> requirements;  // in the framework's order
  size_t covered = 0, open = 0, not_applicable = 0;
};

struct Coverage {
  std::vector<ControlStatus> controls;        // in model order
  std::vector<FrameworkCoverage> frameworks;  // coverage frameworks, in the order given
  const ControlStatus* FindControl(std::string_view id) const;
};

// Frameworks of kind other than kCoverage are ignored here.
Result<Coverage> ComputeCoverage(const threat::Model& model, std::span<const Framework> frameworks,
                                 const Evidence& evidence);

}  // namespace vigil::report

#endif  // VIGIL_REPORT_COVERAGE_H_
