// `vigil triage policy|harm|set|list|history|metrics|field|export`: the triage register
// (vigil/triage/register.h) from the command line. Records are opened by
// `vigil scan SBOM --register R`; people decide with `set`; nothing rewrites history.
//
// Exit codes: 0 ok; 1 for `list --overdue` when an overdue item is listed (for CI gates);
// 2 on usage or input errors (one line naming the option, file or field).
#include <cstdio>
#include <memory>

#include "cli_io.h"
#include "command.h"
#include "vigil/core/encoding.h"
#include "vigil/core/env.h"
#include "vigil/risk/decision.h"
#include "vigil/sbom/sbom.h"
#include "vigil/triage/register.h"
#include "vigil/triage/views.h"
#include "vigil/vuln/scan_report.h"

namespace vigil::cli {
namespace {

struct TriageOptions {
  std::string register_path, product, release, vulnerability, component;
  std::string status, justification, action, fixed_in, reason, actor, harm, cvss, control;
  std::string policy_file, date, as_of, from, to;
  std::string format = "table";
  std::string output, publisher, publisher_namespace;
  std::string tlp = "AMBER";  // export --format csaf: the distribution label
  bool overdue = false, force = false;
};

Result<triage::Register> OpenRegister(const TriageOptions& o, bool write) {
  triage::RegisterOptions ro;
  ro.path = o.register_path;
  ro.create = write;
  ro.read_only = !write;
  return triage::Register::Open(ro, *Env::Default());
}

// Accepts a component as the register files it, or as a purl with version (copied from an
// SBOM), which is filed without its version.
std::string ComponentKey(const std::string& text) {
  vuln::Finding f;
  f.component_purl = text.starts_with("pkg:") ? text : "";
  f.component_name = text;
  return triage::Register::ComponentOf(f);
}

triage::RecordKey KeyOf(const TriageOptions& o) {
  return {o.product, o.vulnerability, ComponentKey(o.component)};
}

void Print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

Status Policy(const TriageOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(Bytes text, ReadInputLimited(o.policy_file, 64 * 1024, "a risk policy"));
  VIGIL_ASSIGN_OR_RETURN(risk::RiskPolicy p, risk::ParseRiskPolicy(AsStringView(text), o.policy_file));
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, OpenRegister(o, true));
  VIGIL_RETURN_IF_ERROR(reg.SetPolicy(AsStringView(text), o.policy_file, o.actor));
  std::printf("%s: risk policy \"%s\" (%zu exploitability bands x 5 harm levels) now decides\n",
              o.register_path.c_str(), p.name.c_str(), p.bands.size());
  return OkStatus();
}

Result<risk::Harm> HarmOf(const std::string& text) {
  auto h = risk::ParseHarm(text);
  if (!h) {
    return InvalidArgumentError("--harm: expected negligible, minor, serious, critical or "
                                "catastrophic (ISO 14971), got '" + OneLine(text) + "'");
  }
  return *h;
}

Status Harm(const TriageOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(risk::Harm h, HarmOf(o.harm));
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, OpenRegister(o, true));
  VIGIL_RETURN_IF_ERROR(
      reg.SetComponentHarm(o.product, ComponentKey(o.component), h, o.actor, o.reason));
  std::printf("%s: %s in %s: harm %s\n", o.register_path.c_str(), ComponentKey(o.component).c_str(),
              o.product.c_str(), o.harm.c_str());
  return OkStatus();
}

Status Set(const TriageOptions& o) {
  auto status = triage::ParseTriageStatus(o.status);
  if (!status) {
    return InvalidArgumentError("--status: expected in_triage, not_affected, affected or fixed, "
                                "got '" + OneLine(o.status) + "'");
  }
  triage::Decision d;
  d.status = *status;
  d.justification = o.justification;
  d.action = o.action;
  d.fixed_in = o.fixed_in;
  d.reason = o.reason;
  d.actor = o.actor;
  d.cvss_vector = o.cvss;
  d.compensating_control = o.control;
  if (!o.harm.empty()) {
    VIGIL_ASSIGN_OR_RETURN(d.harm, HarmOf(o.harm));
  }
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, OpenRegister(o, true));
  VIGIL_ASSIGN_OR_RETURN(triage::Record r, reg.Set(KeyOf(o), o.release, d));
  std::printf("%s %s in %s: %s; risk %s (%s)\n", r.key.vulnerability.c_str(),
              r.key.component.c_str(), r.key.product.c_str(),
              std::string(triage::TriageStatusName(r.current.decision.status)).c_str(),
              r.risk.controlled ? "controlled" : "uncontrolled", r.risk.reason.c_str());
  return OkStatus();
}

