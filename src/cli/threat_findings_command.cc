// `vigil threat findings MODEL.yaml [--format text|json] [--fail-on-uncontrolled]`: every
// finding with its stable id (rule@element), the facts that fired it, the clinical functions and
// hazards it bears on, its risk before and after mitigation and its tracking status. With
// --fail-on-uncontrolled, exit 1 when an open finding is uncontrolled after mitigation.
#include <cstdio>
#include <memory>

#include "command.h"
#include "threat_command.h"
#include "vigil/core/json.h"

namespace vigil::cli {
namespace {

struct Options {
  std::string model;
  ThreatSources sources;
  std::string format = "text";
  bool fail_on_uncontrolled = false;
};

std::string Joined(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

void PrintText(const threat::Analysis& a) {
  for (const threat::Finding& f : a.findings) {
    std::printf("%s  [%s] %s\n", f.id.c_str(), std::string(threat::StrideName(f.stride)).c_str(),
                f.title.c_str());
    std::printf("    fired by: %s\n", Joined(f.fired_by, ", ").c_str());
    if (!f.functions.empty()) {
      std::printf("    functions: %s; hazards: %s\n", Joined(f.functions, ", ").c_str(),
                  Joined(f.hazards, ", ").c_str());
    }
    std::printf("    risk: %s -> %s (controls: %s)\n", f.pre.cell.c_str(), f.post.cell.c_str(),
                f.controls.empty() ? "none" : Joined(f.controls, ", ").c_str());
    std::printf("    status: %s%s%s\n", std::string(threat::TrackingStatusName(f.status)).c_str(),
                f.justification.empty() ? "" : " — ", f.justification.c_str());
  }
  std::printf("%zu findings: %zu uncontrolled before mitigation, %zu after\n", a.findings.size(),
              a.uncontrolled_pre, a.uncontrolled_post);
}

int Run(const Options& o) {
  auto m = LoadAndAnalyse(o.model, o.sources);
  if (!m) return ReportError("threat findings", m.error());
  if (o.format == "json") {
    std::printf("%s\n", json::Write(threat::FindingsToJson(m->analysis), 2).c_str());
  } else {
    PrintText(m->analysis);
  }
  if (!o.fail_on_uncontrolled) return kExitOk;
  for (const threat::Finding& f : m->analysis.findings) {
    if (!f.post.controlled && f.status == threat::TrackingStatus::kOpen) return kExitFindings;
  }
  return kExitOk;
}

void Setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  auto* cmd = ThreatCommand(app)->add_subcommand(
      "findings",
      "List the findings of a threat model with their risk before and after mitigation");
  cmd->add_option("model", opts->model, "Threat model (YAML)")->required();
  AddThreatSourceOptions(cmd, opts->sources);
  cmd->add_option("--format", opts->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("--fail-on-uncontrolled", opts->fail_on_uncontrolled,
                "Exit 1 when an open finding is uncontrolled after mitigation");
  cmd->callback([opts] { SetExitCode(Run(*opts)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
