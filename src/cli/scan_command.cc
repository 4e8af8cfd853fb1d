// `vigil scan SBOM [--db PATH] [--vex F]... [--format F] [--fail-on SEVERITY] [--output F]`:
// matches an SBOM against the advisory database, applies VEX statements and reports the
// findings as a table, JSON, CycloneDX VEX, OpenVEX, CSAF VEX or SARIF.
//
// Exit codes: 1 when a finding at or above --fail-on remains (not suppressed by VEX; findings
// of unknown severity count as meeting any threshold: an unscored vulnerability is not a
// harmless one), 2 on usage or input errors, 0 otherwise.
#include <cstdio>
#include <ctime>
#include <memory>

#include "cli/cli_io.h"
#include "cli/command.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/crypto/hash.h"
#include "vigil/sbom/sbom_reader.h"
#include "vigil/vuln/advisory_db.h"
#include "vigil/vuln/matcher.h"
#include "vigil/vuln/scan_report.h"
#include "vigil/vuln/vex.h"

namespace vigil::cli {
namespace {

struct ScanOptions {
  std::string sbom;
  std::string db;
  std::vector<std::string> vex;
  std::string format = "table";
  std::string fail_on;
  std::string output;
  bool force = false;
};

std::string NowRfc3339() {
  const std::time_t t = static_cast<std::time_t>(Env::Default()->NowUnixMicros() / 1000000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A UUID (RFC 9562 version 8, "custom") derived from the findings, so the same scan result
// gets the same document id.
std::string ContentUuid(std::string_view content) {
  crypto::Sha256Digest d = crypto::Sha256(AsBytes(content));
  d[6] = static_cast<uint8_t>((d[6] & 0x0f) | 0x80);
  d[8] = static_cast<uint8_t>((d[8] & 0x3f) | 0x80);
  std::string h = HexEncode(ByteView(d.data(), 16));
  return "urn:uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20);
}

Result<std::vector<vuln::VexDocument>> LoadVex(const std::vector<std::string>& files) {
  std::vector<vuln::VexDocument> docs;
  for (const std::string& f : files) {
    VIGIL_ASSIGN_OR_RETURN(Bytes data, ReadInput(f));
    VIGIL_ASSIGN_OR_RETURN(vuln::VexDocument doc, vuln::ReadVex(AsStringView(data), f));
    docs.push_back(std::move(doc));
  }
  return docs;
}

Result<std::vector<vuln::Finding>> Match(const ScanOptions& o, const sbom::Sbom& doc) {
  std::string path = o.db;
  if (path.empty()) {
    VIGIL_ASSIGN_OR_RETURN(path, vuln::AdvisoryDb::DefaultPath());
  }
  auto db = vuln::AdvisoryDb::Open(path, /*create=*/false);
  if (!db) {
    return db.error().code() == ErrorCode::kNotFound
               ? NotFoundError(path + ": no advisory database (build one with vigil vulndb import)")
               : db.error();
  }
  return vuln::MatchSbom(doc, *db);
}

std::string Render(const ScanOptions& o, std::span<const vuln::Finding> findings,
                   vuln::ReportContext& ctx) {
  ctx.document_id = ContentUuid(vuln::WriteFindingsJson(findings, ctx));
  if (o.format == "json") return vuln::WriteFindingsJson(findings, ctx);
  if (o.format == "cyclonedx") return vuln::WriteCycloneDxVex(findings, ctx);
  if (o.format == "openvex") return vuln::WriteOpenVex(findings, ctx);
  if (o.format == "csaf") return vuln::WriteCsafVex(findings, ctx);
  if (o.format == "sarif") return vuln::WriteSarif(findings, ctx);
  return vuln::WriteFindingsTable(findings, ctx);
}

// Findings that make the scan fail: at or above the threshold and not suppressed by VEX.
size_t Failing(std::span<const vuln::Finding> findings, vuln::Severity threshold) {
  size_t n = 0;
  for (const vuln::Finding& f : findings) {
    const bool meets = f.severity == vuln::Severity::kUnknown || f.severity >= threshold;
    if (meets && !vuln::IsSuppressed(f)) ++n;
  }
  return n;
}

int Run(const ScanOptions& o) {
  std::optional<vuln::Severity> threshold;
  if (!o.fail_on.empty()) {
    threshold = vuln::ParseSeverity(o.fail_on);
    if (!threshold || *threshold == vuln::Severity::kUnknown) {
      return ReportError("scan", InvalidArgumentError("--fail-on: expected critical, high, "
                                                      "medium, low or none, got '" +
                                                      o.fail_on + "'"));
    }
  }
  auto data = ReadInput(o.sbom);
  if (!data) return ReportError("scan", data.error());
  auto doc = sbom::ReadSbom(AsStringView(*data), o.sbom == "-" ? "<stdin>" : o.sbom);
  if (!doc) return ReportError("scan", doc.error());
  auto vex = LoadVex(o.vex);
  if (!vex) return ReportError("scan", vex.error());
  auto findings = Match(o, *doc);
  if (!findings) return ReportError("scan", findings.error());
  const sbom::Component* product = doc->primary ? &*doc->primary : nullptr;
  vuln::VexApplication applied = vuln::ApplyVex(*vex, product, *findings);
  for (const std::string& p : applied.problems) std::fprintf(stderr, "warning: %s\n", p.c_str());
  vuln::ReportContext ctx;
  ctx.sbom_source = o.sbom;
  ctx.product = product;
  ctx.timestamp = NowRfc3339();
  ctx.tool_version = VIGIL_VERSION;
  const std::string out = Render(o, *findings, ctx);
  if (o.format == "csaf" && findings->empty()) {
    std::fprintf(stderr,
                 "warning: no findings: the CSAF VEX profile needs at least one vulnerability, "
                 "so this document does not conform to it\n");
  }
  if (o.output.empty() || o.output == "-") {
    std::fputs(out.c_str(), stdout);
  } else if (Status s = WriteOutput(o.output, AsBytes(out), o.force); !s) {
    return ReportError("scan", s.error());
  } else {
    std::printf("%s: %zu findings, %zu suppressed by VEX\n", o.output.c_str(), findings->size(),
                applied.suppressed);
  }
  if (!threshold) return kExitOk;
  const size_t failing = Failing(*findings, *threshold);
  if (failing == 0) return kExitOk;
  std::fprintf(stderr, "vigil scan: %zu findings at or above %s remain\n", failing,
               o.fail_on.c_str());
  return kExitFindings;
}

void Setup(CLI::App& app) {
  auto o = std::make_shared<ScanOptions>();
  auto* cmd = app.add_subcommand(
      "scan", "Match an SBOM against the advisory database, apply VEX, report the findings");
  cmd->add_option("sbom", o->sbom, "SBOM file: CycloneDX or SPDX JSON (- for standard input)")
      ->required();
  cmd->add_option("--db", o->db, "Advisory database (default: $XDG_DATA_HOME/vigil/vulndb.sqlite)");
  cmd->add_option("--vex", o->vex, "VEX document (CycloneDX, OpenVEX or CSAF); repeatable");
  cmd->add_option("--format", o->format, "table, json, cyclonedx, openvex, csaf or sarif")
      ->check(CLI::IsMember({"table", "json", "cyclonedx", "openvex", "csaf", "sarif"}));
  cmd->add_option("--fail-on", o->fail_on,
                  "Exit 1 when an unsuppressed finding at or above this severity remains "
                  "(critical, high, medium, low, none)");
  cmd->add_option("--output", o->output, "Output file (default: standard output)");
  cmd->add_flag("--force", o->force, "Replace an existing output file");
  cmd->callback([o] { SetExitCode(Run(*o)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
