// The register seen from scans and reports (views.h).
#include "vigil/triage/views.h"

#include <cstdio>

namespace vigil::triage {
namespace {

using json::Value;

std::string Trace(std::string_view register_name, const Event& e) {
  std::string t;  // one allocation (a scan traces each of its findings)
  t.reserve(register_name.size() + e.origin.size() + e.decision.actor.size() + e.at.size() +
            e.decision.reason.size() + 12);
  t.append(register_name).append(": ").append(e.origin).append(" by ");
  t.append(e.decision.actor).append(" at ").append(e.at).append(" (");
  t.append(e.decision.reason).append(")");
  return t;
}

void SetVex(vuln::Finding& f, const Record& r, std::string_view register_name) {
  const Decision& d = r.current.decision;
  f.vex_justification.clear();
  f.vex_detail.clear();
  switch (d.status) {
    case TriageStatus::kInTriage:
      f.vex_status = vuln::VexStatus::kUnderInvestigation;
      break;
    case TriageStatus::kAffected:
      f.vex_status = vuln::VexStatus::kAffected;
      f.vex_detail = d.action;
      break;
    case TriageStatus::kNotAffected:
      f.vex_status = vuln::VexStatus::kNotAffected;
      f.vex_justification = d.justification;
      f.vex_detail = d.reason;
      break;
    case TriageStatus::kFixed:
      f.vex_status = vuln::VexStatus::kFixed;
      f.vex_detail = "fixed in " + d.fixed_in;
      break;
  }
  f.vex_trace = Trace(register_name, r.current);
}

std::string Risk(const Record& r) {
  return std::string(r.risk.controlled ? "controlled" : "uncontrolled") + " (" +
         r.risk.exploitability + "/" + std::string(risk::HarmName(r.risk.harm)) + ")";
}

// The first deadline not met: "notify 2026-01-31 OVERDUE".
std::string NextDue(const Record& r) {
  for (const Deadline& d : r.deadlines) {
    if (d.met) continue;
    return (d.what == "notify customers" ? "notify " : "fix ") + d.due +
           (d.overdue ? " OVERDUE" : "");
  }
  return "-";
}

std::string Exploitation(const Record& r) {
  std::string s = r.facts.kev ? "KEV" : "-";
  if (r.facts.epss) {
    char buf[16];
    std::snprintf(buf, sizeof buf, " %.3f", *r.facts.epss);
    s += buf;
  }
  return s;
}

Value Optional(const std::optional<double>& v) { return v ? Value(*v) : Value(nullptr); }

}  // namespace

void ApplyRecords(std::span<vuln::Finding> findings, std::span<const Record* const> records,
                  std::string_view register_name) {
  for (size_t i = 0; i < findings.size() && i < records.size(); ++i) {
    if (records[i] != nullptr && findings[i].vex_status == vuln::VexStatus::kNone) {
      SetVex(findings[i], *records[i], register_name);
    }
  }
}

std::vector<vuln::Finding> FindingsOf(std::span<const Record> records,
                                      std::string_view register_name) {
  std::vector<vuln::Finding> out;
  out.reserve(records.size());
  for (const Record& r : records) {
    vuln::Finding f;
    f.component_name = r.facts.component_name;
    f.component_version = r.component_version;
    if (r.key.component.starts_with("pkg:")) {
      f.component_purl = r.key.component + "@" + r.component_version;
    }
    f.advisory_id = r.key.vulnerability;
    if (r.facts.advisory_id != r.key.vulnerability) f.aliases.push_back(r.facts.advisory_id);
    f.summary = r.facts.summary;
    f.cvss_score = r.facts.cvss_score;
    f.cvss_vector = r.facts.cvss_vector;
    f.kev = r.facts.kev;
    f.kev_due_date = r.facts.kev_due_date;
    f.epss_score = r.facts.epss;
    f.weaknesses = r.facts.weaknesses;
    f.match_reason = "triage register record, last seen in release " + r.release;
    SetVex(f, r, register_name);
    out.push_back(std::move(f));
  }
  return out;
}

std::string RecordsTableHeader() {
  char line[256];
  std::snprintf(line, sizeof line, "%-13s %-30s %-12s %-18s %-40s %-10s %s\n", "STATUS", "RISK",
                "SSVC", "VULNERABILITY", "COMPONENT", "KEV/EPSS", "NEXT DEADLINE");
  return line;
}

std::string RecordsTableRow(const Record& r) {
  const std::string comp = r.facts.component_name + " " + r.component_version;
  char line[1024];
  std::snprintf(line, sizeof line, "%-13s %-30s %-12s %-18s %-40s %-10s %s\n",
                std::string(TriageStatusName(r.current.decision.status)).c_str(),
                Risk(r).c_str(), std::string(risk::SsvcPriorityName(r.ssvc.priority)).c_str(),
                r.key.vulnerability.c_str(), comp.c_str(),
                Exploitation(r).c_str(), NextDue(r).c_str());
  return line;
}

std::string WriteRecordsTable(std::span<const Record> records) {
  std::string out = RecordsTableHeader();
  for (const Record& r : records) out += RecordsTableRow(r);
  return out;
}

json::Value EventJson(const Event& e) {
  const Decision& d = e.decision;
  Value v = Value::MakeObject({{"seq", e.seq},
                               {"at", e.at},
                               {"release", e.release},
                               {"component_version", e.component_version},
                               {"origin", e.origin},
                               {"status", TriageStatusName(d.status)},
                               {"actor", d.actor},
                               {"reason", d.reason}});
  if (!d.justification.empty()) v.Set("justification", d.justification);
  if (!d.action.empty()) v.Set("action", d.action);
  if (!d.fixed_in.empty()) v.Set("fixed_in", d.fixed_in);
  if (d.harm) v.Set("harm", risk::HarmName(*d.harm));
  if (!d.cvss_vector.empty()) v.Set("cvss_vector", d.cvss_vector);
  if (!d.compensating_control.empty()) v.Set("compensating_control", d.compensating_control);
  return v;
}

// The advisory's CWEs as the scan's JSON writes them: {"id"} or {"id", "name"}.
Value WeaknessesJson(const std::vector<vuln::Weakness>& list) {
  Value out = Value::MakeArray();
  for (const vuln::Weakness& w : list) {
    Value one = Value::MakeObject({{"id", w.id}});
    if (!w.name.empty()) one.Set("name", w.name);
    out.Push(std::move(one));
  }
  return out;
}

json::Value RecordJson(const Record& r) {
  Value deadlines = Value::MakeArray();
  for (const Deadline& d : r.deadlines) {
    deadlines.Push(Value::MakeObject(
        {{"what", d.what}, {"due", d.due}, {"met", d.met}, {"overdue", d.overdue}}));
  }
  return Value::MakeObject(
      {{"product", r.key.product},
       {"vulnerability", r.key.vulnerability},
       {"component", r.key.component},
       {"component_name", r.facts.component_name},
       {"component_version", r.component_version},
       {"release", r.release},
       {"discovered", r.discovered},
       {"advisory", r.facts.advisory_id},
       {"cvss_vector", r.facts.cvss_vector},
       {"cvss_score", Optional(r.facts.cvss_score)},
       {"kev", r.facts.kev},
       {"epss", Optional(r.facts.epss)},
       {"cwes", WeaknessesJson(r.facts.weaknesses)},
       {"decision", EventJson(r.current)},
       {"risk", Value::MakeObject({{"controlled", r.risk.controlled},
                                   {"exploitability", r.risk.exploitability},
                                   {"harm", risk::HarmName(r.risk.harm)},
                                   {"cell", r.risk.cell},
                                   {"reason", r.risk.reason}})},
       {"ssvc", Value::MakeObject({{"priority", risk::SsvcPriorityName(r.ssvc.priority)},
                                   {"vector", r.ssvc.vector},
                                   {"reason", r.ssvc.reason}})},
       {"notified", r.notified},
       {"deadlines", std::move(deadlines)},
       {"overdue", r.overdue()}});
}

namespace {

// The triage member's members after the record's key, inside its open object.
void WriteTriageTail(const Record& r, JsonWriter& w) {
  const Event& e = r.current;
  const Decision& d = e.decision;
  w.Member("status", TriageStatusName(d.status));
  if (!d.justification.empty()) w.Member("justification", d.justification);
  if (!d.action.empty()) w.Member("action", d.action);
  if (!d.fixed_in.empty()) w.Member("fixed_in", d.fixed_in);
  w.Member("origin", e.origin);
  w.Member("release", e.release);
  w.Member("discovered", r.discovered);
  w.Key("risk").BeginObject();
  w.Key("controlled").Bool(r.risk.controlled);
  w.Member("exploitability", r.risk.exploitability);
  w.Member("harm", risk::HarmName(r.risk.harm));
  w.Member("cell", r.risk.cell);
  w.Member("reason", r.risk.reason);
  w.EndObject();
  w.Key("ssvc").BeginObject();
  w.Member("priority", risk::SsvcPriorityName(r.ssvc.priority));
  w.Member("vector", r.ssvc.vector);
  w.EndObject();
  w.Key("deadlines").BeginArray();
  for (const Deadline& dl : r.deadlines) {
    w.BeginObject().Member("what", dl.what).Member("due", dl.due);
    w.Key("met").Bool(dl.met).Key("overdue").Bool(dl.overdue).EndObject();
  }
  w.EndArray();
  w.Key("overdue").Bool(r.overdue());
}

}  // namespace

void TriageMemberWriter::Write(const Record& r, JsonWriter& w) {
  // Everything WriteTriageTail writes, each field closed by a unit separator.
  const Event& e = r.current;
  const Decision& d = e.decision;
  key_.clear();
  for (std::string_view v :
       {TriageStatusName(d.status), std::string_view(d.justification), std::string_view(d.action),
        std::string_view(d.fixed_in), std::string_view(e.origin), std::string_view(e.release),
        std::string_view(r.discovered), std::string_view(r.risk.controlled ? "1" : "0"),
        std::string_view(r.risk.exploitability), risk::HarmName(r.risk.harm),
        std::string_view(r.risk.cell), std::string_view(r.risk.reason),
        risk::SsvcPriorityName(r.ssvc.priority), std::string_view(r.ssvc.vector)}) {
    key_.append(v);
    key_.push_back('\x1f');
  }
  for (const Deadline& dl : r.deadlines) {
    key_.append(dl.what).append(1, '\x1f').append(dl.due);
    key_.push_back(dl.met ? '1' : '0');
    key_.push_back(dl.overdue ? '1' : '0');
  }
  auto it = tails_.find(key_);
  if (it == tails_.end()) {
    if (tails_.size() >= kMaxTails) tails_.clear();
    std::string tail;
    JsonWriter tw(tail, 0);
    tw.BeginObject();
    WriteTriageTail(r, tw);
    tw.EndObject();
    it = tails_.emplace(key_, tail.substr(1)).first;  // without its "{"
  }
  object_ = "{\"vulnerability\":";
  AppendJsonString(object_, r.key.vulnerability);
  object_ += ",\"component\":";
  AppendJsonString(object_, r.key.component);
  object_ += ',';
  object_ += it->second;
  w.Key("triage").Raw(object_);
}

json::Value MetricsJson(const Metrics& m) {
  return Value::MakeObject({{"product", m.product},
                            {"from", m.from},
                            {"to", m.to},
                            {"vulnerabilities", m.vulnerabilities},
                            {"not_affected", m.not_affected},
                            {"open", m.open},
                            {"patched", m.patched},
                            {"patched_share", m.patched_share},
                            {"patch_days_median", Optional(m.patch_days_median)},
                            {"patch_days_mean", Optional(m.patch_days_mean)},
                            {"fielded", m.fielded},
                            {"field_days_median", Optional(m.field_days_median)},
                            {"field_days_mean", Optional(m.field_days_mean)},
                            {"overdue", m.overdue}});
}

}  // namespace vigil::triage
