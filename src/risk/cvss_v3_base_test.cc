// CVSS v3 base scores: vectors whose scores are published (the 9.8 / 7.5 / 6.1 families NVD
// and GitHub print for thousands of CVEs), the v3.0 vs v3.1 rounding difference, every metric
// value's weight through one-metric changes, and refusal of malformed vectors naming the metric.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "vigil/risk/cvss.h"

namespace vigil::risk::cvss {
namespace {

// The base score of a v3 vector through Evaluate.
Result<double> CvssV3BaseScore(std::string_view v) {
  VIGIL_ASSIGN_OR_RETURN(Scores s, Evaluate(v));
  return s.base;
}

double Score(std::string_view v) {
  auto s = CvssV3BaseScore(v);
  EXPECT_TRUE(s.has_value()) << v << ": " << s.error().message();
  return s.value_or(-1);
}

TEST(Cvss, PublishedScores) {
  const std::pair<const char*, double> cases[] = {
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
      {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
      {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8},
      {"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8},
      {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8},
      {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 5.3},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3},
      {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", 4.3},
      {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4},
      {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1},
      {"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8},
      {"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8},
      {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H", 5.5},
      {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2},
      {"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0},
      // Temporal and environmental metrics after the base ones do not change the base score.
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H", 9.8},
  };
  for (const auto& [v, want] : cases) EXPECT_DOUBLE_EQ(Score(v), want) << v;
}

// Every score lies on the one-decimal grid in [0, 10], and raising any single base metric to a
// worse value never lowers the score (the formulas are monotonic in each metric).
TEST(Cvss, MonotonicAcrossEveryVector) {
  const char* av = "PLAN";
  const char* ac = "HL";
  const char* pr = "HLN";
  const char* ui = "RN";
  const char* s = "UC";
  const char* cia = "NLH";
  int vectors = 0;
  auto vec = [](char a, char b, char c, char d, char e, char f, char g, char h) {
    std::ostringstream o;
    o << "CVSS:3.1/AV:" << a << "/AC:" << b << "/PR:" << c << "/UI:" << d << "/S:" << e
      << "/C:" << f << "/I:" << g << "/A:" << h;
    return o.str();
  };
  for (int i0 = 0; i0 < 4; ++i0)
    for (int i1 = 0; i1 < 2; ++i1)
      for (int i2 = 0; i2 < 3; ++i2)
        for (int i3 = 0; i3 < 2; ++i3)
          for (int i4 = 0; i4 < 2; ++i4)
            for (int i5 = 0; i5 < 3; ++i5)
              for (int i6 = 0; i6 < 3; ++i6)
                for (int i7 = 0; i7 < 3; ++i7) {
                  const double x =
                      Score(vec(av[i0], ac[i1], pr[i2], ui[i3], s[i4], cia[i5], cia[i6], cia[i7]));
                  ++vectors;
                  ASSERT_GE(x, 0.0);
                  ASSERT_LE(x, 10.0);
                  EXPECT_NEAR(x * 10, std::round(x * 10), 1e-9);
                  if (i0 < 3) {
                    EXPECT_LE(x, Score(vec(av[i0 + 1], ac[i1], pr[i2], ui[i3], s[i4], cia[i5],
                                           cia[i6], cia[i7])));
                  }
                  if (i5 < 2) {
                    EXPECT_LE(x, Score(vec(av[i0], ac[i1], pr[i2], ui[i3], s[i4], cia[i5 + 1],
                                           cia[i6], cia[i7])));
                  }
                }
  EXPECT_EQ(vectors, 2592);
}

// The vectors the real PyPI OSV corpus carries (OSV gives no score, only the vector) all score.
TEST(Cvss, EveryVectorInThePypiCorpusScores) {
  const std::regex re(R"(score: (CVSS:3\.[01]/\S+))");
  int scored = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(
           std::filesystem::path(VIGIL_DATA_DIR) / "vuln/osv-pypi-yaml")) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path());
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, re)) continue;
      auto score = CvssV3BaseScore(m[1].str());
      ASSERT_TRUE(score.has_value()) << e.path() << ": " << score.error().message();
      ++scored;
    }
  }
  EXPECT_GE(scored, 200);  // 202 in the snapshot under ../shared/data
}

TEST(Cvss, MalformedVectorsNameTheProblem) {
  const std::pair<const char*, const char*> cases[] = {
      // Without a prefix a vector is read as v2, which has no PR.
      {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS v2 vector: unknown metric \"PR\""},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "missing mandatory metric \"A\""},
      {"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "metric \"AV\" appears twice"},
      {"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
       "value \"X\" is not valid for \"AV\" (expected N, A, L or P)"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", "unknown metric \"ZZ\""},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:HH", "value \"HH\" is not valid for \"A\""},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "expected METRIC:VALUE, found \"\""},
  };
  for (const auto& [v, want] : cases) {
    auto s = CvssV3BaseScore(v);
    ASSERT_FALSE(s.has_value()) << v;
    EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(s.error().message().find(want), std::string::npos) << s.error().message();
  }
}

}  // namespace
}  // namespace vigil::risk::cvss
