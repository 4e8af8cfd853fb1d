// CISA / CERT-CC Stakeholder-Specific Vulnerability Categorization (SSVC): the deployer's
// patch application priority — defer, scheduled, out-of-cycle or immediate — from the SSVC
// decision table "Deployer Patch Application Priority" 1.0.0 (decision points Exploitation
// 1.1.0, System Exposure 1.0.1, Automatable 2.0.0, Human Impact 2.0.2; 72 rows), computed from
// the same facts as the FDA decision (decision.h), for the manufacturer fielding a fix and for
// the hospitals it tells:
//
//   Exploitation  active when CISA's KEV lists it, or the vector's exploit maturity says so
//                 (v4 E:A, v3 E:H/E:F, v2 E:H/E:F); public PoC for v4 E:P, v3 E:P, v2 E:POC;
//                 else none.
//   Exposure      the policy's (`ssvc: {exposure: small|controlled|open}`), else from the attack
//                 vector: AV:N → controlled (a clinical network, not the internet: a device
//                 reachable from the internet states `open` in its policy), AV:A/L/P → small;
//                 no vector → open.
//   Automatable   yes when the vector says network, low complexity, no privileges, no user
//                 interaction (v4 also AT:N) — the first four kill-chain steps need no human;
//                 no vector → yes.
//   Human impact  from ISO 14971 harm as SSVC's Situated Safety Impact (the device's mission is
//                 the patient's safety): catastrophic → very high, critical (hazardous) → high,
//                 serious (major) → medium, minor and negligible → low; not assessed → very high.
//
// Unknowns take the worse value, as the FDA decision does; the reason says which were unknown.
//
// Thread-safety: plain values and pure functions.
#ifndef VIGIL_RISK_SSVC_H_
#define VIGIL_RISK_SSVC_H_

#include <optional>
#include <string>
#include <string_view>

#include "vigil/risk/decision.h"

namespace vigil::risk {

enum class SsvcExploitation { kNone, kPublicPoc, kActive };
enum class SsvcHumanImpact { kLow, kMedium, kHigh, kVeryHigh };
enum class SsvcPriority { kDefer, kScheduled, kOutOfCycle, kImmediate };

struct SsvcInputs {
  SsvcExploitation exploitation = SsvcExploitation::kNone;
  SsvcExposure exposure = SsvcExposure::kOpen;
  bool automatable = true;
  SsvcHumanImpact human_impact = SsvcHumanImpact::kVeryHigh;
};

struct SsvcDecision {
  SsvcInputs inputs;
  SsvcPriority priority = SsvcPriority::kImmediate;
  // The inputs and the outcome in one line, keyed by the table's decision point abbreviations,
  // e.g. "SSVC/DP:1.0.0/E:A/EXP:C/A:Y/HI:VH/DSOI:O/".
  std::string vector;
  std::string reason;  // where each input came from
};

// The table itself.
SsvcPriority DeployerPriority(const SsvcInputs& in);
// The inputs from the facts (above) and the decision. `exposure`: the policy's, if it states one.
SsvcDecision DecideSsvc(const RiskFacts& facts, std::optional<SsvcExposure> exposure);

std::string_view SsvcPriorityName(SsvcPriority p);  // "defer", "scheduled", "out-of-cycle", …
std::string_view SsvcExploitationName(SsvcExploitation e);  // "none", "public PoC", "active"
std::string_view SsvcHumanImpactName(SsvcHumanImpact h);    // "low", …, "very high"

}  // namespace vigil::risk

#endif  // VIGIL_RISK_SSVC_H_
