// Matches the components of an SBOM against the advisory database.
//
// OSV: a component's purl selects the OSV ecosystem (golang → Go, pypi → PyPI, npm → npm,
// cargo → crates.io, maven → Maven, …) and package name; a package is never matched across
// ecosystems by name alone (grype#2618). Ranges are evaluated as osv-schema.md specifies:
// events sorted by the range's version scheme (SEMVER → SemVer 2.0, ECOSYSTEM → the
// ecosystem's own ordering), walked in order (introduced / fixed / last_affected), several
// introduced/fixed pairs allowed, `limit` events bounding the range, plus the explicit
// `versions` list. GIT ranges need a commit, which an SBOM version is not: they are reported
// in MatchOptions::notes, never matched.
//
// NVD: a component's CPE (vendor and product exactly; no wildcard vendor) selects CVEs whose
// vulnerable:true cpeMatch names that product; the version is checked against the cpeMatch's
// own version or its versionStart/End Including/Excluding bounds (generic version scheme).
// The CPE part must agree, except that a and o with identical vendor and product match with
// Confidence::kLow and a note (NVD files RTOSes and firmware under either); h never matches a/o.
// Configuration nodes are evaluated with their AND/OR operators and `negate`; a
// vulnerable:false entry (a platform such as an OS) never identifies the component, and is
// satisfied when another component of the SBOM matches it — when none does, the finding is
// kept with Confidence::kLow and the unchecked platform named. A cpeMatch whose version is ANY
// or NA with no bounds says "every version": reported with Confidence::kLow.
//
// When a component matches both an OSV advisory and the NVD record of one of its aliases, one
// finding (the OSV one, more precise) is kept and the NVD match is noted in its match_reason.
//
// Findings carry severity (by ScoreSource's rule, from the advisory and the aliases of it the
// database holds, each stated score listed with its source), KEV flag/due date/ransomware use and
// EPSS score/percentile looked up by the advisory id and its CVE aliases, fixed versions,
// match_reason and confidence. They are ordered by component (SBOM order), then advisory id.
//
// Errors: only database failures (Unavailable, DataLoss). Advisories or component versions
// that cannot be evaluated are reported in notes, not as errors.
//
// Thread-safety: free functions; the database must not be used concurrently. The sink is called
// on the calling thread.
#ifndef VIGIL_VULN_MATCHER_H_
#define VIGIL_VULN_MATCHER_H_

#include <functional>
#include <string>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/sbom/sbom.h"
#include "vigil/vuln/advisory_db.h"
#include "vigil/vuln/finding.h"

namespace vigil::vuln {

// Whose CVSS score decides a finding's severity when several are stated. kNvd (the default):
// NVD's own (Primary), then the CNA's (Secondary), then the advisory's own (OSV severity[]).
// kCna: the CNA's, then the advisory's own, then NVD's. Within one source the newest CVSS
// version that has a score wins (4.0, 3.1, 3.0, 2.0): a v4.0 vector without a stated score is
// passed over (Vigil scores CVSS v4.0 vectors only once the risk module's scorer of issue 15
// exists), a v3 vector without one is scored here. With
// no usable score at all, the advisory's qualitative label decides, else an alias's; else the
// severity is unknown.
enum class ScoreSource { kNvd, kCna };

struct MatchOptions {
  ScoreSource score_source = ScoreSource::kNvd;
  // Keep Confidence::kLow findings (the default: never hide them). False drops them.
  bool include_low_confidence = true;
  // When set, receives one line per thing that could not be evaluated, e.g.
  // "GO-2021-0001 affected[0].ranges[1]: GIT range needs a commit; not matched" or
  // "components[3] (left-pad@x.y): version 'x.y' is not a valid SemVer version".
  std::vector<std::string>* notes = nullptr;
  // 2 (the default): an SBOM of 1,024 components or more is matched by the calling thread and
  // a second one with its own database connection, in the same snapshot (checked; alone
  // otherwise), with results still handed over in SBOM order. 1: the calling thread only.
  unsigned threads = 2;
};

// Receives the findings of one component (never empty; ordered by advisory id); may move
// from them. A failure stops the scan and is returned by MatchSbomStreaming.
using FindingSink = std::function<Status(std::vector<Finding>&)>;

// Like MatchSbom, but hands each component's findings to `sink` as soon as they are known, in
// SBOM order, so memory stays bounded by one component's findings plus a bounded cache of
// advisories, whatever the sizes of the SBOM and the database. Runs in one read snapshot of
// the database unless the caller holds a transaction.
Status MatchSbomStreaming(const sbom::Sbom& sbom, const AdvisoryDb& db, const FindingSink& sink,
                          const MatchOptions& options = {});

// The components of `sbom` that nothing in a database with these contents can match, in SBOM
// order: neither their purl's OSV ecosystem has advisories there, nor do they have a CPE while
// the database holds NVD CPE records. Pure; `contents` comes from AdvisoryDb::Contents().
std::vector<UncoveredComponent> UncoveredComponents(const sbom::Sbom& sbom,
                                                    const DbContents& contents);

// All findings of the SBOM (MatchSbomStreaming collected).
Result<std::vector<Finding>> MatchSbom(const sbom::Sbom& sbom, const AdvisoryDb& db,
                                       const MatchOptions& options = {});

}  // namespace vigil::vuln

#endif  // VIGIL_VULN_MATCHER_H_
