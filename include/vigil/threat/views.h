// The four security architecture views FDA's premarket cybersecurity guidance asks for, drawn
// from the model as Graphviz DOT and rendered to SVG by Graphviz's own `dot`:
//   global          every asset inside its nested trust boundaries, every link (protocol, port,
//                   authentication, encryption; therapy commands in bold red);
//   multi-patient   what reaches the device from outside it (assets outside every boundary of
//                   kind device and the links they use), coloured by the harm at the far end:
//                   where one compromise can reach many patients;
//   update          the update path: links marked update_path, signed or not, and the SBOM
//                   reference of every asset they reach;
//   use-case-<id>   one per clinical function: the assets supporting it, every link touching
//                   them and the open findings on each.
// A node's DOT id is the asset's id (so it is the <title> of its SVG group), its label the name.
//
// Thread-safety: MakeViews is pure; RenderSvg starts a process and only touches its two files.
#ifndef VIGIL_THREAT_VIEWS_H_
#define VIGIL_THREAT_VIEWS_H_

#include <string>
#include <vector>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/threat/analysis.h"
#include "vigil/threat/model.h"

namespace vigil::threat {

struct View {
  std::string name;   // file stem: "global", "multi-patient", "update", "use-case-infusion"
  std::string title;  // "Global system view"
  std::string dot;    // the DOT text
};

// The views of `model`; findings (open ones counted per element) from `analysis`.
std::vector<View> MakeViews(const Model& model, const Analysis& analysis);

// Runs `dot -Tsvg -o SVG_PATH DOT_PATH` (Graphviz, found on PATH). FailedPrecondition
// "dot (Graphviz) not found on PATH ..." when it is missing — never a silent skip; Internal
// naming the file and dot's exit status when dot refuses the input. dot writes its complaints
// to SVG_PATH.log, which is read and removed through `env` (dot itself writes the files it is
// given, outside any Env).
Status RenderSvg(Env& env, const std::string& dot_path, const std::string& svg_path);

}  // namespace vigil::threat

#endif  // VIGIL_THREAT_VIEWS_H_
