// The two matching rule sets behind MatchSbom (matcher.h), kept apart from the database and
// enrichment so that tests and fuzzers can drive them directly.
#ifndef VIGIL_VULN_INTERNAL_MATCH_RULES_H_
#define VIGIL_VULN_INTERNAL_MATCH_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "vigil/sbom/sbom.h"
#include "vigil/vuln/advisory.h"
#include "vigil/vuln/finding.h"

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
};

// Evaluates every affected[] entry of `adv` for package `pkg` at `version` (osv-schema.md
// "Evaluation", ranges per their type's version scheme, GIT ranges only noted).
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

}  // namespace vigil::vuln::internal

#endif  // VIGIL_VULN_INTERNAL_MATCH_RULES_H_
