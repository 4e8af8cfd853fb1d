// Differential tests: thousands of generated version pairs ordered by Vigil and by each
// ecosystem's own implementation — `dpkg --compare-versions` (Debian), Python's `packaging`
// (/usr/bin/python3, PEP 440) and npm's `semver` (build/node/node_modules). A missing reference
// tool skips its test with a message saying what to install; it never passes silently.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "vigil/vuln/version.h"

namespace vigil::vuln {
namespace {

using Pair = std::pair<std::string, std::string>;

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(int percent) { return Int(1, 100) <= percent; }
  template <size_t N>
  std::string Pick(const char* const (&options)[N]) {
    return options[Int(0, static_cast<int>(N) - 1)];
  }
  std::string Num() { return std::to_string(Chance(70) ? Int(0, 3) : Int(0, 120)); }

 private:
  std::mt19937 rng_;
};

// Pairs drawn from a small pool so that many share prefixes (the interesting comparisons).
std::vector<Pair> MakePairs(Gen& g, std::string (*make)(Gen&), size_t count) {
  std::vector<std::string> pool;
  for (int i = 0; i < 400; ++i) pool.push_back(make(g));
  std::vector<Pair> pairs;
  for (size_t i = 0; i < count; ++i) {
    pairs.emplace_back(pool[static_cast<size_t>(g.Int(0, 399))],
                       pool[static_cast<size_t>(g.Int(0, 399))]);
  }
  return pairs;
}

std::string DebianVersion(Gen& g) {
  static const char* const kParts[] = {".", "+", "~", "a", "b", "rc", "dfsg", "~rc", "+b", "."};
  std::string v = g.Chance(15) ? std::to_string(g.Int(0, 2)) + ":" : "";
  v += g.Num();
  for (int i = g.Int(0, 4); i > 0; --i) v += g.Pick(kParts) + (g.Chance(70) ? g.Num() : "");
  if (g.Chance(60)) {
    v += "-" + g.Num();
    static const char* const kRev[] = {"", "", "ubuntu", "+deb12u", "~bpo", ".", "build"};
    for (int i = g.Int(0, 2); i > 0; --i) v += g.Pick(kRev) + g.Num();
  }
  return v;
}

std::string Pep440Version(Gen& g) {
  static const char* const kSep[] = {"", ".", "-", "_"};
  static const char* const kPre[] = {"a", "b", "rc", "alpha", "beta", "c", "pre", "preview", "RC"};
  static const char* const kPost[] = {"post", "rev", "r", "POST"};
  std::string v = g.Chance(10) ? "v" : "";
  if (g.Chance(10)) v += std::to_string(g.Int(0, 2)) + "!";
  v += g.Num();
  for (int i = g.Int(0, 3); i > 0; --i) v += "." + g.Num();
  if (g.Chance(35)) v += g.Pick(kSep) + g.Pick(kPre) + (g.Chance(80) ? g.Pick(kSep) + g.Num() : "");
  if (g.Chance(25)) {
    v +=
        g.Chance(30) ? "-" + g.Num() : g.Pick(kSep) + g.Pick(kPost) + (g.Chance(80) ? g.Num() : "");
  }
  if (g.Chance(25)) v += g.Pick(kSep) + "dev" + (g.Chance(80) ? g.Num() : "");
  if (g.Chance(15)) {
    static const char* const kLocal[] = {"ubuntu", "abc", "1", "2", "cpu", "cu118", "7"};
    static const char* const kLocalSep[] = {".", "-", "_"};
    v += "+" + g.Pick(kLocal);
    for (int i = g.Int(0, 2); i > 0; --i) v += g.Pick(kLocalSep) + g.Pick(kLocal);
  }
  return v;
}

std::string SemverVersion(Gen& g) {
  static const char* const kIds[] = {"alpha", "beta", "rc",  "0",    "1",
                                     "2",     "11",   "x-y", "Beta", "a1"};
  std::string v = g.Num() + "." + g.Num() + "." + g.Num();
  if (g.Chance(45)) {
    v += "-" + g.Pick(kIds);
    for (int i = g.Int(0, 3); i > 0; --i) v += "." + g.Pick(kIds);
  }
  if (g.Chance(15)) v += "+build." + g.Num();
  return v;
}

struct TempFile {
  std::filesystem::path path;
  explicit TempFile(const std::string& name)
      : path(std::filesystem::temp_directory_path() / (name + "." + std::to_string(::getpid()))) {}
  ~TempFile() { std::filesystem::remove(path); }
};

// Runs `command` and returns its standard output split into lines; empty on failure.
std::vector<std::string> RunLines(const std::string& command) {
  std::vector<std::string> lines;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return lines;
  char buf[512];
  std::string line;
  while (std::fgets(buf, sizeof buf, p) != nullptr) {
    line += buf;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      lines.push_back(line);
      line.clear();
    }
  }
  int rc = ::pclose(p);
  if (rc != 0) lines.clear();
  return lines;
}

