// The premarket package at scale: the generated model of bench/support/threat_model_gen.h
// (2,000 assets, 5,000 links) read, analysed with the repository's rules and the pump's risk
// policy, its views written as DOT, its coverage computed against every framework file of
// report/frameworks/ with a JUnit evidence file, and the whole package built (HTML, JSON, CSV)
// with an SBOM of 2,000 components — everything `vigil report premarket` does except running
// Graphviz. The goal is 2 s. The peer is Graphviz's dot rendering the views to SVG, timed in the
// same run: every view but the global one (dot needs minutes to lay out the global view of this
// model; bench_threat times that one).
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "support/report.h"
#include "support/threat_model_gen.h"
#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/report/package.h"
#include "vigil/threat/views.h"

namespace {

std::string Read(const std::string& path) {
  auto b = vigil::Env::Default()->ReadFile(path);
  if (!b) {
    std::fprintf(stderr, "bench_report: %s\n", b.error().message().c_str());
    std::exit(1);
  }
  return std::string(vigil::AsStringView(*b));
}

template <typename T>
T Must(vigil::Result<T> r) {
  if (!r) {
    std::fprintf(stderr, "bench_report: %s\n", r.error().message().c_str());
    std::exit(1);
  }
  return std::move(*r);
}

vigil::sbom::Sbom MakeSbom() {
  vigil::sbom::Sbom s;
  for (int i = 0; i < 2000; ++i) {
    vigil::sbom::Component c;
    c.name = "a" + std::to_string(i);
    c.version = "1.0";
    c.purl_text = "pkg:generic/a" + std::to_string(i) + "@1.0";
    if (i % 2) c.end_of_support = "2030-01-01";
    s.components.push_back(std::move(c));
  }
  return s;
}

}  // namespace

int main() {
  namespace threat = vigil::threat;
  namespace report = vigil::report;
  const std::string src = VIGIL_SOURCE_DIR;
  const std::map<std::string, std::string> files = {
      {"model.yaml", vigil::bench::GeneratedThreatModel()},
      {"stride.yaml", Read(src + "/threat/rules/stride.yaml")},
      {"medical.yaml", Read(src + "/threat/rules/medical.yaml")},
      {"policy.yaml", Read(src + "/examples/infusion-pump/threat-risk-policy.yaml")}};
  std::vector<report::Framework> frameworks;
  const std::string fw_dir = src + "/report/frameworks";
  for (const std::string& name : Must(vigil::Env::Default()->GetChildren(fw_dir))) {
    if (!name.ends_with(".yaml")) continue;
    const std::string path = fw_dir + "/" + name;
    frameworks.push_back(Must(report::ParseFramework(Read(path), path)));
  }
  report::Evidence evidence;
  if (!report::ReadJunit("<testsuite><testcase name=\"t\" status=\"run\"/></testsuite>",
                         "ctest.xml", evidence)) {
    std::exit(1);
  }
  const vigil::sbom::Sbom sbom = MakeSbom();

  std::vector<threat::View> views;
  size_t findings = 0, html_bytes = 0;
  const double ours = vigil::bench::MedianOf(5, [&] {
    const double t0 = vigil::bench::NowSeconds();
    threat::Model m = Must(threat::ReadModel(
        "model.yaml",
        [&](const std::string& p) -> vigil::Result<std::string> { return files.at(p); }));
    threat::RuleSet rules;
    auto policy = vigil::risk::ParseRiskPolicy(files.at("policy.yaml"), "policy.yaml");
    if (!policy || !threat::ParseRules(files.at("stride.yaml"), "stride.yaml", rules) ||
        !threat::ParseRules(files.at("medical.yaml"), "medical.yaml", rules)) {
      std::exit(1);
    }
    threat::Analysis a = Must(threat::Analyze(m, rules, *policy));
    views = threat::MakeViews(m, a);
    report::PackageInput in;
    in.model = &m;
    in.analysis = &a;
    in.policy = &*policy;
    for (const threat::View& v : views) in.views.push_back({v.name, v.title, ""});
    in.sbom = &sbom;
    in.sbom_file = "sbom.json";
    in.evidence = &evidence;
    in.frameworks = frameworks;
    in.generated = "2026-12-05T00:00:00Z";
    report::Package pkg = Must(report::BuildPackage(in));
    const double t = vigil::bench::NowSeconds() - t0;
    findings = a.findings.size();
    html_bytes = pkg.html.size();
    return t;
  });

  char dir_template[] = "/tmp/bench_report.XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  vigil::Env* env = vigil::Env::Default();
  double dot_seconds = 0;
  for (const threat::View& v : views) {
    if (v.name == "global") continue;  // minutes of layout: bench_threat times it
    if (!env->WriteFileAtomic(dir + "/" + v.name + ".dot", vigil::AsBytes(v.dot))) std::exit(1);
    const double t0 = vigil::bench::NowSeconds();
    vigil::Status s = threat::RenderSvg(*vigil::Env::Default(), dir + "/" + v.name + ".dot", dir + "/" + v.name + ".svg");
    dot_seconds += vigil::bench::NowSeconds() - t0;
    if (!s) {
      std::fprintf(stderr, "bench_report: %s\n", s.error().message().c_str());
      std::exit(1);
    }
    if (!env->RemoveFile(dir + "/" + v.name + ".dot") ||
        !env->RemoveFile(dir + "/" + v.name + ".svg")) {
      std::fprintf(stderr, "bench_report: cannot clean %s\n", dir.c_str());
    }
  }
  if (!env->RemoveDir(dir)) std::fprintf(stderr, "bench_report: cannot remove %s\n", dir.c_str());
  std::fprintf(stderr, "bench_report: %zu findings, %zu views, %zu KiB of HTML\n", findings,
               views.size(), html_bytes / 1024);
  vigil::bench::Report("report premarket analysis+package 2000 assets 5000 links", ours * 1000,
                       "ms", "dot -Tsvg every view but the global one (Graphviz)",
                       dot_seconds * 1000);
  return 0;
}
