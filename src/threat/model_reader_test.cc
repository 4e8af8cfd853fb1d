#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "testing/model_files.h"
#include "vigil/core/bytes.h"
#include "vigil/threat/model.h"

namespace vigil::threat {
namespace {

using testing::kSmallModel;
using testing::ReadFromMap;

// The one-line message of a model that must be refused.
std::string Refusal(const std::map<std::string, std::string>& files) {
  auto m = ReadFromMap(files);
  if (m) return "accepted";
  EXPECT_EQ(m.error().message().find('\n'), std::string::npos) << m.error().message();
  EXPECT_EQ(m.error().code(), ErrorCode::kInvalidArgument) << m.error().message();
  return m.error().message();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ReadModel, ReadsEverySectionOfASmallModel) {
  std::map<std::string, std::string> files = {{"model.yaml", kSmallModel}};
  auto m = ReadFromMap(files);
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->device.name, "Test pump");
  EXPECT_EQ(m->device.safety_class, SafetyClass::kC);
  ASSERT_EQ(m->functions.size(), 2u);
  EXPECT_TRUE(m->functions[0].essential_performance);
  EXPECT_EQ(m->functions[0].severity, risk::Harm::kCatastrophic);
  EXPECT_FALSE(m->functions[1].essential_performance);
  EXPECT_EQ(m->boundaries[1].parent, "hospital");
  ASSERT_EQ(m->assets.size(), 3u);
  EXPECT_EQ(m->assets[1].kind, AssetKind::kDatastore);
  EXPECT_FALSE(m->assets[1].encrypted_at_rest);  // absent is false
  EXPECT_EQ(m->assets[2].authentication, Authentication::kCertificate);
  ASSERT_EQ(m->links.size(), 2u);
  EXPECT_EQ(m->links[0].port, 443);
  EXPECT_TRUE(m->links[0].carries_therapy_commands);
  EXPECT_EQ(m->links[1].encryption, Encryption::kNone);
  EXPECT_EQ(m->assets[0].at.ToString(), "model.yaml:28");
  EXPECT_EQ(m->files, std::vector<std::string>{"model.yaml"});
}

TEST(ReadModel, ReadsTheInfusionPumpExample) {
  const std::string dir = std::string(VIGIL_SOURCE_DIR) + "/examples/infusion-pump/";
  auto m = ReadModel(dir + "threat-model.yaml", [](const std::string& p) -> Result<std::string> {
    VIGIL_ASSIGN_OR_RETURN(Bytes b, Env::Default()->ReadFile(p));
    return std::string(AsStringView(b));
  });
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->files.size(), 2u);
  EXPECT_GE(m->assets.size(), 15u);
  EXPECT_NE(m->FindAsset("service-uart"), nullptr);
  EXPECT_NE(m->FindAsset("update-repository"), nullptr);  // from the included file
  EXPECT_EQ(m->rule_files.size(), 2u);
  EXPECT_EQ(m->risk_policy, dir + "threat-risk-policy.yaml");
}

TEST(ReadModel, DanglingReferenceNamesFileLineAndField) {
  std::string model = Replace(kSmallModel, "    to: pumpd\n", "    to: pumpdd\n");
  EXPECT_EQ(Refusal({{"model.yaml", model}}),
            "model.yaml:48: links[0].to: unknown asset \"pumpdd\" (no asset of the model has "
            "this id)");
  model = Replace(kSmallModel, "supports: [records]", "supports: [recrods]");
  EXPECT_EQ(Refusal({{"model.yaml", model}}),
            "model.yaml:38: assets[1].supports[0]: unknown clinical function \"recrods\" "
            "(no clinical function of the model has this id)");
  model = Replace(kSmallModel, "kind: device, parent: hospital", "kind: device, parent: hospitl");
  EXPECT_THAT(Refusal({{"model.yaml", model}}),
              ::testing::StartsWith("model.yaml:23: boundaries[1].parent: unknown trust boundary "
                                    "\"hospitl\""));
}

