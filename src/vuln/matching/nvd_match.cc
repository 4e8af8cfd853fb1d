// NVD matching rules: CPE applicability configurations evaluated for one component, with the
// SBOM's other components standing in for platform (vulnerable:false) conditions.
#include <algorithm>
#include <optional>

#include "vigil/vuln/version.h"
#include "internal/match_rules.h"

namespace vigil::vuln::internal {
namespace {

// Three-valued logic: a platform condition nothing in the SBOM confirms is unknown, not false.
enum class Tri { kFalse, kTrue, kUnknown };

Tri Not(Tri t) { return t == Tri::kTrue ? Tri::kFalse : t == Tri::kFalse ? Tri::kTrue : t; }

Tri Combine(bool and_op, const std::vector<Tri>& values) {
  Tri absorbing = and_op ? Tri::kFalse : Tri::kTrue;
  bool unknown = false;
  for (Tri t : values) {
    if (t == absorbing) return absorbing;
    unknown = unknown || t == Tri::kUnknown;
  }
  if (unknown) return Tri::kUnknown;
  return Not(absorbing);
}

// How one cpeMatch relates to one component.
struct CpeVerdict {
  bool matched = false;
  bool any_version = false;  // ANY/NA version without bounds: every version "matches"
  // NVD files one vendor:product under part a in some CVEs and o in others (RTOSes, firmware):
  // set when the parts differ that way; the match then has lower confidence.
  std::string part_note;
  std::string detail;  // the criteria and bounds, for the reason
  std::string fixed;   // versionEndExcluding: the first version outside the range
  std::string problem;
};

bool SameValue(const sbom::CpeValue& criteria, const sbom::CpeValue& component) {
  if (criteria.is_any() || component.is_any()) return true;
  return criteria.bound() == component.bound();
}

// Compares `v` with one bound; `inclusive_ok` says which orderings satisfy it.
bool Within(const Version& v, const std::string& bound, bool lower, bool inclusive,
            std::string& problem) {
  if (bound.empty()) return true;
  auto b = Version::Parse(VersionScheme::kGeneric, bound);
  if (!b) {
    problem = b.error().message();
    return false;
  }
  auto c = v <=> *b;
  if (c == 0) return inclusive;
  return lower ? c > 0 : c < 0;
}

std::string DescribeBounds(const CpeMatch& m) {
  std::string out;
  auto add = [&](std::string_view name, const std::string& v) {
    if (!v.empty()) out += " " + std::string(name) + " " + v;
  };
  add("versionStartIncluding", m.version_start_including);
  add("versionStartExcluding", m.version_start_excluding);
  add("versionEndIncluding", m.version_end_including);
  add("versionEndExcluding", m.version_end_excluding);
  return out;
}

// "" when the parts agree (or one is ANY), a note when they are a and o (same vendor and product
// filed as application in one CVE and operating system in another), nullopt when they differ
// otherwise: hardware (h) is never the software that runs on it.
std::optional<std::string> PartNote(const sbom::CpeValue& criteria,
                                    const sbom::CpeValue& component) {
  if (SameValue(criteria, component)) return std::string();
  const std::string a = criteria.bound(), b = component.bound();
  if ((a == "a" || a == "o") && (b == "a" || b == "o")) {
    return "CPE part '" + a + "' in the record, '" + b +
           "' in the SBOM: same vendor and product, lower confidence";
  }
  return std::nullopt;
}

CpeVerdict MatchCpe(const CpeMatch& m, const CpeComponent& c) {
  CpeVerdict out;
  auto crit = sbom::Cpe::Parse(m.criteria);
  if (!crit) return out;
  // Vendor and product exactly: a wildcard there identifies nothing (grype#580).
  for (auto a : {sbom::Cpe::kVendor, sbom::Cpe::kProduct}) {
    const sbom::CpeValue& v = crit->get(a);
    if (v.kind() != sbom::CpeValue::Kind::kValue || v.has_wildcard() ||
        v.bound() != c.cpe.get(a).bound()) {
      return out;
    }
  }
  std::optional<std::string> part_note = PartNote(crit->get(sbom::Cpe::kPart), c.cpe.part());
  if (!part_note) return out;
  out.part_note = std::move(*part_note);
  for (auto a :
       {sbom::Cpe::kUpdate, sbom::Cpe::kEdition, sbom::Cpe::kLanguage, sbom::Cpe::kSwEdition,
        sbom::Cpe::kTargetSw, sbom::Cpe::kTargetHw, sbom::Cpe::kOther}) {
    if (!SameValue(crit->get(a), c.cpe.get(a))) return out;
  }
  out.detail = m.path + " " + m.criteria + DescribeBounds(m);
  out.fixed = m.version_end_excluding;
  const sbom::CpeValue& cv = crit->version();
  bool open_version = cv.is_any() || cv.is_na();
  if (open_version && !m.HasBounds()) {
    out.matched = out.any_version = true;
    return out;
  }
  auto v = Version::Parse(VersionScheme::kGeneric, c.version);
  if (!v) {
    out.problem = "component " + v.error().message();
    return out;
  }
  if (!open_version) {
    if (cv.has_wildcard()) {
      out.problem = "criteria version pattern '" + cv.unescaped() + "' not supported";
      return out;
    }
    auto want = Version::Parse(VersionScheme::kGeneric, cv.unescaped());
    out.matched = want && *v == *want;
    return out;
  }
  out.matched = Within(*v, m.version_start_including, true, true, out.problem) &&
                Within(*v, m.version_start_excluding, true, false, out.problem) &&
                Within(*v, m.version_end_including, false, true, out.problem) &&
                Within(*v, m.version_end_excluding, false, false, out.problem);
  return out;
}

// Evaluation state of one configuration for one component.
struct ConfigWalk {
  const CpeComponent& component;
  const std::vector<CpeComponent>& platform;
  std::vector<CpeVerdict> hits;          // vulnerable entries that matched the component
  std::vector<std::string> unconfirmed;  // platform conditions nothing in the SBOM satisfies
  std::vector<std::string> problems;

