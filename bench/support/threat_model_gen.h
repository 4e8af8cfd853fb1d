// The generated threat model of the threat and report benchmarks: 2,000 assets and 5,000 links
// (40 clinical functions, 56 nested trust boundaries, 20 data assets, 30 controls each verified
// by the test "t" and naming an FDA Appendix 1 category), in the model's YAML format.
#ifndef VIGIL_BENCH_SUPPORT_THREAT_MODEL_GEN_H_
#define VIGIL_BENCH_SUPPORT_THREAT_MODEL_GEN_H_

#include <string>

namespace vigil::bench {
namespace internal {

constexpr int kAssets = 2000;
constexpr int kLinks = 5000;
constexpr int kFunctions = 40;
constexpr int kDevices = 10;

const char* const kKinds[] = {"process", "datastore", "external_entity", "interface"};
const char* const kInterfaces[] = {"jtag", "uart", "usb", "ethernet", "wifi", "bluetooth"};
const char* const kHarms[] = {"negligible", "minor", "serious", "critical", "catastrophic"};
const char* const kAuth[] = {"none", "password", "certificate", "token", "signature"};
const char* const kEnc[] = {"none", "tls", "aead", "wpa2"};

inline std::string Flag(const char* name, bool on) {
  return on ? std::string("    ") + name + ": true\n" : "";
}

}  // namespace internal

// The model in YAML (about 1 MiB).
inline std::string GeneratedThreatModel() {
  using namespace internal;
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
  const char* const fda[] = {"A", "B", "C", "D.1", "D.2", "E", "F", "G", "H"};
  for (int c = 0; c < 30; ++c) {
    y += "  - {id: C" + std::to_string(c) +
         ", title: Control, requirements: "
         "{fda-premarket-appendix-1: [" +
         fda[c % 9] + "]}, verified_by: [t], mitigates: [{rule: " + rules[c % 5] +
         ", elements: [a" + std::to_string(c) + ", l" + std::to_string(c) +
         "]}], residual_exploitability: 1.5}\n";
  }
  return y;
}

}  // namespace vigil::bench

#endif  // VIGIL_BENCH_SUPPORT_THREAT_MODEL_GEN_H_
