#include "vigil/report/coverage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace vigil::report {
namespace {

using ::testing::ElementsAre;

Framework TestFramework() {
  Framework f;
  f.id = "fw";
  f.name = "Test framework";
  f.version = "1";
  for (const char* id : {"A", "B", "C", "D"}) {
    Requirement r;
    r.id = id;
    r.title = std::string("requirement ") + id;
    f.requirements.push_back(r);
  }
  return f;
}

threat::Control MakeControl(const std::string& id, std::vector<std::string> reqs,
                            std::vector<std::string> tests) {
  threat::Control c;
  c.id = id;
  c.title = id;
  c.requirements["fw"] = std::move(reqs);
  c.verified_by = std::move(tests);
  c.at = {"model.yaml", 10};
  return c;
}

Evidence Results(std::initializer_list<std::pair<const char*, const char*>> tests) {
  std::string xml = "<testsuite>";
  for (const auto& [name, status] : tests) {
    xml += std::string("<testcase name=\"") + name + "\" status=\"" + status + "\"/>";
  }
  xml += "</testsuite>";
  Evidence e;
  EXPECT_TRUE(ReadJunit(xml, "ctest.xml", e));
  return e;
}

TEST(Coverage, OnlyControlsWhoseTestsAllPassedAreVerified) {
  threat::Model m;
  m.controls = {MakeControl("passing", {"A"}, {"t1", "t2"}),
                MakeControl("one-fails", {"B"}, {"t1", "t3"}),
                MakeControl("one-missing", {"B"}, {"t1", "t-absent"}),
                MakeControl("one-skipped", {"C"}, {"t4"}), MakeControl("no-tests", {"C"}, {})};
  threat::NotApplicable na;
  na.framework = "fw";
  na.requirement = "D";
  na.reason = "no radio";
  na.at = {"model.yaml", 40};
  m.not_applicable.push_back(na);
  const Evidence e = Results({{"t1", "run"}, {"t2", "run"}, {"t3", "fail"}, {"t4", "disabled"}});
  const Framework fw = TestFramework();
  auto cov = ComputeCoverage(m, std::span(&fw, 1), e);
  ASSERT_TRUE(cov) << cov.error().message();

  ASSERT_EQ(cov->controls.size(), 5u);
  EXPECT_TRUE(cov->controls[0].verified);
  EXPECT_FALSE(cov->controls[1].verified);
  EXPECT_EQ(cov->controls[1].why, "t3 failed");
  EXPECT_FALSE(cov->controls[2].verified);
  EXPECT_EQ(cov->controls[2].why, "t-absent is in no evidence file");
  EXPECT_FALSE(cov->controls[3].verified);
  EXPECT_EQ(cov->controls[3].why, "t4 skipped");
  EXPECT_FALSE(cov->controls[4].verified);
  EXPECT_EQ(cov->controls[4].why, "no test named in verified_by");

  ASSERT_EQ(cov->frameworks.size(), 1u);
  const FrameworkCoverage& f = cov->frameworks[0];
  EXPECT_EQ(f.requirements[0].state, RequirementState::kCovered);
  EXPECT_THAT(f.requirements[0].verified_controls, ElementsAre("passing"));
  EXPECT_EQ(f.requirements[1].state, RequirementState::kOpen);
  EXPECT_THAT(f.requirements[1].unverified_controls, ElementsAre("one-fails", "one-missing"));
  EXPECT_EQ(f.requirements[1].reason, "its controls are unverified");
  EXPECT_EQ(f.requirements[2].state, RequirementState::kOpen);
  EXPECT_EQ(f.requirements[3].state, RequirementState::kNotApplicable);
  EXPECT_EQ(f.requirements[3].reason, "no radio");
  EXPECT_EQ(f.covered, 1u);
  EXPECT_EQ(f.open, 2u);
  EXPECT_EQ(f.not_applicable, 1u);
}

TEST(Coverage, ARequirementNoControlNamesIsOpen) {
  threat::Model m;
  const Framework fw = TestFramework();
  auto cov = ComputeCoverage(m, std::span(&fw, 1), Evidence{});
  ASSERT_TRUE(cov);
  for (const RequirementCoverage& r : cov->frameworks[0].requirements) {
    EXPECT_EQ(r.state, RequirementState::kOpen);
    EXPECT_EQ(r.reason, "no control of the model satisfies it");
  }
}

TEST(Coverage, UnknownReferencesAndContradictionsAreErrorsNamingTheModelLine) {
  const Framework fw = TestFramework();
  threat::Model m;
  m.controls = {MakeControl("c", {"Z"}, {"t1"})};
  auto cov = ComputeCoverage(m, std::span(&fw, 1), Evidence{});
  ASSERT_FALSE(cov);
  EXPECT_EQ(cov.error().message(),
            "model.yaml:10: controls c: requirements.fw: unknown requirement \"Z\" of fw "
            "(expected one of A, B, C, D)");

  m.controls = {MakeControl("c", {"A"}, {"t1"})};
  m.controls[0].requirements["other"] = {"A"};
  cov = ComputeCoverage(m, std::span(&fw, 1), Evidence{});
  ASSERT_FALSE(cov);
  EXPECT_EQ(cov.error().message(),
            "model.yaml:10: controls c: requirements.other: unknown framework \"other\" "
            "(expected one of fw)");

  m.controls = {MakeControl("c", {"A"}, {"t1"})};
  threat::NotApplicable na;
  na.framework = "fw";
  na.requirement = "A";
  na.reason = "r";
  na.at = {"model.yaml", 50};
  m.not_applicable = {na};
  cov = ComputeCoverage(m, std::span(&fw, 1), Evidence{});
  ASSERT_FALSE(cov);
  EXPECT_EQ(cov.error().message(),
            "model.yaml:50: not_applicable: fw A is declared not applicable, but control c "
            "(model.yaml:10) satisfies it");
}

}  // namespace
}  // namespace vigil::report