TEST(ReadModel, UnknownEnumValueListsTheAllowedOnes) {
  std::string model = Replace(kSmallModel, "kind: datastore", "kind: datastor");
  EXPECT_EQ(Refusal({{"model.yaml", model}}),
            "model.yaml:36: assets[1].kind: expected one of process, datastore, external_entity, "
            "interface; found \"datastor\"");
  model = Replace(kSmallModel, "severity: minor", "severity: mild");
  EXPECT_EQ(Refusal({{"model.yaml", model}}),
            "model.yaml:18: clinical_functions[1].severity: expected one of negligible, minor, "
            "serious, critical, catastrophic; found \"mild\"");
  model = Replace(kSmallModel, "encryption: tls", "encryption: ssl");
  EXPECT_THAT(
      Refusal({{"model.yaml", model}}),
      ::testing::StartsWith("model.yaml:52: links[0].encryption: expected one of none, tls"));
}

TEST(ReadModel, DuplicateIdAcrossFilesNamesBothPlaces) {
  std::string root = std::string(kSmallModel) + "includes: [more.yaml]\n";
  std::map<std::string, std::string> files = {
      {"model.yaml", root},
      {"more.yaml",
       "assets:\n  - id: extra\n    name: X\n    kind: process\n    boundary: pump\n"
       "  - id: store\n    name: Again\n    kind: datastore\n    boundary: pump\n"}};
  EXPECT_EQ(Refusal(files),
            "more.yaml:6: assets[1].id: duplicate id \"store\" (first defined at model.yaml:34; "
            "expected ids unique across the model)");
  // Ids are unique across sections too: a link may not reuse an asset's id.
  std::string model = Replace(kSmallModel, "id: pumpd-to-store", "id: store");
  EXPECT_THAT(Refusal({{"model.yaml", model}}),
              ::testing::StartsWith("model.yaml:54: links[1].id: duplicate id \"store\""));
}

TEST(ReadModel, IncludeCycleIsNamedWithTheChain) {
  std::map<std::string, std::string> files = {
      {"model.yaml", std::string(kSmallModel) + "includes: [sub/a.yaml]\n"},
      {"sub/a.yaml", "includes: [b.yaml]\n"},
      {"sub/b.yaml", "data: []\nincludes:\n  - ../model.yaml\n"}};
  EXPECT_EQ(Refusal(files),
            "sub/b.yaml:3: includes[0]: include cycle model.yaml -> sub/a.yaml -> sub/b.yaml -> "
            "model.yaml (expected includes without cycles)");
  files["sub/b.yaml"] = "includes: [b.yaml]\n";
  EXPECT_THAT(Refusal(files), ::testing::HasSubstr("include cycle sub/b.yaml -> sub/b.yaml"));
}

TEST(ReadModel, IncludedFilesAddToEverySection) {
  std::map<std::string, std::string> files = {
      {"model.yaml", std::string(kSmallModel) + "includes: [net.yaml]\n"},
      {"net.yaml",
       "assets:\n  - {id: siem, name: SIEM, kind: external_entity, boundary: hospital}\n"
       "links:\n  - {id: to-siem, from: pumpd, to: siem, protocol: syslog, "
       "authentication: certificate, encryption: tls}\n"}};
  auto m = ReadFromMap(files);
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->assets.size(), 4u);
  EXPECT_EQ(m->links.back().at.ToString(), "net.yaml:4");
  EXPECT_EQ(m->files, (std::vector<std::string>{"model.yaml", "net.yaml"}));
}

TEST(ReadModel, MissingIncludedFileNamesTheIncludingLine) {
  std::map<std::string, std::string> files = {
      {"model.yaml", std::string(kSmallModel) + "includes: [gone.yaml]\n"}};
  EXPECT_EQ(Refusal(files),
            "model.yaml:61: includes[0]: cannot read the included file: gone.yaml: no such file");
}

