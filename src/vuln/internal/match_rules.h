// The two matching rule sets behind MatchSbom (matcher.h), kept apart from the database and
// enrichment so that tests and fuzzers can drive them directly.
#ifndef VIGIL_VULN_INTERNAL_MATCH_RULES_H_
#define VIGIL_VULN_INTERNAL_MATCH_RULES_H_

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "internal/osv_view.h"
#include "vigil/sbom/sbom.h"
#include "vigil/vuln/advisory.h"
#include "vigil/vuln/finding.h"
#include "vigil/vuln/version.h"

namespace vigil::vuln::internal {

// An OSV package a purl names: ecosystem (base name, "Go") and name as OSV writes it.
struct OsvPackageRef {
  std::string ecosystem;
  std::string name;
};

// The OSV package for a purl (golang → Go "ns/name", maven → Maven "group:artifact", npm →
// "@scope/name", deb → Debian/Ubuntu by namespace, …); nullopt for purl types OSV has no
// ecosystem for.
std::optional<OsvPackageRef> OsvPackageForPurl(const sbom::PackageUrl& purl);

// The verdict of one advisory for one component version.
struct RuleMatch {
  bool matched = false;
  Confidence confidence = Confidence::kHigh;
  std::string reason;                       // why it matched (empty when not)
  std::vector<std::string> fixed_versions;  // OSV fixed events of the matching entries
  std::vector<std::string> notes;           // what could not be evaluated, and why
  // No source gives versions for this component, but a record names it: listed apart from
  // findings for a person to triage (`reason` says what names it).
  bool unassessed = false;
};

// A component as OSV matching sees it: its package and version, the version checked once per
// scheme it is compared in (a package's advisories compare it hundreds of times).
class OsvComponent {
 public:
  OsvComponent(OsvPackageRef package, std::string version);
  const OsvPackageRef& package() const { return package_; }
  const std::string& version() const { return version_; }
  // OK when the version is valid in `scheme`, else Version::Validate's error.
  const Status& ValidIn(VersionScheme scheme);

 private:
  OsvPackageRef package_;
  std::string version_;
  std::array<std::optional<Status>, static_cast<size_t>(VersionScheme::kGeneric) + 1> valid_;
};

// Evaluates every affected[] entry of `adv` for the component's package at its version
// (osv-schema.md "Evaluation", ranges per their type's version scheme, GIT ranges only noted).
RuleMatch MatchOsv(const OsvView& adv, OsvComponent& component);
// The same on an advisory (tests, fuzzers).
RuleMatch MatchOsv(const Advisory& adv, const OsvPackageRef& pkg, const std::string& version);

// A component as the NVD rules see it: its CPE and its version (the CPE's version attribute
// when concrete, else the SBOM version).
struct CpeComponent {
  sbom::Cpe cpe;
  std::string version;
  size_t index = 0;  // position in the SBOM's components
};

// Evaluates the NVD configurations of `adv` for `component`; `platform` holds the CPEs of the
// SBOM's other components (satisfying vulnerable:false conditions).
RuleMatch MatchNvd(const Advisory& adv, const CpeComponent& component,
                   const std::vector<CpeComponent>& platform);

// How records may name a component: normalized product names (its name, CPE product, purl
// name) and vendors (CPE vendor, last purl namespace segment, group).
struct ComponentNames {
  std::vector<std::string> products;
  std::vector<std::string> vendors;
};
ComponentNames NamesOf(const sbom::Component& c);

// Lower case, "(…)" dropped, every run of other than letters and digits one space, trimmed:
// "Apache NuttX (incubating)" → "apache nuttx", "mbed_tls" → "mbed tls", "uClibc-ng" →
// "uclibc ng". Names and descriptions are compared in this form.
std::string NormalizeName(std::string_view text);

// The normalized names a CVE JSON 5 product goes by: the product, and without its first word
// when that is the vendor's ("Apache NuttX" by "Apache Software Foundation" → "nuttx").
std::vector<std::string> ProductKeys(std::string_view product, std::string_view vendor);

// Whether a record gives versions anything could be matched with: NVD configurations, a
// cpeApplicability, or a CVE JSON 5 product (not "n/a") with a version entry a release version
// can be placed against (not a git commit range, not free text).
bool GivesVersions(const Advisory& adv);

// A component as MatchCve sees it.
struct CveComponent {
  std::optional<CpeComponent> cpe;
  ComponentNames names;
  std::string version;  // the SBOM's (or purl's) version, for CVE JSON 5 products
};

// One CVE for one component from its NVD record and its CVE JSON 5 record (either may be null):
// never when either says rejected; NVD's configurations when they name the component's CPE
// vendor and product; else the CVE 5 products naming the component (CNA and ADPs: versions
// entries, changes and defaultStatus; git commit ranges and free text skipped and noted; a
// vendor that differs from the SBOM's gives Confidence::kLow), else its cpeApplicability; else,
// when NVD has no configurations and a record names the component (the CNA block's product, or
// the description when the CNA block is "n/a"), unassessed.
RuleMatch MatchCve(const Advisory* nvd, const Advisory* cve5, const CveComponent& component,
                   const std::vector<CpeComponent>& platform);

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_MATCH_RULES_H_
