// `vigil threat views MODEL.yaml --out DIR`: the four FDA security architecture views (global
// system, multi-patient harm, updatability/patchability, one security use case per clinical
// function) written as DIR/NAME.dot and rendered by Graphviz's `dot` to DIR/NAME.svg. A missing
// `dot` is an error (exit 2), never a skipped rendering.
#include <cstdio>
#include <memory>

#include "command.h"
#include "threat_command.h"
#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/threat/views.h"

namespace vigil::cli {
namespace {

struct Options {
  std::string model;
  ThreatSources sources;
  std::string out;
};

Status Write(const Options& o, const threat::View& v) {
  const std::string dot = JoinPath(o.out, v.name + ".dot");
  const std::string svg = JoinPath(o.out, v.name + ".svg");
  VIGIL_RETURN_IF_ERROR(Env::Default()->WriteFileAtomic(dot, AsBytes(v.dot)));
  VIGIL_RETURN_IF_ERROR(threat::RenderSvg(*Env::Default(), dot, svg));
  std::printf("%s  %s\n", svg.c_str(), v.title.c_str());
  return OkStatus();
}

int Run(const Options& o) {
  auto m = LoadAndAnalyse(o.model, o.sources);
  if (!m) return ReportError("threat views", m.error());
  if (Status s = Env::Default()->CreateDir(o.out); !s)
    return ReportError("threat views", s.error());
  for (const threat::View& v : threat::MakeViews(m->model, m->analysis)) {
    if (Status s = Write(o, v); !s) return ReportError("threat views", s.error());
  }
  return kExitOk;
}

void Setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  auto* cmd = ThreatCommand(app)->add_subcommand(
      "views", "Draw the FDA security architecture views (Graphviz DOT and SVG)");
  cmd->add_option("model", opts->model, "Threat model (YAML)")->required();
  AddThreatSourceOptions(cmd, opts->sources);
  cmd->add_option("--out", opts->out, "Directory for NAME.dot and NAME.svg")->required();
  cmd->callback([opts] { SetExitCode(Run(*opts)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
