// `vigil scan SBOM [--db PATH] [--vex F]... [--format F] [--fail-on SEVERITY] [--out F]`:
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
// component benchmark SBOM is 88 MiB); vuln::kMaxVexBytes (64 MiB) for a VEX document, which states
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
#include <filesystem>
#include <functional>
#include <map>
#include <memory>

#if defined(__GLIBC__)  // set by the headers above
#include <malloc.h>
#endif

#include "cli_io.h"
#include "command.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/core/serial_worker.h"
#include "vigil/sbom/component_positions.h"
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
  std::string tlp = "AMBER";        // CSAF distribution (see ReportContext::tlp)
  std::string register_path;        // --register: file the findings into this triage register
  std::string product, release;     // the register's product and release (default: the SBOM's)
};

// CSAF needs its publisher (see CheckPublisher in cli_io.h) and a TLP label.
Status CheckPublisher(const ScanOptions& o) {
  if (o.format != "csaf") return OkStatus();
  if (auto tlp = ParseTlpOption(o.tlp); !tlp) return tlp.error();
  return CheckCsafPublisher(o.publisher, o.publisher_namespace);
}

Result<std::vector<vuln::VexDocument>> LoadVex(const std::vector<std::string>& files) {
  std::vector<vuln::VexDocument> docs;
  for (const std::string& f : files) {
    VIGIL_ASSIGN_OR_RETURN(Bytes data, ReadInputLimited(f, vuln::kMaxVexBytes, "a VEX document"));
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
                         vuln::AdvisoryDb::Open(*vigil::Env::Default(), path, vuln::OpenMode::kReadOnly));
  VIGIL_ASSIGN_OR_RETURN(contents, db.Contents());
  if (!contents.has_advisories) {
    return FailedPreconditionError(path +
                                   ": the advisory database holds no advisories, so nothing "
                                   "could match; import feeds with `vigil vulndb import --db " +
                                   path + " FEED...`");
  }
  return db;
}

using RecordViews = std::vector<const triage::Record*>;  // Filing::FileViews's

// Adds each finding's register record to its JSON object (none without --register).
vuln::FindingsStreamWriter::ExtraMembers TriageMembers(const RecordViews& records,
                                                       triage::TriageMemberWriter& writer) {
  if (records.empty()) return {};
  return [&records, &writer](size_t i, JsonWriter& w) {
    if (i < records.size() && records[i] != nullptr) writer.Write(*records[i], w);
  };
}

// The SARIF and VEX documents (the table and JSON reports stream: RunStreaming).
std::string Render(const ScanOptions& o, std::span<const vuln::Finding> findings,
                   vuln::ReportContext& ctx) {
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

// SARIF locates the SBOM by a relative URI: relative to the working directory when the SBOM
// lies under it (code-scanning services resolve paths against the checkout the scan ran in),
// else to the SBOM's own directory. Standard input has no location.
void SetSbomLocation(const std::string& sbom, vuln::ReportContext& ctx) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (sbom == "-" || ec) return;
  const fs::path abs = (cwd / sbom).lexically_normal();
  fs::path rel = abs.lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..") {
    ctx.sbom_base = abs.parent_path().string();
    rel = abs.filename();
  } else {
    ctx.sbom_base = cwd.string();
  }
  ctx.sbom_path = rel.string();
}

vuln::ReportContext ContextFor(const ScanOptions& o, const sbom::Sbom& doc,
                               const vuln::DbContents& contents,
                               std::map<std::string, sbom::TextSpan> positions = {}) {
  vuln::ReportContext ctx;
  ctx.uncovered = vuln::UncoveredComponents(doc, contents);
  ctx.sbom_source = o.sbom;
  SetSbomLocation(o.sbom, ctx);
  ctx.sbom_positions = std::move(positions);
  ctx.product = doc.primary ? &*doc.primary : nullptr;
  ctx.timestamp = NowRfc3339();
  ctx.tool_version = VIGIL_VERSION;
  ctx.tool_documentation = InstalledDocumentation();
  if (!o.publisher.empty()) ctx.author = o.publisher;
  if (!o.publisher_namespace.empty()) ctx.publisher_namespace = o.publisher_namespace;
  ctx.tlp = ParseTlpOption(o.tlp).value_or(ctx.tlp);  // checked by CheckPublisher
  return ctx;
}

