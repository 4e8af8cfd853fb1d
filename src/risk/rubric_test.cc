#include "vigil/risk/rubric.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "internal/rubric_flow.h"

namespace vigil::risk {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using Answers = std::map<std::string, RubricAnswer>;

constexpr RubricAnswer kYes = RubricAnswer::kYes;
constexpr RubricAnswer kNo = RubricAnswer::kNo;
constexpr RubricAnswer kUnknown = RubricAnswer::kUnknown;

// Each metric's values from the lowest base score to the highest.
const std::map<std::string, std::string> kOrder = {{"AV", "PLAN"}, {"AC", "HL"}, {"PR", "HLN"},
                                                   {"UI", "RN"},   {"S", "UC"},  {"C", "NLH"},
                                                   {"I", "NLH"},   {"A", "NLH"}};

// Every question answered `base`, then `overrides` (unreached answers are allowed).
Answers AllAnswered(RubricAnswer base, const Answers& overrides = {}) {
  Answers out;
  for (const RubricQuestion& q : RubricQuestions()) out[std::string(q.id)] = base;
  for (const auto& [id, a] : overrides) out[id] = a;
  return out;
}

Result<RubricResult> Apply(const Answers& answers) {
  std::vector<std::pair<std::string, RubricAnswer>> list(answers.begin(), answers.end());
  VIGIL_ASSIGN_OR_RETURN(RubricAnswers a, RubricAnswers::Create("t.yaml", std::move(list)));
  return ApplyRubric(a);
}

const RubricDecision& Decision(const RubricResult& r, std::string_view metric) {
  for (const RubricDecision& d : r.metrics) {
    if (d.metric == metric) return d;
  }
  ADD_FAILURE() << "no metric " << metric;
  return r.metrics.front();
}

std::string ValueOf(const Answers& answers, std::string_view metric) {
  auto r = Apply(answers);
  EXPECT_TRUE(r.has_value()) << r.error().message();
  return r ? std::string(Decision(*r, metric).value) : "";
}

std::string ErrorOf(std::string_view yaml) {
  auto r = ParseRubricAnswers(yaml, "t.yaml");
  EXPECT_FALSE(r.has_value());
  if (r) return "";
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument) << r.error().message();
  EXPECT_EQ(r.error().message().find('\n'), std::string::npos) << r.error().message();
  return r.error().message();
}

std::string ReadExample() {
  std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/examples/rubric/infusion-pump-wifi.yaml");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(RubricQuestions, IdsAreUniqueAndNameTheirMetric) {
  std::set<std::string_view> ids;
  for (const RubricQuestion& q : RubricQuestions()) {
    EXPECT_TRUE(ids.insert(q.id).second) << q.id;
    std::string prefix;
    for (char c : q.metric) prefix += static_cast<char>(std::tolower(c));
    EXPECT_THAT(std::string(q.id), StartsWith(prefix + ".")) << q.id;
    EXPECT_TRUE(kOrder.contains(std::string(q.metric))) << q.id;
    EXPECT_FALSE(q.text.empty()) << q.id;
    EXPECT_FALSE(q.rubric.empty()) << q.id;
  }
}

// One case per branch of every flowchart: the answers that differ from "no" everywhere, and the
// value the metric takes.
struct Branch {
  Answers answers;
  std::string metric;
  std::string value;
};

