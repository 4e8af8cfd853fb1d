// CVSS v4.0 scoring throughput (parse + score of a vector string, Evaluate) beside
// ae-cvss-calculator (npm), which bench/risk/cvss_peer.js times on the same vectors inside one
// node process. The vectors are random across every metric group (seeded), the differential
// test's kind. Goal (issue 15): at least 50x the reference.
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "support/report.h"
#include "vigil/risk/cvss.h"

namespace vigil::risk::cvss {
namespace {

constexpr int kVectors = 20000;

std::vector<std::string> RandomV4Vectors(int n) {
  struct Metric {
    const char* name;
    std::vector<const char*> values;
    bool mandatory;
  };
  const std::vector<Metric> metrics = {
      {"AV", {"N", "A", "L", "P"}, true},  {"AC", {"L", "H"}, true},
      {"AT", {"N", "P"}, true},            {"PR", {"N", "L", "H"}, true},
      {"UI", {"N", "P", "A"}, true},       {"VC", {"H", "L", "N"}, true},
      {"VI", {"H", "L", "N"}, true},       {"VA", {"H", "L", "N"}, true},
      {"SC", {"H", "L", "N"}, true},       {"SI", {"H", "L", "N"}, true},
      {"SA", {"H", "L", "N"}, true},       {"E", {"X", "A", "P", "U"}, false},
      {"CR", {"X", "H", "M", "L"}, false}, {"IR", {"X", "H", "M", "L"}, false},
      {"AR", {"X", "H", "M", "L"}, false}, {"MAV", {"X", "N", "A", "L", "P"}, false},
      {"MAC", {"X", "L", "H"}, false},     {"MAT", {"X", "N", "P"}, false},
      {"MPR", {"X", "N", "L", "H"}, false}, {"MUI", {"X", "N", "P", "A"}, false},
      {"MVC", {"X", "H", "L", "N"}, false}, {"MVI", {"X", "H", "L", "N"}, false},
      {"MVA", {"X", "H", "L", "N"}, false}, {"MSC", {"X", "H", "L", "N"}, false},
      {"MSI", {"X", "S", "H", "L", "N"}, false}, {"MSA", {"X", "S", "H", "L", "N"}, false},
      {"S", {"X", "N", "P"}, false},       {"AU", {"X", "N", "Y"}, false},
  };
  std::mt19937 rng(20261205);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    std::string v = "CVSS:4.0";
    const bool base_only = rng() % 2 == 0;
    for (const Metric& m : metrics) {
      if (!m.mandatory && (base_only || rng() % 2 == 0)) continue;
      v += "/" + std::string(m.name) + ":" + m.values[rng() % m.values.size()];
    }
    out.push_back(std::move(v));
  }
  return out;
}

int Main() {
  const std::vector<std::string> vectors = RandomV4Vectors(kVectors);
  double sink = 0;
  const double ours = bench::MedianOf(7, [&] {
    const double start = bench::NowSeconds();
    for (const std::string& v : vectors) sink += Evaluate(v)->score;
    return vectors.size() / (bench::NowSeconds() - start);
  });
  char path[] = "/tmp/vigil_bench_cvss_XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return 1;
  close(fd);
  {
    std::ofstream out(path);
    for (const std::string& v : vectors) out << v << "\n";
  }
  const std::string src = VIGIL_SOURCE_DIR;
  const std::string output = bench::RunCommand("VIGIL_NODE_MODULES=" + src +
                                               "/build/node/node_modules node " + src +
                                               "/bench/risk/cvss_peer.js " + path);
  std::remove(path);
  const double theirs = output.empty() ? -1 : std::stod(output);
  if (theirs <= 0 || sink <= 0) {
    std::fprintf(stderr, "bench_risk_cvss: the ae-cvss-calculator run failed (node and %s/build/node "
                         "are needed: make setup)\n", src.c_str());
    return 1;
  }
  bench::Report("risk/cvss v4.0 score (parse + score, random vectors)", ours, "vectors/s",
                "ae-cvss-calculator 1.0.13", theirs);
  return 0;
}

}  // namespace
}  // namespace vigil::risk::cvss

int main() { return vigil::risk::cvss::Main(); }