// Compares Vigil's order with the reference results ("-1", "0", "1" per pair, or "invalid").
void ExpectSameOrder(VersionScheme scheme, const std::vector<Pair>& pairs,
                     const std::vector<std::string>& reference, const char* tool) {
  ASSERT_EQ(reference.size(), pairs.size()) << tool << " produced no or partial output";
  int checked = 0, invalid = 0, mismatches = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    auto ours = CompareVersions(scheme, pairs[i].first, pairs[i].second);
    if (reference[i] == "invalid") {
      ++invalid;
      continue;
    }
    if (!ours) {
      ADD_FAILURE() << tool << " accepts what Vigil refuses: " << ours.error().message();
      continue;
    }
    int mine = *ours < 0 ? -1 : *ours > 0 ? 1 : 0;
    if (std::to_string(mine) != reference[i] && ++mismatches <= 20) {
      ADD_FAILURE() << tool << ": '" << pairs[i].first << "' vs '" << pairs[i].second << "': vigil "
                    << mine << ", reference " << reference[i];
    }
    ++checked;
  }
  std::printf("%s differential: %zu pairs (agree %d, disagree %d, invalid per reference %d)\n",
              tool, pairs.size(), checked - mismatches, mismatches, invalid);
  EXPECT_EQ(mismatches, 0);
  EXPECT_GT(checked, static_cast<int>(pairs.size()) / 2);
}

void WritePairs(const std::filesystem::path& path, const std::vector<Pair>& pairs) {
  std::ofstream out(path);
  for (const auto& [a, b] : pairs) out << a << '\t' << b << '\n';
}

TEST(VersionDifferential, DebianAgainstDpkg) {
  if (!std::filesystem::exists("/usr/bin/dpkg")) GTEST_FAIL() << "dpkg not installed";
  Gen g(7);
  std::vector<Pair> pairs = MakePairs(g, DebianVersion, 1500);
  TempFile file("vigil-deb-pairs");
  WritePairs(file.path, pairs);
  // One shell, one dpkg call per pair: "lt" then "eq" give the three-way result.
  std::string script =
      "while IFS=$'\\t' read -r a b; do if dpkg --compare-versions \"$a\" lt \"$b\" 2>/dev/null;"
      " then echo -1; elif dpkg --compare-versions \"$a\" eq \"$b\" 2>/dev/null; then echo 0;"
      " else echo 1; fi; done < " +
      file.path.string();
  TempFile sh("vigil-deb-cmp.sh");
  std::ofstream(sh.path) << script << "\n";
  ExpectSameOrder(VersionScheme::kDebian, pairs, RunLines("bash " + sh.path.string()),
                  "dpkg --compare-versions");
}

TEST(VersionDifferential, Pep440AgainstPythonPackaging) {
  if (RunLines("/usr/bin/python3 -c 'import packaging.version; print(1)'").empty()) {
    GTEST_FAIL() << "/usr/bin/python3 with packaging not available (apt install python3-packaging)";
  }
  Gen g(11);
  std::vector<Pair> pairs = MakePairs(g, Pep440Version, 4000);
  TempFile file("vigil-pep440-pairs");
  WritePairs(file.path, pairs);
  TempFile py("vigil-pep440.py");
  std::ofstream(py.path) << "import sys\nfrom packaging.version import Version, InvalidVersion\n"
                            "for line in open(sys.argv[1]):\n"
                            "    a, b = line.rstrip('\\n').split('\\t')\n"
                            "    try:\n        va, vb = Version(a), Version(b)\n"
                            "    except InvalidVersion:\n        print('invalid'); continue\n"
                            "    print(-1 if va < vb else 0 if va == vb else 1)\n";
  ExpectSameOrder(VersionScheme::kPep440, pairs,
                  RunLines("/usr/bin/python3 " + py.path.string() + " " + file.path.string()),
                  "python packaging");
}

TEST(VersionDifferential, SemverAgainstNpmSemver) {
  std::filesystem::path modules =
      std::filesystem::path(VIGIL_SOURCE_DIR) / "build/node/node_modules";
  if (!std::filesystem::exists(modules / "semver/package.json") ||
      RunLines("node -e 'console.log(1)'").empty()) {
    GTEST_FAIL() << "node or npm semver missing (scripts/setup installs semver@7 into build/node)";
  }
  Gen g(13);
  std::vector<Pair> pairs = MakePairs(g, SemverVersion, 4000);
  TempFile file("vigil-semver-pairs");
  WritePairs(file.path, pairs);
  TempFile js("vigil-semver.js");
  std::ofstream(js.path)
      << "const semver = require(process.argv[2]);\n"
         "const lines = require('fs').readFileSync(process.argv[3], 'utf8')"
         ".split('\\n').filter(Boolean);\n"
         "for (const l of lines) { const [a, b] = l.split('\\t');\n"
         "  if (!semver.valid(a) || !semver.valid(b)) { console.log('invalid'); continue; }\n"
         "  console.log(String(semver.compare(a, b))); }\n";
  ExpectSameOrder(VersionScheme::kSemver, pairs,
                  RunLines("node " + js.path.string() + " " + (modules / "semver").string() + " " +
                           file.path.string()),
                  "npm semver");
}

}  // namespace
}  // namespace vigil::vuln
