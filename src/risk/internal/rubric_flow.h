// The rubric's flowcharts as data, and the walk over an analyst's answers (private to risk).
// rubric.cc holds the rubric's own flowcharts; tests can build others to reach every path of
// the walk.
#ifndef VIGIL_SRC_RISK_INTERNAL_RUBRIC_FLOW_H_
#define VIGIL_SRC_RISK_INTERNAL_RUBRIC_FLOW_H_

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/risk/rubric.h"

namespace vigil::risk::internal {

// A flowchart: a question with a branch per answer, or a leaf holding a metric value.
struct Flow {
  std::string_view question;  // empty for a leaf
  std::string_view value;     // a leaf's value
  const Flow* yes = nullptr;
  const Flow* no = nullptr;
};

struct FlowRoot {
  std::string_view label;  // the kind of data or function; empty when the metric has one root
  const Flow* flow;
};

struct MetricFlow {
  std::string_view metric;
  // The metric's values from the lowest base score to the highest: "unknown" picks by this.
  std::string_view order;
  std::span<const FlowRoot> roots;  // the metric's value is the highest over its roots
};

using AnswerMap = std::map<std::string, RubricAnswer, std::less<>>;

// "$.answers[\"av.wireless\"]": where answer `id` sits in the answers file.
std::string AnswerPath(std::string_view id);

struct Walked {
  int rank;  // of the value in MetricFlow::order
  std::string text;
  std::vector<std::string_view> used;  // the questions consulted, in order
};

// Walks `metric`'s flowcharts over `answers`. An unknown answer takes the worse branch (see
// rubric.h). InvalidArgument "<source>: <AnswerPath>: required field missing (...)" for a
// question the walk reaches that has no answer.
Result<Walked> WalkMetric(const MetricFlow& metric, const AnswerMap& answers,
                          std::string_view source);

}  // namespace vigil::risk::internal

#endif  // VIGIL_SRC_RISK_INTERNAL_RUBRIC_FLOW_H_
