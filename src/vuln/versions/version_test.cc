// Version ordering tests: the univers suites in vuln/version-order (Maven, NuGet, Alpine,
// Conan, RPM's rpmvercmp.at, OpenSSL, Debian), plus the cases the issue names.
#include "vigil/vuln/version.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "version_schemes.h"

namespace vigil::vuln {
namespace {

using nlohmann::json;

std::filesystem::path Data(const std::string& rel) {
  return std::filesystem::path(VIGIL_DATA_DIR) / "vuln/version-order" / rel;
}

int Cmp(VersionScheme s, const std::string& a, const std::string& b) {
  auto r = CompareVersions(s, a, b);
  if (!r) {
    ADD_FAILURE() << r.error().message();
    return 99;
  }
  return *r < 0 ? -1 : *r > 0 ? 1 : 0;
}

// Runs a univers "<scheme>_version_cmp.json" file: "comparison" cases list versions and their
// expected ascending order, "equality" cases two versions and whether they are equal.
void RunUniversFile(const std::string& file, VersionScheme scheme) {
  std::ifstream in(Data(file));
  json cases = json::parse(in);
  int comparisons = 0, equalities = 0;
  for (const json& t : cases) {
    std::vector<std::string> versions = t["input"]["versions"];
    if (t["test_type"] == "equality") {
      bool equal = Cmp(scheme, versions[0], versions[1]) == 0;
      EXPECT_EQ(equal, t["expected_output"].get<bool>())
          << file << ": " << versions[0] << " vs " << versions[1];
      ++equalities;
    } else {
      std::vector<std::string> expected = t["expected_output"];
      for (size_t i = 0; i + 1 < expected.size(); ++i) {
        EXPECT_LE(Cmp(scheme, expected[i], expected[i + 1]), 0)
            << file << ": " << expected[i] << " <= " << expected[i + 1];
        EXPECT_GE(Cmp(scheme, expected[i + 1], expected[i]), 0)
            << file << ": " << expected[i + 1] << " >= " << expected[i];
      }
      ++comparisons;
    }
  }
  std::printf("%s: %d cases (valid %d, invalid 0, acceptable 0) [%d comparison, %d equality]\n",
              file.c_str(), comparisons + equalities, comparisons + equalities, comparisons,
              equalities);
  EXPECT_GT(comparisons + equalities, 0);
}

TEST(VersionSuites, Maven) { RunUniversFile("maven_version_cmp.json", VersionScheme::kMaven); }
TEST(VersionSuites, Nuget) { RunUniversFile("nuget_version_cmp.json", VersionScheme::kNuget); }
TEST(VersionSuites, Alpine) { RunUniversFile("alpine_version_cmp.json", VersionScheme::kAlpine); }
TEST(VersionSuites, Debian) {
  RunUniversFile("deb_version_python_pkg_test.json", VersionScheme::kDebian);
}
TEST(VersionSuites, OpenSsl) {
  RunUniversFile("openssl_version_cmp.json", VersionScheme::kGeneric);
}
// Conan's suite, through the scheme a pkg:conan component or vers:conan range gets.
TEST(VersionSuites, Conan) {
  ASSERT_EQ(SchemeForEcosystem("conan").value(), VersionScheme::kConan);
  RunUniversFile("conan_version_cmp.json", VersionScheme::kConan);
}
// Not run: alpm_version_cmp.json (pacman's vercmp) and gentoo_version_cmp.json: no purl type or
// OSV ecosystem Vigil reads uses those schemes.

TEST(VersionSuites, AlpineText) {
  std::ifstream in(Data("alpine_test.txt"));
  std::string a, op, b;
  int n = 0;
  while (in >> a >> op >> b) {
    int want = op == "<" ? -1 : op == ">" ? 1 : 0;
    EXPECT_EQ(Cmp(VersionScheme::kAlpine, a, b), want) << a << " " << op << " " << b;
    ++n;
  }
  std::printf("alpine_test.txt: %d cases (valid %d, invalid 0, acceptable 0)\n", n, n);
  EXPECT_GT(n, 0);
}

TEST(VersionSuites, RpmVerCmp) {
  std::ifstream in(Data("rpmvercmp.at"));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::regex line(R"(RPMVERCMP\(([^,]*), ([^,]*), (-?1|0)\))");
  int n = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), line), end; it != end; ++it) {
    std::string a = (*it)[1], b = (*it)[2];
    int want = std::stoi((*it)[3]);
    EXPECT_EQ(internal::RpmVerCmpForTest(a, b), want) << a << " vs " << b;
    ++n;
  }
  std::printf("rpmvercmp.at: %d cases (valid %d, invalid 0, acceptable 0)\n", n, n);
  EXPECT_GT(n, 90);
}

