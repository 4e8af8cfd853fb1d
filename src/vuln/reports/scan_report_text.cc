// Table and JSON renderings of scan findings.
#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "internal/finding_json.h"
#include "internal/report_parts.h"
#include "vigil/core/json_writer.h"
#include "vigil/vuln/scan_report.h"
#include "vigil/vuln/vex.h"

namespace vigil::vuln {

using internal::ComponentLabel;
using internal::FormatProbability;
using internal::IsCveId;
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
  if (f.unassessed) {
    ++unassessed;
    return;
  }
  ++total;
  ++by_severity[static_cast<size_t>(f.severity)];
  if (f.severity == Severity::kUnknown &&
      (IsCveId(f.advisory_id) || std::any_of(f.aliases.begin(), f.aliases.end(), IsCveId))) {
    ++unscored_with_cve;
  }
  if (IsSuppressed(f)) ++suppressed;
  if (f.kev) ++kev;
}

std::string FindingsSummary::Text() const {
  // What matters first: exploited (KEV), then the severities from critical down; counts that
  // are zero are left out, so the line starts with what needs work.
  std::string out = std::to_string(total) + (total == 1 ? " finding" : " findings");
  std::vector<std::string> parts;
  if (kev > 0) parts.push_back(std::to_string(kev) + " in KEV");
  for (Severity s :
       {Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow, Severity::kNone}) {
    const size_t n = by_severity[static_cast<size_t>(s)];
    if (n > 0) parts.push_back(std::to_string(n) + " " + std::string(SeverityName(s)));
  }
  if (!parts.empty()) out += ": " + Join(parts, ", ");
  // Unscored findings last, with why: an advisory without a score (the Go database gives none)
  // is not a harmless one, and a CVE alias is the way to its score.
  if (const size_t n = by_severity[static_cast<size_t>(Severity::kUnknown)]; n > 0) {
    out += std::string(parts.empty() ? ": " : "; ") + std::to_string(n) +
           " of unknown severity (no score or severity in their advisories or in the database's"
           " records of their aliases";
    if (unscored_with_cve > 0) {
      out += "; " + std::to_string(unscored_with_cve) +
             (unscored_with_cve == 1 ? " names" : " name") +
             " a CVE, which NVD or CVE 5 records imported with vulndb import may score";
    }
    out += ")";
  }
  if (suppressed > 0) out += "; " + std::to_string(suppressed) + " suppressed by VEX";
  if (unassessed > 0) {
    out += ", " + std::to_string(unassessed) + " unassessed (no version data, triage by hand)";
  }
  return out;
}

namespace {

// The table's component: name@version, as a reader says it (the purl is in every other format).
std::string TableComponent(const Finding& f) {
  if (f.component_name.empty()) return ComponentLabel(f);
  return f.component_version.empty() ? f.component_name
                                     : f.component_name + "@" + f.component_version;
}

// The CVE ids among an advisory's aliases (a GHSA or GO id alone is hard to look up elsewhere).
std::string CveAliases(const Finding& f) {
  std::vector<std::string> cves;
  for (const std::string& a : f.aliases) {
    if (a.starts_with("CVE-") && a != f.advisory_id) cves.push_back(a);
  }
  return cves.empty() ? "-" : Join(cves, ",");
}

constexpr const char* kTableRow = "%-9s %-20s %-16s %-40s %-14s %-12s %-8s %s\n";

void AppendTableRows(std::span<const Finding> findings, std::string& out) {
  char line[1024];
  for (const Finding& f : findings) {
    std::string epss = f.epss_score ? FormatProbability(*f.epss_score) : "-";
    std::string kev = f.kev ? "due " + f.kev_due_date : "-";
    std::string fixed = f.fixed_versions.empty() ? "-" : Join(f.fixed_versions, ",");
    std::snprintf(line, sizeof line, kTableRow, std::string(SeverityName(f.severity)).c_str(),
                  f.advisory_id.c_str(), CveAliases(f).c_str(), TableComponent(f).c_str(),
                  fixed.c_str(), kev.c_str(), epss.c_str(), VexColumn(f).c_str());
    out += line;
    if (!f.match_reason.empty()) {
      out += "          why: " + f.match_reason +
             (f.confidence == Confidence::kLow ? " [low confidence]" : "") + "\n";
    }
    // Said when the severity is not the advisory's own score, so a reader knows whose it is.
    if (!f.severity_source.empty() && !f.severity_source.starts_with(f.advisory_id + " (")) {
      out += "          severity from " + f.severity_source + "\n";
    }
    if (!f.vex_trace.empty()) out += "          vex: " + f.vex_trace + "\n";
  }
}

// The components nothing could match, as a JSON array (the value of "not_covered").
void AppendUncoveredJson(std::string& out, const std::vector<UncoveredComponent>& uncovered) {
  JsonWriter w(out, 2, 1);
  w.BeginArray();
  for (const UncoveredComponent& c : uncovered) {
    w.BeginObject()
        .Member("ref", c.ref)
        .Member("name", c.name)
        .Member("version", c.version)
        .Member("purl", c.purl)
        .Member("reason", c.reason)
        .EndObject();
  }
  w.EndArray();
}

}  // namespace

