// `vigil report premarket MODEL.yaml --sbom FILE [--vex FILE...] [--register DB]
// --evidence JUNIT.xml... [--out DIR] [--framework FILE...]`: the premarket cybersecurity
// package (report/package.h) written as DIR/premarket.html, DIR/premarket.json and one CSV file
// per table, the views' DOT and SVG files beside them in DIR/views/. Frameworks default to the
// files of report/frameworks/, installed in share/vigil/frameworks/ beside bin/ (and copied to
// the same place in the build tree). Exit 0 when written, whatever the coverage:
// open requirements and unverified controls are the package's content, not an error.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>

#include "cli_io.h"
#include "command.h"
#include "threat_command.h"
#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/report/package.h"
#include "vigil/sbom/sbom_reader.h"
#include "vigil/triage/register.h"
#include "vigil/vuln/vex.h"

#ifndef VIGIL_FRAMEWORKS_FROM_BIN
#error "VIGIL_FRAMEWORKS_FROM_BIN names the frameworks' folder from bin/ (src/cli/CMakeLists.txt)"
#endif

namespace vigil::cli {
namespace {

constexpr uint64_t kMaxSbomBytes = 256u << 20;

struct Options {
  std::string model;
  ThreatSources sources;
  std::string sbom;
  std::vector<std::string> vex;
  std::string register_path;
  std::vector<std::string> evidence;
  std::vector<std::string> frameworks;
  std::string out = "premarket";
};

Result<std::vector<std::string>> DefaultFrameworks() {
  VIGIL_ASSIGN_OR_RETURN(const std::string dir, InstalledPath(VIGIL_FRAMEWORKS_FROM_BIN));
  auto names = Env::Default()->GetChildren(dir);
  if (!names) {
    return FailedPreconditionError("report: no frameworks in " + dir + " (" +
                                   names.error().message() +
                                   "): reinstall vigil, or name them with --framework");
  }
  std::vector<std::string> out;
  for (const std::string& n : *names) {
    if (n.ends_with(".yaml")) out.push_back(JoinPath(dir, n));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Status ReadRegister(const std::string& path, report::PackageInput& in) {
  triage::RegisterOptions ro;
  ro.path = path;
  ro.read_only = true;
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, triage::Register::Open(ro, *Env::Default()));
  VIGIL_ASSIGN_OR_RETURN(std::vector<triage::Record> records, reg.List(triage::ListFilter{}));
  std::map<std::string, std::string> first_seen;  // product → earliest discovery
  for (const triage::Record& r : records) {
    auto [it, fresh] = first_seen.emplace(r.key.product, r.discovered);
    if (!fresh && r.discovered < it->second) it->second = r.discovered;
  }
  const std::string today = NowRfc3339().substr(0, 10);
  for (const auto& [product, from] : first_seen) {
    VIGIL_ASSIGN_OR_RETURN(triage::Metrics m, reg.ComputeMetrics(product, from, today));
    in.metrics.push_back(std::move(m));
  }
  in.records = std::move(records);
  in.register_file = path;
  return OkStatus();
}

Status WritePackage(const Options& o, const report::Package& pkg) {
  Env* env = Env::Default();
  VIGIL_RETURN_IF_ERROR(env->WriteFileAtomic(JoinPath(o.out, "premarket.html"), AsBytes(pkg.html)));
  VIGIL_RETURN_IF_ERROR(env->WriteFileAtomic(JoinPath(o.out, "premarket.json"), AsBytes(pkg.json)));
  for (const auto& [name, text] : pkg.csv) {
    VIGIL_RETURN_IF_ERROR(env->WriteFileAtomic(JoinPath(o.out, name), AsBytes(text)));
  }
  return OkStatus();
}

Status Premarket(const Options& o) {
  VIGIL_ASSIGN_OR_RETURN(AnalysedModel m, LoadAndAnalyse(o.model, o.sources));
  report::PackageInput in;
  in.model = &m.model;
  in.analysis = &m.analysis;
  in.policy = &m.policy;

  std::vector<std::string> fw_files = o.frameworks;
  if (fw_files.empty()) {
    VIGIL_ASSIGN_OR_RETURN(fw_files, DefaultFrameworks());
  }
  for (const std::string& f : fw_files) {
    VIGIL_ASSIGN_OR_RETURN(Bytes text, ReadInput(f));
    VIGIL_ASSIGN_OR_RETURN(report::Framework fw, report::ParseFramework(AsStringView(text), f));
    in.frameworks.push_back(std::move(fw));
  }

  report::Evidence evidence;
  for (const std::string& f : o.evidence) {
    VIGIL_ASSIGN_OR_RETURN(Bytes text, ReadInput(f));
    VIGIL_RETURN_IF_ERROR(report::ReadJunit(AsStringView(text), f, evidence));
  }
  in.evidence = &evidence;

  VIGIL_ASSIGN_OR_RETURN(Bytes sbom_text, ReadInputLimited(o.sbom, kMaxSbomBytes, "an SBOM"));
  VIGIL_ASSIGN_OR_RETURN(sbom::Sbom sbom, sbom::ReadSbom(AsStringView(sbom_text), o.sbom));
  in.sbom = &sbom;
  in.sbom_file = o.sbom;
  for (const std::string& f : o.vex) {
    VIGIL_ASSIGN_OR_RETURN(Bytes text, ReadInputLimited(f, kMaxSbomBytes, "a VEX document"));
    VIGIL_ASSIGN_OR_RETURN(vuln::VexDocument doc, vuln::ReadVex(AsStringView(text), f));
    in.vex.push_back(std::move(doc));
  }
  if (!o.register_path.empty()) VIGIL_RETURN_IF_ERROR(ReadRegister(o.register_path, in));

  VIGIL_RETURN_IF_ERROR(Env::Default()->CreateDir(o.out));
  VIGIL_ASSIGN_OR_RETURN(in.views,
                         report::RenderViews(*Env::Default(), m.model, m.analysis, JoinPath(o.out, "views")));
  in.generated = NowRfc3339();
  VIGIL_ASSIGN_OR_RETURN(report::Package pkg, report::BuildPackage(in));
  VIGIL_RETURN_IF_ERROR(WritePackage(o, pkg));

  size_t verified = 0;
  for (const report::ControlStatus& c : pkg.coverage.controls) verified += c.verified;
  std::printf("%s: %zu findings, %zu of %zu controls verified by %zu tests\n",
              JoinPath(o.out, "premarket.html").c_str(), m.analysis.findings.size(), verified,
              pkg.coverage.controls.size(), evidence.tests.size());
  for (const report::FrameworkCoverage& f : pkg.coverage.frameworks) {
    std::printf("  %s: %zu covered, %zu open, %zu n/a\n", f.id.c_str(), f.covered, f.open,
                f.not_applicable);
  }
  std::printf("  unanswered labeling items and questions: %zu\n", pkg.unanswered.size());
  return OkStatus();
}

void Setup(CLI::App& app) {
  auto* report =
      app.add_subcommand("report", "Regulatory packages generated from the model and evidence");
  report->require_subcommand(1);
  auto opts = std::make_shared<Options>();
  auto* cmd = report->add_subcommand(
      "premarket",
      "Write the premarket cybersecurity package (HTML, JSON, CSV) from a threat model, an SBOM "
      "and ctest JUnit evidence");
  cmd->add_option("model", opts->model, "Threat model (YAML)")->required();
  AddThreatSourceOptions(cmd, opts->sources);
  cmd->add_option("--sbom", opts->sbom, "The device's SBOM (CycloneDX or SPDX JSON)")->required();
  cmd->add_option("--vex", opts->vex, "VEX documents (CycloneDX, OpenVEX, CSAF)");
  cmd->add_option("--register", opts->register_path, "Triage register (vigil triage) to report");
  cmd->add_option("--evidence", opts->evidence, "ctest --output-junit files")->required();
  cmd->add_option("--framework", opts->frameworks,
                  "Framework files (default: every file of share/vigil/frameworks/)");
  cmd->add_option("--out", opts->out, "Output directory")->capture_default_str();
  cmd->callback([opts] {
    Status s = Premarket(*opts);
    SetExitCode(s ? kExitOk : ReportError("report premarket", s.error()));
  });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