TEST(VersionSuites, OpenSslSortOrder) {
  std::ifstream in(Data("openssl/openssl_versort_expected.json"));
  json list = json::parse(in);
  int n = 0;
  for (size_t i = 0; i + 1 < list.size(); ++i, ++n) {
    std::string a = list[i]["string"], b = list[i + 1]["string"];
    EXPECT_LT(Cmp(VersionScheme::kGeneric, a, b), 0) << a << " < " << b;
  }
  std::printf("openssl_versort_expected.json: %d cases (valid %d, invalid 0, acceptable 0)\n", n,
              n);
  EXPECT_GT(n, 0);
}

struct Ordered {
  VersionScheme scheme;
  const char* lower;
  const char* higher;
};

TEST(Version, NamedCases) {
  const Ordered cases[] = {
      // Letter-suffixed C/C++ versions (Dependency-Track#2803) and NVD firmware spellings.
      {VersionScheme::kGeneric, "1.1.1", "1.1.1a"},
      {VersionScheme::kGeneric, "1.1.1a", "1.1.1k"},
      {VersionScheme::kGeneric, "1.1.1k", "1.1.2"},
      {VersionScheme::kGeneric, "1.0.2u", "1.1.0"},
      {VersionScheme::kGeneric, "R0.13b", "R0.13c"},
      {VersionScheme::kGeneric, "R0.13c", "R0.14"},
      {VersionScheme::kGeneric, "2.0.9", "2.0.9-hotfix.7"},
      {VersionScheme::kGeneric, "2.0.9-hotfix.7", "2.0.9-hotfix.10"},
      {VersionScheme::kGeneric, "2.0.9-hotfix.7", "2.0.10"},
      {VersionScheme::kGeneric, "5.4.0-rc2", "5.4.0"},
      {VersionScheme::kGeneric, "3.0.0-alpha1", "3.0.0-beta1"},
      {VersionScheme::kGeneric, "1.0b2", "1.0"},
      // Go pseudo-versions order before the release they precede (trivy#1456).
      {VersionScheme::kSemver, "v0.0.0-20210101000000-abcdefabcdef", "v0.0.1"},
      {VersionScheme::kSemver, "v1.2.4-0.20220315104200-abcdefabcdef", "v1.2.4"},
      {VersionScheme::kSemver, "v1.2.3", "v1.2.4-0.20220315104200-abcdefabcdef"},
      {VersionScheme::kSemver, "1.0.0-alpha", "1.0.0-alpha.1"},
      {VersionScheme::kSemver, "1.0.0-alpha.beta", "1.0.0-beta"},
      {VersionScheme::kSemver, "1.0.0-rc.1", "1.0.0"},
      {VersionScheme::kPep440, "1.0.dev0", "1.0a1"},
      {VersionScheme::kPep440, "1.0rc1", "1.0"},
      {VersionScheme::kPep440, "1.0", "1.0.post1"},
      {VersionScheme::kPep440, "1.0+abc", "1.0+1"},
      {VersionScheme::kPep440, "1!0.1", "1!1.0"},
      {VersionScheme::kPep440, "2.0", "1!0.1"},
      {VersionScheme::kRubyGems, "1.0.a", "1.0"},
      {VersionScheme::kRubyGems, "1.0-beta", "1.0"},
      {VersionScheme::kRubyGems, "1.9", "1.10"},
      {VersionScheme::kDebian, "1.0~rc1", "1.0"},
      {VersionScheme::kDebian, "2.0", "1:0.9"},
      {VersionScheme::kRpm, "1.0~rc1", "1.0"},
      {VersionScheme::kRpm, "1.0", "1.0^git1"},
      {VersionScheme::kMaven, "1.0-alpha-1", "1.0"},
      {VersionScheme::kMaven, "1.0", "1.0-sp1"},
      {VersionScheme::kAlpine, "1.0_rc1", "1.0"},
      {VersionScheme::kAlpine, "1.0", "1.0_p1"},
      {VersionScheme::kNuget, "1.0.0-Beta", "1.0.0"},
  };
  for (const Ordered& c : cases) {
    EXPECT_EQ(Cmp(c.scheme, c.lower, c.higher), -1)
        << VersionSchemeName(c.scheme) << " " << c.lower << " < " << c.higher;
    EXPECT_EQ(Cmp(c.scheme, c.higher, c.lower), 1) << c.higher << " > " << c.lower;
  }
  // Equalities: build metadata and +incompatible are ignored; trailing zeros where the scheme says.
  EXPECT_EQ(Cmp(VersionScheme::kSemver, "v2.0.0+incompatible", "2.0.0"), 0);
  EXPECT_EQ(Cmp(VersionScheme::kMaven, "1.0", "1.0.0-ga"), 0);
  EXPECT_EQ(Cmp(VersionScheme::kPep440, "1.0", "1.0.0"), 0);
  EXPECT_EQ(Cmp(VersionScheme::kPep440, "1.0-1", "1.0.post1"), 0);
  EXPECT_EQ(Cmp(VersionScheme::kGeneric, "1.0", "1.0.0"), 0);
  EXPECT_EQ(Cmp(VersionScheme::kNuget, "1.0.0.0", "1.0.0"), 0);
  EXPECT_EQ(Cmp(VersionScheme::kDebian, "1.0", "1.0-0"), 0);
  EXPECT_EQ(Cmp(VersionScheme::kRpm, "1.0", "1.0-3.el8"), 0);
}

