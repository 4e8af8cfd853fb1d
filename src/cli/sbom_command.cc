// `vigil sbom validate|convert|diff`: read CycloneDX / SPDX SBOMs, report identifier problems
// and missing FDA support fields, convert to CycloneDX 1.6, compare two SBOMs.
#include <cstdio>
#include <memory>

#include "cli_io.h"
#include "command.h"
#include "vigil/sbom/cyclonedx.h"
#include "vigil/sbom/sbom_reader.h"

namespace vigil::cli {
namespace {

Result<sbom::Sbom> Load(const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(Bytes data, ReadInput(path));
  return sbom::ReadSbom(AsStringView(data), path == "-" ? "<stdin>" : path);
}

struct ValidateOptions {
  std::string file;
  bool strict = false;
  bool quiet = false;
};

int RunValidate(const ValidateOptions& o) {
  auto doc = Load(o.file);
  if (!doc) return ReportError("sbom validate", doc.error());
  auto gaps = sbom::MissingSupportFields(*doc);
  if (!o.quiet) {
    for (const auto& d : doc->diagnostics)
      std::printf("warning: %s: %s\n", d.path.c_str(), d.message.c_str());
    for (const auto& g : gaps) std::printf("fda: %s: %s\n", g.path.c_str(), g.message.c_str());
  }
  std::printf(
      "%s: %.*s %s, %zu components, %zu dependency entries, %zu identifier problems, "
      "%zu missing FDA support fields\n",
      o.file.c_str(), static_cast<int>(sbom::SourceFormatName(doc->format).size()),
      sbom::SourceFormatName(doc->format).data(), doc->spec_version.c_str(), doc->components.size(),
      doc->dependencies.size(), doc->diagnostics.size(), gaps.size());
  return o.strict && (!gaps.empty() || !doc->diagnostics.empty()) ? kExitFindings : kExitOk;
}

struct ConvertOptions {
  std::string file, out;
  bool force = false;
};

int RunConvert(const ConvertOptions& o) {
  auto doc = Load(o.file);
  if (!doc) return ReportError("sbom convert", doc.error());
  std::string json = sbom::WriteCycloneDxJson(*doc) + "\n";
  if (o.out.empty() || o.out == "-") {
    std::fputs(json.c_str(), stdout);
    return kExitOk;
  }
  if (Status s = WriteOutput(o.out, AsBytes(json), o.force); !s) {
    return ReportError("sbom convert", s.error());
  }
  return kExitOk;
}

void PrintComponent(char mark, const sbom::Component& c) {
  std::printf("%c %s%s%s%s\n", mark, c.name.c_str(), c.version.empty() ? "" : "@",
              c.version.c_str(), c.purl ? ("  " + c.purl->ToString()).c_str() : "");
}

int RunDiff(const std::string& a, const std::string& b) {
  auto before = Load(a);
  if (!before) return ReportError("sbom diff", before.error());
  auto after = Load(b);
  if (!after) return ReportError("sbom diff", after.error());
  sbom::SbomDiff diff = sbom::DiffSboms(*before, *after);
  for (const auto* c : diff.removed) PrintComponent('-', *c);
  for (const auto* c : diff.added) PrintComponent('+', *c);
  for (const auto& [old_c, new_c] : diff.changed) {
    std::printf("~ %s %s -> %s\n", new_c->name.c_str(), old_c->version.c_str(),
                new_c->version.c_str());
  }
  std::printf("%zu added, %zu removed, %zu changed\n", diff.added.size(), diff.removed.size(),
              diff.changed.size());
  return diff.empty() ? kExitOk : kExitFindings;
}

void Setup(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("sbom", "Read, check, convert and compare SBOMs (CycloneDX, SPDX)");
  cmd->require_subcommand(1);
  auto v = std::make_shared<ValidateOptions>();
  auto* validate = cmd->add_subcommand(
      "validate", "Read an SBOM; list identifier problems and missing FDA support fields");
  validate->add_option("file", v->file, "SBOM file (- for standard input)")->required();
  validate->add_flag("--strict", v->strict, "Exit 1 when identifier problems or FDA gaps exist");
  validate->add_flag("--quiet", v->quiet, "Print the summary line only");
  validate->callback([v] { SetExitCode(RunValidate(*v)); });
  auto c = std::make_shared<ConvertOptions>();
  auto* convert = cmd->add_subcommand("convert", "Write an SBOM as CycloneDX 1.6 JSON");
  convert->add_option("file", c->file, "SBOM file (- for standard input)")->required();
  AddOutOption(convert, c->out, "Output file (default: standard output)");
  convert->add_flag("--force", c->force, "Replace an existing file");
  convert->callback([c] { SetExitCode(RunConvert(*c)); });
  auto files = std::make_shared<std::vector<std::string>>();
  auto* diff = cmd->add_subcommand("diff", "Components added, removed or changed (exit 1 if any)");
  diff->add_option("files", *files, "BEFORE AFTER")->required()->expected(2);
  diff->callback([files] { SetExitCode(RunDiff((*files)[0], (*files)[1])); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
