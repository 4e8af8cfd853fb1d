// `vigil threat diff OLD.yaml NEW.yaml [--format text|json]`: what changed between two versions
// of a threat model — entities added, removed or changed (with their fields), findings that
// appeared or went away, findings whose risk, controls or status moved — each model analysed with
// its own rules and policy unless --rules/--policy give one set for both. Exit 0 when nothing
// changed, 1 when something did, 2 on bad input.
#include <cstdio>
#include <memory>

#include "command.h"
#include "threat_command.h"
#include "vigil/core/json.h"
#include "vigil/threat/diff.h"

namespace vigil::cli {
namespace {

struct Options {
  std::string old_model, new_model;
  ThreatSources sources;
  std::string format = "text";
};

void PrintText(const threat::ThreatDiff& d) {
  auto mark = [](const std::string& kind) {
    return kind == "added" ? '+' : kind == "removed" ? '-' : '~';
  };
  for (const threat::Change& c : d.model) {
    std::printf("%c %s %s%s%s\n", mark(c.kind), c.section.c_str(), c.id.c_str(),
                c.detail.empty() ? "" : "  ", c.detail.c_str());
  }
  for (const threat::Change& c : d.findings) {
    std::printf("%c finding %s  %s\n", mark(c.kind), c.id.c_str(), c.detail.c_str());
  }
  std::printf(
      "%zu model changes, %zu finding changes; uncontrolled before mitigation %zu -> %zu, "
      "after %zu -> %zu\n",
      d.model.size(), d.findings.size(), d.uncontrolled_pre_old, d.uncontrolled_pre_new,
      d.uncontrolled_post_old, d.uncontrolled_post_new);
}

int Run(const Options& o) {
  auto a = LoadAndAnalyse(o.old_model, o.sources);
  if (!a) return ReportError("threat diff", a.error());
  auto b = LoadAndAnalyse(o.new_model, o.sources);
  if (!b) return ReportError("threat diff", b.error());
  threat::ThreatDiff d = threat::Diff(a->model, a->analysis, b->model, b->analysis);
  if (o.format == "json") {
    std::printf("%s\n", json::Write(threat::DiffToJson(d), 2).c_str());
  } else {
    PrintText(d);
  }
  return d.empty() ? kExitOk : kExitFindings;
}

void Setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  auto* cmd = ThreatCommand(app)->add_subcommand(
      "diff", "What changed between two threat models: entities, findings, risk (exit 1 if any)");
  cmd->add_option("old", opts->old_model, "Old threat model (YAML)")->required();
  cmd->add_option("new", opts->new_model, "New threat model (YAML)")->required();
  AddThreatSourceOptions(cmd, opts->sources);
  cmd->add_option("--format", opts->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([opts] { SetExitCode(Run(*opts)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
