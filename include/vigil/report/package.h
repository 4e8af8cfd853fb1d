// The premarket cybersecurity package: one self-contained HTML file (views inline as SVG,
// sortable and filterable tables driven by a small inline script, a print stylesheet, nothing
// fetched from the network), the same content as JSON, and CSV files of its tables. Its outline
// is the four questions of the MITRE/MDIC Playbook for Threat Modeling Medical Devices:
//   1 What are we working on?          device, clinical functions, architecture views, SBOM
//                                      (level of support, end of support; "unknown" as such)
//   2 What can go wrong?               threat findings with pre-mitigation risk; known
//                                      vulnerabilities (triage register, VEX) with decisions
//   3 What are we going to do about it? controls, traceability threat → control → test with
//                                      results, post-mitigation risk, the cybersecurity
//                                      management plan, the labeling items
//   4 Did we do a good job?            evidence, coverage per framework, the MDS2 answers and
//                                      every unanswered labeling item or question
// A control is shown verified only as coverage.h decides (its tests passed in the evidence).
//
// Thread-safety: BuildPackage is pure; RenderViews runs Graphviz (threat/views.h).
#ifndef VIGIL_REPORT_PACKAGE_H_
#define VIGIL_REPORT_PACKAGE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/report/coverage.h"
#include "vigil/report/evidence.h"
#include "vigil/report/framework.h"
#include "vigil/risk/decision.h"
#include "vigil/sbom/sbom.h"
#include "vigil/threat/analysis.h"
#include "vigil/threat/model.h"
#include "vigil/triage/register.h"
#include "vigil/vuln/vex.h"

namespace vigil::report {

struct RenderedView {
  std::string name;   // "global"
  std::string title;  // "Global system view"
  std::string svg;    // the <svg> element as Graphviz wrote it (prolog removed)
};

// Writes DIR/NAME.dot for every view of the model, renders DIR/NAME.svg with Graphviz and reads
// it back. FailedPrecondition when `dot` is missing (never a package without its views).
Result<std::vector<RenderedView>> RenderViews(Env& env, const threat::Model& model,
                                              const threat::Analysis& analysis,
                                              const std::string& dir);

struct PackageInput {
  const threat::Model* model = nullptr;
  const threat::Analysis* analysis = nullptr;
  const risk::RiskPolicy* policy = nullptr;
  std::vector<RenderedView> views;
  const sbom::Sbom* sbom = nullptr;
  std::string sbom_file;
  std::vector<vuln::VexDocument> vex;
  // The triage register's records and FDA metrics; nullopt when no register was given.
  std::optional<std::vector<triage::Record>> records;
  std::vector<triage::Metrics> metrics;
  std::string register_file;
  const Evidence* evidence = nullptr;
  std::vector<Framework> frameworks;  // coverage, labeling and questionnaire files
  std::string generated;              // RFC 3339 time of generation, shown as is
};

struct Package {
  std::string html;
  std::string json;
  std::vector<std::pair<std::string, std::string>> csv;  // file name → text
  Coverage coverage;
  std::vector<std::string> unanswered;  // "labeling VI.A-3", "mds2 DTBK"
};

Result<Package> BuildPackage(const PackageInput& in);

}  // namespace vigil::report

#endif  // VIGIL_REPORT_PACKAGE_H_
