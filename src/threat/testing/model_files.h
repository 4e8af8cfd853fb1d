// Test support for the threat module: models held in memory (file name → text) read through
// ReadModel, and a small valid model to edit.
#ifndef VIGIL_THREAT_TESTING_MODEL_FILES_H_
#define VIGIL_THREAT_TESTING_MODEL_FILES_H_

#include <map>
#include <string>

#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/risk/decision.h"
#include "vigil/threat/analysis.h"
#include "vigil/threat/model.h"
#include "vigil/threat/rules.h"

namespace vigil::threat::testing {

// Reads from `files`; NotFound "NAME: no such file" otherwise.
inline FileReader MapReader(const std::map<std::string, std::string>& files) {
  return [&files](const std::string& path) -> Result<std::string> {
    auto it = files.find(path);
    if (it == files.end()) return NotFoundError(path + ": no such file");
    return it->second;
  };
}

inline Result<Model> ReadFromMap(const std::map<std::string, std::string>& files,
                                 const std::string& root = "model.yaml") {
  return ReadModel(root, MapReader(files));
}

// A valid model: a pump process and its UI in the device, a gateway outside on the network, an
// unauthenticated therapy-command link from the gateway, a datastore with PHI unencrypted.
inline constexpr char kSmallModel[] = R"(device:
  name: Test pump
  intended_use: test
  software_safety_class: C
  use_environments: [hospital]
  cyber_device: true
clinical_functions:
  - id: infusion
    name: Deliver infusion
    essential_performance: true
    hazards: [HAZ-1]
    severity: catastrophic
    safe_state: stop
    tolerable_outage: 0 s
  - id: records
    name: Keep records
    hazards: [HAZ-9]
    severity: minor
    safe_state: keep
    tolerable_outage: 1 h
boundaries:
  - {id: hospital, name: Hospital, kind: organisation}
  - {id: pump, name: Pump, kind: device, parent: hospital}
  - {id: body, name: Patient, kind: patient, parent: hospital}
data:
  - {id: phi, name: Patient data, phi: true}
assets:
  - id: pumpd
    name: Pump daemon
    kind: process
    boundary: pump
    supports: [infusion]
    watchdog: true
  - id: store
    name: Record store
    kind: datastore
    boundary: pump
    supports: [records]
    data: [phi]
  - id: gateway
    name: Gateway
    kind: external_entity
    boundary: hospital
    authentication: certificate
links:
  - id: gw-to-pumpd
    from: gateway
    to: pumpd
    protocol: https
    port: 443
    authentication: none
    encryption: tls
    carries_therapy_commands: true
  - id: pumpd-to-store
    from: pumpd
    to: store
    protocol: sqlite
    authentication: none
    encryption: none
    data: [phi]
)";

// A risk policy with a "remote" band under 2.0 where every harm is controlled.
inline constexpr char kPolicy[] = R"(policy: test policy
exploitability: {remote: 0.0, low: 2.0, medium: 4.0, high: 7.0}
matrix:
  remote: {negligible: controlled, minor: controlled, serious: controlled, critical: controlled, catastrophic: controlled}
  low:    {negligible: controlled, minor: controlled, serious: controlled, critical: uncontrolled, catastrophic: uncontrolled}
  medium: {negligible: controlled, minor: controlled, serious: uncontrolled, critical: uncontrolled, catastrophic: uncontrolled}
  high:   {negligible: controlled, minor: uncontrolled, serious: uncontrolled, critical: uncontrolled, catastrophic: uncontrolled}
deadlines:
  uncontrolled: {notify: 30, fix: 60}
)";

// The repository's own rule files (threat/rules/).
inline Result<RuleSet> RepositoryRules() {
  RuleSet set;
  for (const char* f : {"stride.yaml", "medical.yaml"}) {
    const std::string path = std::string(VIGIL_SOURCE_DIR) + "/threat/rules/" + f;
    VIGIL_ASSIGN_OR_RETURN(Bytes text, Env::Default()->ReadFile(path));
    VIGIL_RETURN_IF_ERROR(ParseRules(AsStringView(text), path, set));
  }
  return set;
}

// A model (one file, "model.yaml") analysed with the repository's rules and kPolicy.
struct Analysed {
  Model model;
  Analysis analysis;
};
inline Result<Analysed> AnalyseText(const std::string& text) {
  std::map<std::string, std::string> files = {{"model.yaml", text}};
  Analysed out;
  VIGIL_ASSIGN_OR_RETURN(out.model, ReadFromMap(files));
  VIGIL_ASSIGN_OR_RETURN(RuleSet rules, RepositoryRules());
  VIGIL_ASSIGN_OR_RETURN(risk::RiskPolicy policy, risk::ParseRiskPolicy(kPolicy, "policy.yaml"));
  VIGIL_ASSIGN_OR_RETURN(out.analysis, Analyze(out.model, rules, policy));
  return out;
}

}  // namespace vigil::threat::testing

#endif  // VIGIL_THREAT_TESTING_MODEL_FILES_H_
