// MatchSbom: per component, candidate advisories from the database indexes, the OSV and NVD
// rules (osv_match.cc, nvd_match.cc), then severity, KEV and EPSS context (matcher.h).
#include "vigil/vuln/matcher.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "vigil/vuln/cvss.h"
#include "vuln/internal/match_rules.h"

namespace vigil::vuln {
namespace {

using internal::CpeComponent;
using internal::RuleMatch;

Severity BandOf(double score) {
  if (score <= 0) return Severity::kNone;
  if (score < 4.0) return Severity::kLow;
  if (score < 7.0) return Severity::kMedium;
  if (score < 9.0) return Severity::kHigh;
  return Severity::kCritical;
}

// GHSA / NVD qualitative labels ("MODERATE" is GitHub's medium).
Severity BandOf(std::string_view label) {
  std::string l;
  for (char c : label) l.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (l == "CRITICAL") return Severity::kCritical;
  if (l == "HIGH") return Severity::kHigh;
  if (l == "MODERATE" || l == "MEDIUM") return Severity::kMedium;
  if (l == "LOW") return Severity::kLow;
  if (l == "NONE") return Severity::kNone;
  return Severity::kUnknown;
}

// Per-call caches: an SBOM names the same advisory from many components.
class Context {
 public:
  Context(const AdvisoryDb& db, const MatchOptions& options) : db_(db), options_(options) {}