Result<int> List(const TriageOptions& o) {
  triage::ListFilter f;
  f.product = o.product;
  f.release = o.release;
  f.overdue_only = o.overdue;
  f.as_of = o.as_of;
  if (!o.status.empty()) {
    f.status = triage::ParseTriageStatus(o.status);
    if (!f.status) {
      return InvalidArgumentError("--status: expected in_triage, not_affected, affected or "
                                  "fixed, got '" + OneLine(o.status) + "'");
    }
  }
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, OpenRegister(o, false));
  VIGIL_ASSIGN_OR_RETURN(std::vector<triage::Record> records, reg.List(f));
  if (o.format == "json") {
    json::Value list = json::Value::MakeArray();
    for (const triage::Record& r : records) list.Push(triage::RecordJson(r));
    Print(json::Write(list, 2) + "\n");
  } else {
    Print(triage::WriteRecordsTable(records));
    std::printf("%zu record(s)\n", records.size());
  }
  return o.overdue && !records.empty() ? kExitFindings : kExitOk;
}

Status History(const TriageOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, OpenRegister(o, false));
  VIGIL_ASSIGN_OR_RETURN(std::vector<triage::Event> events, reg.History(KeyOf(o)));
  if (o.format == "json") {
    json::Value list = json::Value::MakeArray();
    for (const triage::Event& e : events) list.Push(triage::EventJson(e));
    Print(json::Write(list, 2) + "\n");
    return OkStatus();
  }
  for (const triage::Event& e : events) {
    const triage::Decision& d = e.decision;
    std::string detail = !d.justification.empty() ? " [" + d.justification + "]"
                         : !d.action.empty()      ? " [" + d.action + "]"
                         : !d.fixed_in.empty()    ? " [fixed in " + d.fixed_in + "]"
                                                  : "";
    std::printf("%s  %-9s %-10s %-12s %s%s: %s\n", e.at.c_str(), e.release.c_str(),
                e.origin.c_str(), std::string(triage::TriageStatusName(d.status)).c_str(),
                d.actor.c_str(), detail.c_str(), d.reason.c_str());
  }
  return OkStatus();
}

std::string Days(const std::optional<double>& d) {
  if (!d) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f days", *d);
  return buf;
}

Status Metrics(const TriageOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, OpenRegister(o, false));
  VIGIL_ASSIGN_OR_RETURN(triage::Metrics m, reg.ComputeMetrics(o.product, o.from, o.to));
  if (o.format == "json") {
    Print(json::Write(triage::MetricsJson(m), 2) + "\n");
    return OkStatus();
  }
  std::printf("%s, discovered %s to %s: %zu vulnerabilities (%zu not affected, %zu open, %zu "
              "overdue)\npatched: %zu (%.0f%% of those affecting the product)\ntime to patch: "
              "median %s, mean %s\ntime to field: median %s, mean %s (%zu fielded)\n",
              m.product.c_str(), m.from.empty() ? "the start" : m.from.c_str(),
              m.to.empty() ? "today" : m.to.c_str(), m.vulnerabilities, m.not_affected, m.open,
              m.overdue, m.patched, 100 * m.patched_share, Days(m.patch_days_median).c_str(),
              Days(m.patch_days_mean).c_str(), Days(m.field_days_median).c_str(),
              Days(m.field_days_mean).c_str(), m.fielded);
  return OkStatus();
}

Status Field(const TriageOptions& o) {
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, OpenRegister(o, true));
  VIGIL_RETURN_IF_ERROR(reg.MarkFielded(o.product, o.release, o.date));
  std::printf("%s %s fielded on %s\n", o.product.c_str(), o.release.c_str(), o.date.c_str());
  return OkStatus();
}

