#include "vigil/threat/rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "vigil/core/bytes.h"
#include "vigil/core/env.h"

namespace vigil::threat {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string OneRule(std::string_view applies_to, std::string_view when) {
  return "ruleset: test\nversion: \"1\"\nrules:\n  - id: r1\n    title: T\n    stride: spoofing\n"
         "    applies_to: [" +
         std::string(applies_to) + "]\n    when: \"" + std::string(when) +
         "\"\n    exploitability: 7.5\n";
}

std::string Refusal(const std::string& yaml) {
  RuleSet set;
  Status s = ParseRules(yaml, "rules.yaml", set);
  if (s) return "accepted";
  EXPECT_EQ(s.error().message().find('\n'), std::string::npos) << s.error().message();
  return s.error().message();
}

Rule Parsed(std::string_view applies_to, std::string_view when) {
  RuleSet set;
  Status s = ParseRules(OneRule(applies_to, when), "rules.yaml", set);
  EXPECT_TRUE(s) << s.error().message();
  return s ? set.rules.front() : Rule{};
}

size_t FactIndex(std::string_view name) {
  for (size_t i = 0; i < Facts().size(); ++i) {
    if (Facts()[i].name == name) return i;
  }
  ADD_FAILURE() << name;
  return 0;
}

// Link facts: every boolean false and every word "none", then the given ones.
FactValues LinkFacts(std::initializer_list<std::pair<std::string_view, std::string_view>> set) {
  FactValues v(Facts().size());
  for (size_t i = 0; i < Facts().size(); ++i) v[i] = Facts()[i].boolean ? "false" : "none";
  for (const auto& [name, value] : set) v[FactIndex(name)] = std::string(value);
  return v;
}

TEST(ParseRules, ReadsTheRepositorysRuleFiles) {
  RuleSet set;
  for (const char* f : {"stride.yaml", "medical.yaml"}) {
    const std::string path = std::string(VIGIL_SOURCE_DIR) + "/threat/rules/" + f;
    auto text = Env::Default()->ReadFile(path);
    ASSERT_TRUE(text) << text.error().message();
    Status s = ParseRules(AsStringView(*text), path, set);
    ASSERT_TRUE(s) << s.error().message();
  }
  ASSERT_EQ(set.sources.size(), 2u);
  EXPECT_THAT(set.sources[1], HasSubstr("vigil-medical 2026.12.1"));
  // The medical rules the issue lists are all there.
  for (const char* id :
       {"unauthenticated-therapy-command", "no-anti-replay-critical-command", "open-debug-port",
        "unsigned-update-path", "shared-or-default-credentials", "phi-in-logs",
        "phi-unencrypted-at-rest", "no-off-device-log", "no-crypto-agility",
        "quantum-vulnerable-long-lived-key", "single-point-of-failure-essential"}) {
    EXPECT_NE(set.Find(id), nullptr) << id;
  }
  // STRIDE covers every category.
  for (int s = 0; s < 6; ++s) {
    EXPECT_TRUE(std::any_of(set.rules.begin(), set.rules.end(), [&](const Rule& r) {
      return static_cast<int>(r.stride) == s;
    })) << s;
  }
}

TEST(Fires, AndOrNotAndInWithTheFactsThatDecided) {
  Rule r = Parsed("link", "carries_therapy_commands && authentication == none");
  std::vector<std::string> why;
  EXPECT_TRUE(Fires(r, LinkFacts({{"carries_therapy_commands", "true"}}), &why));
  EXPECT_THAT(why, ElementsAre("carries_therapy_commands = true", "authentication = none"));
  EXPECT_FALSE(
      Fires(r, LinkFacts({{"carries_therapy_commands", "true"}, {"authentication", "certificate"}}),
            nullptr));
  EXPECT_FALSE(Fires(r, LinkFacts({}), nullptr));

  // || fires on the first true side and names only it; && binds tighter than ||.
  r = Parsed("link", "signed || update_path && encryption in [none, tls]");
  why.clear();
  EXPECT_TRUE(Fires(r, LinkFacts({{"update_path", "true"}, {"encryption", "tls"}}), &why));
  EXPECT_THAT(why, ElementsAre("update_path = true", "encryption = tls"));
  EXPECT_FALSE(Fires(r, LinkFacts({{"update_path", "true"}, {"encryption", "aead"}}), nullptr));

  // ! names what it negated; parentheses regroup.
  r = Parsed("link", "!(signed || anti_replay) && encryption != tls");
  why.clear();
  EXPECT_TRUE(Fires(r, LinkFacts({}), &why));
  EXPECT_THAT(why, ElementsAre("signed = false", "anti_replay = false", "encryption = none"));
  EXPECT_FALSE(Fires(r, LinkFacts({{"anti_replay", "true"}}), nullptr));
  EXPECT_FALSE(Fires(r, LinkFacts({{"encryption", "tls"}}), nullptr));
}

TEST(ParseRules, ConditionErrorsNameTheColumn) {
  EXPECT_EQ(Refusal(OneRule("link", "authentication == nonee")),
            "rules.yaml:8: rules[0].when: column 19: expected one of none, password, "
            "password_totp, certificate, token, signature (the values of authentication); found "
            "\"nonee\"");
  EXPECT_THAT(Refusal(OneRule("link", "signedd")),
              HasSubstr("rules.yaml:8: rules[0].when: column 1: expected a fact (one of kind, "));
  EXPECT_EQ(Refusal(OneRule("link", "signed == true")),
            "rules.yaml:8: rules[0].when: column 8: expected &&, || or ) after the boolean fact "
            "signed; found \"==\"");
  EXPECT_EQ(Refusal(OneRule("link", "encryption")),
            "rules.yaml:8: rules[0].when: column 1: fact \"encryption\" is a word: expected == "
            "word, != word or in [words] after it");
  EXPECT_EQ(Refusal(OneRule("link, process", "encryption == none")),
            "rules.yaml:8: rules[0].when: column 1: fact \"encryption\" is not a fact of every "
            "element kind the rule applies to");
  EXPECT_EQ(Refusal(OneRule("link", "(signed && anti_replay")),
            "rules.yaml:8: rules[0].when: column 23: expected ')'; found the end");
  EXPECT_EQ(Refusal(OneRule("link", "signed anti_replay")),
            "rules.yaml:8: rules[0].when: column 8: expected &&, || or the end of the condition; "
            "found \"anti_replay\"");
  EXPECT_THAT(Refusal(OneRule("link", "signed & anti_replay")),
              HasSubstr("column 8: unexpected character '&'"));
  EXPECT_THAT(Refusal(OneRule("link", std::string(40, '(') + "signed" + std::string(40, ')'))),
              HasSubstr("expected a condition nested less deeply"));
}

TEST(ParseRules, ShapeErrorsAndDuplicates) {
  EXPECT_EQ(Refusal(OneRule("links", "signed")),
            "rules.yaml:7: rules[0].applies_to[0]: expected one of process, datastore, "
            "external_entity, interface, link; found \"links\"");
  std::string bad = OneRule("link", "signed");
  bad.replace(bad.find("stride: spoofing"), 16, "stride: spoof");
  EXPECT_THAT(Refusal(bad), HasSubstr("rules.yaml:6: rules[0].stride: expected one of spoofing, "));
  bad = OneRule("link", "signed");
  bad.replace(bad.find("7.5"), 3, "11");
  EXPECT_EQ(Refusal(bad),
            "rules.yaml:9: rules[0].exploitability: expected a number from 0 to 10, found "
            "11");
  EXPECT_EQ(Refusal("ruleset: test\nrules: []\n"), "rules.yaml:1: version: required field missing");

  RuleSet set;
  ASSERT_TRUE(ParseRules(OneRule("link", "signed"), "a.yaml", set));
  Status s = ParseRules(OneRule("process", "audited"), "b.yaml", set);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message(),
            "b.yaml:4: rules[0].id: duplicate rule id \"r1\" (first defined at a.yaml:4)");
}

TEST(Facts, EveryFactHasAKindAndWordFactsListTheirWords) {
  for (const FactInfo& f : Facts()) {
    EXPECT_NE(f.kinds, 0) << f.name;
    EXPECT_FALSE(f.meaning.empty()) << f.name;
    if (f.boolean) {
      EXPECT_TRUE(f.words.empty()) << f.name;
    }
  }
}

}  // namespace
}  // namespace vigil::threat
