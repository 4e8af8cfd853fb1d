// Product identity for VEX: vers ranges, identifier parsing, and the coverage rule.
#include "internal/vex_json.h"
#include "internal/vex_product.h"

#include <algorithm>
#include <utility>

#include "vigil/vuln/version.h"

namespace vigil::vuln {

std::string_view VexFormatName(VexFormat f) {
  switch (f) {
    case VexFormat::kCycloneDx:
      return "CycloneDX";
    case VexFormat::kCsaf:
      return "CSAF";
    case VexFormat::kOpenVex:
      break;
  }
  return "OpenVEX";
}

namespace {

constexpr std::pair<std::string_view, std::string_view> kCycloneDxToCanonical[] = {
    {"code_not_present", "vulnerable_code_not_present"},
    {"code_not_reachable", "vulnerable_code_not_in_execute_path"},
    {"requires_configuration", "vulnerable_code_cannot_be_controlled_by_adversary"},
    {"requires_dependency", "component_not_present"},
    {"requires_environment", "vulnerable_code_cannot_be_controlled_by_adversary"},
    {"protected_by_compiler", "inline_mitigations_already_exist"},
    {"protected_at_runtime", "inline_mitigations_already_exist"},
    {"protected_at_perimeter", "inline_mitigations_already_exist"},
    {"protected_by_mitigating_control", "inline_mitigations_already_exist"},
};

}  // namespace

bool IsCanonicalJustification(std::string_view label) {
  return label == "component_not_present" || label == "vulnerable_code_not_present" ||
         label == "vulnerable_code_not_in_execute_path" ||
         label == "vulnerable_code_cannot_be_controlled_by_adversary" ||
         label == "inline_mitigations_already_exist";
}

std::optional<std::string> CycloneDxJustificationToCanonical(std::string_view label) {
  for (const auto& [cdx, canonical] : kCycloneDxToCanonical) {
    if (cdx == label) return std::string(canonical);
  }
  return std::nullopt;
}

std::string_view CanonicalJustificationToCycloneDx(std::string_view label) {
  // The first CycloneDX label mapping to it is the closest one.
  for (const auto& [cdx, canonical] : kCycloneDxToCanonical) {
    if (canonical == label) return cdx;
  }
  return "";
}

namespace {

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };
struct Constraint {
  Op op;
  std::string version;
};

Result<VersionScheme> VersScheme(std::string_view scheme) {
  if (scheme == "semver") return VersionScheme::kSemver;
  return SchemeForEcosystem(scheme);
}

Result<std::vector<Constraint>> ParseConstraints(std::string_view body, std::string_view range) {
  std::vector<Constraint> out;
  auto fail = [&](std::string why) {
    return InvalidArgumentError("vers range '" + std::string(range) + "': " + std::move(why));
  };
  while (true) {
    size_t bar = body.find('|');
    std::string item;
    for (char c : body.substr(0, bar)) {
      if (c != ' ') item += c;
    }
    static constexpr std::pair<std::string_view, Op> kOps[] = {{">=", Op::kGe}, {"<=", Op::kLe},
                                                               {"!=", Op::kNe}, {"<", Op::kLt},
                                                               {">", Op::kGt},  {"=", Op::kEq}};
    Constraint c{Op::kEq, item};
    for (const auto& [text, op] : kOps) {
      if (item.rfind(text, 0) == 0) {
        c = {op, item.substr(text.size())};
        break;
      }
    }
    if (c.version.empty()) return fail("empty constraint");
    out.push_back(std::move(c));
    if (bar == std::string_view::npos) break;
    body.remove_prefix(bar + 1);
  }
  return out;
}

// Orders a and b in `scheme`; where either does not parse there, in the generic scheme (VEX
// authors write "vers:semver/<2.6.7.5" for Maven versions).
std::weak_ordering Order(VersionScheme scheme, std::string_view a, std::string_view b) {
  auto r = CompareVersions(scheme, a, b);
  if (r) return *r;
  auto g = CompareVersions(VersionScheme::kGeneric, a, b);
  return g ? *g : a.compare(b) <=> 0;
}

bool Satisfies(VersionScheme scheme, std::string_view v, const Constraint& c) {
  std::weak_ordering o = Order(scheme, v, c.version);
  switch (c.op) {
    case Op::kLt:
      return o < 0;
    case Op::kLe:
      return o <= 0;
    case Op::kGt:
      return o > 0;
    case Op::kGe:
      return o >= 0;
    case Op::kEq:
      return o == 0;
    case Op::kNe:
      return o != 0;
  }
  return false;
}

bool IsLess(Op op) { return op == Op::kLt || op == Op::kLe; }
bool IsGreater(Op op) { return op == Op::kGt || op == Op::kGe; }

}  // namespace

