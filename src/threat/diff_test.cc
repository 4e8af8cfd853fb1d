#include "vigil/threat/diff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "testing/model_files.h"

namespace vigil::threat {
namespace {

using ::testing::HasSubstr;

using Side = testing::Analysed;

Side Load(const std::string& text) {
  auto r = testing::AnalyseText(text);
  EXPECT_TRUE(r) << r.error().message();
  return r ? std::move(*r) : Side{};
}

std::string Edit(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

const Change* Find(const std::vector<Change>& v, std::string_view id) {
  for (const Change& c : v) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

TEST(Diff, SameModelNoChange) {
  Side a = Load(testing::kSmallModel);
  Side b = Load(testing::kSmallModel);
  ThreatDiff d = Diff(a.model, a.analysis, b.model, b.analysis);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(d.uncontrolled_post_old, d.uncontrolled_post_new);
}

TEST(Diff, ModelFindingAndRiskChanges) {
  Side a = Load(testing::kSmallModel);
  // Authenticate the gateway's link, encrypt the store, drop the gateway's port, add an asset,
  // and cover a finding with a control.
  std::string text = Edit(testing::kSmallModel, "    port: 443\n    authentication: none\n",
                          "    authentication: certificate\n");
  text = Edit(text, "    data: [phi]\n  - id: gateway",
              "    data: [phi]\n    encrypted_at_rest: true\n  - id: gateway");
  text = Edit(text, "links:\n",
              "  - {id: ui, name: UI, kind: interface, interface_type: touchscreen, boundary: "
              "pump}\nlinks:\n");
  text +=
      "controls:\n  - id: C-audit\n    title: audit\n    mitigates: [{rule: stride-repudiation}]\n"
      "    residual_exploitability: 1\n";
  Side b = Load(text);
  ThreatDiff d = Diff(a.model, a.analysis, b.model, b.analysis);

  const Change* c = Find(d.model, "gw-to-pumpd");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->section, "links");
  EXPECT_EQ(c->kind, "changed");
  EXPECT_EQ(c->detail, "fields: authentication, port");
  c = Find(d.model, "store");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->detail, "fields: encrypted_at_rest");
  ASSERT_NE(Find(d.model, "ui"), nullptr);
  EXPECT_EQ(Find(d.model, "ui")->kind, "added");
  EXPECT_EQ(Find(d.model, "C-audit")->section, "controls");

  c = Find(d.findings, "unauthenticated-therapy-command@gw-to-pumpd");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->kind, "removed");
  EXPECT_EQ(c->detail, "was uncontrolled");
  EXPECT_EQ(Find(d.findings, "phi-unencrypted-at-rest@store")->kind, "removed");
  c = Find(d.findings, "stride-repudiation@pumpd");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->kind, "changed");
  EXPECT_THAT(c->detail, HasSubstr("post: matrix.medium.catastrophic = uncontrolled -> "
                                   "matrix.remote.catastrophic = controlled"));
  EXPECT_THAT(c->detail, HasSubstr("controls: none -> C-audit"));
  EXPECT_LT(d.uncontrolled_post_new, d.uncontrolled_post_old);

  json::Value j = DiffToJson(d);
  EXPECT_EQ(j["model"].size(), d.model.size());
  EXPECT_EQ(j["uncontrolled_after_mitigation"]["new"].as_int(),
            static_cast<int64_t>(d.uncontrolled_post_new));
}

TEST(Diff, ReorderingIsNoChange) {
  Side a = Load(testing::kSmallModel);
  std::string text = testing::kSmallModel;
  const size_t first = text.find("  - id: pumpd\n");
  const size_t second = text.find("  - id: store\n");
  text = text.substr(0, first) + text.substr(second, text.find("  - id: gateway") - second) +
         text.substr(first, second - first) + text.substr(text.find("  - id: gateway"));
  Side b = Load(text);
  EXPECT_TRUE(Diff(a.model, a.analysis, b.model, b.analysis).empty());
}

}  // namespace
}  // namespace vigil::threat
