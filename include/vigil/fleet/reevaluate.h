// Continuous re-evaluation: after advisories were imported (vuln::ImportFeeds reports the ids it
// added or changed in ImportReport::changed), re-scan only the fleet's releases whose SBOM names
// a package one of those advisories is about, file the findings in the triage register as
// `vigil scan --register` does (the register's product and release of each fleet release; new
// records discovered today), and enqueue a "finding.new" webhook event (webhook.h) per record
// the filing opened or re-opened.
//
// Which releases: a component is a candidate when one of its names (its name, its purl's name
// and namespace/name, its CPE product, lower case) equals one the changed advisories give (an
// OSV affected package's name and its last '/' or ':' segment, an NVD CPE product, a CVE 5
// product). This only narrows the work; the matcher (vuln/matcher.h) decides on the whole SBOM,
// so a release rescanned for one advisory also gets findings of every other one.
//
// VEX: a release's VEX document (Release::vex, a path read through the Env) is applied to its
// findings before they are filed, as `vigil scan --vex` does: a finding it declares not_affected
// (with a justification) or fixed opens already decided, and such an opening is not announced.
//
// Which records are new: those of a rescanned release whose decision in force is an opening
// ("opened" or "re-opened"), each announced once per opening: the fleet remembers (record,
// opening event) in fleet_announced. Two stores: the register commits the filing, then the
// fleet commits the announcements and their events in one transaction of its own. A crash
// between the two loses nothing: the next re-evaluation of that release finds the openings
// unannounced and sends them then. Openings filed by `vigil scan --register` alone are announced
// the same way, at the first re-evaluation of their release.
//
// Thread-safety: as Fleet and Register (one thread at a time each).
#ifndef VIGIL_FLEET_REEVALUATE_H_
#define VIGIL_FLEET_REEVALUATE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vigil/core/env.h"
#include "vigil/core/result.h"
#include "vigil/fleet/fleet.h"
#include "vigil/triage/register.h"
#include "vigil/vuln/advisory_db.h"

namespace vigil::fleet {

struct NewFinding {
  std::string product, release;  // as filed in the register
  std::string vulnerability, component, component_version, advisory, discovered;
  std::string origin;  // "opened" or "re-opened"
  int64_t event = 0;   // the register's seq of that opening
};

struct ReevaluationReport {
  size_t advisories = 0;                 // changed advisories considered
  size_t releases = 0;                   // register releases with an SBOM in the fleet
  size_t releases_rescanned = 0;         // of those, the ones naming an affected package
  std::vector<NewFinding> new_findings;  // each enqueued as a finding.new event
  size_t vex_applied = 0;                // findings a release's VEX statement decided
  std::vector<std::string> vex_problems;  // statements that matched but could not be used
};

// Re-evaluates the fleet's releases for the advisories `changed` (stored ids). An SBOM path is
// (and a VEX path) is read through `env` (relative paths from the working folder). Errors name
// the release and its SBOM or VEX; nothing of a release that failed is filed.
Result<ReevaluationReport> Reevaluate(Fleet& fleet, const vuln::AdvisoryDb& db,
                                      triage::Register& reg, std::span<const std::string> changed,
                                      Env& env);

}  // namespace vigil::fleet

#endif  // VIGIL_FLEET_REEVALUATE_H_
