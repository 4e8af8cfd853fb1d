// A large advisory database and a large SBOM with the shapes of the real ones, for the matcher
// benchmark here and the `vigil scan` benchmark (bench/vuln is their shared home).
//
// The database holds `count` OSV advisories cloned from the real Go (JSON) and PyPI (YAML)
// corpora in the shared data: each clone keeps its source's affected/ranges/versions/aliases
// shape, gets a new id and package names suffixed "-s<k>" (so clones never collide), and drops
// the free text (details, references, credits) that matching never reads.
#ifndef VIGIL_BENCH_VULN_SYNTHETIC_ADVISORIES_H_
#define VIGIL_BENCH_VULN_SYNTHETIC_ADVISORIES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/sbom/sbom.h"
#include "vigil/vuln/advisory_db.h"

namespace vigil::bench {

// One cloned package: a purl without version, and versions inside / outside its first range.
struct SyntheticPackage {
  std::string purl_base;           // "pkg:golang/github.com/x/y-s3"
  std::string vulnerable_version;  // matched by the advisory
  std::string other_version;       // the range's fixed version (not matched by that range)
};

// Writes `count` cloned advisories into `db` (one transaction) from the corpora under
// `data_dir` (…/shared/data). Returns the packages, one per clone that has a usable range.
Result<std::vector<SyntheticPackage>> BuildSyntheticAdvisories(vuln::AdvisoryDb& db,
                                                               const std::string& data_dir,
                                                               size_t count);

// The packages BuildSyntheticAdvisories returns, without writing a database (an SBOM's
// benchmark alone: the same SBOM without the 300k advisories' 20 s).
Result<std::vector<SyntheticPackage>> SyntheticPackages(const std::string& data_dir, size_t count);

// An SBOM of `components` components, one per distinct package of `packages` drawn evenly
// (cycling through them again, with the other version, when `components` is larger),
// alternating vulnerable and other versions.
sbom::Sbom MakeSyntheticSbom(const std::vector<SyntheticPackage>& packages, size_t components);

}  // namespace vigil::bench

#endif  // VIGIL_BENCH_VULN_SYNTHETIC_ADVISORIES_H_