TEST(Version, GoPseudoVersions) {
  EXPECT_TRUE(IsGoPseudoVersion("v0.0.0-20191109021931-daa7c04131f5"));
  EXPECT_TRUE(IsGoPseudoVersion("v1.2.4-0.20191109021931-daa7c04131f5"));
  EXPECT_TRUE(IsGoPseudoVersion("v1.2.3-pre.0.20191109021931-daa7c04131f5"));
  EXPECT_TRUE(IsGoPseudoVersion("0.0.0-20191109021931-daa7c04131f5+incompatible"));
  EXPECT_FALSE(IsGoPseudoVersion("v1.2.3"));
  EXPECT_FALSE(IsGoPseudoVersion("v1.2.3-rc.1"));
  EXPECT_FALSE(IsGoPseudoVersion("v1.2.3-1.20191109021931-daa7c04131f5"));
}

TEST(Version, InvalidVersionsAreRefused) {
  struct Bad {
    VersionScheme scheme;
    const char* text;
  };
  const Bad bad[] = {{VersionScheme::kSemver, "1.2"},      {VersionScheme::kSemver, "01.2.3"},
                     {VersionScheme::kSemver, "1.2.3-01"}, {VersionScheme::kSemver, "1.2.3-"},
                     {VersionScheme::kPep440, "1.0-foo"},  {VersionScheme::kPep440, "abc"},
                     {VersionScheme::kNuget, "1.2.3.4.5"}, {VersionScheme::kRubyGems, "1..2"},
                     {VersionScheme::kDebian, "abc"},      {VersionScheme::kDebian, "x:1.0"},
                     {VersionScheme::kAlpine, "1.0_foo"},  {VersionScheme::kAlpine, "1.0-x"},
                     {VersionScheme::kGeneric, "..."},     {VersionScheme::kMaven, "1 0"},
                     {VersionScheme::kRpm, "a:1"},         {VersionScheme::kSemver, ""}};
  for (const Bad& b : bad) {
    auto v = Version::Parse(b.scheme, b.text);
    ASSERT_FALSE(v.has_value()) << VersionSchemeName(b.scheme) << " accepted '" << b.text << "'";
    EXPECT_NE(v.error().message().find("not a valid"), std::string::npos) << v.error().message();
  }
}

TEST(Version, EcosystemSchemes) {
  EXPECT_EQ(SchemeForEcosystem("Go").value(), VersionScheme::kSemver);
  EXPECT_EQ(SchemeForEcosystem("PyPI").value(), VersionScheme::kPep440);
  EXPECT_EQ(SchemeForEcosystem("Debian:12").value(), VersionScheme::kDebian);
  EXPECT_EQ(SchemeForEcosystem("crates.io").value(), VersionScheme::kSemver);
  EXPECT_FALSE(SchemeForEcosystem("Hackage").has_value());
}

}  // namespace
}  // namespace vigil::vuln