// The register's decisions for one release as CycloneDX VEX, OpenVEX or CSAF VEX, written by
// the scan's own writers.
Status Export(const TriageOptions& o) {
  vuln::ReportContext ctx;
  if (o.format == "csaf") {
    VIGIL_RETURN_IF_ERROR(CheckCsafPublisher(o.publisher, o.publisher_namespace));
    VIGIL_ASSIGN_OR_RETURN(ctx.tlp, ParseTlpOption(o.tlp));
  }
  VIGIL_ASSIGN_OR_RETURN(triage::Register reg, OpenRegister(o, false));
  triage::ListFilter f;
  f.product = o.product;
  f.release = o.release;
  VIGIL_ASSIGN_OR_RETURN(std::vector<triage::Record> records, reg.List(f));
  if (records.empty()) {
    return NotFoundError("triage register " + o.register_path + ": no record of " + o.product +
                         " release " + o.release + " (scan it with --register first)");
  }
  std::vector<vuln::Finding> findings = triage::FindingsOf(records, o.register_path);
  sbom::Component product;
  product.type = "device";
  product.name = o.product;
  product.version = o.release;
  ctx.sbom_source = o.register_path;
  ctx.product = &product;
  ctx.timestamp = NowRfc3339();
  ctx.tool_version = VIGIL_VERSION;
  ctx.tool_documentation = InstalledDocumentation();
  if (!o.publisher.empty()) ctx.author = o.publisher;
  if (!o.publisher_namespace.empty()) ctx.publisher_namespace = o.publisher_namespace;
  ctx.document_id = ContentUuid(vuln::WriteFindingsJson(findings, ctx));
  const std::string out = o.format == "cyclonedx" ? vuln::WriteCycloneDxVex(findings, ctx)
                          : o.format == "openvex" ? vuln::WriteOpenVex(findings, ctx)
                                                  : vuln::WriteCsafVex(findings, ctx);
  if (o.output.empty() || o.output == "-") {
    Print(out);
    return OkStatus();
  }
  VIGIL_RETURN_IF_ERROR(WriteOutput(o.output, AsBytes(out), o.force));
  std::printf("%s: %s VEX of %s %s, %zu statement(s)\n", o.output.c_str(), o.format.c_str(),
              o.product.c_str(), o.release.c_str(), findings.size());
  return OkStatus();
}

// Wraps a Status-returning step as a subcommand callback.
template <typename Fn>
void Callback(CLI::App* c, std::shared_ptr<TriageOptions> o, Fn fn) {
  c->callback([o, fn] {
    if (Status s = fn(*o); !s) {
      SetExitCode(ReportError("triage", s.error()));
    } else {
      SetExitCode(kExitOk);
    }
  });
}

void AddRegister(CLI::App* c, TriageOptions& o) {
  c->add_option("--register", o.register_path, "Triage register file (SQLite)")->required();
}

void AddKey(CLI::App* c, TriageOptions& o) {
  c->add_option("--product", o.product, "Product name")->required();
  c->add_option("--vulnerability", o.vulnerability, "CVE id (else the advisory id)")->required();
  c->add_option("--component", o.component,
                "Component: package URL (with or without version) or SBOM name")
      ->required();
}

void AddFormat(CLI::App* c, TriageOptions& o) {
  c->add_option("--format", o.format, "table or json")->check(CLI::IsMember({"table", "json"}));
}

void SetupPolicy(CLI::App* t, std::shared_ptr<TriageOptions> o) {
  auto* c = t->add_subcommand("policy", "Set the risk policy (acceptance matrix, deadlines)");
  AddRegister(c, *o);
  c->add_option("policy", o->policy_file, "Risk policy YAML (see README)")->required();
  c->add_option("--actor", o->actor, "Who sets it")->required();
  Callback(c, o, Policy);
}

void SetupHarm(CLI::App* t, std::shared_ptr<TriageOptions> o) {
  auto* c = t->add_subcommand("harm", "Set the severity of harm (ISO 14971) of a component");
  AddRegister(c, *o);
  c->add_option("--product", o->product, "Product name")->required();
  c->add_option("--component", o->component, "Component (package URL or SBOM name)")->required();
  c->add_option("--harm", o->harm, "negligible, minor, serious, critical or catastrophic")
      ->required();
  c->add_option("--actor", o->actor, "Who assesses it")->required();
  c->add_option("--reason", o->reason, "Why (the clinical function at stake)")->required();
  Callback(c, o, Harm);
}