FindingsStreamWriter::FindingsStreamWriter(Format format, const ReportContext& ctx,
                                           std::function<void(std::string_view)> out)
    : format_(format), ctx_(ctx), out_(std::move(out)) {
  std::string head;
  if (format_ == Format::kTable) {
    char line[256];
    std::snprintf(line, sizeof line, kTableRow, "SEVERITY", "ID", "CVE ALIASES", "COMPONENT",
                  "FIXED", "KEV", "EPSS", "VEX");
    head = line;
  } else {
    // The opening of the document; the findings array stays open for Add, Finish closes it.
    head = "{\n  \"sbom\": ";
    AppendJsonString(head, ctx_.sbom_source);
    if (ctx_.product != nullptr) {
      head += ",\n  \"product\": ";
      JsonWriter(head, 2, 1)
          .BeginObject()
          .Member("name", ctx_.product->name)
          .Member("version", ctx_.product->version)
          .EndObject();
    }
    head += ",\n  \"generated\": ";
    AppendJsonString(head, ctx_.timestamp);
    head += ",\n  \"not_covered\": ";
    AppendUncoveredJson(head, ctx_.uncovered);
    head += ",\n  \"findings\": [";
  }
  out_(head);
}

void FindingsStreamWriter::Add(std::span<const Finding> findings, const ExtraMembers& extra) {
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    if (f.unassessed) {
      unassessed_.push_back(f);
    } else if (format_ == Format::kTable) {
      AppendTableRows(std::span(&f, 1), buffer_);
    } else {
      buffer_ += summary_.total == 0 ? "\n    " : ",\n    ";
      if (extra) {
        const internal::FindingExtra members = [&](JsonWriter& w) { extra(i, w); };
        internal::AppendFindingJson(buffer_, f, &members);
      } else {
        internal::AppendFindingJson(buffer_, f);
      }
    }
    summary_.Add(f);
  }
  if (buffer_.size() >= kFlushBytes) Flush();
}

void FindingsStreamWriter::Flush() {
  if (buffer_.empty()) return;
  out_(buffer_);
  buffer_.clear();  // keeps its capacity: the next findings are written without reallocating
}

void FindingsStreamWriter::Finish(std::string_view appendix) {
  std::string& tail = buffer_;  // after the findings not yet handed over
  if (format_ == Format::kTable) {
    if (!unassessed_.empty()) {
      tail +=
          "\nUNASSESSED: records naming a component that no source gives versions for (not "
          "findings; triage by hand)\n";
      AppendTableRows(unassessed_, tail);
    }
    tail += (ctx_.sbom_source.empty() ? "" : ctx_.sbom_source + ": ") + summary_.Text() + "\n";
    if (!ctx_.uncovered.empty()) {
      tail += internal::UncoveredSummary(ctx_.uncovered.size()) + ":\n";
      for (const UncoveredComponent& c : ctx_.uncovered) {
        tail += "  " + UncoveredLine(c) + "\n";
      }
    }
    tail += appendix;
    Flush();
    return;
  }
  tail += summary_.total == 0 ? "]" : "\n  ]";
  tail += ",\n  \"unassessed\": [";
  for (size_t i = 0; i < unassessed_.size(); ++i) {
    tail += i == 0 ? "\n    " : ",\n    ";
    internal::AppendFindingJson(tail, unassessed_[i]);
  }
  tail += unassessed_.empty() ? "]" : "\n  ]";
  tail += ",\n  \"summary\": ";
  AppendJsonString(tail, summary_.Text());
  if (!appendix.empty()) {
    tail += ",\n  ";
    tail += appendix;
  }
  tail += "\n}\n";
  Flush();
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
