// `vigil sbom validate|convert|diff`: read CycloneDX / SPDX SBOMs, report identifier problems
// and missing FDA support fields, convert to CycloneDX 1.6, compare two SBOMs.
//
// validate keeps three verdicts apart: an SBOM the format's schema refuses (a licence id not on
// the SPDX list included) is an input error (exit 2) whatever the flags; identifier problems
// (a purl or CPE that does not parse: schema-valid, but useless for matching) fail it with
// --strict; missing FDA support fields (level and end of support) fail it with --fda.
#include <cstdio>
#include <memory>
#include <optional>
#include <set>

#include "cli_io.h"
#include "command.h"
#include "spdx_license_list.h"
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
  std::string spdx_licenses;  // CycloneDX's spdx.schema.json; default: the built-in list
  bool strict = false;
  bool fda = false;
  bool quiet = false;
};

// The SPDX licence ids to accept: the given schema file, else the built-in list; nullopt when
// neither exists (ids are then checked for their syntax only).
Result<std::optional<std::set<std::string, std::less<>>>> LicenseIds(const ValidateOptions& o) {
  if (o.spdx_licenses.empty() && BuiltInSpdxLicenseSchema().empty()) return std::nullopt;
  std::string_view schema = BuiltInSpdxLicenseSchema();
  Bytes data;
  if (!o.spdx_licenses.empty()) {
    VIGIL_ASSIGN_OR_RETURN(data,
                           ReadInputLimited(o.spdx_licenses, 16 << 20, "an SPDX licence list"));
    schema = AsStringView(data);
  }
  auto ids = sbom::LoadSpdxLicenseIds(schema);
  if (!ids) {
    return InvalidArgumentError("--spdx-licenses " + o.spdx_licenses + ": " +
                                ids.error().message());
  }
  return std::optional(std::move(*ids));
}

int RunValidate(const ValidateOptions& o) {
  auto ids = LicenseIds(o);
  if (!ids) return ReportError("sbom validate", ids.error());
  sbom::CycloneDxReadOptions read;
  if (*ids) read.spdx_license_ids = &**ids;
  auto data = ReadInput(o.file);
  if (!data) return ReportError("sbom validate", data.error());
  auto doc = sbom::ReadSbom(AsStringView(*data), o.file == "-" ? "<stdin>" : o.file, read);
  if (!doc) return ReportError("sbom validate", doc.error());
  auto gaps = sbom::MissingSupportFields(*doc);
  if (!o.quiet) {
    for (const auto& d : doc->diagnostics)
      std::printf("warning: %s: %s\n", d.path.c_str(), d.message.c_str());
    for (const auto& g : gaps) std::printf("fda: %s: %s\n", g.path.c_str(), g.message.c_str());
  }
  std::printf(
      "%s: %.*s %s, %zu components, %zu dependency entries, %zu identifier problems, "
      "%zu missing FDA support fields%s\n",
      o.file.c_str(), static_cast<int>(sbom::SourceFormatName(doc->format).size()),
      sbom::SourceFormatName(doc->format).data(), doc->spec_version.c_str(), doc->components.size(),
      doc->dependencies.size(), doc->diagnostics.size(), gaps.size(),
      *ids ? "" : " (licence ids checked for their syntax only: no SPDX licence list)");
  const bool failed = (o.strict && !doc->diagnostics.empty()) || (o.fda && !gaps.empty());
  return failed ? kExitFindings : kExitOk;
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
  validate->add_flag("--strict", v->strict,
                     "Exit 1 when identifier problems exist (a purl or CPE that does not parse)");
  validate->add_flag("--fda", v->fda,
                     "Exit 1 when FDA support fields (level, end of support) are missing");
  validate->add_option("--spdx-licenses", v->spdx_licenses,
                       "SPDX licence list to check ids against (CycloneDX's spdx.schema.json; "
                       "default: the list built in)");
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
