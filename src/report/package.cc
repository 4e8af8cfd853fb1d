#include "vigil/report/package.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "internal/table.h"
#include "vigil/core/bytes.h"
#include "vigil/core/env.h"
#include "vigil/core/json_writer.h"
#include "vigil/threat/views.h"

namespace vigil::report {
namespace {

using internal::Html;
using internal::Table;

std::string Join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

std::string Score(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string RiskText(const risk::RiskDecision& d) {
  return std::string(d.controlled ? "controlled" : "UNCONTROLLED") + " (" + d.exploitability +
         " x " + std::string(risk::HarmName(d.harm)) + ")";
}

// ---- the tables ----

Table FindingsTable(const threat::Analysis& a) {
  Table t("findings", "Threat findings (risk before and after mitigation)");
  t.columns = {"finding",  "STRIDE",   "element", "fired by",  "functions", "hazards",      "pre",
               "pre risk", "controls", "post",    "post risk", "status",    "justification"};
  for (const threat::Finding& f : a.findings) {
    const bool open = f.status == threat::TrackingStatus::kOpen;
    t.Add({f.id, std::string(threat::StrideName(f.stride)), f.element, Join(f.fired_by, "; "),
           Join(f.functions), Join(f.hazards), Score(f.exploitability), RiskText(f.pre),
           Join(f.controls), Score(f.residual_exploitability), RiskText(f.post),
           std::string(threat::TrackingStatusName(f.status)), f.justification},
          !f.post.controlled && open                           ? "bad"
          : f.status == threat::TrackingStatus::kNotApplicable ? "na"
                                                               : "");
  }
  return t;
}

Table ControlsTable(const threat::Model& m, const Coverage& cov) {
  Table t("controls", "Controls and their verification");
  t.columns = {"control", "title", "verification", "tests", "implemented by", "why unverified"};
  for (size_t i = 0; i < m.controls.size(); ++i) {
    const ControlStatus& s = cov.controls[i];
    std::vector<std::string> tests;
    for (const auto& [name, o] : s.tests)
      tests.push_back(name + ": " + std::string(TestOutcomeName(o)));
    t.Add({s.id, s.title, s.verified ? "verified" : "UNVERIFIED", Join(tests, "; "),
           Join(m.controls[i].implemented_by), s.why},
          s.verified ? "good" : "bad");
  }
  return t;
}

Table TraceabilityTable(const threat::Analysis& a, const Coverage& cov, const Evidence& ev) {
  Table t("traceability", "Traceability: threat → control → test");
  t.columns = {"finding", "status", "control", "control verification", "test", "result", "seconds"};
  for (const threat::Finding& f : a.findings) {
    const std::string status(threat::TrackingStatusName(f.status));
    if (f.controls.empty()) {
      t.Add({f.id, status, "(none)", "", "", "", ""},
            f.status == threat::TrackingStatus::kOpen ? "bad" : "na");
      continue;
    }
    for (const std::string& c : f.controls) {
      const ControlStatus* s = cov.FindControl(c);
      const std::string state = s && s->verified ? "verified" : "UNVERIFIED";
      if (!s || s->tests.empty()) {
        t.Add({f.id, status, c, state, "(no test)", "missing", ""}, "bad");
        continue;
      }
      for (const auto& [test, o] : s->tests) {
        auto it = ev.tests.find(test);
        t.Add({f.id, status, c, state, test, std::string(TestOutcomeName(o)),
               it == ev.tests.end() ? "" : Score(it->second.seconds)},
              o == TestOutcome::kPassed ? "good" : "bad");
      }
    }
  }
  return t;
}

Table CoverageTable(const Coverage& cov) {
  Table t("coverage", "Coverage per framework");
  t.columns = {"framework",         "requirement",         "title", "state",
               "verified controls", "unverified controls", "reason"};
  for (const FrameworkCoverage& f : cov.frameworks) {
    for (const RequirementCoverage& r : f.requirements) {
      t.Add({f.id, r.id, r.title, std::string(RequirementStateName(r.state)),
             Join(r.verified_controls), Join(r.unverified_controls), r.reason},
            r.state == RequirementState::kCovered ? "good"
            : r.state == RequirementState::kOpen  ? "bad"
                                                  : "na");
    }
  }
  return t;
}

Table SbomTable(const sbom::Sbom* s) {
  Table t("sbom", "Software bill of materials");
  t.columns = {"component", "version",          "type",          "supplier",
               "purl",      "level of support", "end of support"};
  if (!s) return t;
  for (const sbom::Component& c : s->components) {
    std::string support(sbom::SupportLevelName(c.support));
    if (!c.support_text.empty() && c.support == sbom::SupportLevel::kUnknown) {
      support = "unknown (SBOM says \"" + c.support_text + "\")";
    }
    std::string eos = c.end_of_support ? *c.end_of_support
                      : c.end_of_support_text.empty()
                          ? std::string("unknown")
                          : "unknown (SBOM says \"" + c.end_of_support_text + "\")";
    const std::string supplier = !c.supplier.empty() ? c.supplier : c.publisher;
    t.Add({c.group.empty() ? c.name : c.group + "/" + c.name, c.version, c.type,
           supplier.empty() ? "unknown" : supplier, c.purl_text, support, eos});
  }
  return t;
}

Table VulnerabilitiesTable(const PackageInput& in) {
  Table t("vulnerabilities", "Known vulnerabilities and their risk decisions");
  t.columns = {"vulnerability", "component", "version", "source",   "status",
               "decision",      "risk",      "SSVC",    "deadlines"};
  if (in.records) {
    for (const triage::Record& r : *in.records) {
      const triage::Decision& d = r.current.decision;
      std::string decision = !d.justification.empty() ? d.justification
                             : !d.action.empty()      ? d.action
                                                      : d.reason;
      std::vector<std::string> due;
      for (const triage::Deadline& dl : r.deadlines) due.push_back(dl.what + " by " + dl.due);
      t.Add({r.key.vulnerability, r.key.component, r.component_version,
             "register " + r.key.product + " " + r.release,
             std::string(triage::TriageStatusName(d.status)), decision,
             RiskText(r.risk) + ": " + r.risk.cell,
             std::string(risk::SsvcPriorityName(r.ssvc.priority)), Join(due, "; ")},
            r.risk.controlled ? "" : "bad");
    }
  }
  for (const vuln::VexDocument& doc : in.vex) {
    for (const vuln::VexStatement& s : doc.statements) {
      std::vector<std::string> products;
      for (const vuln::VexProduct& p : s.products) {
        products.push_back(!p.id.ref.empty() ? p.id.ref : p.id.name);
      }
      t.Add({s.vulnerability, Join(products), "", "VEX " + doc.source,
             std::string(vuln::VexStatusName(s.status)),
             !s.justification.empty() ? s.justification : s.action_statement, "", "", ""});
    }
  }
  return t;
}

// ---- answers to labeling items and MDS2 questions, from the model ----

std::string Answer(AnswerSource src, const PackageInput& in) {
  const threat::Model& m = *in.model;
  std::vector<std::string> parts;
  switch (src) {
    case AnswerSource::kNone:
      return {};
    case AnswerSource::kInterfaces:
      for (const threat::Asset& a : m.assets) {
        if (a.kind != threat::AssetKind::kInterface) continue;
        parts.push_back(a.name + " (" + std::string(threat::InterfaceTypeName(a.interface_type)) +
                        ", " + (a.enabled_in_production ? "enabled" : "disabled") +
                        " in production, authentication " +
                        std::string(threat::AuthenticationName(a.authentication)) + ")");
      }
      for (const threat::Link& l : m.links) {
        if (!l.port) continue;
        parts.push_back(l.id + ": " + l.protocol + " port " + std::to_string(*l.port) + " " +
                        l.from + " -> " + l.to);
      }
      return parts.empty() ? "the model lists no interface or port" : Join(parts, "; ");
    case AnswerSource::kUpdates:
      for (const threat::Link& l : m.links) {
        if (!l.update_path) continue;
        parts.push_back(l.from + " -> " + l.to + " over " + l.protocol + ", " +
                        (l.signed_payload ? "signed" : "NOT signed") + ", authentication " +
                        std::string(threat::AuthenticationName(l.authentication)));
      }
      return parts.empty() ? "the model has no update path" : Join(parts, "; ");
    case AnswerSource::kLogging:
      for (const threat::Asset& a : m.assets) {
        if (!a.audited && !a.off_device_log) continue;
        parts.push_back(a.name + (a.audited ? " audits security events" : "") +
                        (a.off_device_log ? ", logged off the device" : ", kept on the device"));
      }
      return parts.empty() ? "no asset of the model logs security events" : Join(parts, "; ");
    case AnswerSource::kViews:
      for (const RenderedView& v : in.views) parts.push_back(v.title);
      return parts.empty() ? std::string() : "architecture views in this package: " + Join(parts);
    case AnswerSource::kSbom:
      if (!in.sbom) return {};
      return in.sbom_file + " (" + std::string(sbom::SourceFormatName(in.sbom->format)) + " " +
             in.sbom->spec_version + ", " + std::to_string(in.sbom->components.size()) +
             " components), machine-readable";
    case AnswerSource::kEndOfSupport: {
      if (!in.sbom) return {};
      size_t known = 0;
      std::string earliest;
      for (const sbom::Component& c : in.sbom->components) {
        if (!c.end_of_support) continue;
        ++known;
        if (earliest.empty() || *c.end_of_support < earliest) earliest = *c.end_of_support;
      }
      return std::to_string(known) + " of " + std::to_string(in.sbom->components.size()) +
             " components state an end of support" +
             (earliest.empty() ? "" : " (earliest " + earliest + ")") + "; the rest: unknown";
    }
    case AnswerSource::kResilience:
      for (const threat::ClinicalFunction& f : m.functions) {
        parts.push_back(f.name + ": safe state \"" + f.safe_state + "\", tolerable outage " +
                        f.tolerable_outage);
      }
      for (const threat::Asset& a : m.assets) {
        if (a.watchdog || a.failover) {
          parts.push_back(a.name + (a.watchdog ? " has a watchdog" : "") +
                          (a.failover ? " fails over" : ""));
        }
      }
      return Join(parts, "; ");
    case AnswerSource::kControls:
      for (const threat::Control& c : m.controls) parts.push_back(c.title);
      return Join(parts, "; ");
    case AnswerSource::kPhi:
      for (const threat::DataAsset& d : m.data) {
        if (!d.phi) continue;
        std::vector<std::string> holders;
        for (const threat::Asset& a : m.assets) {
          if (std::find(a.data.begin(), a.data.end(), d.id) != a.data.end())
            holders.push_back(a.name);
        }
        parts.push_back(d.name + " (held by " + (holders.empty() ? "no asset" : Join(holders)) +
                        ")");
      }
      return parts.empty() ? "the device handles no PHI" : "PHI: " + Join(parts, "; ");
    case AnswerSource::kEncryptionRest:
      for (const threat::Asset& a : m.assets) {
        if (a.kind != threat::AssetKind::kDatastore) continue;
        bool phi = false;
        for (const std::string& d : a.data) {
          const threat::DataAsset* da = m.FindData(d);
          phi = phi || (da && da->phi);
        }
        if (phi) {
          parts.push_back(
              a.name + (a.encrypted_at_rest ? ": encrypted at rest" : ": NOT encrypted at rest"));
        }
      }
      return parts.empty() ? "no datastore of the model holds PHI" : Join(parts, "; ");
    case AnswerSource::kTransmission:
      for (const threat::Link& l : m.links) {
        parts.push_back(l.id + ": " + std::string(threat::EncryptionName(l.encryption)) +
                        (l.signed_payload ? ", signed" : "") +
                        (l.anti_replay ? ", anti-replay" : ""));
      }
      return Join(parts, "; ");
    case AnswerSource::kAuthentication:
      for (const threat::Asset& a : m.assets) {
        if (a.authentication == threat::Authentication::kNone) continue;
        parts.push_back(a.name + ": " + std::string(threat::AuthenticationName(a.authentication)) +
                        " (" + std::string(threat::CredentialsName(a.credentials)) +
                        " credentials)");
      }
      return parts.empty() ? "no asset of the model authenticates its users" : Join(parts, "; ");
  }
  return {};
}

Table AnswersTable(const Framework& f, const PackageInput& in,
                   std::vector<std::string>& unanswered) {
  const bool labeling = f.kind == FrameworkKind::kLabeling;
  Table t(labeling ? "labeling" : "mds2", f.name);
  t.columns = {"item", "title", "answer", "answered from"};
  for (const Requirement& r : f.requirements) {
    std::string a = Answer(r.answered_by, in);
    if (a.empty()) unanswered.push_back(f.id + " " + r.id);
    t.Add({r.id, r.title, a.empty() ? "UNANSWERED: nothing in the model or inputs answers this" : a,
           a.empty() ? "" : std::string(AnswerSourceName(r.answered_by))},
          a.empty() ? "bad" : "");
  }
  return t;
}

// ---- the page ----

std::string SummaryRows(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string out = "<table class=\"summary\"><tbody>\n";
  for (const auto& [k, v] : rows)
    out += "<tr><td>" + Html(k) + "</td><td>" + Html(v) + "</td></tr>\n";
  return out + "</tbody></table>\n";
}

std::string ViewsHtml(const std::vector<RenderedView>& views) {
  std::string out;
  for (const RenderedView& v : views) {
    out += "<figure class=\"view\" id=\"view-" + Html(v.name) + "\"><figcaption>" + Html(v.title) +
           "</figcaption>\n" + v.svg + "\n</figure>\n";
  }
  return out;
}

std::string PlanHtml(const PackageInput& in) {
  std::vector<std::pair<std::string, std::string>> rows;
  rows.emplace_back(
      "Monitoring sources",
      "the SBOM's components matched by `vigil scan` against the advisory database "
      "built by `vigil vulndb import` (OSV, NVD, CVE 5 records, CISA KEV, FIRST EPSS)");
  rows.emplace_back("Triage", in.records ? "triage register " + in.register_file + ": " +
                                               std::to_string(in.records->size()) + " records"
                                         : "no triage register given (--register)");
  rows.emplace_back("Coordinated disclosure",
                    "CSAF 2.0 security advisories built from the register (`vigil advisory`), "
                    "VEX statements for every not-affected decision");
  if (in.policy) {
    const risk::Deadlines& d = in.policy->deadlines;
    rows.emplace_back("Patch timelines (" + in.policy->name + ")",
                      "uncontrolled risk: customers notified within " +
                          std::to_string(d.uncontrolled_notify_days) + " days, fixed within " +
                          std::to_string(d.uncontrolled_fix_days) + " days; controlled risk: " +
                          (d.controlled_fix_days
                               ? "fixed within " + std::to_string(*d.controlled_fix_days) + " days"
                               : std::string("fixed in a routine update")));
  }
  for (const triage::Metrics& mt : in.metrics) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "%zu vulnerabilities, %zu not affected, %zu open, %zu patched (%.0f%%), "
                  "%zu overdue",
                  mt.vulnerabilities, mt.not_affected, mt.open, mt.patched, 100 * mt.patched_share,
                  mt.overdue);
    std::string text = buf;
    if (mt.patch_days_median) text += "; median days to patch " + Score(*mt.patch_days_median);
    rows.emplace_back("Metrics " + mt.product + " " + mt.from + " to " + mt.to, text);
  }
  if (in.metrics.empty()) rows.emplace_back("Metrics", "none: no triage register given");
  return SummaryRows(rows);
}

// ---- JSON ----

void TableJson(JsonWriter& w, const Table& t) {
  w.Key(t.id).BeginArray();
  for (const auto& row : t.rows) {
    w.BeginObject();
    for (size_t i = 0; i < t.columns.size(); ++i) w.Member(t.columns[i], row[i]);
    w.EndObject();
  }
  w.EndArray();
}

std::string PackageJson(const PackageInput& in, const Coverage& cov,
                        const std::vector<Table>& tables,
                        const std::vector<std::string>& unanswered) {
  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Member("package", "vigil premarket cybersecurity package");
  w.Member("device", in.model->device.name);
  w.Member("generated", in.generated);
  w.StringArray("model_files", in.model->files);
  w.StringArray("evidence_files", in.evidence->files);
  w.Key("coverage").BeginArray();
  for (const FrameworkCoverage& f : cov.frameworks) {
    w.BeginObject().Member("framework", f.id).Member("version", f.version);
    w.Key("covered").Integer(static_cast<int64_t>(f.covered));
    w.Key("open").Integer(static_cast<int64_t>(f.open));
    w.Key("not_applicable").Integer(static_cast<int64_t>(f.not_applicable));
    w.EndObject();
  }
  w.EndArray();
  w.StringArray("unanswered", unanswered);
  w.Key("tables").BeginObject();
  for (const Table& t : tables) TableJson(w, t);
  w.EndObject();
  w.EndObject();
  out += "\n";
  return out;
}

std::string StripProlog(std::string_view svg) {
  size_t at = svg.find("<svg");
  return std::string(at == std::string_view::npos ? svg : svg.substr(at));
}

}  // namespace

