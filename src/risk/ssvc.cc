// The SSVC deployer decision (ssvc.h).
#include "vigil/risk/ssvc.h"

#include <array>
#include <map>

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
std::map<std::string, std::string> Metrics(std::string_view vector) {
  std::map<std::string, std::string> out;
  while (!vector.empty()) {
    const size_t slash = vector.find('/');
    std::string_view part = vector.substr(0, slash);
    vector = slash == std::string_view::npos ? std::string_view() : vector.substr(slash + 1);
    const size_t colon = part.find(':');
    if (colon == std::string_view::npos || part.starts_with("CVSS:")) continue;
    out.emplace(std::string(part.substr(0, colon)), std::string(part.substr(colon + 1)));
  }
  return out;
}

std::string Get(const std::map<std::string, std::string>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

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
  const auto m = Metrics(facts.cvss_vector);
  const bool has_vector = !facts.cvss_vector.empty();
  const std::string e = Get(m, "E");
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
  const std::string av = Get(m, "AV");
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
    const bool v2 = m.count("Au") != 0;
    in.automatable = av == "N" && Get(m, "AC") == "L" &&
                     (v2 ? Get(m, "Au") == "N"
                         : Get(m, "PR") == "N" && Get(m, "UI") == "N" &&
                               (!m.count("AT") || Get(m, "AT") == "N"));
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
