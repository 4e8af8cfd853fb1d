// The shared part of `vigil threat` (threat_command.h); the subcommands are one file each.
#include "threat_command.h"

#include "vigil/core/bytes.h"
#include "vigil/core/env.h"

namespace vigil::cli {
namespace {

// A model file, a rule file or a policy is hand-written text; 16 MiB is far past any of them
// (a generated 2,000-asset model is about 1 MiB).
constexpr uint64_t kMaxThreatFileBytes = uint64_t{16} << 20;

Result<std::string> ReadText(const std::string& path, std::string_view what) {
  VIGIL_ASSIGN_OR_RETURN(Bytes data,
                         Env::Default()->ReadFileLimited(path, kMaxThreatFileBytes, what));
  return std::string(AsStringView(data));
}

}  // namespace

CLI::App* ThreatCommand(CLI::App& app) {
  auto found = app.get_subcommands([](CLI::App* a) { return a->get_name() == "threat"; });
  if (!found.empty()) return found.front();
  auto* threat = app.add_subcommand(
      "threat", "Threat model as code: check a device model, list findings, draw the FDA views");
  threat->require_subcommand(1);
  return threat;
}

void AddThreatSourceOptions(CLI::App* cmd, ThreatSources& sources) {
  cmd->add_option("--rules", sources.rules,
                  "Rule files (YAML; default: the model's analysis.rules)");
  cmd->add_option(
      "--policy", sources.policy,
      "Risk policy (YAML, as for vigil triage; default: the model's analysis.risk_policy)");
}

Result<AnalysedModel> LoadAndAnalyse(const std::string& path, const ThreatSources& sources) {
  AnalysedModel out;
  VIGIL_ASSIGN_OR_RETURN(out.model, threat::ReadModel(path, [](const std::string& p) {
                           return ReadText(p, "a threat model file");
                         }));
  const std::vector<std::string>& rule_files =
      sources.rules.empty() ? out.model.rule_files : sources.rules;
  if (rule_files.empty()) {
    return InvalidArgumentError(path +
                                ": analysis.rules: required field missing (expected the "
                                "model's rule files, or --rules)");
  }
  for (const std::string& file : rule_files) {
    VIGIL_ASSIGN_OR_RETURN(std::string text, ReadText(file, "a threat rule file"));
    VIGIL_RETURN_IF_ERROR(threat::ParseRules(text, file, out.rules));
  }
  const std::string& policy = sources.policy.empty() ? out.model.risk_policy : sources.policy;
  if (policy.empty()) {
    return InvalidArgumentError(path +
                                ": analysis.risk_policy: required field missing (expected "
                                "the model's risk policy, or --policy)");
  }
  VIGIL_ASSIGN_OR_RETURN(std::string policy_text, ReadText(policy, "a risk policy"));
  VIGIL_ASSIGN_OR_RETURN(out.policy, risk::ParseRiskPolicy(policy_text, policy));
  VIGIL_ASSIGN_OR_RETURN(out.analysis, threat::Analyze(out.model, out.rules, out.policy));
  return out;
}

}  // namespace vigil::cli
