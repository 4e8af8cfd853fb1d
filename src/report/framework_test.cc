#include "vigil/report/framework.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "vigil/core/bytes.h"
#include "vigil/core/env.h"

namespace vigil::report {
namespace {

constexpr char kValid[] = R"(framework: test-fw
name: Test framework
version: "1"
source: https://example.invalid/fw
requirements:
  - id: A
    title: Authentication
    text: authenticate
  - id: B
    title: Authorization
)";

std::string Refusal(const std::string& yaml) {
  auto f = ParseFramework(yaml, "fw.yaml");
  if (f) return "accepted";
  EXPECT_EQ(f.error().message().find('\n'), std::string::npos) << f.error().message();
  EXPECT_EQ(f.error().code(), ErrorCode::kInvalidArgument) << f.error().message();
  return f.error().message();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(Framework, ReadsAValidFile) {
  auto f = ParseFramework(kValid, "fw.yaml");
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_EQ(f->id, "test-fw");
  EXPECT_EQ(f->kind, FrameworkKind::kCoverage);
  ASSERT_EQ(f->requirements.size(), 2u);
  EXPECT_EQ(f->requirements[1].id, "B");
  EXPECT_EQ(f->requirements[1].at, "fw.yaml:9");
  EXPECT_NE(f->Find("A"), nullptr);
  EXPECT_EQ(f->Find("Z"), nullptr);
}

TEST(Framework, EachInvalidFileGivesOneLineWithFileAndLine) {
  EXPECT_EQ(Refusal(Replace(kValid, "  - id: B", "  - id: A")),
            "fw.yaml:9: requirements[1].id: duplicate id \"A\" (first at fw.yaml:6)");
  EXPECT_EQ(Refusal(Replace(kValid, "    text: authenticate", "    txt: authenticate")),
            "fw.yaml:8: requirements[0].txt: unknown field (expected one of id, title, text, "
            "answered_by)");
  EXPECT_EQ(Refusal(Replace(kValid, "    title: Authorization\n", "")),
            "fw.yaml:9: requirements[1].title: required field missing");
  EXPECT_EQ(Refusal(Replace(kValid, "version: \"1\"\n", "version: \"1\"\nkind: checklist\n")),
            "fw.yaml:4: kind: expected one of coverage, labeling, questionnaire; found "
            "\"checklist\"");
  EXPECT_EQ(Refusal(Replace(kValid, "    text: authenticate", "    answered_by: sbom")),
            "fw.yaml:8: requirements[0].answered_by: only labeling and questionnaire files say "
            "what answers an item (a coverage requirement is answered by the controls that name "
            "it)");
  EXPECT_EQ(Refusal(Replace(kValid, "framework: test-fw", "framework: test fw")),
            "fw.yaml:1: framework: expected an id of letters, digits, '.', '_' and '-'; found "
            "\"test fw\"");
  EXPECT_EQ(Refusal("framework: x\nname: n\nversion: v\nsource: s\nrequirements: []\n"),
            "fw.yaml:5: requirements: expected at least one entry");
  EXPECT_EQ(Refusal(std::string(kValid) + "requirements: []\n").substr(0, 8), "fw.yaml:");
  EXPECT_EQ(Refusal("framework: x\nname: n\nversion: v\nsource: s\nkind: labeling\n"
                    "requirements:\n  - {id: L1, title: t, answered_by: smoke}\n"),
            "fw.yaml:7: requirements[0].answered_by: expected one of none, interfaces, updates, "
            "logging, views, sbom, end_of_support, resilience, controls, phi, "
            "encryption_at_rest, transmission, authentication; found \"smoke\"");
}

Framework ReadRepositoryFile(const std::string& name) {
  const std::string path = std::string(VIGIL_SOURCE_DIR) + "/report/frameworks/" + name;
  auto text = Env::Default()->ReadFile(path);
  EXPECT_TRUE(text) << path;
  if (!text) return {};
  auto f = ParseFramework(AsStringView(*text), path);
  EXPECT_TRUE(f) << f.error().message();
  return f ? *f : Framework{};
}

std::vector<std::string> Ids(const Framework& f) {
  std::vector<std::string> ids;
  for (const Requirement& r : f.requirements) ids.push_back(r.id);
  return ids;
}

TEST(Framework, RepositoryFilesReadAndHoldTheGuidancesItems) {
  // FDA Appendix 1: the eight lettered categories, D in its three parts.
  EXPECT_THAT(Ids(ReadRepositoryFile("fda-premarket-appendix-1.yaml")),
              ::testing::ElementsAre("A", "B", "C", "D.1", "D.2", "D.3", "E", "F", "G", "H"));
  const Framework labeling = ReadRepositoryFile("fda-labeling.yaml");
  EXPECT_EQ(labeling.kind, FrameworkKind::kLabeling);
  EXPECT_EQ(labeling.requirements.size(), 14u);  // section VI.A's fourteen items
  EXPECT_EQ(ReadRepositoryFile("mds2-2019.yaml").kind, FrameworkKind::kQuestionnaire);
  EXPECT_THAT(Ids(ReadRepositoryFile("eu-mdr-annex-i.yaml")),
              ::testing::IsSupersetOf({"17.2", "17.4", "18.8"}));
  EXPECT_FALSE(ReadRepositoryFile("imdrf-n60.yaml").requirements.empty());
  EXPECT_FALSE(ReadRepositoryFile("iec-81001-5-1.yaml").requirements.empty());
}

}  // namespace
}  // namespace vigil::report
