// Table and JSON renderings of scan findings.
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "vigil/vuln/scan_report.h"
#include "vigil/vuln/vex.h"
#include "vuln/internal/report_parts.h"

namespace vigil::vuln {

using internal::ComponentLabel;
using internal::FormatProbability;
using internal::Join;

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (Severity s : {Severity::kUnknown, Severity::kNone, Severity::kLow, Severity::kMedium,
                     Severity::kHigh, Severity::kCritical}) {
    if (SeverityName(s) == name) return s;
  }
  return std::nullopt;
}

namespace {

std::string VexColumn(const Finding& f) {
  if (f.vex_status == VexStatus::kNone) return "-";
  std::string s(VexStatusName(f.vex_status));
  if (!f.vex_justification.empty()) s += " (" + f.vex_justification + ")";
  if (IsSuppressed(f)) s += " suppressed";
  return s;
}

}  // namespace

void FindingsSummary::Add(const Finding& f) {
  ++total;
  ++by_severity[static_cast<size_t>(f.severity)];
  if (IsSuppressed(f)) ++suppressed;
  if (f.kev) ++kev;
}

std::string FindingsSummary::Text() const {
  const auto& by = by_severity;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%zu findings (%zu critical, %zu high, %zu medium, %zu low, %zu none/unknown), "
                "%zu suppressed by VEX, %zu in KEV",
                total, by[5], by[4], by[3], by[2], by[0] + by[1], suppressed, kev);
  return buf;
}

namespace {

void AppendTableRows(std::span<const Finding> findings, std::string& out) {
  char line[1024];
  for (const Finding& f : findings) {
    std::string epss = f.epss_score ? FormatProbability(*f.epss_score) : "-";
    std::string kev = f.kev ? "due " + f.kev_due_date : "-";
    std::string fixed = f.fixed_versions.empty() ? "-" : Join(f.fixed_versions, ",");
    std::snprintf(line, sizeof line, "%-9s %-20s %-40s %-14s %-12s %-8s %s\n",
                  std::string(SeverityName(f.severity)).c_str(), f.advisory_id.c_str(),
                  ComponentLabel(f).c_str(), fixed.c_str(), kev.c_str(), epss.c_str(),
                  VexColumn(f).c_str());
    out += line;
    if (!f.match_reason.empty()) {
      out += "          why: " + f.match_reason +
             (f.confidence == Confidence::kLow ? " [low confidence]" : "") + "\n";
    }
    if (!f.vex_trace.empty()) out += "          vex: " + f.vex_trace + "\n";
  }
}

namespace {

nlohmann::ordered_json FindingJson(const Finding& f) {
  nlohmann::ordered_json j;
  j["id"] = f.advisory_id;
  j["aliases"] = f.aliases;
  j["summary"] = f.summary;
  j["severity"] = SeverityName(f.severity);
  if (f.cvss_score) j["cvss_score"] = *f.cvss_score;
  if (!f.cvss_vector.empty()) j["cvss_vector"] = f.cvss_vector;
  j["component"] = {{"ref", f.component_ref},
                    {"name", f.component_name},
                    {"version", f.component_version},
                    {"purl", f.component_purl},
                    {"cpe", f.component_cpe}};
  j["fixed_versions"] = f.fixed_versions;
  j["kev"] = f.kev;
  if (f.kev) {
    j["kev_due_date"] = f.kev_due_date;
    j["kev_ransomware"] = f.kev_ransomware;
  }
  if (f.epss_score) j["epss_score"] = *f.epss_score;
  if (f.epss_percentile) j["epss_percentile"] = *f.epss_percentile;
  j["match_reason"] = f.match_reason;
  j["confidence"] = f.confidence == Confidence::kHigh ? "high" : "low";
  j["vex"] = {{"status", VexStatusName(f.vex_status)},
              {"justification", f.vex_justification},
              {"detail", f.vex_detail},
              {"trace", f.vex_trace}};
  j["suppressed"] = IsSuppressed(f);
  return j;
}

// `j` dumped with two-space indentation as it would appear `depth` levels deep.
void AppendIndented(std::string& out, const nlohmann::ordered_json& j, int depth) {
  const std::string pad(static_cast<size_t>(2 * depth), ' ');
  const std::string text = j.dump(2);
  out += pad;
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out += pad;
  }
}

}  // namespace

}  // namespace

FindingsStreamWriter::FindingsStreamWriter(Format format, const ReportContext& ctx,
                                           std::function<void(std::string_view)> out)
    : format_(format), ctx_(ctx), out_(std::move(out)) {
  std::string head;
  if (format_ == Format::kTable) {
    char line[256];
    std::snprintf(line, sizeof line, "%-9s %-20s %-40s %-14s %-12s %-8s %s\n", "SEVERITY", "ID",
                  "COMPONENT", "FIXED", "KEV", "EPSS", "VEX");
    head = line;
  } else {
    nlohmann::ordered_json j;
    j["sbom"] = ctx_.sbom_source;
    if (ctx_.product != nullptr) {
      j["product"] = {{"name", ctx_.product->name}, {"version", ctx_.product->version}};
    }
    j["generated"] = ctx_.timestamp;
    head = j.dump(2);
    head.pop_back();  // the closing brace: findings and summary follow
    while (!head.empty() && (head.back() == '\n' || head.back() == ' ')) head.pop_back();
    head += ",\n  \"findings\": [";
  }
  out_(head);
}

void FindingsStreamWriter::Add(std::span<const Finding> findings) {
  if (findings.empty()) return;
  std::string text;
  if (format_ == Format::kTable) {
    AppendTableRows(findings, text);
  } else {
    for (const Finding& f : findings) {
      text += summary_.total == 0 ? "\n" : ",\n";
      AppendIndented(text, FindingJson(f), 2);
      summary_.Add(f);
    }
  }
  if (format_ == Format::kTable) {
    for (const Finding& f : findings) summary_.Add(f);
  }
  out_(text);
}

void FindingsStreamWriter::Finish() {
  if (format_ == Format::kTable) {
    out_((ctx_.sbom_source.empty() ? "" : ctx_.sbom_source + ": ") + summary_.Text() + "\n");
    return;
  }
  std::string tail = summary_.total == 0 ? "]" : "\n  ]";
  tail += ",\n  \"summary\": " + nlohmann::ordered_json(summary_.Text()).dump() + "\n}\n";
  out_(tail);
}

namespace {

std::string WriteWhole(FindingsStreamWriter::Format format, std::span<const Finding> findings,
                       const ReportContext& ctx) {
  std::string out;
  FindingsStreamWriter w(format, ctx, [&](std::string_view s) { out += s; });
  w.Add(findings);
  w.Finish();
  return out;
}

}  // namespace

std::string WriteFindingsTable(std::span<const Finding> findings, const ReportContext& ctx) {
  return WriteWhole(FindingsStreamWriter::Format::kTable, findings, ctx);
}

std::string WriteFindingsJson(std::span<const Finding> findings, const ReportContext& ctx) {
  return WriteWhole(FindingsStreamWriter::Format::kJson, findings, ctx);
}

}  // namespace vigil::vuln
