// `vigil scan SBOM [--db PATH] [--vex F]... [--format F] [--fail-on SEVERITY] [--output F]`:
// matches an SBOM against the advisory database, applies VEX statements and reports the
// findings as a table, JSON, CycloneDX VEX, OpenVEX, CSAF VEX or SARIF.
//
// Exit codes: 1 when a finding at or above --fail-on remains (not suppressed by VEX; findings
// of unknown severity fail any threshold too: an unscored vulnerability is not a harmless one,
// and the message counts them apart), 2 on usage or input errors, 0 otherwise.
//
// Input limits: the SBOM and each VEX document are parsed whole, so each is read only up to a
// bound and refused in one line beyond it (a 200 MB JSON file would otherwise cost 4x its size
// in memory): kMaxSbomBytes (256 MiB) leaves room for the largest SBOMs seen (the 300,000-
// component benchmark SBOM is 88 MiB); kMaxVexBytes (64 MiB) for a VEX document, which states
// decisions, not inventories.
//
// With --register R the findings are filed into the triage register (vigil/triage/register.h):
// new ones opened, decisions carried to this release or re-opened; a finding no VEX statement
// decided carries the register's decision as its VEX status in every format, and the table and
// JSON add each finding's triage status, risk decision and next deadline.
//
// Records that name a component but give no versions (NVD's backlog, a CVE 5 record without
// usable versions) are listed as unassessed, apart from the findings; they never fail the scan.
//
// The table and JSON on standard output are written component by component as findings are
// found (memory stays bounded for SBOMs of hundreds of thousands of components); a database
// failure midway leaves a truncated report and exit code 2.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli_io.h"
#include "command.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/sbom/sbom_reader.h"
#include "vigil/triage/register.h"
#include "vigil/triage/views.h"
#include "vigil/vuln/advisory_db.h"
#include "vigil/vuln/matcher.h"
#include "vigil/vuln/scan_report.h"
#include "vigil/vuln/vex.h"