TEST(ApplyRubric, EveryBranchOfEveryMetric) {
  const std::vector<Branch> branches = {
      {{{"av.network_protocol", kYes}, {"av.network_routable", kYes}}, "AV", "N"},
      {{{"av.network_protocol", kYes}, {"av.wireless", kYes}}, "AV", "A"},
      {{{"av.network_protocol", kYes}, {"av.wireless", kYes}, {"av.short_range", kYes}}, "AV", "L"},
      {{{"av.network_protocol", kYes}}, "AV", "A"},  // wired, not routable (serial, CAN)
      {{{"av.physical_contact", kYes}}, "AV", "P"},
      {{}, "AV", "L"},  // no protocol, no contact: local (a file, a local user)
      {{{"ac.at_will", kYes}}, "AC", "L"},
      {{}, "AC", "H"},
      {{}, "PR", "N"},  // no authorization model
      {{{"pr.authorization_model", kYes}}, "PR", "N"},
      {{{"pr.authorization_model", kYes}, {"pr.authorized_first", kYes}}, "PR", "L"},
      {{{"pr.authorization_model", kYes}, {"pr.authorized_first", kYes}, {"pr.system_level", kYes}},
       "PR",
       "H"},
      {{{"ui.other_user_action", kYes}}, "UI", "R"},
      {{}, "UI", "N"},
      {{{"s.other_authority", kYes}}, "S", "C"},
      {{}, "S", "U"},
      {{}, "C", "N"},
      {{{"c.phi", kYes}}, "C", "L"},
      {{{"c.phi", kYes}, {"c.phi_many_patients", kYes}}, "C", "H"},
      {{{"c.diagnosis", kYes}}, "C", "H"},
      {{{"c.therapy", kYes}}, "C", "H"},
      {{{"c.workflow", kYes}}, "C", "H"},
      {{{"c.system_secrets", kYes}}, "C", "H"},
      {{{"c.other", kYes}}, "C", "H"},
      {{}, "I", "N"},
      {{{"i.phi", kYes}}, "I", "H"},
      {{{"i.diagnosis", kYes}}, "I", "L"},
      {{{"i.diagnosis", kYes}, {"i.diagnosis_patient_harm", kYes}}, "I", "H"},
      {{{"i.therapy", kYes}}, "I", "L"},
      {{{"i.therapy", kYes}, {"i.therapy_patient_harm", kYes}}, "I", "H"},
      {{{"i.workflow", kYes}}, "I", "H"},
      {{{"i.system_secrets", kYes}}, "I", "H"},
      {{{"i.other", kYes}}, "I", "H"},
      {{}, "A", "N"},
      {{{"a.phi", kYes}}, "A", "H"},
      {{{"a.diagnosis", kYes}}, "A", "L"},
      {{{"a.diagnosis", kYes}, {"a.diagnosis_patient_harm", kYes}}, "A", "H"},
      {{{"a.therapy", kYes}}, "A", "L"},
      {{{"a.therapy", kYes}, {"a.therapy_patient_harm", kYes}}, "A", "H"},
      {{{"a.workflow", kYes}}, "A", "H"},
      {{{"a.system_secrets", kYes}}, "A", "H"},
      {{{"a.other", kYes}}, "A", "H"},
  };
  for (const Branch& b : branches) {
    EXPECT_EQ(ValueOf(AllAnswered(kNo, b.answers), b.metric), b.value)
        << b.metric << " with " << b.answers.size() << " yes answers";
  }
}

TEST(ApplyRubric, ReasoningNamesThePathAndTheUnusedAnswers) {
  auto r = Apply(AllAnswered(kNo, {{"av.network_protocol", kYes}, {"av.network_routable", kYes}}));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  const RubricDecision& av = Decision(*r, "AV");
  EXPECT_EQ(av.reasoning, "av.network_protocol = yes -> av.network_routable = yes -> N");
  EXPECT_EQ(av.value_name, "Network");
  EXPECT_THAT(av.used, ::testing::ElementsAre("av.network_protocol", "av.network_routable"));
  // Answered, but the flowchart stops before them.
  EXPECT_THAT(av.not_used, ::testing::UnorderedElementsAre("av.wireless", "av.short_range",
                                                           "av.physical_contact"));
  EXPECT_THAT(Decision(*r, "I").reasoning,
              HasSubstr("therapy: i.therapy = no -> N; workflow: i.workflow = no -> N;"));
  EXPECT_THAT(Decision(*r, "I").reasoning, ::testing::EndsWith("highest: N"));
}