  Tri Entry(const CpeMatch& m) {
    if (m.vulnerable) {
      CpeVerdict v = MatchCpe(m, component);
      if (!v.problem.empty()) problems.push_back(m.path + ": " + v.problem);
      if (!v.matched) return Tri::kFalse;
      hits.push_back(std::move(v));
      return Tri::kTrue;
    }
    // vulnerable:false: a platform the product runs on; it never identifies the component.
    for (const CpeComponent& p : platform) {
      if (p.index != component.index && MatchCpe(m, p).matched) return Tri::kTrue;
    }
    unconfirmed.push_back(m.criteria);
    return Tri::kUnknown;
  }

  Tri Node(const CpeNode& n) {
    std::vector<Tri> values;
    for (const CpeMatch& m : n.matches) values.push_back(Entry(m));
    Tri t = Combine(n.and_operator, values);
    return n.negate ? Not(t) : t;
  }

  Tri Configuration(const CpeConfiguration& c) {
    std::vector<Tri> values;
    for (const CpeNode& n : c.nodes) values.push_back(Node(n));
    Tri t = Combine(c.and_operator, values);
    return c.negate ? Not(t) : t;
  }
};

}  // namespace

RuleMatch MatchNvd(const Advisory& adv, const CpeComponent& component,
                   const std::vector<CpeComponent>& platform) {
  RuleMatch out;
  for (const CpeConfiguration& config : adv.configurations) {
    ConfigWalk walk{component, platform, {}, {}, {}};
    Tri t = walk.Configuration(config);
    for (const std::string& p : walk.problems) out.notes.push_back(adv.id + " " + p);
    if (t == Tri::kFalse || walk.hits.empty()) continue;
    for (const CpeVerdict& h : walk.hits) {
      if (!h.fixed.empty()) out.fixed_versions.push_back(h.fixed);
    }
    auto best = std::find_if(walk.hits.begin(), walk.hits.end(),
                             [](const CpeVerdict& h) { return !h.any_version; });
    const CpeVerdict& hit = best != walk.hits.end() ? *best : walk.hits.front();
    Confidence confidence = hit.any_version || t == Tri::kUnknown || !hit.part_note.empty()
                                ? Confidence::kLow
                                : Confidence::kHigh;
    if (out.matched && (out.confidence == Confidence::kHigh || confidence == Confidence::kLow))
      continue;
    out.matched = true;
    out.confidence = confidence;
    out.reason = (adv.source == AdvisorySource::kCve5 ? "CVE 5 " + adv.id + " CNA cpeApplicability"
                                                      : "NVD " + adv.id) +
                 " " + hit.detail;
    out.reason += hit.any_version ? " (version ANY/NA and no bounds: every version matches, "
                                    "low confidence) names " +
                                        component.version
                                  : " contains " + component.version;
    if (!hit.part_note.empty()) out.reason += " (" + hit.part_note + ")";
    if (t == Tri::kUnknown) {
      out.reason +=
          "; platform condition not confirmed by any SBOM component: " + walk.unconfirmed.front();
    }
  }
  return out;
}

}  // namespace vigil::vuln::internal