TEST(ReadModel, OtherShapeErrorsAreOneLineWithFileAndLine) {
  EXPECT_EQ(Refusal({{"model.yaml", Replace(kSmallModel, "    watchdog: true\n",
                                            "    watchdog: true\n    colour: red\n")}}),
            "model.yaml:34: assets[0].colour: unknown field (expected one of id, name, kind, "
            "boundary, supports, data, sbom, interface_type, enabled_in_production, "
            "authentication, credentials, long_lived_keys, encrypted_at_rest, logs_phi, "
            "off_device_log, audited, crypto_agile, integrity_protected, least_privilege, "
            "watchdog, failover, description)");
  EXPECT_EQ(Refusal({{"model.yaml",
                      Replace(kSmallModel, "    watchdog: true\n", "    watchdog: yes please\n")}}),
            "model.yaml:33: assets[0].watchdog: expected a boolean, found a string");
  EXPECT_EQ(Refusal({{"model.yaml", Replace(kSmallModel, "    port: 443\n", "    port: 70000\n")}}),
            "model.yaml:50: links[0].port: expected a number from 0 to 65535, found 70000");
  EXPECT_EQ(Refusal({{"model.yaml", Replace(kSmallModel, "    name: Record store\n", "")}}),
            "model.yaml:34: assets[1].name: required field missing");
  EXPECT_EQ(
      Refusal({{"model.yaml", Replace(kSmallModel, "kind: external_entity", "kind: interface")}}),
      "model.yaml:40: assets[2].interface_type: required field missing (an interface has "
      "a type)");
  EXPECT_EQ(Refusal({{"model.yaml", "assets: []\n"}}),
            "model.yaml:1: device: required field missing (expected the device in the model or a "
            "file it includes)");
  EXPECT_EQ(Refusal({{"model.yaml", Replace(kSmallModel, "  - id: pumpd\n", "  - id: pump d\n")}}),
            "model.yaml:28: assets[0].id: expected an id of letters, digits, '.', '_' and '-'; "
            "found \"pump d\"");
}

TEST(ReadModel, BoundaryCyclesAndTrackingRulesAreRefused) {
  std::string model = Replace(kSmallModel, "{id: hospital, name: Hospital, kind: organisation}",
                              "{id: hospital, name: Hospital, kind: organisation, parent: pump}");
  EXPECT_THAT(Refusal({{"model.yaml", model}}),
              ::testing::HasSubstr("is its own ancestor (expected nesting without cycles)"));
  model = std::string(kSmallModel) + "tracking:\n  - {finding: a@b, status: accepted}\n";
  EXPECT_EQ(Refusal({{"model.yaml", model}}),
            "model.yaml:62: tracking[0].justification: required field missing (a status other "
            "than open is justified)");
  model = std::string(kSmallModel) + "tracking:\n  - {finding: a@b, status: open}\n" +
          "  - {finding: a@b, status: open}\n";
  EXPECT_EQ(Refusal({{"model.yaml", model}}),
            "model.yaml:63: tracking[1].finding: finding \"a@b\" tracked twice (first at "
            "model.yaml:62)");
}

TEST(ReadModel, NotApplicableRequirementsKeepTheirReasonAndAreNotRepeated) {
  const std::string na =
      "not_applicable:\n"
      "  - {framework: fda-premarket-appendix-1, requirement: D.3, reason: no general-purpose "
      "OS}\n";
  std::map<std::string, std::string> files = {{"model.yaml", std::string(kSmallModel) + na}};
  auto m = ReadFromMap(files);
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_EQ(m->not_applicable.size(), 1u);
  EXPECT_EQ(m->not_applicable[0].framework, "fda-premarket-appendix-1");
  EXPECT_EQ(m->not_applicable[0].requirement, "D.3");
  EXPECT_EQ(m->not_applicable[0].reason, "no general-purpose OS");

  files["model.yaml"] +=
      "  - {framework: fda-premarket-appendix-1, requirement: D.3, reason: again}\n";
  const std::string twice = Refusal(files);
  EXPECT_THAT(twice, ::testing::MatchesRegex(
                         "model\\.yaml:[0-9]+: not_applicable\\[1\\]\\.requirement: requirement "
                         "\"D\\.3\" of fda-premarket-appendix-1 declared not applicable twice "
                         "\\(first at model\\.yaml:[0-9]+\\)"));
  files["model.yaml"] =
      std::string(kSmallModel) + "not_applicable:\n  - {framework: fda, requirement: A}\n";
  EXPECT_THAT(Refusal(files), ::testing::MatchesRegex(
                                  "model\\.yaml:[0-9]+: not_applicable\\[0\\]\\.reason: required "
                                  "field missing"));
}

TEST(ReadModel, YamlLayerErrorsKeepTheirPosition) {
  EXPECT_THAT(Refusal({{"model.yaml", "device: [\n"}}),
              ::testing::StartsWith("model.yaml:2:1: malformed YAML"));
  EXPECT_THAT(Refusal({{"model.yaml", "a: &x 1\nb: *x\n"}}),
              ::testing::StartsWith("model.yaml:1:4: YAML aliases"));
}

}  // namespace
}  // namespace vigil::threat