// For every question, wherever the flowchart reaches it: "unknown" gives the value of whichever
// answer scores higher. Random yes/no answers to everything else put each question on many paths.
TEST(ApplyRubric, UnknownTakesTheWorseAnswerAtEveryQuestion) {
  std::mt19937 rng(15);
  std::map<std::string, int> reached;
  for (int round = 0; round < 120; ++round) {
    Answers base;
    for (const RubricQuestion& q : RubricQuestions()) {
      base[std::string(q.id)] = rng() % 2 ? kYes : kNo;
    }
    auto plain = Apply(base);
    ASSERT_TRUE(plain.has_value()) << plain.error().message();
    for (const RubricDecision& d : plain->metrics) {
      const std::string& order = kOrder.at(std::string(d.metric));
      for (std::string_view id : d.used) {
        Answers yes = base, no = base, unknown = base;
        yes[std::string(id)] = kYes;
        no[std::string(id)] = kNo;
        unknown[std::string(id)] = kUnknown;
        auto ry = Apply(yes), rn = Apply(no), ru = Apply(unknown);
        ASSERT_TRUE(ry && rn && ru) << id;
        std::string vy(Decision(*ry, d.metric).value), vn(Decision(*rn, d.metric).value);
        std::string worse = order.find(vy) > order.find(vn) ? vy : vn;
        EXPECT_EQ(Decision(*ru, d.metric).value, worse) << id;
        EXPECT_EQ(ru->scores.base, std::max(ry->scores.base, rn->scores.base)) << id;
        EXPECT_THAT(Decision(*ru, d.metric).reasoning,
                    HasSubstr(std::string(id) + " = unknown -> worse of ("));
        if (vy != vn) ++reached[std::string(id)];
      }
    }
  }
  // Every question was reached where its answer mattered.
  for (const RubricQuestion& q : RubricQuestions()) {
    EXPECT_GT(reached[std::string(q.id)], 0) << q.id;
  }
}

TEST(ApplyRubric, UnknownNeedsOnlyTheQuestionsThatCanStillMatter) {
  // Not authorized first is already None, the worst value: pr.system_level is not asked.
  Answers a =
      AllAnswered(kNo, {{"pr.authorization_model", kYes}, {"pr.authorized_first", kUnknown}});
  a.erase("pr.system_level");
  auto r = Apply(a);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(Decision(*r, "PR").value, "N");
  EXPECT_EQ(Decision(*r, "PR").reasoning,
            "pr.authorization_model = yes -> pr.authorized_first = unknown -> worse of (no: N | "
            "yes: not followed, reaches at most L) = N");
  // A networked interface can reach Network; the routed-network question decides.
  Answers b = AllAnswered(kNo, {{"av.network_protocol", kUnknown}, {"av.network_routable", kNo}});
  b.erase("av.physical_contact");
  EXPECT_EQ(ValueOf(b, "AV"), "A");
  // But that question is required once "unknown" leads to it.
  b.erase("av.network_routable");
  auto missing = Apply(b);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message(),
            "t.yaml: $.answers[\"av.network_routable\"]: required field missing (the flowchart of "
            "AV reaches it; answer yes, no or unknown)");
}