void PrintProblems(const vuln::VexApplication& applied) {
  for (const std::string& p : applied.problems) std::fprintf(stderr, "warning: %s\n", p.c_str());
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

// Files the scan into the register as its findings stream in: each batch is filed, its findings
// get the register's decisions (unless a VEX statement decided them), and its records are
// rendered for the triage part of the report, which Finish returns once the filing committed.
class RegisterFiler {
 public:
  static Result<std::unique_ptr<RegisterFiler>> Open(const ScanOptions& o, const sbom::Sbom& doc) {
    VIGIL_ASSIGN_OR_RETURN(auto pr, ProductAndRelease(o, doc));
    triage::RegisterOptions ro;
    ro.path = o.register_path;
    ro.create = true;
    VIGIL_ASSIGN_OR_RETURN(triage::Register reg, triage::Register::Open(ro, *Env::Default()));
    auto f = std::unique_ptr<RegisterFiler>(new RegisterFiler(o, std::move(reg)));
    f->product_ = pr.first;
    f->release_ = pr.second;
    return f;
  }

  // Called from the filing thread (after Begin, or it begins the filing). Returns the batch's
  // records (one per finding, nullptr for an unassessed one), the filing's own: valid until the
  // next batch is filed, so the report writes each record inside its finding
  // (triage::TriageMemberWriter) before that; the table's rows are kept for Finish.
  Result<RecordViews> FileViews(std::vector<vuln::Finding>& batch) {
    VIGIL_RETURN_IF_ERROR(Begin());
    VIGIL_ASSIGN_OR_RETURN(RecordViews records, filing_->FileViews(batch));
    triage::ApplyRecords(batch, records, o_.register_path);
    if (o_.format == "table") {
      for (const triage::Record* r : records) {
        if (r != nullptr) rows_ += triage::RecordsTableRow(*r);
      }
    }
    return records;
  }

  // Starts the filing (reads what it needs of the register) unless it started.
  Status Begin() {
    if (filing_) return OkStatus();
    VIGIL_ASSIGN_OR_RETURN(filing_, reg_.BeginFiling(product_, release_));
    return OkStatus();
  }

  // Commits the filing; the triage part of the report (table text or a JSON member).
  Result<std::string> Finish() {
    VIGIL_RETURN_IF_ERROR(Begin());
    VIGIL_ASSIGN_OR_RETURN(triage::ObserveSummary s, filing_->Commit());
    filing_->LeaveRecordsToExit();  // the scan ends with its report
    const std::string line = "register " + o_.register_path + ": " + product_ + " " + release_ +
                             ": " + std::to_string(s.opened) + " opened, " +
                             std::to_string(s.carried) + " carried, " + std::to_string(s.reopened) +
                             " re-opened, " + std::to_string(s.unchanged) + " unchanged, " +
                             std::to_string(s.not_found) + " not found (marked fixed)";
    if (o_.format == "table") return "\n" + line + "\n" + triage::RecordsTableHeader() + rows_;
    if (o_.format != "json") return line;
    json::Value head = json::Value::MakeObject({{"register", o_.register_path},
                                                {"product", product_},
                                                {"release", release_},
                                                {"filed", line}});
    return "\"triage\": " + json::Write(head);
  }

 private:
  RegisterFiler(const ScanOptions& o, triage::Register reg) : o_(o), reg_(std::move(reg)) {}
  const ScanOptions& o_;
  triage::Register reg_;
  std::unique_ptr<triage::Filing> filing_;
  std::string product_, release_, rows_;
};

// Runs `stage` on the batches pushed to it, on a thread of its own (a SerialWorker), in the
// order pushed, after `start` (run first on that thread: the register's filing reads the
// product's records there while the matcher starts). Batches (a component's findings each) are
// handed over in groups of at least kGroupFindings findings, so the threads wake once a group,
// not once a component (a wake-up per component was 20k context switches a scan); at most kDepth
// groups wait, which bounds memory and lets the matcher run ahead meanwhile. A failure of
// `start` or the stage is returned by the next Push that hands a group and by Close, and the
// batches after it are dropped.
class BatchPipe {
 public:
  using Start = std::function<Status()>;
  using Stage = std::function<Status(std::vector<vuln::Finding>&)>;
  BatchPipe(Start start, Stage stage) : stage_(std::move(stage)) {
    (void)worker_.Post(std::move(start));  // the first Post: it cannot fail
  }
  ~BatchPipe() { (void)Close(); }

  Status Push(std::vector<vuln::Finding>& batch) {
    held_findings_ += batch.size();
    held_.push_back(std::move(batch));
    return held_findings_ < kGroupFindings ? OkStatus() : Hand();
  }

  // Hands what is held and waits until every batch went through the stage.
  Status Close() {
    Status handed = held_.empty() ? OkStatus() : Hand();
    Status ran = worker_.Sync();
    return handed ? ran : handed;
  }

 private:
  using Group = std::vector<std::vector<vuln::Finding>>;
  static constexpr size_t kGroupFindings = 256;
  static constexpr size_t kDepth = 32;

  Status Hand() {
    Status posted = worker_.Post([this, group = std::move(held_)]() mutable -> Status {
      for (std::vector<vuln::Finding>& batch : group) VIGIL_RETURN_IF_ERROR(stage_(batch));
      return OkStatus();
    });
    held_.clear();
    held_findings_ = 0;
    return posted;
  }

  Stage stage_;
  Group held_;  // the pushing thread's batches not yet handed over
  size_t held_findings_ = 0;
  SerialWorker worker_{kDepth};  // last: joined before the members above go
};

// The components nothing in the database could match, on stderr: the document may have no
// place for them (OpenVEX) or go to a file the user does not read at once.
void WarnUncovered(const vuln::ReportContext& ctx) {
  if (ctx.uncovered.empty()) return;
  std::fprintf(stderr,
               "warning: %zu component(s) not covered: nothing in the advisory database could "
               "match them (e.g. %s)\n",
               ctx.uncovered.size(), vuln::UncoveredLine(ctx.uncovered.front()).c_str());
}

// Table or JSON, to standard output or to the --out file: written component by component as the
// matcher finds them, so memory does not grow with the number of findings (a 300,000-component
// SBOM can have millions). A file appears complete or not at all (AtomicFile).
int RunStreaming(const ScanOptions& o, std::optional<vuln::Severity> threshold,
                 const sbom::Sbom& doc, const std::vector<vuln::VexDocument>& vex,
                 const vuln::AdvisoryDb& db, const vuln::DbContents& contents) {
  vuln::ReportContext ctx = ContextFor(o, doc, contents);
  const bool to_file = !o.output.empty() && o.output != "-";
  std::optional<AtomicFile> file;
  if (to_file) {
    auto f = CreateOutput(o.output, o.force);
    if (!f) return ReportError("scan", f.error());
    file.emplace(std::move(*f));
    WarnUncovered(ctx);
  }
  vuln::FindingsStreamWriter writer(
      o.format == "json" ? vuln::FindingsStreamWriter::Format::kJson
                         : vuln::FindingsStreamWriter::Format::kTable,
      ctx, [&](std::string_view s) {
        if (file) {
          (void)file->Append(s);  // the first error sticks; Commit reports it
        } else {
          std::fwrite(s.data(), 1, s.size(), stdout);
        }
      });
  std::unique_ptr<RegisterFiler> filer;
  if (!o.register_path.empty()) {
    auto f = RegisterFiler::Open(o, doc);
    if (!f) return ReportError("scan", f.error());
    filer = std::move(*f);
  }
  Failing failing;
  triage::TriageMemberWriter members;  // used by the thread that writes
  auto output = [&](std::vector<vuln::Finding>& batch) -> Status {
    if (filer) {
      VIGIL_ASSIGN_OR_RETURN(RecordViews records, filer->FileViews(batch));
      writer.Add(batch, TriageMembers(records, members));
    } else {
      writer.Add(batch);
    }
    if (threshold) failing.Add(batch, *threshold);
    return OkStatus();
  };
  // With a register, filing (SQLite writes) and writing run on a thread of their own beside
  // the matcher, in SBOM order.
  std::optional<BatchPipe> pipe;
  if (filer) pipe.emplace([&] { return filer->Begin(); }, output);
  Status s = vuln::MatchSbomStreaming(
      doc, db,
      [&](std::vector<vuln::Finding>& batch) -> Status {
        PrintProblems(vuln::ApplyVex(vex, ctx.product, batch));
        return pipe ? pipe->Push(batch) : output(batch);
      },
      MatchOptionsFor(o));
  if (pipe) {
    Status drained = pipe->Close();
    if (s && !drained) s = drained;
  }
  if (!s) {
    std::fflush(stdout);
    return ReportError("scan", s.error());
  }
  std::string appendix;
  if (filer) {
    auto a = filer->Finish();
    if (!a) {
      std::fflush(stdout);
      return ReportError("scan", a.error());
    }
    appendix = std::move(*a);
  }
  writer.Finish(appendix);
  if (file) {
    if (Status c = file->Commit(); !c) return ReportError("scan", c.error());
    const vuln::FindingsSummary& sum = writer.summary();
    std::printf("%s: %zu findings, %zu suppressed by VEX, %zu unassessed\n", o.output.c_str(),
                sum.total, sum.suppressed, sum.unassessed);
  }
  return ExitFor(o, threshold, failing);
}

// The VEX and SARIF documents (and any output file): the whole findings list, then the
// document.
int RunWhole(const ScanOptions& o, std::optional<vuln::Severity> threshold, const sbom::Sbom& doc,
             const std::vector<vuln::VexDocument>& vex, const vuln::AdvisoryDb& db,
             const vuln::DbContents& contents, std::map<std::string, sbom::TextSpan> positions) {
  auto findings = vuln::MatchSbom(doc, db, MatchOptionsFor(o));
  if (!findings) return ReportError("scan", findings.error());
  vuln::ReportContext ctx = ContextFor(o, doc, contents, std::move(positions));
  WarnUncovered(ctx);
  vuln::VexApplication applied = vuln::ApplyVex(vex, ctx.product, *findings);
  PrintProblems(applied);
  if (!o.register_path.empty()) {
    // The register's decisions reach the findings (ApplyRecords) before the document is written.
    auto filer = RegisterFiler::Open(o, doc);
    if (!filer) return ReportError("scan", filer.error());
    if (auto filed = (*filer)->FileViews(*findings); !filed) {
      return ReportError("scan", filed.error());
    }
    auto line = (*filer)->Finish();
    if (!line) return ReportError("scan", line.error());
    std::fprintf(stderr, "%s\n", line->c_str());
  }
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
    const size_t unassessed = static_cast<size_t>(std::count_if(
        findings->begin(), findings->end(), [](const vuln::Finding& f) { return f.unassessed; }));
    std::printf("%s: %zu findings, %zu suppressed by VEX, %zu unassessed\n", o.output.c_str(),
                findings->size() - unassessed, applied.suppressed, unassessed);
  }
  Failing failing;
  if (threshold) failing.Add(*findings, *threshold);
  return ExitFor(o, threshold, failing);
}