  Result<const Advisory*> Get(const std::string& id) {
    auto it = advisories_.find(id);
    if (it == advisories_.end()) {
      VIGIL_ASSIGN_OR_RETURN(auto adv, db_.Load(id));
      it = advisories_.emplace(id, std::move(adv)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

  // Each distinct note once: an advisory problem would otherwise repeat for every version.
  void Note(std::string note) {
    if (options_.notes != nullptr && noted_.insert(note).second) {
      options_.notes->push_back(std::move(note));
    }
  }
  void Notes(const std::vector<std::string>& notes) {
    for (const auto& n : notes) Note(n);
  }

  // A finding holding only the advisory's own fields and its severity, KEV and EPSS context;
  // computed once per advisory (each costs database lookups) however many components it
  // matches. Valid until the next Trim().
  Result<const Finding*> Enriched(const Advisory& adv);

  // Called between components: drops the caches once they hold more than kMaxCached
  // advisories, so memory stays bounded however large the SBOM and the database are (an SBOM
  // naming a package many times far apart may load its advisories more than once).
  void Trim() {
    if (advisories_.size() + enriched_.size() <= kMaxCached) return;
    advisories_.clear();
    enriched_.clear();
  }

 private:
  static constexpr size_t kMaxCached = 4096;

  Status Severity(const Advisory& adv, Finding& f);
  Status Exploitation(const Advisory& adv, Finding& f);

  const AdvisoryDb& db_;
  const MatchOptions& options_;
  std::unordered_map<std::string, std::optional<Advisory>> advisories_;
  std::unordered_map<std::string, Finding> enriched_;  // advisory id → its context fields
  std::unordered_set<std::string> noted_;
};

// The CVE ids an advisory goes by: its own id and its CVE aliases.
std::vector<std::string> CveIds(const Advisory& adv) {
  std::vector<std::string> out;
  if (adv.id.rfind("CVE-", 0) == 0) out.push_back(adv.id);
  for (const std::string& a : adv.aliases) {
    if (a.rfind("CVE-", 0) == 0) out.push_back(a);
  }
  return out;
}

// Takes the first stated score; an OSV advisory borrows the NVD score of its CVE alias when
// that record is in the database; else the base score of the first CVSS v3 vector; else the
// qualitative label (GHSA "MODERATE"…).
Status Context::Severity(const Advisory& adv, Finding& f) {
  std::vector<const Advisory*> sources = {&adv};
  if (adv.source == AdvisorySource::kOsv) {
    for (const std::string& cve : CveIds(adv)) {
      VIGIL_ASSIGN_OR_RETURN(const Advisory* nvd, Get(cve));
      if (nvd != nullptr && nvd->source == AdvisorySource::kNvd) sources.push_back(nvd);
    }
  }
  for (const Advisory* a : sources) {
    for (const SeverityScore& s : a->severities) {
      if (!s.base_score) continue;
      f.cvss_score = s.base_score;
      f.cvss_vector = s.vector;
      f.severity = BandOf(*s.base_score);
      return OkStatus();
    }
  }
  // No stated score: compute the CVSS v3 base score from a vector (all OSV gives). A v4 or
  // malformed vector leaves the qualitative label, if any.
  for (const Advisory* a : sources) {
    for (const SeverityScore& s : a->severities) {
      auto score = s.vector.rfind("CVSS:3.", 0) == 0 ? CvssV3BaseScore(s.vector)
                                                     : Result<double>(NotFoundError("not v3"));
      if (!score) continue;
      f.cvss_score = *score;
      f.cvss_vector = s.vector;
      f.severity = BandOf(*score);
      return OkStatus();
    }
  }
  if (!adv.severities.empty()) f.cvss_vector = adv.severities.front().vector;
  f.severity = BandOf(adv.severity_label);
  return OkStatus();
}

Status Context::Exploitation(const Advisory& adv, Finding& f) {
  for (const std::string& cve : CveIds(adv)) {
    VIGIL_ASSIGN_OR_RETURN(auto kev, db_.Kev(cve));
    if (kev && !f.kev) {
      f.kev = true;
      f.kev_due_date = kev->due_date;
      f.kev_ransomware = kev->ransomware;
    }
    VIGIL_ASSIGN_OR_RETURN(auto epss, db_.Epss(cve));
    if (epss && (!f.epss_score || epss->score > *f.epss_score)) {
      f.epss_score = epss->score;
      f.epss_percentile = epss->percentile;
    }
  }
  return OkStatus();
}

Result<const Finding*> Context::Enriched(const Advisory& adv) {
  auto it = enriched_.find(adv.id);
  if (it == enriched_.end()) {
    Finding e;
    e.advisory_id = adv.id;
    e.aliases = adv.aliases;
    e.summary = adv.summary;
    VIGIL_RETURN_IF_ERROR(Severity(adv, e));
    VIGIL_RETURN_IF_ERROR(Exploitation(adv, e));
    it = enriched_.emplace(adv.id, std::move(e)).first;
  }
  return &it->second;
}

// `advisory` (from Context::Enriched) completed with the component and why it matched.
Finding NewFinding(const Finding& advisory, const sbom::Component& c, const std::string& version,
                   RuleMatch m) {
  Finding f = advisory;
  f.component_ref = c.ref;
  f.component_name = c.name;
  f.component_version = version;
  f.component_purl = c.purl_text;
  f.component_cpe = c.cpe_text;
  std::sort(m.fixed_versions.begin(), m.fixed_versions.end());
  m.fixed_versions.erase(std::unique(m.fixed_versions.begin(), m.fixed_versions.end()),
                         m.fixed_versions.end());
  f.fixed_versions = std::move(m.fixed_versions);
  f.match_reason = std::move(m.reason);
  f.confidence = m.confidence;
  return f;
}

std::string ComponentLabel(size_t i, const sbom::Component& c) {
  return "components[" + std::to_string(i) + "] (" + c.name + "@" + c.version + ")";
}

// The version to match: the purl's when it has one, else the component's.
std::string ComponentVersion(const sbom::Component& c) {
  if (c.purl && c.purl->version() && !c.purl->version()->empty()) return *c.purl->version();
  return c.version;
}

std::optional<CpeComponent> CpeOf(const sbom::Component& c, size_t index) {
  if (!c.cpe) return std::nullopt;
  const sbom::CpeValue& v = c.cpe->version();
  std::string version =
      v.kind() == sbom::CpeValue::Kind::kValue && !v.has_wildcard() ? v.unescaped() : c.version;
  return CpeComponent{*c.cpe, version, index};
}

Status MatchOsvComponent(Context& ctx, const AdvisoryDb& db, size_t i, const sbom::Component& c,
                         std::vector<Finding>& out) {
  if (!c.purl) return OkStatus();
  auto pkg = internal::OsvPackageForPurl(*c.purl);
  if (!pkg) {
    ctx.Note(ComponentLabel(i, c) + ": purl type '" + c.purl->type() + "' has no OSV ecosystem");
    return OkStatus();
  }
  std::string version = ComponentVersion(c);
  if (version.empty()) {
    ctx.Note(ComponentLabel(i, c) + ": no version; not matched");
    return OkStatus();
  }
  // The package's advisories come in one index range; they need no cache (an SBOM rarely
  // lists a package twice), only their severity and exploitation context is cached.
  VIGIL_ASSIGN_OR_RETURN(auto advisories, db.PackageAdvisories(pkg->ecosystem, pkg->name));
  for (const Advisory& adv : advisories) {
    RuleMatch m = internal::MatchOsv(adv, *pkg, version);
    ctx.Notes(m.notes);
    if (!m.matched) continue;
    VIGIL_ASSIGN_OR_RETURN(const Finding* base, ctx.Enriched(adv));
    out.push_back(NewFinding(*base, c, version, std::move(m)));
  }
  return OkStatus();
}

Status MatchNvdComponent(Context& ctx, const AdvisoryDb& db, size_t i, const sbom::Component& c,
                         const std::vector<CpeComponent>& platform, std::vector<Finding>& out) {
  auto cpe = CpeOf(c, i);
  if (!cpe) return OkStatus();
  const sbom::CpeValue& vendor = cpe->cpe.vendor();
  const sbom::CpeValue& product = cpe->cpe.product();
  if (vendor.kind() != sbom::CpeValue::Kind::kValue ||
      product.kind() != sbom::CpeValue::Kind::kValue) {
    return OkStatus();
  }
  VIGIL_ASSIGN_OR_RETURN(auto ids, db.AdvisoriesForCpeProduct(vendor.bound(), product.bound()));
  for (const std::string& id : ids) {
    VIGIL_ASSIGN_OR_RETURN(const Advisory* adv, ctx.Get(id));
    if (adv == nullptr) continue;
    RuleMatch m = internal::MatchNvd(*adv, *cpe, platform);
    ctx.Notes(m.notes);
    if (!m.matched) continue;
    VIGIL_ASSIGN_OR_RETURN(const Finding* base, ctx.Enriched(*adv));
    out.push_back(NewFinding(*base, c, cpe->version, std::move(m)));
  }
  return OkStatus();
}

// One finding per vulnerability: an NVD finding whose CVE an OSV finding of the same component
// aliases is folded into that OSV finding's reason.
void FoldNvdIntoOsv(std::vector<Finding>& osv, std::vector<Finding>& nvd) {
  for (Finding& n : nvd) {
    auto it = std::find_if(osv.begin(), osv.end(), [&](const Finding& o) {
      return std::find(o.aliases.begin(), o.aliases.end(), n.advisory_id) != o.aliases.end();
    });
    if (it == osv.end()) {
      osv.push_back(std::move(n));
      continue;
    }
    it->match_reason += "; also " + n.match_reason;
  }
}

// The findings of one component, VEX-free, ordered by advisory id.
Status MatchComponent(Context& ctx, const AdvisoryDb& db, size_t i, const sbom::Sbom& sbom,
                      const std::vector<CpeComponent>& all_cpes, const MatchOptions& options,
                      std::vector<Finding>& out) {
  const sbom::Component& c = sbom.components[i];
  if (!c.purl && !c.cpe) {
    ctx.Note(ComponentLabel(i, c) + ": no valid purl or CPE; not matched");
    return OkStatus();
  }
  std::vector<Finding> osv, nvd;
  VIGIL_RETURN_IF_ERROR(MatchOsvComponent(ctx, db, i, c, osv));
  VIGIL_RETURN_IF_ERROR(MatchNvdComponent(ctx, db, i, c, all_cpes, nvd));
  FoldNvdIntoOsv(osv, nvd);
  std::sort(osv.begin(), osv.end(),
            [](const Finding& a, const Finding& b) { return a.advisory_id < b.advisory_id; });
  for (Finding& f : osv) {
    if (f.confidence == Confidence::kLow && !options.include_low_confidence) continue;
    out.push_back(std::move(f));
  }
  return OkStatus();
}

Status MatchEach(const sbom::Sbom& sbom, const AdvisoryDb& db, const FindingSink& sink,
                 const MatchOptions& options) {
  Context ctx(db, options);
  std::vector<CpeComponent> all_cpes;
  for (size_t i = 0; i < sbom.components.size(); ++i) {
    if (auto cpe = CpeOf(sbom.components[i], i)) all_cpes.push_back(std::move(*cpe));
  }
  std::vector<Finding> batch;
  for (size_t i = 0; i < sbom.components.size(); ++i) {
    ctx.Trim();
    batch.clear();
    VIGIL_RETURN_IF_ERROR(MatchComponent(ctx, db, i, sbom, all_cpes, options, batch));
    if (!batch.empty()) VIGIL_RETURN_IF_ERROR(sink(batch));
  }
  return OkStatus();
}

}  // namespace

Status MatchSbomStreaming(const sbom::Sbom& sbom, const AdvisoryDb& db, const FindingSink& sink,
                          const MatchOptions& options) {
  // One read snapshot for the whole scan; a caller already inside a transaction (an import
  // that matches as it goes) keeps its own.
  const bool snapshot = db.BeginRead().has_value();
  Status matched = MatchEach(sbom, db, sink, options);
  if (snapshot) {
    Status s = db.EndRead();
    if (!s && matched) return s;
  }
  return matched;
}

Result<std::vector<Finding>> MatchSbom(const sbom::Sbom& sbom, const AdvisoryDb& db,
                                       const MatchOptions& options) {
  std::vector<Finding> findings;
  VIGIL_RETURN_IF_ERROR(MatchSbomStreaming(
      sbom, db,
      [&](std::vector<Finding>& batch) {
        for (Finding& f : batch) findings.push_back(std::move(f));
        return OkStatus();
      },
      options));
  return findings;
}

}  // namespace vigil::vuln