// A flowchart of the test's own, where the branch that can reach higher falls lower than the
// other: "unknown" must then follow both.
TEST(WalkMetric, UnknownFollowsTheOtherBranchWhenItCanStillBeWorse) {
  using internal::Flow;
  static constexpr Flow kN{"", "N"}, kA{"", "A"}, kL{"", "L"}, kP{"", "P"};
  static constexpr Flow kQ2{"t.q2", "", &kN, &kP};
  static constexpr Flow kQ3{"t.q3", "", &kA, &kL};
  static constexpr Flow kQ1{"t.q1", "", &kQ2, &kQ3};
  static constexpr internal::FlowRoot kRoots[] = {{"", &kQ1}};
  const internal::MetricFlow metric{"AV", "PLAN", kRoots};

  auto both =
      internal::WalkMetric(metric, {{"t.q1", kUnknown}, {"t.q2", kNo}, {"t.q3", kYes}}, "t.yaml");
  ASSERT_TRUE(both.has_value()) << both.error().message();
  EXPECT_EQ(both->rank, 2);  // A
  EXPECT_EQ(both->text,
            "t.q1 = unknown -> worse of (yes: t.q2 = no -> P | no: t.q3 = yes -> A) = A");
  EXPECT_THAT(both->used, ::testing::ElementsAre("t.q1", "t.q2", "t.q3"));

  auto first_wins = internal::WalkMetric(metric, {{"t.q1", kUnknown}, {"t.q2", kYes}}, "t.yaml");
  ASSERT_TRUE(first_wins.has_value()) << first_wins.error().message();
  EXPECT_EQ(first_wins->text,
            "t.q1 = unknown -> worse of (yes: t.q2 = yes -> N | no: not followed, reaches at most "
            "A) = N");

  auto missing = internal::WalkMetric(metric, {{"t.q1", kUnknown}, {"t.q2", kNo}}, "t.yaml");
  ASSERT_FALSE(missing.has_value());
  EXPECT_THAT(missing.error().message(),
              StartsWith("t.yaml: $.answers[\"t.q3\"]: required field missing"));
}

TEST(ApplyRubric, AllUnknownIsTheWorstVector) {
  auto r = Apply(AllAnswered(kUnknown));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H");
  EXPECT_EQ(r->scores.base, 10.0);
}

TEST(ApplyRubric, VectorRoundTripsThroughTheScorer) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    Answers answers;
    for (const RubricQuestion& q : RubricQuestions()) {
      answers[std::string(q.id)] = static_cast<RubricAnswer>(rng() % 3);
    }
    auto r = Apply(answers);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    auto again = cvss::Evaluate(r->vector);
    ASSERT_TRUE(again.has_value()) << r->vector;
    EXPECT_EQ(again->base, r->scores.base);
    EXPECT_EQ(again->severity, r->scores.severity);
    ASSERT_EQ(again->metrics.size(), r->metrics.size());
    for (size_t i = 0; i < r->metrics.size(); ++i) {
      EXPECT_EQ(again->metrics[i].metric, r->metrics[i].metric);
      EXPECT_EQ(again->metrics[i].value, r->metrics[i].value);
    }
  }
}

TEST(ParseRubricAnswers, InfusionPumpExample) {
  auto answers = ParseRubricAnswers(ReadExample(), "infusion-pump-wifi.yaml");
  ASSERT_TRUE(answers.has_value()) << answers.error().message();
  EXPECT_THAT(answers->vulnerability(), HasSubstr("unsigned drug library"));
  auto r = ApplyRubric(*answers);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:N/I:H/A:H");
  EXPECT_EQ(r->scores.base, 9.3);
  EXPECT_EQ(r->scores.severity, cvss::Severity::kCritical);
  EXPECT_THAT(Decision(*r, "AV").not_used, ::testing::ElementsAre("av.wireless"));
  EXPECT_THAT(Decision(*r, "A").reasoning,
              HasSubstr("a.therapy = yes -> a.therapy_patient_harm = unknown -> worse of (yes: H"));
}