// glibc grows a thread's malloc arena (every thread but the first has one) one page per mprotect
// call: the filing, row-writer and matcher threads of `vigil scan --register` made ~20k such
// calls. A top pad makes each growth, and each new arena, at least 64 MiB of address space
// (pages are only resident once touched): 10 alternating runs of the 10k-component bench SBOM,
// median system time 0.24 -> 0.18 s and wall 0.51 -> 0.46 s for a first filing, 0.24 -> 0.17 s
// and 0.51 -> 0.47 s for a next release, the plain scan 0.22 -> 0.20 s, peak RSS unchanged.
// Only `vigil scan` asks for it: a short process, where memory kept for reuse costs nothing.
void PadHeapGrowth() {
#if defined(__GLIBC__)
  mallopt(M_TOP_PAD, 64 << 20);
#endif
}

int Run(const ScanOptions& o) {
  PadHeapGrowth();
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
  // SARIF points at each component's bom-ref in the SBOM's text.
  std::map<std::string, sbom::TextSpan> positions;
  auto doc = [&]() -> Result<sbom::Sbom> {
    // The reader frees the file's bytes once parsed, before it builds the model.
    VIGIL_ASSIGN_OR_RETURN(Bytes data, ReadInputLimited(o.sbom, kMaxSbomBytes, "an SBOM"));
    if (o.format == "sarif") positions = sbom::ComponentRefPositions(AsStringView(data));
    return sbom::ReadSbom(std::move(data), o.sbom == "-" ? "<stdin>" : o.sbom);
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
  if (o.format == "json" || o.format == "table") {
    return RunStreaming(o, threshold, *doc, *vex, *db, contents);
  }
  return RunWhole(o, threshold, *doc, *vex, *db, contents, std::move(positions));
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
  AddOutOption(cmd, o->output, "Output file (default: standard output)");
  cmd->add_flag("--force", o->force, "Replace an existing output file");
  cmd->add_option("--publisher", o->publisher,
                  "Who issues the VEX (OpenVEX author, CSAF publisher name; required for csaf)");
  cmd->add_option("--tlp", o->tlp,
                  "CSAF distribution label: AMBER (default: a scan lists open vulnerabilities), "
                  "GREEN, RED or WHITE");
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
