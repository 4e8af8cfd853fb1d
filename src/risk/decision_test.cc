// The risk policy reader and the controlled / uncontrolled decision.
#include "vigil/risk/decision.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace vigil::risk {
namespace {


RiskFacts Facts(std::optional<double> score, std::optional<Harm> harm, bool kev = false) {
  RiskFacts f;
  f.cvss_score = score;
  f.harm = harm;
  f.kev = kev;
  return f;
}

// The example policy of the README (examples/risk-policy.yaml).
std::string ExamplePolicy() {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/examples/risk-policy.yaml");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty());
  return text.str();
}

RiskPolicy Policy() {
  auto p = ParseRiskPolicy(ExamplePolicy(), "policy.yaml");
  EXPECT_TRUE(p) << p.error().ToString();
  return *p;
}

TEST(RiskPolicy, ReadsEveryPart) {
  RiskPolicy p = Policy();
  EXPECT_EQ(p.name, "Example Medical infusion pump risk acceptance, rev A");
  ASSERT_EQ(p.bands.size(), 3u);
  EXPECT_EQ(p.bands[1].name, "medium");
  EXPECT_DOUBLE_EQ(p.bands[1].min_score, 4.0);
  EXPECT_TRUE(p.controlled[0][static_cast<size_t>(Harm::kSerious)]);
  EXPECT_FALSE(p.controlled[2][static_cast<size_t>(Harm::kMinor)]);
  EXPECT_EQ(p.deadlines.uncontrolled_notify_days, 30);
  EXPECT_EQ(p.deadlines.uncontrolled_fix_days, 60);
  EXPECT_EQ(p.deadlines.controlled_fix_days, 365);
}

std::string ErrorOf(std::string text) {
  auto p = ParseRiskPolicy(text, "policy.yaml");
  return p ? "" : p.error().message();
}

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(RiskPolicy, EveryErrorNamesTheFileAndField) {
  const std::string base = ExamplePolicy();
  struct Case {
    std::string text, expected;
  } cases[] = {
      {Replace(base, " serious: controlled, critical: uncontrolled, catastrophic: uncontrolled}\n  medium",
               " critical: uncontrolled, catastrophic: uncontrolled}\n  medium"),
       "policy.yaml:8: matrix.low.serious: required field missing"},
      {Replace(base, "minor: uncontrolled, serious", "minor: maybe, serious"),
       "policy.yaml:10: matrix.high.minor: expected controlled or uncontrolled"},
      {Replace(base, "high: 7.0", "high: 11"), "policy.yaml:6: exploitability.high: expected a CVSS base score"},
      {Replace(base, "low: 0.0", "low: 1.0"), "one band must start at 0.0"},
      {Replace(base, "notify: 30", "notify: 0"), "policy.yaml:12: deadlines.uncontrolled.notify: expected an integer >= 1"},
      {Replace(base, "  high:   {", "  severe: {negligible: controlled}\n  high:   {"),
       "policy.yaml:10: matrix.severe: not a band of $.exploitability"},
      {Replace(base, "policy: Example", "polcy: Example"), "unknown member \"polcy\""},
      {Replace(base, "deadlines:\n  uncontrolled: {notify: 30, fix: 60}\n  controlled: {fix: 365}\n", ""),
       "policy.yaml:5: deadlines: required field missing"},
      {Replace(base, "medium: {negligible: controlled, minor: controlled,",
               "medium: {negligible: controlled, minor: controlled, minor: controlled,"),
       "mapping key \"minor\" appears twice"},
  };
  for (const Case& c : cases) {
    std::string e = ErrorOf(c.text);
    EXPECT_NE(e.find(c.expected), std::string::npos) << "got: " << e;
    EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  }
}

TEST(RiskDecision, TheMatrixCellDecides) {
  RiskPolicy p = Policy();
  RiskFacts f = Facts(7.5, Harm::kNegligible);
  RiskDecision d = Decide(p, f);
  EXPECT_TRUE(d.controlled);
  EXPECT_EQ(d.exploitability, "high");
  EXPECT_EQ(d.cell, "matrix.high.negligible = controlled");
  f.harm = Harm::kMinor;
  d = Decide(p, f);
  EXPECT_FALSE(d.controlled);
  EXPECT_EQ(d.cell, "matrix.high.minor = uncontrolled");
  f.cvss_score = 3.9;  // the band's edges: 3.9 is low, 4.0 medium
  EXPECT_EQ(Decide(p, f).exploitability, "low");
  f.cvss_score = 4.0;
  EXPECT_EQ(Decide(p, f).exploitability, "medium");
  EXPECT_TRUE(Decide(p, f).controlled);
  EXPECT_NE(Decide(p, f).reason.find("CVSS 4.0, harm minor -> exploitability medium"),
            std::string::npos)
      << Decide(p, f).reason;
}

TEST(RiskDecision, UnknownsTakeTheWorseValue) {
  RiskPolicy p = Policy();
  RiskDecision d = Decide(p, Facts(std::nullopt, Harm::kNegligible));
  EXPECT_EQ(d.exploitability, "high");
  EXPECT_NE(d.reason.find("no CVSS score (taken as the highest band)"), std::string::npos);
  d = Decide(p, Facts(0.5, std::nullopt));
  EXPECT_EQ(d.harm, Harm::kCatastrophic);
  EXPECT_FALSE(d.controlled);
  EXPECT_NE(d.reason.find("harm not assessed (taken as catastrophic)"), std::string::npos);
}

TEST(RiskDecision, KevIsNeverControlledWithoutACompensatingControl) {
  RiskPolicy p = Policy();
  RiskFacts f = Facts(2.0, Harm::kNegligible, true);
  RiskDecision d = Decide(p, f);
  EXPECT_FALSE(d.controlled);
  EXPECT_EQ(d.cell, "matrix.low.negligible = controlled");
  EXPECT_NE(d.reason.find("CISA KEV without a documented compensating control"), std::string::npos);
  f.compensating_control = "drug-library server reachable only over the hospital VPN";
  d = Decide(p, f);
  EXPECT_TRUE(d.controlled);
  EXPECT_NE(d.reason.find("compensating control: drug-library server"), std::string::npos);
  // A control does not make an uncontrolled cell controlled.
  f.harm = Harm::kCatastrophic;
  EXPECT_FALSE(Decide(p, f).controlled);
}

TEST(Harm, NamesRoundTrip) {
  for (size_t i = 0; i < kHarmLevels; ++i) {
    Harm h = static_cast<Harm>(i);
    EXPECT_EQ(ParseHarm(HarmName(h)), h);
  }
  EXPECT_FALSE(ParseHarm("severe"));
}

}  // namespace
}  // namespace vigil::risk