TEST(ParseRubricAnswers, YesNoAndUnknownAreWordsNotBooleans) {
  auto r = ParseRubricAnswers(
      "answers:\n  av.network_protocol: yes\n  av.network_routable: 'no'\n  av.wireless: unknown\n"
      "  ac.at_will: no\n  pr.authorization_model: no\n  ui.other_user_action: no\n"
      "  s.other_authority: no\n  c.phi: no\n  c.diagnosis: no\n  c.therapy: no\n"
      "  c.workflow: no\n  c.system_secrets: no\n  c.other: no\n  i.phi: no\n  i.diagnosis: no\n"
      "  i.therapy: no\n  i.workflow: no\n  i.system_secrets: no\n  i.other: no\n  a.phi: no\n"
      "  a.diagnosis: no\n  a.therapy: no\n  a.workflow: no\n  a.system_secrets: no\n"
      "  a.other: no\n",
      "t.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->Find("av.network_routable"), kNo);
  EXPECT_EQ(r->Find("av.wireless"), kUnknown);
  EXPECT_EQ(r->Find("av.short_range"), std::nullopt);
  EXPECT_EQ(r->vulnerability(), "");
}

TEST(ParseRubricAnswers, StrictErrorsNameTheField) {
  EXPECT_THAT(ErrorOf("answers:\n  av.bogus: yes\n"),
              StartsWith("t.yaml:2: answers[\"av.bogus\"]: unknown question (expected one of "
                         "av.network_protocol, av.network_routable,"));
  EXPECT_EQ(ErrorOf("answers:\n  ac.at_will: maybe\n"),
            "t.yaml:2: answers[\"ac.at_will\"]: expected yes, no or unknown, found \"maybe\"");
  EXPECT_EQ(ErrorOf("answers:\n  ac.at_will: true\n"),
            "t.yaml:2: answers[\"ac.at_will\"]: expected yes, no or unknown, found a boolean");
  EXPECT_EQ(ErrorOf("answers:\n  ac.at_will: [yes]\n"),
            "t.yaml:2: answers[\"ac.at_will\"]: expected yes, no or unknown, found an array");
  EXPECT_THAT(ErrorOf("answers:\n  ac.at_will: yes\n  ac.at_will: no\n"),
              ::testing::AllOf(StartsWith("t.yaml:3:"), HasSubstr("\"ac.at_will\" appears twice")));
  EXPECT_EQ(ErrorOf("answers:\n  ac.at_will: yes\n"),
            "t.yaml:1: answers[\"av.network_protocol\"]: required field missing (the flowchart of "
            "AV reaches it; answer yes, no or unknown)");
  EXPECT_EQ(ErrorOf("vulnerability: x\n"), "t.yaml:1: answers: required field missing");
  EXPECT_EQ(ErrorOf("answers: [yes]\n"), "t.yaml:1: answers: expected an object, found an array");
  EXPECT_THAT(ErrorOf("answers: {}\nscore: 9.8\n"),
              StartsWith("t.yaml:1: (document): unknown member \"score\""));
  EXPECT_EQ(ErrorOf("- yes\n"), "t.yaml:1: (document): expected an object, found an array");
  EXPECT_EQ(ErrorOf("vulnerability: [a]\nanswers: {}\n"),
            "t.yaml:1: vulnerability: expected a string, found an array");
  EXPECT_EQ(ErrorOf("vulnerability: \"a\\nb\"\nanswers: {}\n"),
            "t.yaml:1: vulnerability: expected one line of text without control characters");
  EXPECT_EQ(ErrorOf("vulnerability: \"a\\eb\"\nanswers: {}\n"),
            "t.yaml:1: vulnerability: expected one line of text without control characters");
  EXPECT_THAT(ErrorOf("answers: {a: [}\n"), StartsWith("t.yaml:1:"));
}

TEST(RubricAnswers, CreateRefusesDuplicatesAndUnknownIds) {
  auto twice = RubricAnswers::Create("api", {{"ac.at_will", kYes}, {"ac.at_will", kNo}});
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().message(), "api: $.answers[\"ac.at_will\"]: appears twice");
  auto unknown = RubricAnswers::Create("api", {{"XAVN", kYes}});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_THAT(unknown.error().message(), StartsWith("api: $.answers.XAVN: unknown question"));
}

TEST(ParseRubricAnswers, OversizedFileIsRefused) {
  std::string big = "vulnerability: \"" + std::string(1 << 20, 'x') + "\"\n";
  auto r = ParseRubricAnswers(big, "t.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace vigil::risk
