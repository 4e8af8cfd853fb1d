// CVSS v2.0: "A Complete Guide to the Common Vulnerability Scoring System Version 2.0"
// (FIRST, 2007), section 3.2 equations.
#include <algorithm>
#include <cmath>

#include "internal/metrics.h"

namespace vigil::risk::cvss::internal {
namespace {

constexpr ValueDef kAv[] = {{"L", "Local"}, {"A", "Adjacent Network"}, {"N", "Network"}};
constexpr ValueDef kAc[] = {{"H", "High"}, {"M", "Medium"}, {"L", "Low"}};
constexpr ValueDef kAu[] = {{"M", "Multiple"}, {"S", "Single"}, {"N", "None"}};
constexpr ValueDef kImpact[] = {{"N", "None"}, {"P", "Partial"}, {"C", "Complete"}};
constexpr ValueDef kE[] = {{"U", "Unproven"},
                           {"POC", "Proof-of-Concept"},
                           {"F", "Functional"},
                           {"H", "High"},
                           {"ND", "Not Defined"}};
constexpr ValueDef kRl[] = {{"OF", "Official Fix"},
                            {"TF", "Temporary Fix"},
                            {"W", "Workaround"},
                            {"U", "Unavailable"},
                            {"ND", "Not Defined"}};
constexpr ValueDef kRc[] = {
    {"UC", "Unconfirmed"}, {"UR", "Uncorroborated"}, {"C", "Confirmed"}, {"ND", "Not Defined"}};
constexpr ValueDef kCdp[] = {{"N", "None"},         {"L", "Low"},  {"LM", "Low-Medium"},
                             {"MH", "Medium-High"}, {"H", "High"}, {"ND", "Not Defined"}};
constexpr ValueDef kTd[] = {
    {"N", "None"}, {"L", "Low"}, {"M", "Medium"}, {"H", "High"}, {"ND", "Not Defined"}};
constexpr ValueDef kReq[] = {{"L", "Low"}, {"M", "Medium"}, {"H", "High"}, {"ND", "Not Defined"}};

enum : size_t { kAV, kAC, kAu_, kC, kI, kA, kE_, kRL, kRC, kCDP, kTD, kCR, kIR, kAR };
constexpr MetricDef kMetrics[] = {
    {"AV", "Access Vector", true, kAv},
    {"AC", "Access Complexity", true, kAc},
    {"Au", "Authentication", true, kAu},
    {"C", "Confidentiality Impact", true, kImpact},
    {"I", "Integrity Impact", true, kImpact},
    {"A", "Availability Impact", true, kImpact},
    {"E", "Exploitability", false, kE},
    {"RL", "Remediation Level", false, kRl},
    {"RC", "Report Confidence", false, kRc},
    {"CDP", "Collateral Damage Potential", false, kCdp},
    {"TD", "Target Distribution", false, kTd},
    {"CR", "Confidentiality Requirement", false, kReq},
    {"IR", "Integrity Requirement", false, kReq},
    {"AR", "Availability Requirement", false, kReq},
};

// Weights in the order of each metric's values (the guide's section 3.2.1-3.2.3 tables).
constexpr double kAvW[] = {0.395, 0.646, 1.0};
constexpr double kAcW[] = {0.35, 0.61, 0.71};
constexpr double kAuW[] = {0.45, 0.56, 0.704};
constexpr double kImpactW[] = {0.0, 0.275, 0.660};
constexpr double kEW[] = {0.85, 0.90, 0.95, 1.0, 1.0};
constexpr double kRlW[] = {0.87, 0.90, 0.95, 1.0, 1.0};
constexpr double kRcW[] = {0.90, 0.95, 1.0, 1.0};
constexpr double kCdpW[] = {0.0, 0.1, 0.3, 0.4, 0.5, 0.0};
constexpr double kTdW[] = {0.0, 0.25, 0.75, 1.0, 1.0};
constexpr double kReqW[] = {0.5, 1.0, 1.51, 1.0};

// The weight of metric `m` (absent: its last value, Not Defined).
template <size_t N>
double W(const Parsed& p, size_t m, const double (&weights)[N]) {
  return p.has(m) ? weights[static_cast<size_t>(p.value[m])] : weights[N - 1];
}

double BaseEquation(double impact, double exploitability) {
  const double f = impact == 0.0 ? 0.0 : 1.176;
  return RoundV2(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f);
}

}  // namespace

std::span<const MetricDef> V2Metrics() { return kMetrics; }

// The guide's round_to_1_decimal on binary doubles, as FIRST's and NVD's JavaScript calculators
// compute it: a tie that the products of two- and three-decimal weights land just below (9.0 x
// 0.95 = 8.549999...) rounds down. A decimal-arithmetic calculator would say 8.6 there; the
// RedHat base-score vectors agree with either, and ae-cvss-calculator (the differential test's
// peer) computes on doubles.
// (+ 0.0 turns the -0.0 of a zero impact, (0.4 x E - 1.5) x 0, into 0.0.)
double RoundV2(double x) { return std::round(x * 10.0) / 10.0 + 0.0; }

Scores ScoreV2(const Parsed& p) {
  const double c = W(p, kC, kImpactW), i = W(p, kI, kImpactW), a = W(p, kA, kImpactW);
  const double exploitability = 20 * W(p, kAV, kAvW) * W(p, kAC, kAcW) * W(p, kAu_, kAuW);
  const double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  // Products left to right, as the guide writes them (BaseScore*E*RL*RC): on doubles the order
  // decides ties such as 10.0 x 0.9 x 0.95 = 8.549999... (8.5).
  auto temporal = [&](double base) {
    return RoundV2(base * W(p, kE_, kEW) * W(p, kRL, kRlW) * W(p, kRC, kRcW));
  };
  Scores s;
  s.version = Version::kV2_0;
  s.base = BaseEquation(impact, exploitability);
  s.score = s.base;
  if (p.AnyDefined(kE_, kRC)) {
    s.temporal = temporal(s.base);
    s.score = *s.temporal;
  }
  if (p.AnyDefined(kCDP, kAR)) {
    const double adjusted_impact =
        std::min(10.0, 10.41 * (1 - (1 - c * W(p, kCR, kReqW)) * (1 - i * W(p, kIR, kReqW)) *
                                        (1 - a * W(p, kAR, kReqW))));
    const double adjusted_temporal = temporal(BaseEquation(adjusted_impact, exploitability));
    s.environmental = RoundV2((adjusted_temporal + (10 - adjusted_temporal) * W(p, kCDP, kCdpW)) *
                              W(p, kTD, kTdW));
    s.score = *s.environmental;
  }
  s.severity = SeverityOf(Version::kV2_0, s.score);
  s.metrics = SpellOut(p);
  return s;
}

}  // namespace vigil::risk::cvss::internal
