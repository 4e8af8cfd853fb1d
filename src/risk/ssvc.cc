// The SSVC deployer decision (ssvc.h).
#include "vigil/risk/ssvc.h"

#include <array>
#include <utility>

namespace vigil::risk {
namespace {

// SSVC "Deployer Patch Application Priority" 1.0.0, one string per (exploitation, exposure,
// automatable) in the table's order — none / public PoC / active × small / controlled / open ×
// no / yes — holding the outcome for human impact low, medium, high, very high: D(efer),
// S(cheduled), O(ut-of-cycle), I(mmediate).
constexpr std::array<std::array<std::array<std::string_view, 2>, 3>, 3> kTable = {{
    {{{"DDSS", "DSSS"}, {"DSSS", "SSSS"}, {"DSSS", "SSSO"}}},  // none
    {{{"DSSS", "SSSS"}, {"DSSS", "SSSO"}, {"SSSO", "SSOO"}}},  // public PoC
    {{{"SSOO", "SOOO"}, {"SSOO", "OOOO"}, {"SOOI", "OOII"}}},  // active
}};

constexpr std::array<std::string_view, 4> kPriorityNames = {"defer", "scheduled", "out-of-cycle",
                                                            "immediate"};
constexpr std::array<std::string_view, 3> kExploitationNames = {"none", "public PoC", "active"};
constexpr std::array<std::string_view, 4> kHumanImpactNames = {"low", "medium", "high",
                                                               "very high"};

// The vector's metrics, "AV" → "N"; the "CVSS:x.y" prefix of v3 and v4 vectors is skipped.
// Views into the vector (no allocation: this runs for every record of a filed scan).
class Metrics {
 public:
  explicit Metrics(std::string_view vector) {
    while (!vector.empty()) {
      const size_t slash = vector.find('/');
      std::string_view part = vector.substr(0, slash);
      vector = slash == std::string_view::npos ? std::string_view() : vector.substr(slash + 1);
      const size_t colon = part.find(':');
      if (colon == std::string_view::npos || part.starts_with("CVSS:")) continue;
      if (n_ < kMax) pairs_[n_++] = {part.substr(0, colon), part.substr(colon + 1)};
    }
  }
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  std::string_view Get(std::string_view key) const {
    const auto* p = Find(key);
    return p ? p->second : std::string_view();
  }

 private:
  static constexpr size_t kMax = 40;  // CVSS v4 has 32 metrics
  const std::pair<std::string_view, std::string_view>* Find(std::string_view key) const {
    for (size_t i = 0; i < n_; ++i) {
      if (pairs_[i].first == key) return &pairs_[i];
    }
    return nullptr;
  }
  std::array<std::pair<std::string_view, std::string_view>, kMax> pairs_{};
  size_t n_ = 0;
};

SsvcHumanImpact ImpactOf(Harm h) {
  switch (h) {
    case Harm::kCatastrophic:
      return SsvcHumanImpact::kVeryHigh;
    case Harm::kCritical:
      return SsvcHumanImpact::kHigh;
    case Harm::kSerious:
      return SsvcHumanImpact::kMedium;
    default:
      return SsvcHumanImpact::kLow;
  }
}

char Letter(SsvcPriority p) { return "DSOI"[static_cast<size_t>(p)]; }

}  // namespace

SsvcPriority DeployerPriority(const SsvcInputs& in) {
  const std::string_view row = kTable[static_cast<size_t>(in.exploitation)]
                                     [static_cast<size_t>(in.exposure)][in.automatable ? 1 : 0];
  switch (row[static_cast<size_t>(in.human_impact)]) {
    case 'D':
      return SsvcPriority::kDefer;
    case 'S':
      return SsvcPriority::kScheduled;
    case 'O':
      return SsvcPriority::kOutOfCycle;
    default:
      return SsvcPriority::kImmediate;
  }
}

SsvcDecision DecideSsvc(const RiskFacts& facts, std::optional<SsvcExposure> exposure) {
  SsvcDecision d;
  SsvcInputs& in = d.inputs;
  const Metrics m(facts.cvss_vector);
  const bool has_vector = !facts.cvss_vector.empty();
  const std::string e(m.Get("E"));
  std::string why;
  if (facts.kev) {
    in.exploitation = SsvcExploitation::kActive;
    why = "exploitation active (CISA KEV)";
  } else if (e == "A" || e == "H" || e == "F") {
    in.exploitation = SsvcExploitation::kActive;
    why = "exploitation active (E:" + e + ")";
  } else if (e == "P" || e == "POC") {
    in.exploitation = SsvcExploitation::kPublicPoc;
    why = "exploitation public PoC (E:" + e + ")";
  } else {
    in.exploitation = SsvcExploitation::kNone;
    why = "exploitation none (not in KEV, no exploit maturity stated)";
  }
  const std::string av(m.Get("AV"));
  if (exposure) {
    in.exposure = *exposure;
    why += "; exposure " + std::string(SsvcExposureName(*exposure)) + " (policy)";
  } else if (!has_vector || av.empty()) {
    in.exposure = SsvcExposure::kOpen;
    why += "; exposure open (no attack vector known)";
  } else {
    in.exposure = av == "N" ? SsvcExposure::kControlled : SsvcExposure::kSmall;
    why += "; exposure " + std::string(SsvcExposureName(in.exposure)) + " (AV:" + av + ")";
  }
  if (!has_vector || av.empty()) {
    in.automatable = true;
    why += "; automatable yes (no vector known)";
  } else {
    const bool v2 = m.Has("Au");
    in.automatable = av == "N" && m.Get("AC") == "L" &&
                     (v2 ? m.Get("Au") == "N"
                         : m.Get("PR") == "N" && m.Get("UI") == "N" &&
                               (!m.Has("AT") || m.Get("AT") == "N"));
    why += std::string("; automatable ") + (in.automatable ? "yes" : "no") +
           " (network, low complexity, no privileges or user interaction: " +
           (in.automatable ? "all" : "not all") + ")";
  }
  in.human_impact = facts.harm ? ImpactOf(*facts.harm) : SsvcHumanImpact::kVeryHigh;
  why += "; human impact " + std::string(SsvcHumanImpactName(in.human_impact)) +
         (facts.harm ? " (harm " + std::string(HarmName(*facts.harm)) + ")"
                     : " (harm not assessed)");
  d.priority = DeployerPriority(in);
  d.reason = why;
  d.vector = std::string("SSVC/DP:1.0.0/E:") + "NPA"[static_cast<size_t>(in.exploitation)] +
             "/EXP:" + "SCO"[static_cast<size_t>(in.exposure)] +
             "/A:" + (in.automatable ? "Y" : "N") + "/HI:" +
             std::array<const char*, 4>{"L", "M", "H", "VH"}[static_cast<size_t>(in.human_impact)] +
             "/DSOI:" + Letter(d.priority) + "/";
  return d;
}

std::string_view SsvcPriorityName(SsvcPriority p) { return kPriorityNames[static_cast<size_t>(p)]; }
std::string_view SsvcExploitationName(SsvcExploitation e) {
  return kExploitationNames[static_cast<size_t>(e)];
}
std::string_view SsvcHumanImpactName(SsvcHumanImpact h) {
  return kHumanImpactNames[static_cast<size_t>(h)];
}

}  // namespace vigil::risk