Result<std::vector<RenderedView>> RenderViews(Env& env, const threat::Model& model,
                                              const threat::Analysis& analysis,
                                              const std::string& dir) {
  VIGIL_RETURN_IF_ERROR(env.CreateDir(dir));
  std::vector<RenderedView> out;
  for (const threat::View& v : threat::MakeViews(model, analysis)) {
    const std::string dot = JoinPath(dir, v.name + ".dot");
    const std::string svg = JoinPath(dir, v.name + ".svg");
    VIGIL_RETURN_IF_ERROR(env.WriteFileAtomic(dot, AsBytes(v.dot)));
    VIGIL_RETURN_IF_ERROR(threat::RenderSvg(env, dot, svg));
    VIGIL_ASSIGN_OR_RETURN(Bytes text, env.ReadFile(svg));
    out.push_back({v.name, v.title, StripProlog(AsStringView(text))});
  }
  return out;
}

Result<Package> BuildPackage(const PackageInput& in) {
  const threat::Model& m = *in.model;
  Package pkg;
  VIGIL_ASSIGN_OR_RETURN(pkg.coverage, ComputeCoverage(m, in.frameworks, *in.evidence));
  const Coverage& cov = pkg.coverage;

  std::vector<Table> tables;
  tables.push_back(FindingsTable(*in.analysis));
  tables.push_back(ControlsTable(m, cov));
  tables.push_back(TraceabilityTable(*in.analysis, cov, *in.evidence));
  tables.push_back(CoverageTable(cov));
  tables.push_back(SbomTable(in.sbom));
  tables.push_back(VulnerabilitiesTable(in));
  for (const Framework& f : in.frameworks) {
    if (f.kind == FrameworkKind::kCoverage) continue;
    tables.push_back(AnswersTable(f, in, pkg.unanswered));
  }
  auto find = [&](std::string_view id) -> const Table* {
    for (const Table& t : tables) {
      if (t.id == id) return &t;
    }
    return nullptr;
  };
  auto section = [&](std::string_view id) {
    const Table* t = find(id);
    return t ? internal::TableHtml(*t) : std::string();
  };

  size_t verified = 0;
  for (const ControlStatus& c : cov.controls) verified += c.verified;
  std::string cov_summary;
  for (const FrameworkCoverage& f : cov.frameworks) {
    cov_summary += (cov_summary.empty() ? "" : "; ") + f.id + ": " + std::to_string(f.covered) +
                   " covered, " + std::to_string(f.open) + " open, " +
                   std::to_string(f.not_applicable) + " n/a";
  }

  const std::string title = "Premarket cybersecurity package: " + m.device.name;
  std::string b = "<header><h1>" + Html(title) + "</h1>\n";
  b += SummaryRows({
      {"Device", m.device.name},
      {"Intended use", m.device.intended_use},
      {"IEC 62304 software safety class",
       std::string(threat::SafetyClassName(m.device.safety_class))},
      {"Cyber device (FD&C Act 524B)", m.device.cyber_device ? "yes" : "no"},
      {"Use environments", Join(m.device.use_environments)},
      {"Model files", Join(m.files)},
      {"SBOM", in.sbom ? in.sbom_file : "none given"},
      {"Evidence (ctest JUnit)",
       Join(in.evidence->files) + " (" + std::to_string(in.evidence->tests.size()) + " tests)"},
      {"Controls verified",
       std::to_string(verified) + " of " + std::to_string(cov.controls.size())},
      {"Coverage", cov_summary},
      {"Generated", in.generated},
  });
  b += "</header>\n<nav><ol><li><a href=\"#q1\">What are we working on?</a></li>"
       "<li><a href=\"#q2\">What can go wrong?</a></li>"
       "<li><a href=\"#q3\">What are we going to do about it?</a></li>"
       "<li><a href=\"#q4\">Did we do a good job?</a></li></ol></nav>\n";

  b += "<section id=\"q1\"><h2>1. What are we working on?</h2>\n";
  {
    Table fn("functions", "Clinical functions");
    fn.columns = {"function", "name",       "essential performance", "hazards",
                  "severity", "safe state", "tolerable outage"};
    for (const threat::ClinicalFunction& f : m.functions) {
      fn.Add({f.id, f.name, f.essential_performance ? "yes" : "no", Join(f.hazards),
              std::string(risk::HarmName(f.severity)), f.safe_state, f.tolerable_outage});
    }
    b += internal::TableHtml(fn);
    tables.push_back(std::move(fn));
  }
  b += "<h3>Security architecture views</h3>\n" + ViewsHtml(in.views);
  b += section("sbom") + "</section>\n";

  b += "<section id=\"q2\"><h2>2. What can go wrong?</h2>\n" + section("findings");
  b += section("vulnerabilities") + "</section>\n";

  b += "<section id=\"q3\"><h2>3. What are we going to do about it?</h2>\n" + section("controls");
  b += section("traceability");
  b += "<h3>Cybersecurity management plan</h3>\n" + PlanHtml(in);
  b += section("labeling") + "</section>\n";

  b += "<section id=\"q4\"><h2>4. Did we do a good job?</h2>\n" + section("coverage");
  b += section("mds2");
  b += "<h3>Unanswered</h3>\n<ul id=\"unanswered\">";
  for (const std::string& u : pkg.unanswered) b += "<li>" + Html(u) + "</li>";
  if (pkg.unanswered.empty()) b += "<li>none</li>";
  b += "</ul>\n</section>\n";

  pkg.html = internal::PageHtml(title, b);
  pkg.json = PackageJson(in, cov, tables, pkg.unanswered);
  for (const Table& t : tables) pkg.csv.emplace_back(t.id + ".csv", internal::ToCsv(t));
  return pkg;
}

}  // namespace vigil::report
