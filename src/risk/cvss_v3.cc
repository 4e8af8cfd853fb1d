// CVSS v3.0 and v3.1: the specification documents' section 7 equations; v3.1's Appendix A
// Roundup and its revised modified impact for a changed scope.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "internal/metrics.h"

namespace vigil::risk::cvss::internal {
namespace {

constexpr ValueDef kAv[] = {{"N", "Network"}, {"A", "Adjacent"}, {"L", "Local"}, {"P", "Physical"}};
constexpr ValueDef kAc[] = {{"L", "Low"}, {"H", "High"}};
constexpr ValueDef kPr[] = {{"N", "None"}, {"L", "Low"}, {"H", "High"}};
constexpr ValueDef kUi[] = {{"N", "None"}, {"R", "Required"}};
constexpr ValueDef kS[] = {{"U", "Unchanged"}, {"C", "Changed"}};
constexpr ValueDef kCia[] = {{"H", "High"}, {"L", "Low"}, {"N", "None"}};
constexpr ValueDef kE[] = {{"X", "Not Defined"},
                           {"H", "High"},
                           {"F", "Functional"},
                           {"P", "Proof-of-Concept"},
                           {"U", "Unproven"}};
constexpr ValueDef kRl[] = {{"X", "Not Defined"},
                            {"U", "Unavailable"},
                            {"W", "Workaround"},
                            {"T", "Temporary Fix"},
                            {"O", "Official Fix"}};
constexpr ValueDef kRc[] = {
    {"X", "Not Defined"}, {"C", "Confirmed"}, {"R", "Reasonable"}, {"U", "Unknown"}};
constexpr ValueDef kReq[] = {{"X", "Not Defined"}, {"H", "High"}, {"M", "Medium"}, {"L", "Low"}};
constexpr ValueDef kMav[] = {
    {"X", "Not Defined"}, {"N", "Network"}, {"A", "Adjacent"}, {"L", "Local"}, {"P", "Physical"}};
constexpr ValueDef kMac[] = {{"X", "Not Defined"}, {"L", "Low"}, {"H", "High"}};
constexpr ValueDef kMpr[] = {{"X", "Not Defined"}, {"N", "None"}, {"L", "Low"}, {"H", "High"}};
constexpr ValueDef kMui[] = {{"X", "Not Defined"}, {"N", "None"}, {"R", "Required"}};
constexpr ValueDef kMs[] = {{"X", "Not Defined"}, {"U", "Unchanged"}, {"C", "Changed"}};
constexpr ValueDef kMcia[] = {{"X", "Not Defined"}, {"H", "High"}, {"L", "Low"}, {"N", "None"}};

enum : size_t {
  kAV,
  kAC,
  kPR,
  kUI,
  kS_,
  kC,
  kI,
  kA,
  kE_,
  kRL,
  kRC,
  kCR,
  kIR,
  kAR,
  kMAV,
  kMAC,
  kMPR,
  kMUI,
  kMS,
  kMC,
  kMI,
  kMA
};
constexpr MetricDef kMetrics[] = {
    {"AV", "Attack Vector", true, kAv},
    {"AC", "Attack Complexity", true, kAc},
    {"PR", "Privileges Required", true, kPr},
    {"UI", "User Interaction", true, kUi},
    {"S", "Scope", true, kS},
    {"C", "Confidentiality", true, kCia},
    {"I", "Integrity", true, kCia},
    {"A", "Availability", true, kCia},
    {"E", "Exploit Code Maturity", false, kE},
    {"RL", "Remediation Level", false, kRl},
    {"RC", "Report Confidence", false, kRc},
    {"CR", "Confidentiality Requirement", false, kReq},
    {"IR", "Integrity Requirement", false, kReq},
    {"AR", "Availability Requirement", false, kReq},
    {"MAV", "Modified Attack Vector", false, kMav},
    {"MAC", "Modified Attack Complexity", false, kMac},
    {"MPR", "Modified Privileges Required", false, kMpr},
    {"MUI", "Modified User Interaction", false, kMui},
    {"MS", "Modified Scope", false, kMs},
    {"MC", "Modified Confidentiality", false, kMcia},
    {"MI", "Modified Integrity", false, kMcia},
    {"MA", "Modified Availability", false, kMcia},
};

// The effective value code of a base metric: its Modified metric unless that is absent or X.
std::string_view Effective(const Parsed& p, size_t base, size_t modified) {
  std::string_view m = p.code(modified);
  return m == "X" || m.empty() ? p.code(base) : m;
}

double AvWeight(std::string_view v) {
  return v == "N" ? 0.85 : v == "A" ? 0.62 : v == "L" ? 0.55 : 0.2;
}
double AcWeight(std::string_view v) { return v == "L" ? 0.77 : 0.44; }
double PrWeight(std::string_view v, bool changed) {
  if (v == "N") return 0.85;
  if (v == "L") return changed ? 0.68 : 0.62;
  return changed ? 0.5 : 0.27;
}
double UiWeight(std::string_view v) { return v == "N" ? 0.85 : 0.62; }
double CiaWeight(std::string_view v) { return v == "H" ? 0.56 : v == "L" ? 0.22 : 0.0; }
double ReqWeight(std::string_view v) { return v == "H" ? 1.5 : v == "L" ? 0.5 : 1.0; }
double EWeight(std::string_view v) {
  return v == "F" ? 0.97 : v == "P" ? 0.94 : v == "U" ? 0.91 : 1.0;
}
double RlWeight(std::string_view v) {
  return v == "W" ? 0.97 : v == "T" ? 0.96 : v == "O" ? 0.95 : 1.0;
}
double RcWeight(std::string_view v) { return v == "R" ? 0.96 : v == "U" ? 0.92 : 1.0; }

// v3.1 Appendix A: the smallest one-decimal number >= x, on integers so that a floating-point
// artefact such as 4.000000001 does not become 4.1.
double Roundup31(double x) {
  const int64_t i = std::llround(x * 100000.0);
  if (i % 10000 == 0) return static_cast<double>(i) / 100000.0;
  return static_cast<double>(i / 10000 + 1) / 10.0;
}
// v3.0: the plain ceiling to one decimal.
double Roundup30(double x) { return std::ceil(x * 10.0) / 10.0; }

}  // namespace

std::span<const MetricDef> V3Metrics() { return kMetrics; }

Scores ScoreV3(const Parsed& p) {
  const bool v31 = p.version == Version::kV3_1;
  auto roundup = v31 ? Roundup31 : Roundup30;

  // Base (section 7.1).
  const bool changed = p.code(kS_) == "C";
  const double iss =
      1 - (1 - CiaWeight(p.code(kC))) * (1 - CiaWeight(p.code(kI))) * (1 - CiaWeight(p.code(kA)));
  const double impact =
      changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability = 8.22 * AvWeight(p.code(kAV)) * AcWeight(p.code(kAC)) *
                                PrWeight(p.code(kPR), changed) * UiWeight(p.code(kUI));
  Scores s;
  s.version = p.version;
  if (impact > 0) {
    s.base = changed ? roundup(std::min(1.08 * (impact + exploitability), 10.0))
                     : roundup(std::min(impact + exploitability, 10.0));
  }

  // Temporal (7.2).
  const double temporal_factor =
      EWeight(p.code(kE_)) * RlWeight(p.code(kRL)) * RcWeight(p.code(kRC));
  s.temporal = roundup(s.base * temporal_factor);

  // Environmental (7.3).
  const std::string_view ms = Effective(p, kS_, kMS);
  const bool mchanged = ms == "C";
  const double miss =
      std::min(1 - (1 - ReqWeight(p.code(kCR)) * CiaWeight(Effective(p, kC, kMC))) *
                       (1 - ReqWeight(p.code(kIR)) * CiaWeight(Effective(p, kI, kMI))) *
                       (1 - ReqWeight(p.code(kAR)) * CiaWeight(Effective(p, kA, kMA))),
               0.915);
  double mimpact = 6.42 * miss;
  if (mchanged) {
    mimpact = v31 ? 7.52 * (miss - 0.029) - 3.25 * std::pow(miss * 0.9731 - 0.02, 13)
                  : 7.52 * (miss - 0.029) - 3.25 * std::pow(miss - 0.02, 15);
  }
  const double mexploitability =
      8.22 * AvWeight(Effective(p, kAV, kMAV)) * AcWeight(Effective(p, kAC, kMAC)) *
      PrWeight(Effective(p, kPR, kMPR), mchanged) * UiWeight(Effective(p, kUI, kMUI));
  double environmental = 0;
  if (mimpact > 0) {
    const double inner = mchanged ? roundup(std::min(1.08 * (mimpact + mexploitability), 10.0))
                                  : roundup(std::min(mimpact + mexploitability, 10.0));
    environmental = roundup(inner * temporal_factor);
  }
  s.environmental = environmental;

  s.score = p.AnyDefined(kCR, kMA)   ? *s.environmental
            : p.AnyDefined(kE_, kRC) ? *s.temporal
                                     : s.base;
  s.severity = SeverityOf(p.version, s.score);
  s.metrics = SpellOut(p);
  return s;
}

}  // namespace vigil::risk::cvss::internal
