// The SSVC deployer decision: the table against CERT/CC's published one row by row, and where
// each input comes from.
#include "vigil/risk/ssvc.h"

#include <gtest/gtest.h>

#include <sstream>

namespace vigil::risk {
namespace {

// CERT/CC SSVC "Deployer Patch Application Priority" 1.0.0, its 72 rows in its own order
// (exploitation, exposure, automatable, human impact → outcome), transcribed in long form.
constexpr char kPublished[] =
    "N S N L D|N S N M D|N S N H S|N S N VH S|N S Y L D|N S Y M S|N S Y H S|N S Y VH S|"
    "N C N L D|N C N M S|N C N H S|N C N VH S|N C Y L S|N C Y M S|N C Y H S|N C Y VH S|"
    "N O N L D|N O N M S|N O N H S|N O N VH S|N O Y L S|N O Y M S|N O Y H S|N O Y VH O|"
    "P S N L D|P S N M S|P S N H S|P S N VH S|P S Y L S|P S Y M S|P S Y H S|P S Y VH S|"
    "P C N L D|P C N M S|P C N H S|P C N VH S|P C Y L S|P C Y M S|P C Y H S|P C Y VH O|"
    "P O N L S|P O N M S|P O N H S|P O N VH O|P O Y L S|P O Y M S|P O Y H O|P O Y VH O|"
    "A S N L S|A S N M S|A S N H O|A S N VH O|A S Y L S|A S Y M O|A S Y H O|A S Y VH O|"
    "A C N L S|A C N M S|A C N H O|A C N VH O|A C Y L O|A C Y M O|A C Y H O|A C Y VH O|"
    "A O N L S|A O N M O|A O N H O|A O N VH I|A O Y L O|A O Y M O|A O Y H I|A O Y VH I";

TEST(Ssvc, DeployerTableIsThePublishedOneRowByRow) {
  std::stringstream rows(kPublished);
  std::string row;
  int n = 0;
  while (std::getline(rows, row, '|')) {
    std::stringstream f(row);
    std::string e, x, a, h, out;
    f >> e >> x >> a >> h >> out;
    SsvcInputs in;
    in.exploitation = e == "N"   ? SsvcExploitation::kNone
                      : e == "P" ? SsvcExploitation::kPublicPoc
                                 : SsvcExploitation::kActive;
    in.exposure = x == "S" ? SsvcExposure::kSmall
                  : x == "C" ? SsvcExposure::kControlled
                             : SsvcExposure::kOpen;
    in.automatable = a == "Y";
    in.human_impact = h == "L"   ? SsvcHumanImpact::kLow
                      : h == "M" ? SsvcHumanImpact::kMedium
                      : h == "H" ? SsvcHumanImpact::kHigh
                                 : SsvcHumanImpact::kVeryHigh;
    EXPECT_EQ(std::string(1, "DSOI"[static_cast<size_t>(DeployerPriority(in))]), out) << row;
    ++n;
  }
  EXPECT_EQ(n, 72);
}

RiskFacts Facts(std::string vector, std::optional<Harm> harm, bool kev = false) {
  RiskFacts f;
  f.cvss_vector = std::move(vector);
  f.harm = harm;
  f.kev = kev;
  return f;
}

TEST(Ssvc, InputsComeFromKevTheVectorTheHarmAndThePolicy) {
  // KEV, network-reachable and automatable, catastrophic harm, on a clinical network.
  SsvcDecision d = DecideSsvc(
      Facts("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Harm::kCatastrophic, true),
      std::nullopt);
  EXPECT_EQ(d.priority, SsvcPriority::kOutOfCycle);
  EXPECT_EQ(d.vector, "SSVC/DP:1.0.0/E:A/EXP:C/A:Y/HI:VH/DSOI:O/");
  EXPECT_EQ(d.reason,
            "exploitation active (CISA KEV); exposure controlled (AV:N); automatable yes (network, "
            "low complexity, no privileges or user interaction: all); human impact very high "
            "(harm catastrophic)");
  // The same device reachable from the internet, as its policy says: immediate.
  d = DecideSsvc(Facts("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Harm::kCatastrophic, true),
                 SsvcExposure::kOpen);
  EXPECT_EQ(d.priority, SsvcPriority::kImmediate);
  EXPECT_NE(d.reason.find("exposure open (policy)"), std::string::npos);
  // Exploit maturity in the vector: v3 E:P is a public PoC, v4 E:A active.
  d = DecideSsvc(Facts("CVSS:3.1/AV:A/AC:H/PR:L/UI:R/S:U/C:H/I:H/A:H/E:P", Harm::kSerious),
                 std::nullopt);
  EXPECT_EQ(d.vector, "SSVC/DP:1.0.0/E:P/EXP:S/A:N/HI:M/DSOI:S/");
  d = DecideSsvc(Facts("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A",
                       Harm::kMinor),
                 std::nullopt);
  EXPECT_EQ(d.vector, "SSVC/DP:1.0.0/E:A/EXP:C/A:N/HI:L/DSOI:S/");  // AT:P: not automatable
  // CVSS v2: Au:N stands for no privileges; E:POC a public PoC.
  d = DecideSsvc(Facts("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC/RL:OF/RC:C", Harm::kCritical),
                 std::nullopt);
  EXPECT_EQ(d.vector, "SSVC/DP:1.0.0/E:P/EXP:C/A:Y/HI:H/DSOI:S/");
  // Harm levels as situated safety impact.
  EXPECT_EQ(DecideSsvc(Facts("", Harm::kNegligible), std::nullopt).inputs.human_impact,
            SsvcHumanImpact::kLow);
}

TEST(Ssvc, UnknownsTakeTheWorseValue) {
  SsvcDecision d = DecideSsvc(Facts("", std::nullopt), std::nullopt);
  EXPECT_EQ(d.vector, "SSVC/DP:1.0.0/E:N/EXP:O/A:Y/HI:VH/DSOI:O/");
  EXPECT_EQ(d.reason,
            "exploitation none (not in KEV, no exploit maturity stated); exposure open (no attack "
            "vector known); automatable yes (no vector known); human impact very high (harm not "
            "assessed)");
}

TEST(Ssvc, PolicyStatesTheDeviceExposure) {
  const std::string base =
      "policy: p\nexploitability: {low: 0}\nmatrix:\n  low: {negligible: controlled, minor: "
      "controlled, serious: controlled, critical: controlled, catastrophic: controlled}\n"
      "deadlines: {uncontrolled: {notify: 30, fix: 60}}\n";
  auto p = ParseRiskPolicy(base, "p.yaml");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_FALSE(p->ssvc_exposure.has_value());
  p = ParseRiskPolicy(base + "ssvc: {exposure: open}\n", "p.yaml");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->ssvc_exposure, SsvcExposure::kOpen);
  p = ParseRiskPolicy(base + "ssvc: {exposure: internet}\n", "p.yaml");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().message(), "p.yaml:6: ssvc.exposure: expected small, controlled or open, got 'internet'");
  p = ParseRiskPolicy(base + "ssvc: {exposed: open}\n", "p.yaml");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message().find("p.yaml:6: ssvc: unknown member"), std::string::npos) << p.error().message();
}

}  // namespace
}  // namespace vigil::risk
