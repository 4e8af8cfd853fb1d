#include "vigil/threat/views.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "testing/model_files.h"
#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/core/fault_env.h"

namespace vigil::threat {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct ViewsTest : ::testing::Test {
  void SetUp() override {
    dir = ::testing::TempDir() + "threat_views_" + std::to_string(getpid());
    ASSERT_TRUE(Env::Default()->CreateDir(dir));
    std::map<std::string, std::string> files = {{"model.yaml", testing::kSmallModel}};
    auto m = testing::ReadFromMap(files);
    ASSERT_TRUE(m) << m.error().message();
    model = std::move(*m);
    auto rules = testing::RepositoryRules();
    ASSERT_TRUE(rules);
    auto policy = risk::ParseRiskPolicy(testing::kPolicy, "policy.yaml");
    ASSERT_TRUE(policy);
    auto a = Analyze(model, *rules, *policy);
    ASSERT_TRUE(a);
    analysis = std::move(*a);
  }

  // Writes the view's DOT, renders it with dot and returns the SVG text.
  std::string Render(const View& v) {
    const std::string dot = dir + "/" + v.name + ".dot";
    const std::string svg = dir + "/" + v.name + ".svg";
    EXPECT_TRUE(Env::Default()->WriteFileAtomic(dot, AsBytes(v.dot)));
    Status s = RenderSvg(*Env::Default(), dot, svg);
    EXPECT_TRUE(s) << s.error().message();
    auto text = Env::Default()->ReadFile(svg);
    return text ? std::string(AsStringView(*text)) : std::string();
  }

  const View& Named(const std::vector<View>& views, std::string_view name) {
    for (const View& v : views) {
      if (v.name == name) return v;
    }
    ADD_FAILURE() << name;
    return views.front();
  }

  std::string dir;
  Model model;
  Analysis analysis;
};

TEST_F(ViewsTest, FourKindsOfViewOneUseCasePerFunction) {
  std::vector<View> views = MakeViews(model, analysis);
  std::vector<std::string> names;
  for (const View& v : views) names.push_back(v.name);
  EXPECT_THAT(names, ::testing::ElementsAre("global", "multi-patient", "update",
                                            "use-case-infusion", "use-case-records"));
}

TEST_F(ViewsTest, GlobalViewRendersEveryAssetInsideItsBoundaries) {
  std::string svg = Render(Named(MakeViews(model, analysis), "global"));
  ASSERT_GT(svg.size(), 1000u);
  EXPECT_THAT(svg, HasSubstr("<svg"));
  // dot names each node's group by its DOT id (the asset id) and each cluster by its name.
  for (const char* node : {"<title>pumpd</title>", "<title>store</title>", "<title>gateway</title>",
                           "<title>cluster_pump</title>", "<title>cluster_hospital</title>",
                           "<title>gateway&#45;&gt;pumpd</title>"}) {
    EXPECT_THAT(svg, HasSubstr(node));
  }
  EXPECT_THAT(svg, HasSubstr("Pump daemon"));
  EXPECT_THAT(svg, HasSubstr("https:443"));
  // The body boundary holds nothing and is left out.
  EXPECT_THAT(svg, Not(HasSubstr("cluster_body")));
}

TEST_F(ViewsTest, MultiPatientAndUseCaseViewsShowWhatTheyAreAbout) {
  std::vector<View> views = MakeViews(model, analysis);
  std::string mp = Render(Named(views, "multi-patient"));
  EXPECT_THAT(mp, HasSubstr("<title>gateway</title>"));  // outside the device
  EXPECT_THAT(mp, HasSubstr("<title>pumpd</title>"));    // what it reaches
  EXPECT_THAT(mp, HasSubstr("harm: catastrophic"));
  EXPECT_THAT(mp, Not(HasSubstr("<title>store</title>")));  // only reached from inside

  std::string uc = Render(Named(views, "use-case-records"));
  EXPECT_THAT(uc, HasSubstr("<title>store</title>"));
  EXPECT_THAT(uc, HasSubstr("uncontrolled after mitigation"));
  EXPECT_THAT(uc, Not(HasSubstr("<title>gateway</title>")));

  // No update path in this model: the update view is an empty graph that still renders.
  std::string up = Render(Named(views, "update"));
  EXPECT_THAT(up, HasSubstr("updatability"));
  EXPECT_THAT(up, Not(HasSubstr("<title>pumpd</title>")));
}

TEST_F(ViewsTest, UpdateViewMarksUnsignedPaths) {
  std::map<std::string, std::string> files = {
      {"model.yaml", std::string(testing::kSmallModel) +
                         "  - {id: upd, from: gateway, to: pumpd, protocol: https, "
                         "authentication: certificate, encryption: tls, update_path: true}\n"}};
  auto m = testing::ReadFromMap(files);
  ASSERT_TRUE(m) << m.error().message();
  std::string svg = Render(Named(MakeViews(*m, analysis), "update"));
  EXPECT_THAT(svg, HasSubstr("UNSIGNED"));
  EXPECT_THAT(svg, HasSubstr("SBOM: none"));
}

TEST_F(ViewsTest, MissingDotIsAnErrorNotASkip) {
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  setenv("PATH", dir.c_str(), 1);  // a directory without dot
  Status s = RenderSvg(*Env::Default(), dir + "/x.dot", dir + "/x.svg");
  setenv("PATH", saved.c_str(), 1);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_THAT(s.error().message(), HasSubstr("dot (Graphviz) not found on PATH"));
}

TEST_F(ViewsTest, DotRefusingTheInputIsAnError) {
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(dir + "/bad.dot", AsBytes("digraph { a -> }")));
  Status s = RenderSvg(*Env::Default(), dir + "/bad.dot", dir + "/bad.svg");
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message(), HasSubstr("bad.dot: dot failed (exit status 1: "));
  EXPECT_THAT(s.error().message(), HasSubstr("syntax error"));
  EXPECT_EQ(s.error().message().find('\n'), std::string::npos);
  EXPECT_FALSE(Env::Default()->FileExists(dir + "/bad.svg.log"));
}

TEST_F(ViewsTest, DotsComplaintsAreReadThroughTheGivenEnv) {
  // dot writes its log on disk; an in-memory Env does not see it, so the failure is reported
  // without dot's words, and the log is left where dot put it (it was not removed either).
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(dir + "/bad.dot", AsBytes("digraph { a -> }")));
  FaultInjectingEnv memory;
  Status s = RenderSvg(memory, dir + "/bad.dot", dir + "/bad.svg");
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message(), HasSubstr("bad.dot: dot failed (exit status 1: )"));
  EXPECT_TRUE(Env::Default()->FileExists(dir + "/bad.svg.log"));
}

TEST_F(ViewsTest, LabelsAreEscaped) {
  model.assets[0].name = "quote \" and back\\slash";
  std::string svg = Render(Named(MakeViews(model, analysis), "global"));
  EXPECT_THAT(svg, HasSubstr("quote &quot; and back\\slash"));
}

}  // namespace
}  // namespace vigil::threat
