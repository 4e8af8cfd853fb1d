#include "vigil/threat/analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "testing/model_files.h"

namespace vigil::threat {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using testing::Analysed;

Analysed Analyse(const std::string& model_text) {
  auto r = testing::AnalyseText(model_text);
  EXPECT_TRUE(r) << r.error().message();
  return r ? std::move(*r) : Analysed{};
}

const Finding* Find(const Analysis& a, std::string_view id) {
  for (const Finding& f : a.findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

std::vector<std::string> Ids(const Analysis& a) {
  std::vector<std::string> out;
  for (const Finding& f : a.findings) out.push_back(f.id);
  return out;
}

TEST(Analyze, MedicalRulesFireWithTheirFactsAndRisk) {
  Analysed r = Analyse(testing::kSmallModel);
  const Finding* f = Find(r.analysis, "unauthenticated-therapy-command@gw-to-pumpd");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, ElementKind::kLink);
  EXPECT_THAT(f->fired_by, ElementsAre("carries_therapy_commands = true", "authentication = none"));
  EXPECT_THAT(f->functions, ElementsAre("infusion"));
  EXPECT_THAT(f->hazards, ElementsAre("HAZ-1"));
  EXPECT_EQ(f->exploitability, 8.8);
  EXPECT_EQ(f->pre.cell, "matrix.high.catastrophic = uncontrolled");
  EXPECT_TRUE(f->controls.empty());
  EXPECT_EQ(f->post.cell, f->pre.cell);  // nothing covers it
  EXPECT_EQ(f->status, TrackingStatus::kOpen);

  // PHI stored unencrypted: the store supports only a minor function.
  f = Find(r.analysis, "phi-unencrypted-at-rest@store");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->fired_by, ElementsAre("phi = true", "encrypted_at_rest = false"));
  EXPECT_EQ(f->pre.cell, "matrix.medium.minor = controlled");
  // The gateway reaches the pump from outside the device without authentication.
  EXPECT_NE(Find(r.analysis, "unauthenticated-remote-access@gw-to-pumpd"), nullptr);
  // pumpd has a watchdog: it is the sole support of infusion, but no single point of failure.
  EXPECT_EQ(Find(r.analysis, "single-point-of-failure-essential@pumpd"), nullptr);
  EXPECT_EQ(Find(r.analysis, "stride-dos-process@pumpd"), nullptr);
  // Rules that do not apply do not fire: no update path, no debug port, no PHI in logs.
  for (const Finding& x : r.analysis.findings) {
    EXPECT_NE(x.rule, "unsigned-update-path");
    EXPECT_NE(x.rule, "open-debug-port");
    EXPECT_NE(x.rule, "phi-in-logs");
  }
  EXPECT_EQ(r.analysis.uncontrolled_pre, r.analysis.uncontrolled_post);
}

TEST(Analyze, RulesFireWhenTheFactsChange) {
  std::string model = testing::kSmallModel;
  model +=
      "  - {id: upd, from: gateway, to: pumpd, protocol: https, authentication: certificate, "
      "encryption: tls, update_path: true}\n";
  model.replace(model.find("    watchdog: true\n"), 18,
                "    watchdog: false\n    logs_phi: true\n    long_lived_keys: classical\n");
  Analysed r = Analyse(model);
  const Finding* f = Find(r.analysis, "unsigned-update-path@upd");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->fired_by, ElementsAre("update_path = true", "signed = false"));
  EXPECT_NE(Find(r.analysis, "single-point-of-failure-essential@pumpd"), nullptr);
  EXPECT_NE(Find(r.analysis, "phi-in-logs@pumpd"), nullptr);
  EXPECT_NE(Find(r.analysis, "quantum-vulnerable-long-lived-key@pumpd"), nullptr);
  EXPECT_NE(Find(r.analysis, "no-crypto-agility@pumpd"), nullptr);
}

TEST(Analyze, IdsAreStableAcrossRunsAndReordering) {
  Analysed a = Analyse(testing::kSmallModel);
  Analysed b = Analyse(testing::kSmallModel);
  EXPECT_FALSE(a.analysis.findings.empty());
  EXPECT_EQ(Ids(a.analysis), Ids(b.analysis));
  EXPECT_EQ(Write(FindingsToJson(a.analysis)), Write(FindingsToJson(b.analysis)));
  // The same model with its two links swapped: the same findings, ids and risks.
  std::string model = testing::kSmallModel;
  const size_t links = model.find("  - id: gw-to-pumpd");
  const size_t second = model.find("  - id: pumpd-to-store");
  std::string swapped =
      model.substr(0, links) + model.substr(second) + model.substr(links, second - links);
  Analysed c = Analyse(swapped);
  EXPECT_EQ(Write(FindingsToJson(a.analysis)), Write(FindingsToJson(c.analysis)));
  const std::vector<std::string> ids = Ids(a.analysis);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
}

