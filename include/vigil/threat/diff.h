// What changed between two versions of a threat model: entities added, removed or changed (with
// the fields that changed) per section, findings that appeared or disappeared, and findings whose
// risk (the policy cell before or after mitigation), covering controls or tracking status moved.
// Entities and findings are matched by their stable ids, so reordering a file is no change.
//
// Thread-safety: pure functions.
#ifndef VIGIL_THREAT_DIFF_H_
#define VIGIL_THREAT_DIFF_H_

#include <string>
#include <vector>

#include "vigil/core/json.h"
#include "vigil/threat/analysis.h"
#include "vigil/threat/model.h"

namespace vigil::threat {

struct Change {
  std::string section;  // "assets", "links", ..., "device", "findings"
  std::string id;
  std::string kind;    // "added", "removed", "changed"
  std::string detail;  // "fields: encryption, port"; "post: matrix.high.critical = uncontrolled
                       // -> matrix.low.critical = controlled"
};

struct ThreatDiff {
  std::vector<Change> model;     // in section order, then by id
  std::vector<Change> findings;  // by id
  size_t uncontrolled_pre_old = 0, uncontrolled_pre_new = 0;
  size_t uncontrolled_post_old = 0, uncontrolled_post_new = 0;
  bool empty() const { return model.empty() && findings.empty(); }
};

ThreatDiff Diff(const Model& old_model, const Analysis& old_analysis, const Model& new_model,
                const Analysis& new_analysis);

json::Value DiffToJson(const ThreatDiff& diff);

}  // namespace vigil::threat

#endif  // VIGIL_THREAT_DIFF_H_
