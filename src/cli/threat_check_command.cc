// `vigil threat check MODEL.yaml [--rules FILE...] [--policy FILE]`: reads a threat model with
// its includes, rules and risk policy, and says what it holds and how many findings it gives
// (uncontrolled before and after mitigation), and which tracking entries name no finding.
// Exit 0 when the model is valid; 2 with one line "vigil threat check: FILE:LINE: FIELD: ..."
// when it is not.
#include <cstdio>
#include <memory>

#include "command.h"
#include "threat_command.h"

namespace vigil::cli {
namespace {

struct Options {
  std::string model;
  ThreatSources sources;
};

void PrintSummary(const Options& o, const AnalysedModel& m) {
  const threat::Model& x = m.model;
  std::printf("%s: %s (IEC 62304 class %s%s)\n", o.model.c_str(), x.device.name.c_str(),
              std::string(threat::SafetyClassName(x.device.safety_class)).c_str(),
              x.device.cyber_device ? ", cyber device" : "");
  std::printf(
      "  %zu files, %zu clinical functions, %zu trust boundaries, %zu assets, %zu links, "
      "%zu data assets, %zu controls, %zu tracked findings\n",
      x.files.size(), x.functions.size(), x.boundaries.size(), x.assets.size(), x.links.size(),
      x.data.size(), x.controls.size(), x.tracking.size());
  for (const std::string& s : m.rules.sources) std::printf("  rules: %s\n", s.c_str());
  std::printf("  risk policy: %s\n", m.policy.name.c_str());
  std::printf("  %zu findings: %zu uncontrolled before mitigation, %zu after\n",
              m.analysis.findings.size(), m.analysis.uncontrolled_pre,
              m.analysis.uncontrolled_post);
  for (const std::string& s : m.analysis.stale_tracking) {
    std::printf("  stale tracking (no such finding): %s\n", s.c_str());
  }
}

int Run(const Options& o) {
  auto m = LoadAndAnalyse(o.model, o.sources);
  if (!m) return ReportError("threat check", m.error());
  PrintSummary(o, *m);
  return kExitOk;
}

void Setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  auto* cmd = ThreatCommand(app)->add_subcommand("check", "Read and check a threat model");
  cmd->add_option("model", opts->model, "Threat model (YAML)")->required();
  AddThreatSourceOptions(cmd, opts->sources);
  cmd->callback([opts] { SetExitCode(Run(*opts)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
