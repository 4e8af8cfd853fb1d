// Threat model analysis at scale: a generated model of 2,000 assets and 5,000 links (40 clinical
// functions, 56 nested trust boundaries, 20 data assets, 30 controls) in YAML, read with its
// includes machinery and line map, analysed with the repository's rules and a risk policy, and
// every view written as DOT — the whole of `vigil threat views` short of running dot. The goal
// is 2 s for analysis and report; the peer is Graphviz's dot laying out and rendering the global
// view of the same model to SVG, timed in the same run.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "support/report.h"
#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/threat/analysis.h"
#include "vigil/threat/views.h"

namespace {

constexpr int kAssets = 2000;
constexpr int kLinks = 5000;
constexpr int kFunctions = 40;
constexpr int kDevices = 10;

const char* const kKinds[] = {"process", "datastore", "external_entity", "interface"};
const char* const kInterfaces[] = {"jtag", "uart", "usb", "ethernet", "wifi", "bluetooth"};
const char* const kHarms[] = {"negligible", "minor", "serious", "critical", "catastrophic"};
const char* const kAuth[] = {"none", "password", "certificate", "token", "signature"};
const char* const kEnc[] = {"none", "tls", "aead", "wpa2"};

std::string Flag(const char* name, bool on) {
  return on ? std::string("    ") + name + ": true\n" : "";
}

std::string MakeModel() {
  std::string y =
      "device: {name: Generated pump fleet, intended_use: bench, software_safety_class: C, "
      "use_environments: [hospital], cyber_device: true}\nclinical_functions:\n";
  for (int f = 0; f < kFunctions; ++f) {
    y += "  - {id: f" + std::to_string(f) + ", name: Function " + std::to_string(f) +
         ", essential_performance: " + (f % 4 == 0 ? "true" : "false") + ", hazards: [HAZ-" +
         std::to_string(f) + "], severity: " + kHarms[f % 5] +
         ", safe_state: stop, tolerable_outage: 0 s}\n";
  }
  y += "boundaries:\n  - {id: hospital, name: Hospital, kind: organisation}\n"
       "  - {id: net, name: Network, kind: network, parent: hospital}\n"
       "  - {id: body, name: Patient, kind: patient, parent: hospital}\n";
  for (int d = 0; d < kDevices; ++d) {
    const std::string id = "dev" + std::to_string(d);
    y += "  - {id: " + id + ", name: Device " + std::to_string(d) +
         ", kind: device, parent: hospital}\n";
    for (int p = 0; p < 4; ++p) {
      y += "  - {id: " + id + "-p" + std::to_string(p) +
           ", name: Enclosure, kind: physical, parent: " + id + "}\n";
    }
  }
  y += "data:\n";
  for (int d = 0; d < 20; ++d) {
    y += "  - {id: d" + std::to_string(d) + ", name: Data, phi: " + (d % 2 ? "true" : "false") +
         "}\n";
  }
  y += "assets:\n";
  for (int i = 0; i < kAssets; ++i) {
    const int kind = i % 4;
    const std::string boundary = kind == 2 ? (i % 8 == 2 ? "net" : "body")
                                           : "dev" + std::to_string(i % kDevices) +
                                                 (i % 3 ? "-p" + std::to_string(i % 4) : "");
    y += "  - id: a" + std::to_string(i) + "\n    name: Asset " + std::to_string(i) +
         "\n    kind: " + kKinds[kind] + "\n    boundary: " + boundary + "\n    supports: [f" +
         std::to_string(i % kFunctions) + ", f" + std::to_string((i * 7) % kFunctions) +
         "]\n    data: [d" + std::to_string(i % 20) + "]\n    sbom: pkg:generic/a" +
         std::to_string(i) + "@1.0\n";
    if (kind == 3) y += std::string("    interface_type: ") + kInterfaces[i % 6] + "\n";
    y += Flag("enabled_in_production", i % 5 == 0) + Flag("encrypted_at_rest", i % 3 == 0) +
         Flag("audited", i % 2 == 0) + Flag("watchdog", i % 7 != 0) +
         Flag("least_privilege", i % 4 != 1) + Flag("logs_phi", i % 11 == 0);
    if (i % 13 == 0) y += "    credentials: default\n    long_lived_keys: classical\n";
  }
  y += "links:\n";
  for (int l = 0; l < kLinks; ++l) {
    y += "  - id: l" + std::to_string(l) + "\n    from: a" + std::to_string(l % kAssets) +
         "\n    to: a" + std::to_string((l * 7 + 1) % kAssets) + "\n    protocol: p" +
         std::to_string(l % 9) + "\n    port: " + std::to_string(1000 + l % 50) +
         "\n    authentication: " + kAuth[l % 5] + "\n    encryption: " + kEnc[l % 4] + "\n" +
         Flag("carries_therapy_commands", l % 6 == 0) + Flag("anti_replay", l % 4 == 0) +
         Flag("update_path", l % 25 == 0) + Flag("signed", l % 3 == 0) + "    data: [d" +
         std::to_string(l % 20) + "]\n";
  }
  y += "controls:\n";
  const char* const rules[] = {"stride-repudiation", "unauthenticated-therapy-command",
                               "stride-tampering-link", "open-debug-port", "phi-in-logs"};
  for (int c = 0; c < 30; ++c) {
    y += "  - {id: C" + std::to_string(c) +
         ", title: Control, verified_by: [t], mitigates: [{rule: " + rules[c % 5] +
         ", elements: [a" + std::to_string(c) + ", l" + std::to_string(c) +
         "]}], residual_exploitability: 1.5}\n";
  }
  return y;
}

std::string Read(const std::string& path) {
  auto b = vigil::Env::Default()->ReadFile(path);
  if (!b) {
    std::fprintf(stderr, "%s\n", b.error().message().c_str());
    std::exit(1);
  }
  return std::string(vigil::AsStringView(*b));
}

}  // namespace

