// Pieces of `vigil threat` shared by its four files (threat_check_command.cc,
// threat_findings_command.cc, threat_views_command.cc, threat_diff_command.cc): the parent
// subcommand, the options every one of them takes, and reading a model with its rules and risk
// policy and analysing it.
#ifndef VIGIL_CLI_THREAT_COMMAND_H_
#define VIGIL_CLI_THREAT_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/risk/decision.h"
#include "vigil/threat/analysis.h"
#include "vigil/threat/model.h"
#include "vigil/threat/rules.h"

namespace vigil::cli {

// `vigil threat`, created by whichever of the four files registers first.
CLI::App* ThreatCommand(CLI::App& app);

// --rules FILE... and --policy FILE: override the model's own `analysis:` section.
struct ThreatSources {
  std::vector<std::string> rules;
  std::string policy;
};
void AddThreatSourceOptions(CLI::App* cmd, ThreatSources& sources);

struct AnalysedModel {
  threat::Model model;
  threat::RuleSet rules;
  risk::RiskPolicy policy;
  threat::Analysis analysis;
};

// Reads the model at `path` (and its includes), the rule files and the risk policy (from
// `sources`, else from the model's `analysis:`), and analyses it. InvalidArgument naming the
// model when neither names rules or a policy.
Result<AnalysedModel> LoadAndAnalyse(const std::string& path, const ThreatSources& sources);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_THREAT_COMMAND_H_
