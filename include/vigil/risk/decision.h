// The FDA postmarket decision for one vulnerability of a device: is the risk of patient harm it
// poses *controlled* or *uncontrolled*? FDA's postmarket cybersecurity guidance decides it from
// two inputs — the exploitability of the vulnerability and the severity of the patient harm its
// exploitation could cause — through the manufacturer's own acceptance matrix, and attaches
// deadlines to uncontrolled risk (tell customers within 30 days, field a validated fix within 60).
//
// Severity of harm is ISO 14971's five-level scale. Exploitability is a band of a CVSS base score
// (ideally the one the medical-device rubric gives, risk/rubric.h) named by the policy. The
// policy file (YAML, read by ParseRiskPolicy) states every band, every cell of the matrix and the
// deadlines; nothing is assumed, so the file alone documents the manufacturer's rule:
//
//   policy: Example Medical risk acceptance, rev C
//   exploitability:          # band name: lowest CVSS base score in the band (one band at 0)
//     low: 0.0
//     medium: 4.0
//     high: 7.0
//   matrix:                  # every band x every harm level: controlled | uncontrolled
//     low:    {negligible: controlled, minor: controlled, serious: controlled,
//              critical: uncontrolled, catastrophic: uncontrolled}
//     medium: {...}
//     high:   {...}
//   deadlines:               # days after discovery
//     uncontrolled: {notify: 30, fix: 60}
//     controlled: {fix: 365}  # optional: no fix deadline for controlled risk when absent
//   ssvc:                    # optional: the device's SSVC System Exposure (ssvc.h)
//     exposure: controlled   # small | controlled | open
//
// Unknowns take the worse value, as the rubric does: a finding without a score is in the highest
// band, one whose harm nobody assessed is rated catastrophic; the decision says so. A vulnerability
// in CISA's Known Exploited Vulnerabilities catalogue is never controlled without a documented
// compensating control, whatever the matrix says.
//
// Thread-safety: plain values and pure functions.
#ifndef VIGIL_RISK_DECISION_H_
#define VIGIL_RISK_DECISION_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"

namespace vigil::risk {

// ISO 14971 severity of harm, in increasing order.
enum class Harm { kNegligible, kMinor, kSerious, kCritical, kCatastrophic };
inline constexpr size_t kHarmLevels = 5;
std::string_view HarmName(Harm h);  // "negligible", …, "catastrophic"
std::optional<Harm> ParseHarm(std::string_view name);

struct ExploitabilityBand {
  std::string name;  // "high"
  double min_score;  // lowest CVSS base score in the band
};

struct Deadlines {
  int uncontrolled_notify_days = 30;
  int uncontrolled_fix_days = 60;
  std::optional<int> controlled_fix_days;
};

// SSVC System Exposure (ssvc.h): how reachable the device is where it is used.
enum class SsvcExposure { kSmall, kControlled, kOpen };
std::string_view SsvcExposureName(SsvcExposure e);  // "small", "controlled", "open"
std::optional<SsvcExposure> ParseSsvcExposure(std::string_view name);

struct RiskPolicy {
  std::string name;                        // the policy's own title ("policy:")
  std::vector<ExploitabilityBand> bands;   // ascending by min_score, the first at 0
  std::vector<std::array<bool, kHarmLevels>> controlled;  // [band][harm]: true = controlled
  Deadlines deadlines;
  // `ssvc: {exposure: …}`: the device's SSVC System Exposure; absent: derived from each
  // vulnerability's attack vector (ssvc.h).
  std::optional<SsvcExposure> ssvc_exposure;
};

// Reads a policy file (the YAML above). Every error is one line InvalidArgument
// "<source>: <field path>: <what was expected>", e.g. "policy.yaml: $.matrix.high.minor: required
// field missing".
Result<RiskPolicy> ParseRiskPolicy(std::string_view yaml, std::string_view source);

// What is known about one vulnerability in one device.
struct RiskFacts {
  std::optional<double> cvss_score;  // base score of the vector deciding exploitability
  std::string cvss_vector;           // shown in the reasoning
  std::optional<Harm> harm;          // severity of the harm exploitation could cause
  bool kev = false;                  // in CISA's KEV catalogue
  std::string compensating_control;  // documented compensating control, empty when none
  std::optional<double> epss;        // FIRST EPSS probability, shown beside the decision
};

struct RiskDecision {
  bool controlled = false;
  std::string exploitability;  // the band
  Harm harm = Harm::kCatastrophic;
  std::string cell;    // "matrix.high.serious = uncontrolled"
  std::string reason;  // one sentence: the inputs, the cell, and any override (KEV, unknowns)
};

RiskDecision Decide(const RiskPolicy& policy, const RiskFacts& facts);

}  // namespace vigil::risk

#endif  // VIGIL_RISK_DECISION_H_