namespace vigil::cli {
namespace {

constexpr uint64_t kMaxSbomBytes = uint64_t{256} << 20;
constexpr uint64_t kMaxVexBytes = uint64_t{64} << 20;

struct ScanOptions {
  std::string sbom;
  std::string db;
  std::vector<std::string> vex;
  std::string format = "table";
  std::string fail_on;
  std::string score_source = "nvd";
  std::string output;
  bool force = false;
  std::string publisher;            // OpenVEX author, CSAF publisher.name
  std::string publisher_namespace;  // CSAF publisher.namespace
  std::string register_path;        // --register: file the findings into this triage register
  std::string product, release;     // the register's product and release (default: the SBOM's)
};

// The scan filed into the triage register: which product and release, what filing did, and each
// finding's record (same order as the findings).
struct Filed {
  std::string product, release;
  triage::ObserveSummary summary;
  std::vector<std::optional<triage::Record>> records;
};

// CSAF needs its publisher (see CheckPublisher in cli_io.h).
Status CheckPublisher(const ScanOptions& o) {
  if (o.format != "csaf") return OkStatus();
  return CheckCsafPublisher(o.publisher, o.publisher_namespace);
}

Result<std::vector<vuln::VexDocument>> LoadVex(const std::vector<std::string>& files) {
  std::vector<vuln::VexDocument> docs;
  for (const std::string& f : files) {
    VIGIL_ASSIGN_OR_RETURN(Bytes data, ReadInputLimited(f, kMaxVexBytes, "a VEX document"));
    VIGIL_ASSIGN_OR_RETURN(vuln::VexDocument doc, vuln::ReadVex(AsStringView(data), f));
    docs.push_back(std::move(doc));
  }
  return docs;
}

// Read-only: a scan never changes the database. One without advisories is refused: matching
// against it would report every SBOM clean.
Result<vuln::AdvisoryDb> OpenDb(const ScanOptions& o, vuln::DbContents& contents) {
  std::string path = o.db;
  if (path.empty()) {
    VIGIL_ASSIGN_OR_RETURN(path, vuln::AdvisoryDb::DefaultPath());
  }
  VIGIL_ASSIGN_OR_RETURN(vuln::AdvisoryDb db,
                         vuln::AdvisoryDb::Open(path, vuln::OpenMode::kReadOnly));
  VIGIL_ASSIGN_OR_RETURN(contents, db.Contents());
  if (!contents.has_advisories) {
    return FailedPreconditionError(path +
                                   ": the advisory database holds no advisories, so nothing "
                                   "could match; import feeds with `vigil vulndb import --db " +
                                   path + " FEED...`");
  }
  return db;
}

std::string Render(const ScanOptions& o, std::span<const vuln::Finding> findings,
                   vuln::ReportContext& ctx) {
  if (o.format == "json") return vuln::WriteFindingsJson(findings, ctx);
  if (o.format == "table") return vuln::WriteFindingsTable(findings, ctx);
  if (o.format == "sarif") return vuln::WriteSarif(findings, ctx);
  // Only the VEX documents carry an id; rendering the findings once more to derive it is
  // paid only here.
  ctx.document_id = ContentUuid(vuln::WriteFindingsJson(findings, ctx));
  if (o.format == "cyclonedx") return vuln::WriteCycloneDxVex(findings, ctx);
  if (o.format == "openvex") return vuln::WriteOpenVex(findings, ctx);
  return vuln::WriteCsafVex(findings, ctx);
}

// Findings that make the scan fail, not suppressed by VEX: those at or above the threshold, and
// apart from them those of unknown severity (which fail too: an unscored vulnerability is not
// a harmless one, but it is not "at or above critical" either).
struct Failing {
  size_t at_or_above = 0, unknown = 0;
  void Add(std::span<const vuln::Finding> findings, vuln::Severity threshold) {
    for (const vuln::Finding& f : findings) {
      // Unassessed CVEs are not findings (listed for triage); suppressed ones are decided.
      if (f.unassessed || vuln::IsSuppressed(f)) continue;
      if (f.severity == vuln::Severity::kUnknown) {
        ++unknown;
      } else if (f.severity >= threshold) {
        ++at_or_above;
      }
    }
  }
};

// Exit code for the findings that remain after VEX, with the message saying why.
int ExitFor(const ScanOptions& o, std::optional<vuln::Severity> threshold, const Failing& failing) {
  if (!threshold || failing.at_or_above + failing.unknown == 0) return kExitOk;
  std::string unknown;
  if (failing.unknown > 0) {
    unknown = "; " + std::to_string(failing.unknown) +
              " more of unknown severity, which fail --fail-on too";
  }
  std::fprintf(stderr, "vigil scan: %zu findings at or above %s remain%s\n", failing.at_or_above,
               o.fail_on.c_str(), unknown.c_str());
  return kExitFindings;
}

vuln::MatchOptions MatchOptionsFor(const ScanOptions& o) {
  vuln::MatchOptions m;
  m.score_source = o.score_source == "cna" ? vuln::ScoreSource::kCna : vuln::ScoreSource::kNvd;
  return m;
}

vuln::ReportContext ContextFor(const ScanOptions& o, const sbom::Sbom& doc,
                               const vuln::DbContents& contents) {
  vuln::ReportContext ctx;
  ctx.uncovered = vuln::UncoveredComponents(doc, contents);
  ctx.sbom_source = o.sbom;
  ctx.product = doc.primary ? &*doc.primary : nullptr;
  ctx.timestamp = NowRfc3339();
  ctx.tool_version = VIGIL_VERSION;
  if (!o.publisher.empty()) ctx.author = o.publisher;
  if (!o.publisher_namespace.empty()) ctx.publisher_namespace = o.publisher_namespace;
  return ctx;
}

void PrintProblems(const vuln::VexApplication& applied) {
  for (const std::string& p : applied.problems) std::fprintf(stderr, "warning: %s\n", p.c_str());
}

// Table or JSON to standard output: written component by component as the matcher finds them,
// so memory does not grow with the number of findings (a 300,000-component SBOM can have
// millions).
int RunStreaming(const ScanOptions& o, std::optional<vuln::Severity> threshold,
                 const sbom::Sbom& doc, const std::vector<vuln::VexDocument>& vex,
                 const vuln::AdvisoryDb& db, const vuln::DbContents& contents) {
  vuln::ReportContext ctx = ContextFor(o, doc, contents);
  vuln::FindingsStreamWriter writer(
      o.format == "json" ? vuln::FindingsStreamWriter::Format::kJson
                         : vuln::FindingsStreamWriter::Format::kTable,
      ctx, [](std::string_view s) { std::fwrite(s.data(), 1, s.size(), stdout); });
  Failing failing;
  Status s = vuln::MatchSbomStreaming(
      doc, db,
      [&](std::vector<vuln::Finding>& batch) {
        PrintProblems(vuln::ApplyVex(vex, ctx.product, batch));
        writer.Add(batch);
        if (threshold) failing.Add(batch, *threshold);
        return OkStatus();
      },
      MatchOptionsFor(o));
  if (!s) {
    std::fflush(stdout);
    return ReportError("scan", s.error());
  }
  writer.Finish();
  return ExitFor(o, threshold, failing);
}

// The register's product and release: given, else the SBOM's primary component's name and
// version; the register needs both to carry decisions from one release to the next.
Result<std::pair<std::string, std::string>> ProductAndRelease(const ScanOptions& o,
                                                              const sbom::Sbom& doc) {
  std::string product = o.product, release = o.release;
  if (product.empty() && doc.primary) product = doc.primary->name;
  if (release.empty() && doc.primary) release = doc.primary->version;
  if (product.empty() || release.empty()) {
    return InvalidArgumentError(
        "--register: the SBOM's primary component gives no " +
        std::string(product.empty() ? "name" : "version") +
        "; name the product and release with --product NAME --release VERSION");
  }
  return std::make_pair(product, release);
}

// Files the findings into the register (opened records, carried or re-opened decisions), then
// gives every finding no VEX statement decided the register's decision.
Result<Filed> FileIntoRegister(const ScanOptions& o, const sbom::Sbom& doc,
                               std::vector<vuln::Finding>& findings) {
  Filed filed;
  VIGIL_ASSIGN_OR_RETURN(auto pr, ProductAndRelease(o, doc));
  filed.product = pr.first;
  filed.release = pr.second;
  triage::RegisterOptions ro;
  ro.path = o.register_path;
  ro.create = true;
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, triage::Register::Open(ro, *Env::Default()));
  VIGIL_ASSIGN_OR_RETURN(filed.summary, reg.Observe(filed.product, filed.release, findings));
  VIGIL_ASSIGN_OR_RETURN(filed.records,
                         triage::ApplyDecisions(reg, filed.product, o.register_path, findings));
  return filed;
}

std::string FiledLine(const ScanOptions& o, const Filed& f) {
  const triage::ObserveSummary& s = f.summary;
  return "register " + o.register_path + ": " + f.product + " " + f.release + ": " +
         std::to_string(s.opened) + " opened, " + std::to_string(s.carried) + " carried, " +
         std::to_string(s.reopened) + " re-opened, " + std::to_string(s.unchanged) +
         " unchanged, " + std::to_string(s.not_found) + " not found (marked fixed)";
}

// The table with a triage section (status, risk decision, deadline per finding); the JSON with
// a "triage" member; the VEX and SARIF documents carry the register's decisions as VEX.
std::string RenderWithRegister(const ScanOptions& o, std::span<const vuln::Finding> findings,
                               vuln::ReportContext& ctx, const Filed& filed) {
  std::vector<triage::Record> records;
  for (const auto& r : filed.records) {
    if (r) records.push_back(*r);
  }
  if (o.format == "table") {
    return Render(o, findings, ctx) + "\n" + FiledLine(o, filed) + "\n" +
           triage::WriteRecordsTable(records);
  }
  if (o.format != "json") return Render(o, findings, ctx);
  auto doc = json::Parse(Render(o, findings, ctx), "scan JSON");
  if (!doc) return Render(o, findings, ctx);  // our own writer's JSON always parses
  json::Value list = json::Value::MakeArray();
  for (const triage::Record& r : records) list.Push(triage::RecordJson(r));
  doc->Set("triage", json::Value::MakeObject({{"register", o.register_path},
                                              {"product", filed.product},
                                              {"release", filed.release},
                                              {"filed", FiledLine(o, filed)},
                                              {"records", std::move(list)}}));
  return json::Write(*doc, 2) + "\n";
}

// The VEX and SARIF documents (and any output file): the whole findings list, then the
// document.
int RunWhole(const ScanOptions& o, std::optional<vuln::Severity> threshold, const sbom::Sbom& doc,
             const std::vector<vuln::VexDocument>& vex, const vuln::AdvisoryDb& db,
             const vuln::DbContents& contents) {
  auto findings = vuln::MatchSbom(doc, db, MatchOptionsFor(o));
  if (!findings) return ReportError("scan", findings.error());
  vuln::ReportContext ctx = ContextFor(o, doc, contents);
  if (!ctx.uncovered.empty()) {
    // The document may have no place for them (OpenVEX) or go to a file: say it here too.
    std::fprintf(stderr,
                 "warning: %zu component(s) not covered: nothing in the advisory database "
                 "could match them (e.g. %s)\n",
                 ctx.uncovered.size(), vuln::UncoveredLine(ctx.uncovered.front()).c_str());
  }
  vuln::VexApplication applied = vuln::ApplyVex(vex, ctx.product, *findings);
  PrintProblems(applied);
  std::optional<Filed> filed;
  if (!o.register_path.empty()) {
    auto f = FileIntoRegister(o, doc, *findings);
    if (!f) return ReportError("scan", f.error());
    filed = std::move(*f);
  }
  const std::string out = filed ? RenderWithRegister(o, *findings, ctx, *filed)
                                : Render(o, *findings, ctx);
  if (filed && o.format != "table" && o.format != "json") {
    std::fprintf(stderr, "%s\n", FiledLine(o, *filed).c_str());
  }
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
    const size_t unassessed = static_cast<size_t>(std::count_if(
        findings->begin(), findings->end(), [](const vuln::Finding& f) { return f.unassessed; }));
    std::printf("%s: %zu findings, %zu suppressed by VEX, %zu unassessed\n", o.output.c_str(),
                findings->size() - unassessed, applied.suppressed, unassessed);
  }
  Failing failing;
  if (threshold) failing.Add(*findings, *threshold);
  return ExitFor(o, threshold, failing);
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
  if (Status s = CheckPublisher(o); !s) return ReportError("scan", s.error());
  auto doc = [&]() -> Result<sbom::Sbom> {
    // The file's bytes are dropped once read into the model.
    VIGIL_ASSIGN_OR_RETURN(Bytes data, ReadInputLimited(o.sbom, kMaxSbomBytes, "an SBOM"));
    return sbom::ReadSbom(AsStringView(data), o.sbom == "-" ? "<stdin>" : o.sbom);
  }();
  if (!doc) return ReportError("scan", doc.error());
  if (!o.register_path.empty()) {
    // Before the (long) matching: the register needs the product and release.
    if (auto pr = ProductAndRelease(o, *doc); !pr) return ReportError("scan", pr.error());
  }
  auto vex = LoadVex(o.vex);
  if (!vex) return ReportError("scan", vex.error());
  vuln::DbContents contents;
  auto db = OpenDb(o, contents);
  if (!db) return ReportError("scan", db.error());
  const bool to_stdout = o.output.empty() || o.output == "-";
  if (to_stdout && (o.format == "json" || o.format == "table") && o.register_path.empty()) {
    return RunStreaming(o, threshold, *doc, *vex, *db, contents);
  }
  return RunWhole(o, threshold, *doc, *vex, *db, contents);
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
  cmd->add_option("--score-source", o->score_source,
                  "Whose CVSS score decides the severity: nvd (NVD's Primary, then the CNA's; "
                  "the default) or cna (the CNA's, then NVD's); newest CVSS version within one")
      ->check(CLI::IsMember({"nvd", "cna"}));
  cmd->add_option("--output", o->output, "Output file (default: standard output)");
  cmd->add_flag("--force", o->force, "Replace an existing output file");
  cmd->add_option("--publisher", o->publisher,
                  "Who issues the VEX (OpenVEX author, CSAF publisher name; required for csaf)");
  cmd->add_option("--publisher-namespace", o->publisher_namespace,
                  "URL of the publisher (CSAF publisher namespace; required for csaf)");
  cmd->add_option("--register", o->register_path,
                  "Triage register (created when missing): file the findings in it (decisions "
                  "carry to this release when the component version is unchanged, re-open "
                  "when it changed) and report each finding's triage status and risk decision");
  cmd->add_option("--product", o->product,
                  "Product name in the register (default: the SBOM's primary component name)");
  cmd->add_option("--release", o->release,
                  "Release in the register (default: the SBOM's primary component version)");
  cmd->callback([o] { SetExitCode(Run(*o)); });
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
