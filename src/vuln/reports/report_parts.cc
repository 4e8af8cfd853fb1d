#include "internal/report_parts.h"

#include <cctype>
#include <cstdio>

#include "vigil/risk/cvss.h"
#include "vigil/sbom/cpe.h"
#include "vigil/sbom/purl.h"
#include "vigil/vuln/scan_report.h"

namespace vigil::vuln::internal {

std::string ComponentIndex::ComponentKey(const Finding& f) {
  if (!f.component_ref.empty()) return "ref:" + f.component_ref;
  if (!f.component_purl.empty()) return "purl:" + f.component_purl;
  return "name:" + f.component_name + "@" + f.component_version;
}

ComponentIndex IndexComponents(std::span<const Finding> findings) {
  ComponentIndex index;
  for (const Finding& f : findings) {
    if (index.by_key.emplace(ComponentIndex::ComponentKey(f), index.first.size()).second) {
      index.first.push_back(&f);
    }
  }
  return index;
}

std::string PercentEncode(std::string_view text, std::string_view keep) {
  std::string out;
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (std::isalnum(u) || keep.find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", u);
      out += buf;
    }
  }
  return out;
}

std::string VersionedPurl(std::string_view purl, std::string_view version) {
  auto p = sbom::PackageUrl::Parse(purl);
  if (!p) return "";
  if (p->version() || version.empty()) return p->ToString();
  auto v = sbom::PackageUrl::Create(p->type(), p->ns(), p->name(), std::string(version),
                                    p->qualifiers(), p->subpath());
  return v ? v->ToString() : p->ToString();
}

std::string ComponentLabel(const Finding& f) {
  if (!f.component_purl.empty()) return f.component_purl;
  return f.component_version.empty() ? f.component_name
                                     : f.component_name + "@" + f.component_version;
}

std::string_view IdSource(std::string_view id) {
  if (id.rfind("CVE-", 0) == 0) return "NVD";
  if (id.rfind("GHSA-", 0) == 0) return "GitHub Advisory Database";
  if (id.rfind("GO-", 0) == 0) return "Go Vulnerability Database";
  if (id.rfind("PYSEC-", 0) == 0) return "PyPI Advisory Database";
  return "OSV";
}

bool IsCveId(std::string_view id) {
  if (id.size() < 13 || id.substr(0, 4) != "CVE-" || id[8] != '-') return false;
  for (size_t i = 4; i < id.size(); ++i) {
    if (i != 8 && !std::isdigit(static_cast<unsigned char>(id[i]))) return false;
  }
  return true;
}

std::string CveOf(const Finding& f) {
  if (IsCveId(f.advisory_id)) return f.advisory_id;
  for (const std::string& a : f.aliases) {
    if (IsCveId(a)) return a;
  }
  return "";
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string Recommendation(const Finding& f) {
  if (f.fixed_versions.empty()) return "No fixed version of " + f.component_name + " is known";
  return "Upgrade " + f.component_name + " to " + Join(f.fixed_versions, " or ") + " or later";
}

std::string FormatProbability(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.5f", p);
  return buf;
}

IdentificationHelper CsafIdentificationHelper(std::string_view purl, std::string_view cpe) {
  IdentificationHelper out;
  if (auto p = sbom::PackageUrl::Parse(purl)) out.purl = p->ToString();
  if (auto c = sbom::Cpe::Parse(cpe)) out.cpe = c->ToString();
  return out;
}

std::optional<CsafCvss> CsafCvssOf(std::string_view vector) {
  auto s = risk::cvss::Evaluate(vector);
  if (!s || s->version == risk::cvss::Version::kV4_0) return std::nullopt;
  CsafCvss out;
  const bool v2 = s->version == risk::cvss::Version::kV2_0;
  out.slot = v2 ? "cvss_v2" : "cvss_v3";
  out.version = risk::cvss::VersionName(s->version);
  out.vector = std::string(vector);
  out.base_score = s->base;
  if (!v2) {
    for (char c : risk::cvss::SeverityName(risk::cvss::SeverityOf(s->version, s->base))) {
      out.base_severity += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string UncoveredSummary(size_t count) {
  return std::to_string(count) + (count == 1 ? " component" : " components") +
         " not covered: nothing in the advisory database could match them";
}

}  // namespace vigil::vuln::internal

namespace vigil::vuln {

std::string UncoveredLine(const UncoveredComponent& c) {
  std::string label = !c.purl.empty()     ? c.purl
                      : c.version.empty() ? c.name
                                          : c.name + "@" + c.version;
  return label + ": " + c.reason;
}

}  // namespace vigil::vuln