TEST(Analyze, ControlsLowerPostMitigationRiskOnlyWhereTheyApply) {
  std::string model = std::string(testing::kSmallModel) +
                      "controls:\n"
                      "  - id: C-mtls\n    title: mutual TLS\n"
                      "    requirements: {fda-premarket-appendix-1: [authentication]}\n"
                      "    verified_by: [identity_device_cert_test]\n"
                      "    mitigates:\n"
                      "      - {rule: unauthenticated-therapy-command, elements: [gw-to-pumpd]}\n"
                      "      - {rule: stride-repudiation, elements: [nothing-else, store]}\n"
                      "    residual_exploitability: 1.5\n"
                      "  - id: C-weak\n    title: weaker\n"
                      "    mitigates: [{rule: unauthenticated-therapy-command}]\n"
                      "    residual_exploitability: 5\n";
  model.replace(model.find("nothing-else, "), 14, "");
  Analysed r = Analyse(model);
  const Finding* f = Find(r.analysis, "unauthenticated-therapy-command@gw-to-pumpd");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->controls, ElementsAre("C-mtls", "C-weak"));
  EXPECT_EQ(f->residual_exploitability, 1.5);  // the lowest of the covering controls
  EXPECT_EQ(f->post.cell, "matrix.remote.catastrophic = controlled");
  EXPECT_FALSE(f->pre.controlled);
  f = Find(r.analysis, "stride-repudiation@pumpd");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->controls.empty());  // the control names only the store
  EXPECT_THAT(Find(r.analysis, "stride-repudiation@store")->controls, ElementsAre("C-mtls"));
  EXPECT_LT(r.analysis.uncontrolled_post, r.analysis.uncontrolled_pre);
}

TEST(Analyze, TrackingAttachesByIdAndStaleEntriesAreListed) {
  std::string model = std::string(testing::kSmallModel) +
                      "tracking:\n"
                      "  - {finding: phi-unencrypted-at-rest@store, status: accepted, "
                      "justification: test data only, safety_file: RMF-1}\n"
                      "  - {finding: open-debug-port@jtag, status: open}\n";
  Analysed r = Analyse(model);
  const Finding* f = Find(r.analysis, "phi-unencrypted-at-rest@store");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->status, TrackingStatus::kAccepted);
  EXPECT_EQ(f->justification, "test data only");
  EXPECT_EQ(f->safety_file, "RMF-1");
  EXPECT_THAT(r.analysis.stale_tracking, ElementsAre("model.yaml:63: open-debug-port@jtag"));
}

TEST(Analyze, AControlNamingAnUnknownRuleIsAnError) {
  std::map<std::string, std::string> files = {
      {"model.yaml", std::string(testing::kSmallModel) +
                         "controls:\n  - id: C-x\n    title: x\n    mitigates:\n"
                         "      - {rule: no-such-rule}\n    residual_exploitability: 1\n"}};
  auto model = testing::ReadFromMap(files);
  ASSERT_TRUE(model) << model.error().message();
  auto rules = testing::RepositoryRules();
  ASSERT_TRUE(rules);
  auto policy = risk::ParseRiskPolicy(testing::kPolicy, "policy.yaml");
  ASSERT_TRUE(policy);
  auto a = Analyze(*model, *rules, *policy);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().message(),
            "model.yaml:65: controls.C-x.mitigates.rule: unknown rule \"no-such-rule\" (expected "
            "the id of a rule of the rule files)");
}

TEST(Analyze, TheInfusionPumpModelHasFindingsAndTheyAreAllAttached) {
  const std::string dir = std::string(VIGIL_SOURCE_DIR) + "/examples/infusion-pump/";
  auto model =
      ReadModel(dir + "threat-model.yaml", [](const std::string& p) -> Result<std::string> {
        VIGIL_ASSIGN_OR_RETURN(Bytes b, Env::Default()->ReadFile(p));
        return std::string(AsStringView(b));
      });
  ASSERT_TRUE(model) << model.error().message();
  auto rules = testing::RepositoryRules();
  ASSERT_TRUE(rules);
  auto text = Env::Default()->ReadFile(model->risk_policy);
  ASSERT_TRUE(text);
  auto policy = risk::ParseRiskPolicy(AsStringView(*text), model->risk_policy);
  ASSERT_TRUE(policy) << policy.error().message();
  auto a = Analyze(*model, *rules, *policy);
  ASSERT_TRUE(a) << a.error().message();
  EXPECT_GE(a->findings.size(), 20u);
  EXPECT_TRUE(a->stale_tracking.empty());  // every tracking entry names a finding
  EXPECT_NE(Find(*a, "open-debug-port@service-uart"), nullptr);
  EXPECT_NE(Find(*a, "shared-or-default-credentials@service-uart"), nullptr);
  EXPECT_NE(Find(*a, "unauthenticated-therapy-command@pumpd-to-motor"), nullptr);
  EXPECT_EQ(Find(*a, "open-debug-port@jtag"), nullptr);  // fused off in production
  EXPECT_EQ(Find(*a, "unsigned-update-path@repository-to-update-agent"), nullptr);
  EXPECT_LT(a->uncontrolled_post, a->uncontrolled_pre);
  // Threat -> control chains of the example (the report traces them on to the tests).
  const std::pair<const char*, const char*> chains[] = {
      {"stride-spoofing-process@pumpd", "C-login-2fa"},
      {"shared-or-default-credentials@service-uart", "C-login-2fa"},
      {"open-debug-port@service-uart", "C-role-policy"},
      {"no-off-device-log@motor-controller", "C-syslog-forwarding"},
      {"quantum-vulnerable-long-lived-key@audit-log", "C-crypto-agility"},
      {"stride-repudiation@drug-library-store", "C-audit-log"},
      {"no-anti-replay-critical-command@gateway-to-pump", "C-transport-tls"},
      {"single-point-of-failure-essential@touchscreen", "C-signed-updates"}};
  for (const auto& [finding, control] : chains) {
    const Finding* f = Find(*a, finding);
    ASSERT_NE(f, nullptr) << finding;
    EXPECT_THAT(f->controls, ::testing::Contains(control)) << finding;
  }
}

}  // namespace
}  // namespace vigil::threat