int main() {
  namespace threat = vigil::threat;
  const std::string model_yaml = MakeModel();
  const std::string src = VIGIL_SOURCE_DIR;
  const std::map<std::string, std::string> files = {
      {"model.yaml", model_yaml},
      {"stride.yaml", Read(src + "/threat/rules/stride.yaml")},
      {"medical.yaml", Read(src + "/threat/rules/medical.yaml")},
      {"policy.yaml", Read(src + "/examples/infusion-pump/threat-risk-policy.yaml")}};
  std::string global_dot;
  size_t findings = 0;
  const double ours = vigil::bench::MedianOf(5, [&] {
    const double t0 = vigil::bench::NowSeconds();
    auto m = threat::ReadModel(
        "model.yaml",
        [&](const std::string& p) -> vigil::Result<std::string> { return files.at(p); });
    threat::RuleSet rules;
    auto policy = vigil::risk::ParseRiskPolicy(files.at("policy.yaml"), "policy.yaml");
    if (!m || !policy || !threat::ParseRules(files.at("stride.yaml"), "stride.yaml", rules) ||
        !threat::ParseRules(files.at("medical.yaml"), "medical.yaml", rules)) {
      std::fprintf(stderr, "bench_threat: %s\n",
                   m ? "rules or policy refused" : m.error().message().c_str());
      std::exit(1);
    }
    auto a = threat::Analyze(*m, rules, *policy);
    if (!a) std::exit(1);
    std::vector<threat::View> views = threat::MakeViews(*m, *a);
    const double t = vigil::bench::NowSeconds() - t0;
    findings = a->findings.size();
    global_dot = views.front().dot;
    return t;
  });
  // The peer: dot lays out and renders the global view (once: it takes minutes, far longer than
  // ours — 2,000 nodes in 56 clusters with 5,000 labelled edges).
  char dir_template[] = "/tmp/bench_threat.XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  if (!vigil::Env::Default()->WriteFileAtomic(dir + "/global.dot", vigil::AsBytes(global_dot))) {
    std::exit(1);
  }
  const double t0 = vigil::bench::NowSeconds();
  vigil::Status s = threat::RenderSvg(dir + "/global.dot", dir + "/global.svg");
  const double dot_seconds = vigil::bench::NowSeconds() - t0;
  if (!s) {
    std::fprintf(stderr, "bench_threat: %s\n", s.error().message().c_str());
    std::exit(1);
  }
  std::fprintf(stderr, "bench_threat: %zu findings; model %zu KiB of YAML\n", findings,
               model_yaml.size() / 1024);
  vigil::bench::Report("threat read+analyse+views 2000 assets 5000 links", ours * 1000, "ms",
                       "dot -Tsvg global view (Graphviz)", dot_seconds * 1000);
  vigil::Env* env = vigil::Env::Default();
  if (!env->RemoveFile(dir + "/global.dot") || !env->RemoveFile(dir + "/global.svg") ||
      !env->RemoveDir(dir)) {
    std::fprintf(stderr, "bench_threat: cannot remove %s\n", dir.c_str());
  }
  return 0;
}