// The vers specification's containment algorithm: equality constraints first, then the
// remaining ordered constraints as a sequence of intervals.
Result<bool> VersInRange(std::string_view range, std::string_view version) {
  if (range.rfind("vers:", 0) != 0) {
    return InvalidArgumentError("vers range '" + std::string(range) + "': expected 'vers:' prefix");
  }
  std::string_view rest = range.substr(5);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) {
    return InvalidArgumentError("vers range '" + std::string(range) +
                                "': expected vers:<scheme>/<constraints>");
  }
  auto scheme = VersScheme(rest.substr(0, slash));
  if (!scheme) {
    return InvalidArgumentError("vers range '" + std::string(range) + "': unknown scheme '" +
                                std::string(rest.substr(0, slash)) + "'");
  }
  std::string_view body = rest.substr(slash + 1);
  if (body == "*") return true;
  VIGIL_ASSIGN_OR_RETURN(std::vector<Constraint> all, ParseConstraints(body, range));
  std::vector<Constraint> ordered;
  for (const Constraint& c : all) {
    if (c.op == Op::kEq || c.op == Op::kNe) {
      if (Order(*scheme, version, c.version) == 0) return c.op == Op::kEq;
    } else {
      ordered.push_back(c);
    }
  }
  std::stable_sort(ordered.begin(), ordered.end(), [&](const Constraint& a, const Constraint& b) {
    return Order(*scheme, a.version, b.version) < 0;
  });
  for (size_t i = 0; i < ordered.size(); ++i) {
    const Constraint& c = ordered[i];
    if (i == 0 && IsLess(c.op) && Satisfies(*scheme, version, c)) return true;
    if (i + 1 == ordered.size() && IsGreater(c.op) && Satisfies(*scheme, version, c)) return true;
    if (i + 1 < ordered.size() && IsGreater(c.op) && IsLess(ordered[i + 1].op) &&
        Satisfies(*scheme, version, c) && Satisfies(*scheme, version, ordered[i + 1])) {
      return true;
    }
  }
  return false;
}

namespace internal {

Subject SubjectOf(const Finding& f) {
  Subject s{f.component_ref, f.component_name, f.component_version, std::nullopt, std::nullopt};
  if (!f.component_purl.empty()) {
    if (auto p = sbom::PackageUrl::Parse(f.component_purl)) s.purl = std::move(*p);
  }
  if (!f.component_cpe.empty()) {
    if (auto c = sbom::Cpe::Parse(f.component_cpe)) s.cpe = std::move(*c);
  }
  if (s.version.empty() && s.purl && s.purl->version()) s.version = *s.purl->version();
  return s;
}

Subject SubjectOf(const sbom::Component& c) {
  Subject s{c.ref, c.name, c.version, c.purl, c.cpe};
  if (s.version.empty() && s.purl && s.purl->version()) s.version = *s.purl->version();
  return s;
}

Status SetIdentifier(const json::Node& at, std::string_view text, VexProductId& id) {
  if (text.rfind("pkg:", 0) == 0) {
    auto p = sbom::PackageUrl::Parse(text);
    if (!p) return at.Invalid(p.error().message());
    id.purl = std::move(*p);
  } else if (text.rfind("cpe:2.3:", 0) == 0) {
    auto c = sbom::Cpe::Parse(text);
    if (!c) return at.Invalid(c.error().message());
    id.cpe = std::move(*c);
  }
  return OkStatus();
}

Status CheckRanges(const json::Node& at, const VexProductId& id) {
  for (const std::string& range : id.ranges) {
    auto ok = VersInRange(range, "0");
    if (!ok) return at.Invalid(ok.error().message());
  }
  return OkStatus();
}

namespace {

// A subject's purl without a version has the component's version (SBOMs write
// "pkg:github/wolfssl/wolfssl" beside "version": "4.8.1"), so a versioned purl covers it when
// the versions agree.
bool PurlCovers(const sbom::PackageUrl& want, const Subject& s) {
  if (!s.purl || !want.SamePackage(*s.purl)) return false;
  const std::string& have = s.purl->version() ? *s.purl->version() : s.version;
  if (want.version() && *want.version() != have) return false;
  for (const auto& [key, value] : want.qualifiers()) {
    auto it = s.purl->qualifiers().find(key);
    if (it == s.purl->qualifiers().end() || it->second != value) return false;
  }
  return true;
}

bool CpeCovers(const sbom::Cpe& want, const Subject& s) {
  if (!s.cpe) return false;
  for (int a = 0; a < sbom::Cpe::kAttributeCount; ++a) {
    const sbom::CpeValue& w = want.get(static_cast<sbom::Cpe::Attribute>(a));
    if (w.is_any()) continue;
    if (!(w == s.cpe->get(static_cast<sbom::Cpe::Attribute>(a)))) return false;
  }
  return true;
}

bool RefCovers(const std::string& ref, const Subject& s) {
  if (s.ref.empty()) return false;
  if (ref == s.ref) return true;
  // A CycloneDX BOM-Link "urn:cdx:<serial>/<version>#<bom-ref>" names the bom-ref after '#'.
  size_t hash = ref.rfind('#');
  return ref.rfind("urn:cdx:", 0) == 0 && hash != std::string::npos &&
         ref.compare(hash + 1, std::string::npos, s.ref) == 0;
}

bool VersionCovered(const VexProductId& id, const Subject& s) {
  if (id.versions.empty() && id.ranges.empty()) return true;
  if (s.version.empty()) return false;
  for (const std::string& v : id.versions) {
    if (v == s.version) return true;
  }
  for (const std::string& range : id.ranges) {
    auto in = VersInRange(range, s.version);
    if (in && *in) return true;
  }
  return false;
}

}  // namespace

bool Covers(const VexProductId& id, const Subject& s) {
  bool identified = false;
  if (id.match_ref && !id.ref.empty() && RefCovers(id.ref, s)) identified = true;
  if (!identified && id.purl) identified = PurlCovers(*id.purl, s);
  if (!identified && id.cpe) identified = CpeCovers(*id.cpe, s);
  if (!identified && !id.purl && !id.cpe && !id.name.empty()) {
    identified = EqualsIgnoreCase(id.name, s.name);
  }
  return identified && VersionCovered(id, s);
}

}  // namespace internal
}  // namespace vigil::vuln