void SetupSet(CLI::App* t, std::shared_ptr<TriageOptions> o) {
  auto* c = t->add_subcommand("set", "Append a decision to a record's history");
  AddRegister(c, *o);
  AddKey(c, *o);
  c->add_option("--status", o->status, "in_triage, not_affected, affected or fixed")->required();
  c->add_option("--justification", o->justification,
                "not_affected: CSAF/OpenVEX (or CycloneDX) justification");
  c->add_option("--action", o->action, "affected: the remediation or mitigation");
  c->add_option("--fixed-in", o->fixed_in, "fixed: the release with the fix");
  c->add_option("--reason", o->reason, "Why")->required();
  c->add_option("--actor", o->actor, "Who decides")->required();
  c->add_option("--release", o->release, "Release the decision is about (default: last seen)");
  c->add_option("--harm", o->harm, "Severity of harm of this finding (ISO 14971)");
  c->add_option("--cvss", o->cvss, "Device-specific CVSS vector (e.g. from vigil rubric)");
  c->add_option("--compensating-control", o->control, "Documented compensating control");
  Callback(c, o, Set);
}

void SetupList(CLI::App* t, std::shared_ptr<TriageOptions> o) {
  auto* c = t->add_subcommand("list", "Records with status, risk decision and deadlines");
  AddRegister(c, *o);
  c->add_option("--product", o->product, "Only this product");
  c->add_option("--release", o->release, "Only records seen in this release");
  c->add_option("--status", o->status, "Only this status");
  c->add_flag("--overdue", o->overdue, "Only overdue records (exit 1 when any)");
  c->add_option("--as-of", o->as_of, "Deadlines as of this date (YYYY-MM-DD; default today)");
  AddFormat(c, *o);
  c->callback([o] {
    auto rc = List(*o);
    SetExitCode(rc ? *rc : ReportError("triage", rc.error()));
  });
}

void SetupHistory(CLI::App* t, std::shared_ptr<TriageOptions> o) {
  auto* c = t->add_subcommand("history", "Every decision of a record, oldest first");
  AddRegister(c, *o);
  AddKey(c, *o);
  AddFormat(c, *o);
  Callback(c, o, History);
}

void SetupMetrics(CLI::App* t, std::shared_ptr<TriageOptions> o) {
  auto* c = t->add_subcommand("metrics", "Share patched, time to patch and to field");
  AddRegister(c, *o);
  c->add_option("--product", o->product, "Product name")->required();
  c->add_option("--from", o->from, "First discovery date of the period (YYYY-MM-DD)");
  c->add_option("--to", o->to, "Last discovery date of the period (YYYY-MM-DD)");
  AddFormat(c, *o);
  Callback(c, o, Metrics);
}

void SetupField(CLI::App* t, std::shared_ptr<TriageOptions> o) {
  auto* c = t->add_subcommand("field", "Record the date a release reached the field");
  AddRegister(c, *o);
  c->add_option("--product", o->product, "Product name")->required();
  c->add_option("--release", o->release, "Release")->required();
  c->add_option("--date", o->date, "YYYY-MM-DD")->required();
  Callback(c, o, Field);
}

void SetupExport(CLI::App* t, std::shared_ptr<TriageOptions> o) {
  auto* c = t->add_subcommand("export", "A release's decisions as CycloneDX VEX, OpenVEX or CSAF VEX");
  AddRegister(c, *o);
  c->add_option("--product", o->product, "Product name")->required();
  c->add_option("--release", o->release, "Release")->required();
  c->add_option("--format", o->format, "cyclonedx, openvex or csaf")
      ->required()
      ->check(CLI::IsMember({"cyclonedx", "openvex", "csaf"}));
  c->add_option("--publisher", o->publisher, "OpenVEX author, CSAF publisher name");
  c->add_option("--publisher-namespace", o->publisher_namespace, "CSAF publisher URL");
  c->add_option("--tlp", o->tlp, "CSAF distribution label: AMBER (default), GREEN, RED or WHITE");
  AddOutOption(c, o->output, "Output file (default: standard output)");
  c->add_flag("--force", o->force, "Replace an existing output file");
  Callback(c, o, Export);
}

void Setup(CLI::App& app) {
  auto* t = app.add_subcommand("triage", "The triage register: decisions, risk, deadlines, metrics");
  t->require_subcommand(1);
  SetupPolicy(t, std::make_shared<TriageOptions>());
  SetupHarm(t, std::make_shared<TriageOptions>());
  SetupSet(t, std::make_shared<TriageOptions>());
  SetupList(t, std::make_shared<TriageOptions>());
  SetupHistory(t, std::make_shared<TriageOptions>());
  SetupMetrics(t, std::make_shared<TriageOptions>());
  SetupField(t, std::make_shared<TriageOptions>());
  SetupExport(t, std::make_shared<TriageOptions>());
}
VIGIL_REGISTER_COMMAND(Setup);

}  // namespace
}  // namespace vigil::cli
