#include "vigil/risk/cvss.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace vigil::risk::cvss {
namespace {

// One line of RedHatProductSecurity/cvss's test files: "VECTOR - (base, temporal, env)", with
// "None" for a group the vector does not have (v4.0 files give one score: "(9.2,)").
struct Expected {
  std::string vector;
  std::vector<std::optional<double>> scores;
};

std::vector<Expected> ReadVectors(const std::string& name) {
  std::ifstream in(std::string(VIGIL_DATA_DIR) + "/risk/cvss/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::vector<Expected> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    size_t dash = line.find(" - (");
    EXPECT_NE(dash, std::string::npos) << line;
    Expected e{line.substr(0, dash), {}};
    std::stringstream fields(line.substr(dash + 4, line.size() - dash - 5));
    std::string field;
    while (std::getline(fields, field, ',')) {
      field.erase(0, field.find_first_not_of(' '));
      if (field.empty()) continue;
      e.scores.push_back(field == "None" ? std::nullopt : std::optional<double>(std::stod(field)));
    }
    out.push_back(std::move(e));
  }
  return out;
}

bool Same(std::optional<double> a, std::optional<double> b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || std::fabs(*a - *b) < 1e-9;
}

std::string Show(std::optional<double> v) { return v ? std::to_string(*v) : "None"; }

// Every vector of a file scores exactly as the file says; returns how many were checked.
size_t CheckFile(const std::string& name, size_t want_count) {
  std::vector<Expected> vectors = ReadVectors(name);
  EXPECT_EQ(vectors.size(), want_count) << name;
  size_t wrong = 0;
  for (const Expected& e : vectors) {
    auto s = Evaluate(e.vector);
    if (!s) {
      ADD_FAILURE() << name << ": " << e.vector << ": " << s.error().message();
      ++wrong;
      continue;
    }
    std::vector<std::optional<double>> got = {s->base};
    if (s->version != Version::kV4_0) {
      got.push_back(s->temporal);
      got.push_back(s->environmental);
    }
    bool ok = got.size() == e.scores.size();
    for (size_t i = 0; ok && i < got.size(); ++i) ok = Same(got[i], e.scores[i]);
    if (!ok && ++wrong <= 10) {
      std::string g, w;
      for (auto v : got) g += Show(v) + " ";
      for (auto v : e.scores) w += Show(v) + " ";
      ADD_FAILURE() << name << ": " << e.vector << ": got " << g << "expected " << w;
    }
  }
  EXPECT_EQ(wrong, 0u) << name;
  return vectors.size();
}

TEST(CvssVectors, EveryVectorOfTheSharedFilesScoresAsExpected) {
  EXPECT_EQ(CheckFile("vectors_simple2", 729), 729u);
  EXPECT_EQ(CheckFile("vectors_simple3", 2592), 2592u);
  EXPECT_EQ(CheckFile("vectors_simple31", 2592), 2592u);
  EXPECT_EQ(CheckFile("vectors_cvsslib3", 29), 29u);
  EXPECT_EQ(CheckFile("vectors_simple4", 1058), 1058u);
}

// The worked examples of the CVSS v2 guide (section 3.3.1-3.3.3): base, temporal and
// environmental scores, High availability requirement included.
TEST(Cvss, V2GuideExamples) {
  struct Case {
    const char* vector;
    double base, temporal, environmental;
  } cases[] = {
      {"AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H", 7.8, 6.4, 9.2},
      {"AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:L", 10.0, 8.3, 9.0},
      {"AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M", 6.2, 4.9, 7.5},
  };
  for (const Case& c : cases) {
    auto s = Evaluate(c.vector);
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_DOUBLE_EQ(s->base, c.base) << c.vector;
    EXPECT_DOUBLE_EQ(*s->temporal, c.temporal) << c.vector;
    EXPECT_DOUBLE_EQ(*s->environmental, c.environmental) << c.vector;
    EXPECT_DOUBLE_EQ(s->score, c.environmental) << c.vector;
  }
}

TEST(Cvss, SpellsOutMetricsAndRatesSeverity) {
  auto s = Evaluate("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U");
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->version, Version::kV4_0);
  EXPECT_EQ(s->nomenclature, "CVSS-BT");
  EXPECT_EQ(s->metrics.size(), 12u);
  EXPECT_EQ(s->metrics[0].metric_name, "Attack Vector");
  EXPECT_EQ(s->metrics[0].value_name, "Network");
  EXPECT_EQ(s->metrics[11].metric_name, "Exploit Maturity");
  EXPECT_EQ(s->metrics[11].value_name, "Unreported");
  EXPECT_EQ(SeverityName(s->severity), SeverityName(SeverityOf(Version::kV4_0, s->score)));

  auto b = Evaluate("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->nomenclature, "CVSS-B");
  EXPECT_DOUBLE_EQ(b->score, 9.3);
  EXPECT_EQ(b->severity, Severity::kCritical);
  auto be = Evaluate("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:L");
  ASSERT_TRUE(be);
  EXPECT_EQ(be->nomenclature, "CVSS-BE");
  auto bte = Evaluate(
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/MAV:L/S:P/U:Red");
  ASSERT_TRUE(bte);
  EXPECT_EQ(bte->nomenclature, "CVSS-BTE");
  EXPECT_EQ(bte->metrics.back().value_name, "Red");  // supplemental: read, not scored

  auto v3 = Evaluate("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U");
  ASSERT_TRUE(v3);
  EXPECT_DOUBLE_EQ(v3->base, 9.8);
  EXPECT_DOUBLE_EQ(*v3->temporal, 9.0);  // Roundup(9.8 x 0.91 = 8.918)
  EXPECT_DOUBLE_EQ(*v3->environmental, 9.0);
  // Temporal metrics given: the temporal score rates the vector.
  auto unproven = Evaluate("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U");
  ASSERT_TRUE(unproven);
  EXPECT_DOUBLE_EQ(unproven->score, 7.8);  // Roundup(9.8 x 0.91 x 0.95 x 0.92 = 7.794)
  EXPECT_EQ(unproven->severity, Severity::kHigh);
  EXPECT_EQ(v3->nomenclature, "");

  auto v2 = Evaluate("AV:N/AC:L/Au:N/C:P/I:P/A:P");
  ASSERT_TRUE(v2);
  EXPECT_DOUBLE_EQ(v2->base, 7.5);
  EXPECT_FALSE(v2->temporal.has_value());
  EXPECT_EQ(v2->severity, Severity::kHigh);
  EXPECT_EQ(Evaluate("(AV:N/AC:L/Au:N/C:P/I:P/A:P)")->base, 7.5);
}

TEST(Cvss, EveryInputErrorIsOneLineNamingTheMetric) {
  const std::pair<const char*, const char*> cases[] = {
      {"CVSS:4.0/AV:N/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
       "CVSS:4.0 vector: metric \"AV\" appears twice"},
      {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/XX:Y",
       "CVSS:4.0 vector: unknown metric \"XX\""},
      {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",
       "CVSS:4.0 vector: missing mandatory metric \"SA\" (Subsequent System Availability)"},
      {"CVSS:4.0/AV:N/AT:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
       "CVSS:4.0 vector: metric \"AC\" out of order (after \"AT\")"},
      {"CVSS:4.0/AV:Q/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
       "CVSS:4.0 vector: value \"Q\" is not valid for \"AV\" (expected N, A, L or P)"},
      {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/",
       "CVSS:4.0 vector: expected METRIC:VALUE, found \"\""},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
       "CVSS:3.1 vector: missing mandatory metric \"A\" (Availability)"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:N/E:H",
       "CVSS:3.1 vector: metric \"E\" out of order (after \"MAV\")"},
      {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H",
       "CVSS:3.0 vector: value \"X\" is not valid for \"S\" (expected U or C)"},
      {"CVSS:3.2/AV:N", "CVSS vector: unknown version \"CVSS:3.2/\""},
      {"AV:N/AC:L/Au:N/C:P/I:P", "CVSS v2 vector: missing mandatory metric \"A\""},
      {"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:XX", "CVSS v2 vector: value \"XX\" is not valid for \"E\""},
      {"", "CVSS v2 vector: no metrics"},
      {"CVSS:4.0/AV:N\nAC:L", "CVSS:4.0 vector: "},
  };
  for (const auto& [vector, want] : cases) {
    auto s = Evaluate(vector);
    ASSERT_FALSE(s) << vector;
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().message().rfind(want, 0), 0u) << s.error().message();
    EXPECT_EQ(s.error().message().find('\n'), std::string::npos) << s.error().message();
  }
}

}  // namespace
}  // namespace vigil::risk::cvss
