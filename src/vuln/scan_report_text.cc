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

std::string Summary(std::span<const Finding> findings) {
  std::array<size_t, 6> by{};
  size_t suppressed = 0, kev = 0;
  for (const Finding& f : findings) {
    ++by[static_cast<size_t>(f.severity)];
    if (IsSuppressed(f)) ++suppressed;
    if (f.kev) ++kev;
  }
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%zu findings (%zu critical, %zu high, %zu medium, %zu low, %zu none/unknown), "
                "%zu suppressed by VEX, %zu in KEV",
                findings.size(), by[5], by[4], by[3], by[2], by[0] + by[1], suppressed, kev);
  return buf;
}

}  // namespace

std::string WriteFindingsTable(std::span<const Finding> findings, const ReportContext& ctx) {
  std::string out;
  char line[1024];
  std::snprintf(line, sizeof line, "%-9s %-20s %-40s %-14s %-12s %-8s %s\n", "SEVERITY", "ID",
                "COMPONENT", "FIXED", "KEV", "EPSS", "VEX");
  out += line;
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
  out += (ctx.sbom_source.empty() ? "" : ctx.sbom_source + ": ") + Summary(findings) + "\n";
  return out;
}

std::string WriteFindingsJson(std::span<const Finding> findings, const ReportContext& ctx) {
  using nlohmann::ordered_json;
  ordered_json doc;
  doc["sbom"] = ctx.sbom_source;
  if (ctx.product != nullptr) {
    doc["product"] = {{"name", ctx.product->name}, {"version", ctx.product->version}};
  }
  doc["generated"] = ctx.timestamp;
  ordered_json list = ordered_json::array();
  for (const Finding& f : findings) {
    ordered_json j;
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
    list.push_back(std::move(j));
  }
  doc["findings"] = std::move(list);
  doc["summary"] = Summary(findings);
  return doc.dump(2) + "\n";
}

}  // namespace vigil::vuln
