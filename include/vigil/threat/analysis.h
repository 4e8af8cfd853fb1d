// Analysis: every rule of a RuleSet applied to every element of a Model it applies to. Each
// finding has a stable id "rule@element" (so tracking in the model survives re-runs and model
// edits), the facts that fired it, the clinical functions and hazards it bears on, and its risk
// before and after mitigation through the manufacturer's risk policy (vigil/risk/decision.h):
//
//   exploitability  the rule's score (pre) or, when controls of the model cover the finding
//                   (a control's `mitigates` names the rule, and the element or no element),
//                   the lowest residual_exploitability of those controls (post);
//   harm            the highest severity of the clinical functions the element supports (a
//                   link: of either end); an element that supports none is negligible.
//
// Thread-safety: a pure function of its inputs.
#ifndef VIGIL_THREAT_ANALYSIS_H_
#define VIGIL_THREAT_ANALYSIS_H_

#include <string>
#include <vector>

#include "vigil/core/json.h"
#include "vigil/core/result.h"
#include "vigil/risk/decision.h"
#include "vigil/threat/model.h"
#include "vigil/threat/rules.h"

namespace vigil::threat {

struct Finding {
  std::string id;  // "rule@element"
  std::string rule;
  std::string title;
  Stride stride = Stride::kSpoofing;
  std::string element;
  ElementKind kind = ElementKind::kProcess;
  std::vector<std::string> fired_by;   // "authentication = none", in the order read
  std::vector<std::string> functions;  // clinical functions the element supports
  std::vector<std::string> hazards;    // their hazard ids
  double exploitability = 10;
  risk::RiskDecision pre;
  std::vector<std::string> controls;  // covering controls
  double residual_exploitability = 10;
  risk::RiskDecision post;
  TrackingStatus status = TrackingStatus::kOpen;  // from the model's tracking, else open
  std::string justification;
  std::string safety_file;
};

struct Analysis {
  std::vector<Finding> findings;  // sorted by id
  // Tracking entries of the model that name no finding of this run ("FILE:LINE: finding").
  std::vector<std::string> stale_tracking;
  size_t uncontrolled_pre = 0, uncontrolled_post = 0;
};

// Runs the analysis. Fails (InvalidArgument "FILE:LINE: mitigates.rule: unknown rule ...") when
// a control of the model names a rule that is not in `rules`.
Result<Analysis> Analyze(const Model& model, const RuleSet& rules, const risk::RiskPolicy& policy);

// The facts of every element, in model order (assets, then links), as the rules see them: for
// views and for people asking why a rule did or did not fire.
struct ElementFacts {
  std::string element;
  ElementKind kind;
  FactValues values;  // indexed like Facts()
};
std::vector<ElementFacts> ComputeFacts(const Model& model);

// The JSON form of findings (what `vigil threat findings --format json` prints and the diff
// compares): an array of objects with the fields of Finding.
json::Value FindingsToJson(const Analysis& analysis);

}  // namespace vigil::threat

#endif  // VIGIL_THREAT_ANALYSIS_H_
