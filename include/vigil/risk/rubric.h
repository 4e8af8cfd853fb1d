// MITRE's "Rubric for Applying CVSS to Medical Devices" (Chase and Christey Coley, 2019; qualified
// by FDA as a Medical Device Development Tool in 2020): yes/no questions per CVSS v3 base metric,
// specialised to medical devices, whose answers lead through a flowchart to the metric's value.
// The analyst answers them in a file; ApplyRubric walks the flowcharts and gives a CVSS v3.1 base
// vector, its score (risk::cvss::Evaluate) and, per metric, the path that led to the value.
//
// Where the questions come from: the rubric's question list and codes (XAVN, XAVT, ... XAO), as
// published calculators of the rubric list them (Deep Armor's online one; the branches as the
// open-source osamusic/med-cvss draws them), and its decision logic. The rubric's PDF was not
// at hand, so the wording here is ours and follows that logic. Vigil's own: the patient-harm
// follow-ups of integrity and availability for diagnosis and therapy (which give Low where harm
// is ruled out; marked "Vigil" in the table), the exact phrasing of every question, and how
// "unknown" is resolved (below). AV Q5.1 (XAVPA) is left out: both its answers give Physical.
//
// Answers are yes, no or unknown. "unknown" takes the worse branch: both branches are followed
// and the value giving the higher score wins; the other branch is only followed when it could
// still lead higher, so a question is required only when the flowchart reaches it and the answer
// can change the value. Confidentiality, integrity and availability ask the same questions for
// six kinds of data or function (PHI/PII, diagnosis or monitoring, therapy delivery, clinical
// workflow, system secrets, anything else critical) and take the highest.
//
// The answers file (YAML; JSON is YAML too):
//
//   vulnerability: "Drug library update over Wi-Fi accepts unsigned libraries"   # optional
//   answers:
//     av.network_protocol: yes
//     av.network_routable: yes
//     ...
//
// Thread-safety: pure functions and immutable values.
#ifndef VIGIL_RISK_RUBRIC_H_
#define VIGIL_RISK_RUBRIC_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/risk/cvss.h"

namespace vigil::risk {

enum class RubricAnswer : uint8_t { kNo, kYes, kUnknown };
// "no", "yes", "unknown".
std::string_view RubricAnswerName(RubricAnswer a);

// One question of the rubric.
struct RubricQuestion {
  std::string_view id;      // stable: "av.network_routable"
  std::string_view metric;  // the CVSS v3 base metric it decides: "AV"
  std::string_view rubric;  // where it sits in MITRE's rubric: "AV Q2 (XAVT)", or "Vigil"
  std::string_view text;    // the question, yes/no
};

// Every question, grouped by metric in the order AV, AC, PR, UI, S, C, I, A.
std::span<const RubricQuestion> RubricQuestions();

// A validated set of answers: every id is a question of the rubric, none twice, and every
// question the flowcharts reach is answered (answers to questions that are not reached are kept
// and reported as not used).
class RubricAnswers {
 public:
  // `source` names the answers in messages ("pump.yaml"). InvalidArgument, one line naming the
  // field: "<source>: $.answers[\"av.wireless\"]: unknown question (expected one of ...)",
  // "... appears twice", or "... required field missing (reached by the flowchart of AV)".
  static Result<RubricAnswers> Create(std::string_view source,
                                      std::vector<std::pair<std::string, RubricAnswer>> answers,
                                      std::string vulnerability = "");

  const std::string& source() const { return source_; }
  // The optional one-line description of the vulnerability.
  const std::string& vulnerability() const { return vulnerability_; }
  std::optional<RubricAnswer> Find(std::string_view id) const;
  const std::map<std::string, RubricAnswer, std::less<>>& all() const { return answers_; }

 private:
  RubricAnswers() = default;
  std::string source_;
  std::string vulnerability_;
  std::map<std::string, RubricAnswer, std::less<>> answers_;
};

// Reads an answers file (the shape above). Only `vulnerability` (a string) and `answers` (a
// mapping of question id to yes, no or unknown) are allowed. Errors: InvalidArgument, one line,
// "<source>: <JSON path>: <what was expected>" (or YamlToJson's "<source>:LINE:COLUMN: ..." for
// malformed YAML and a key written twice); ResourceExhausted over 1 MiB.
Result<RubricAnswers> ParseRubricAnswers(std::string_view yaml_text, std::string_view source);

// How one metric was decided.
struct RubricDecision {
  std::string_view metric;      // "AV"
  std::string_view value;       // "N"
  std::string_view value_name;  // "Network"
  // The path through the flowchart, e.g. "av.network_protocol = yes -> av.network_routable = yes
  // -> N"; for an unknown answer both branches and which one won.
  std::string reasoning;
  // Questions of this metric the flowchart consulted, in order, and those answered but not
  // reached.
  std::vector<std::string_view> used;
  std::vector<std::string_view> not_used;
};

struct RubricResult {
  std::string vector;  // "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H"
  cvss::Scores scores;
  std::vector<RubricDecision> metrics;  // AV, AC, PR, UI, S, C, I, A
};

// Walks the flowcharts. Fails (Internal) only if the vector it builds does not score, which
// would be a bug.
Result<RubricResult> ApplyRubric(const RubricAnswers& answers);

}  // namespace vigil::risk

#endif  // VIGIL_RISK_RUBRIC_H_
