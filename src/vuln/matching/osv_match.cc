// OSV matching rules: purl → OSV package, and range evaluation as osv-schema.md's
// "Evaluation" pseudocode gives it.
#include <algorithm>

#include "vigil/vuln/advisory_db.h"
#include "vigil/vuln/version.h"
#include "internal/match_rules.h"

namespace vigil::vuln::internal {
namespace {

std::string BaseEcosystem(std::string_view e) { return std::string(e.substr(0, e.find(':'))); }

std::string Joined(const sbom::PackageUrl& p, std::string_view sep) {
  return p.ns() ? *p.ns() + std::string(sep) + p.name() : p.name();
}

// Linux distributions: the purl namespace names the distribution.
std::optional<std::string> DistroEcosystem(std::string_view type, std::string_view ns) {
  static constexpr std::pair<std::string_view, std::string_view> kDistros[] = {
      {"deb/debian", "Debian"},     {"deb/ubuntu", "Ubuntu"},     {"apk/alpine", "Alpine"},
      {"rpm/redhat", "Red Hat"},    {"rpm/rocky", "Rocky Linux"}, {"rpm/almalinux", "AlmaLinux"},
      {"rpm/opensuse", "openSUSE"}, {"rpm/suse", "SUSE"},         {"rpm/mageia", "Mageia"}};
  std::string key = std::string(type) + "/" + std::string(ns);
  for (const auto& [k, eco] : kDistros) {
    if (k == key) return std::string(eco);
  }
  return std::nullopt;
}

// An event version, parsed; nullopt stands for introduced "0" (before everything) or a limit
// containing "*" (after everything).
struct ParsedEvent {
  OsvEvent::Kind kind;
  std::optional<Version> version;
};

bool IsZero(const OsvEvent& e) { return e.kind == OsvEvent::Kind::kIntroduced && e.version == "0"; }
bool IsInfinite(const OsvEvent& e) {
  return e.kind == OsvEvent::Kind::kLimit && e.version.find('*') != std::string::npos;
}

std::string_view KindName(OsvEvent::Kind k) {
  switch (k) {
    case OsvEvent::Kind::kIntroduced:
      return "introduced";
    case OsvEvent::Kind::kFixed:
      return "fixed";
    case OsvEvent::Kind::kLastAffected:
      return "last_affected";
    case OsvEvent::Kind::kLimit:
      break;
  }
  return "limit";
}

std::string DescribeEvents(const OsvRange& r) {
  std::string out;
  for (const OsvEvent& e : r.events) {
    if (!out.empty()) out += ", ";
    out += std::string(KindName(e.kind)) + " " + e.version;
  }
  return out;
}

// Orders events by version, "0" first and "*" last; a stable sort keeps document order
// between equal versions.
bool EventLess(const ParsedEvent& a, const ParsedEvent& b) {
  bool a_low = !a.version && a.kind == OsvEvent::Kind::kIntroduced;
  bool b_low = !b.version && b.kind == OsvEvent::Kind::kIntroduced;
  if (a_low || b_low) return a_low && !b_low;
  if (!a.version || !b.version) return a.version.has_value() && !b.version.has_value();
  return *a.version < *b.version;
}

struct RangeVerdict {
  bool affected = false;
  bool open_ended = false;  // affected with no fixed/last_affected/limit above the version
  std::string problem;      // non-empty: the range could not be evaluated
};

// Sorts stably: by insertion for the few events of almost every range (mostly in order
// already; std::stable_sort's buffer was a malloc and a free per range evaluated), by
// std::stable_sort beyond that (insertion is quadratic).
void SortEvents(std::vector<ParsedEvent>& events) {
  if (events.size() > 16) {
    std::stable_sort(events.begin(), events.end(), EventLess);
    return;
  }
  for (size_t i = 1; i < events.size(); ++i) {
    for (size_t j = i; j > 0 && EventLess(events[j], events[j - 1]); --j) {
      std::swap(events[j], events[j - 1]);
    }
  }
}

RangeVerdict EvaluateRange(const OsvRange& range, VersionScheme scheme, const Version& v) {
  std::vector<ParsedEvent> events;
  events.reserve(range.events.size());
  for (const OsvEvent& e : range.events) {
    if (IsZero(e) || IsInfinite(e)) {
      events.push_back({e.kind, std::nullopt});
      continue;
    }
    auto parsed = Version::Parse(scheme, e.version);
    if (!parsed)
      return {false, false, std::string(KindName(e.kind)) + " " + parsed.error().message()};
    events.push_back({e.kind, std::move(*parsed)});
  }
  // BeforeLimits: no limit events means an implicit "*".
  bool has_limit = false, before_limit = false;
  for (const ParsedEvent& e : events) {
    if (e.kind != OsvEvent::Kind::kLimit) continue;
    has_limit = true;
    if (!e.version || v < *e.version) before_limit = true;
  }
  if (has_limit && !before_limit) return {};
  SortEvents(events);
  RangeVerdict out;
  for (const ParsedEvent& e : events) {
    switch (e.kind) {
      case OsvEvent::Kind::kIntroduced:
        if (!e.version || v >= *e.version) out.affected = true;
        break;
      case OsvEvent::Kind::kFixed:
        if (v >= *e.version) out.affected = false;
        break;
      case OsvEvent::Kind::kLastAffected:
        if (v > *e.version) out.affected = false;
        break;
      case OsvEvent::Kind::kLimit:
        break;
    }
  }
  if (out.affected) {
    out.open_ended =
        !has_limit && std::none_of(events.begin(), events.end(), [&](const ParsedEvent& e) {
          return (e.kind == OsvEvent::Kind::kFixed || e.kind == OsvEvent::Kind::kLastAffected) &&
                 e.version && *e.version >= v;
        });
  }
  return out;
}

// The scheme a range's versions follow: SEMVER ranges SemVer, ECOSYSTEM ranges the ecosystem's.
Result<VersionScheme> RangeScheme(const OsvRange& range, const AffectedPackage& pkg) {
  if (range.type == "SEMVER") return VersionScheme::kSemver;
  return SchemeForEcosystem(pkg.ecosystem);
}

// Evaluates one affected[] entry; appends to `out`.
void MatchAffected(const Advisory& adv, const AffectedPackage& pkg, const std::string& version,
                   RuleMatch& out) {
  // Built only for a reason or a note (most entries need neither).
  auto where = [&] { return adv.id + " " + pkg.path; };
  for (const std::string& listed : pkg.versions) {
    if (listed != version) continue;
    out.matched = true;
    out.reason = "OSV " + where() + ".versions lists " + version;
  }
  for (const OsvRange& range : pkg.ranges) {
    for (const OsvEvent& e : range.events) {
      if (e.kind == OsvEvent::Kind::kFixed && range.type != "GIT")
        out.fixed_versions.push_back(e.version);
    }
    if (range.type == "GIT") {
      out.notes.push_back(adv.id + " " + range.path + ": GIT range (" + range.repo +
                          ") needs a commit, not a version; not matched");
      continue;
    }
    auto scheme = RangeScheme(range, pkg);
    if (!scheme) {
      out.notes.push_back(where() + ": no version ordering for ecosystem '" + pkg.ecosystem +
                          "'; " + range.path + " not evaluated");
      continue;
    }
    auto v = Version::Parse(*scheme, version);
    if (!v) {
      out.notes.push_back(where() + ": component " + v.error().message() + "; " + range.path +
                          " not evaluated");
      continue;
    }
    RangeVerdict verdict = EvaluateRange(range, *scheme, *v);
    if (!verdict.problem.empty()) {
      out.notes.push_back(adv.id + " " + range.path + ": " + verdict.problem + "; not evaluated");
      continue;
    }
    if (!verdict.affected || (out.matched && out.confidence == Confidence::kHigh)) continue;
    out.matched = true;
    out.confidence = Confidence::kHigh;
    out.reason = "OSV " + adv.id + " " + range.path + " " + range.type + " " +
                 DescribeEvents(range) + " contains " + version;
    if (verdict.open_ended && !pkg.hidden_bounds.empty()) {
      // advisory-database#470: the range says "every version from here on", but a bound is
      // written elsewhere. Reported, with the bound quoted, at low confidence.
      out.confidence = Confidence::kLow;
      out.reason += "; upper bound only outside the OSV range fields (" +
                    pkg.hidden_bounds.front() + "), not evaluated";
    }
  }
  if (pkg.ranges.empty() && pkg.versions.empty() && !pkg.hidden_bounds.empty() && !out.matched) {
    out.matched = true;
    out.confidence = Confidence::kLow;
    out.reason = "OSV " + where() +
                 " has no ranges or versions; its only bound is outside the OSV "
                 "fields (" +
                 pkg.hidden_bounds.front() + "), not evaluated";
  }
}

}  // namespace

std::optional<OsvPackageRef> OsvPackageForPurl(const sbom::PackageUrl& p) {
  const std::string& t = p.type();
  if (t == "golang") return OsvPackageRef{"Go", Joined(p, "/")};
  if (t == "pypi") return OsvPackageRef{"PyPI", NormalisePypiName(p.name())};
  if (t == "npm") return OsvPackageRef{"npm", Joined(p, "/")};
  if (t == "cargo") return OsvPackageRef{"crates.io", p.name()};
  if (t == "maven") return OsvPackageRef{"Maven", Joined(p, ":")};
  if (t == "nuget") return OsvPackageRef{"NuGet", p.name()};
  if (t == "gem") return OsvPackageRef{"RubyGems", p.name()};
  if (t == "composer") return OsvPackageRef{"Packagist", Joined(p, "/")};
  if (t == "hex") return OsvPackageRef{"Hex", p.name()};
  if (t == "pub") return OsvPackageRef{"Pub", p.name()};
  if (t == "swift") return OsvPackageRef{"SwiftURL", Joined(p, "/")};
  if (t == "hackage") return OsvPackageRef{"Hackage", p.name()};
  if (t == "cran") return OsvPackageRef{"CRAN", p.name()};
  if (p.ns()) {
    if (auto eco = DistroEcosystem(t, *p.ns())) return OsvPackageRef{*eco, p.name()};
  }
  return std::nullopt;
}

RuleMatch MatchOsv(const Advisory& adv, const OsvPackageRef& pkg, const std::string& version) {
  RuleMatch out;
  if (!adv.withdrawn.empty()) return out;
  for (const AffectedPackage& a : adv.affected) {
    if (BaseEcosystem(a.ecosystem) != pkg.ecosystem) continue;  // never across ecosystems
    std::string name = pkg.ecosystem == "PyPI" ? NormalisePypiName(a.name) : a.name;
    if (name != pkg.name) continue;
    MatchAffected(adv, a, version, out);
  }
  if (!out.matched) out.fixed_versions.clear();
  return out;
}

}  // namespace vigil::vuln::internal
