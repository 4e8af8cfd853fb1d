#include "vigil/report/package.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "vigil/core/json.h"

namespace vigil::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Fixture {
  threat::Model model;
  threat::Analysis analysis;
  risk::RiskPolicy policy;
  sbom::Sbom sbom;
  Evidence evidence;
  PackageInput in;

  Fixture() {
    model.device.name = "Pump <A&B>";
    threat::Asset uart;
    uart.id = "uart";
    uart.name = "Service UART";
    uart.kind = threat::AssetKind::kInterface;
    uart.interface_type = threat::InterfaceType::kUart;
    uart.enabled_in_production = true;
    model.assets.push_back(uart);
    threat::Control c;
    c.id = "C-1";
    c.title = "Login, \"strong\" <script>alert(1)</script>";
    c.requirements["fw"] = {"A"};
    c.verified_by = {"t_pass", "t_fail"};
    model.controls.push_back(c);
    threat::Finding f;
    f.id = "open-debug-port@uart";
    f.rule = "open-debug-port";
    f.element = "uart";
    f.controls = {"C-1"};
    analysis.findings.push_back(f);
    policy.name = "Test policy";
    sbom::Component lib;
    lib.name = "zlib";
    lib.version = "1.3";
    lib.support_text = "ask the vendor";
    sbom.components.push_back(lib);
    EXPECT_TRUE(ReadJunit(R"(<testsuite><testcase name="t_pass" status="run"/>
<testcase name="t_fail" status="fail"><failure message="Failed"/></testcase></testsuite>)",
                          "ctest.xml", evidence));
    Framework fw;
    fw.id = "fw";
    fw.name = "FW";
    fw.requirements = {
        Requirement{.id = "A", .title = "Auth", .text = "", .answered_by = {}, .at = ""}};
    Framework labels;
    labels.id = "labels";
    labels.name = "Labeling";
    labels.kind = FrameworkKind::kLabeling;
    labels.requirements = {Requirement{.id = "L1",
                                       .title = "Ports",
                                       .text = "",
                                       .answered_by = AnswerSource::kInterfaces,
                                       .at = ""},
                           Requirement{.id = "L2",
                                       .title = "Backup",
                                       .text = "",
                                       .answered_by = AnswerSource::kNone,
                                       .at = ""}};
    in.model = &model;
    in.analysis = &analysis;
    in.policy = &policy;
    in.sbom = &sbom;
    in.sbom_file = "sbom.json";
    in.evidence = &evidence;
    in.frameworks = {fw, labels};
    in.views = {{"global", "Global system view", "<svg width=\"10\" height=\"10\"></svg>"}};
    in.generated = "2026-12-05T00:00:00Z";
  }
};

std::string Csv(const Package& p, const std::string& name) {
  for (const auto& [n, text] : p.csv) {
    if (n == name) return text;
  }
  return "(no " + name + ")";
}

TEST(Package, AControlWithAFailedTestIsUnverifiedEverywhere) {
  Fixture fx;
  auto pkg = BuildPackage(fx.in);
  ASSERT_TRUE(pkg) << pkg.error().message();
  EXPECT_FALSE(pkg->coverage.controls[0].verified);
  EXPECT_THAT(Csv(*pkg, "controls.csv"), HasSubstr("UNVERIFIED"));
  EXPECT_THAT(Csv(*pkg, "controls.csv"), Not(HasSubstr(",verified,")));
  EXPECT_THAT(Csv(*pkg, "coverage.csv"),
              HasSubstr("fw,A,Auth,open,,C-1,its controls are unverified"));
  EXPECT_THAT(Csv(*pkg, "traceability.csv"),
              HasSubstr("open-debug-port@uart,open,C-1,UNVERIFIED,t_fail,failed"));
  EXPECT_THAT(pkg->html, HasSubstr("<tr class=\"bad\"><td>C-1</td>"));
}

TEST(Package, TextIsEscapedAndQuotedAndTheJsonParses) {
  Fixture fx;
  auto pkg = BuildPackage(fx.in);
  ASSERT_TRUE(pkg);
  EXPECT_THAT(pkg->html,
              HasSubstr("Login, &quot;strong&quot; &lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(pkg->html, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(pkg->html,
              HasSubstr("<title>Premarket cybersecurity package: Pump &lt;A&amp;B&gt;</title>"));
  EXPECT_THAT(Csv(*pkg, "controls.csv"),
              HasSubstr("C-1,\"Login, \"\"strong\"\" <script>alert(1)</script>\",UNVERIFIED"));
  auto json = json::Parse(pkg->json, "premarket.json");
  ASSERT_TRUE(json) << json.error().message();
  json::Node root(*json, "premarket.json");
  EXPECT_EQ(*root.Get("device").String(), "Pump <A&B>");
  EXPECT_EQ(root.Get("tables").Get("controls").At(0).Get("verification").String().value(),
            "UNVERIFIED");
}

TEST(Package, WhatTheModelDoesNotSayIsShownAsUnknownOrUnanswered) {
  Fixture fx;
  auto pkg = BuildPackage(fx.in);
  ASSERT_TRUE(pkg);
  EXPECT_THAT(
      Csv(*pkg, "sbom.csv"),
      HasSubstr("zlib,1.3,,unknown,,\"unknown (SBOM says \"\"ask the vendor\"\")\",unknown"));
  EXPECT_THAT(pkg->unanswered, ::testing::ElementsAre("labels L2"));
  EXPECT_THAT(Csv(*pkg, "labeling.csv"),
              HasSubstr("L1,Ports,\"Service UART (uart, enabled in production, authentication "
                        "none)\",interfaces"));
  EXPECT_THAT(Csv(*pkg, "labeling.csv"), HasSubstr("L2,Backup,UNANSWERED"));
}

TEST(Package, ThePageIsSelfContained) {
  Fixture fx;
  auto pkg = BuildPackage(fx.in);
  ASSERT_TRUE(pkg);
  EXPECT_THAT(pkg->html, HasSubstr("<figure class=\"view\" id=\"view-global\">"));
  EXPECT_THAT(pkg->html, HasSubstr("@media print"));
  EXPECT_THAT(pkg->html, HasSubstr("default-src 'none'"));
  for (const char* remote : {"src=\"http", "href=\"http", "<link", "@import", "url("}) {
    EXPECT_THAT(pkg->html, Not(HasSubstr(remote))) << remote;
  }
  for (const char* q : {"What are we working on?", "What can go wrong?",
                        "What are we going to do about it?", "Did we do a good job?"}) {
    EXPECT_THAT(pkg->html, HasSubstr(q));
  }
}

}  // namespace
}  // namespace vigil::report
