#include "internal/rubric_flow.h"

#include <algorithm>
#include <string>
#include <utility>

#include "vigil/core/json.h"

namespace vigil::risk::internal {
namespace {

// The highest (lowest) value rank a flowchart can reach.
int Highest(const Flow& f, const MetricFlow& m) {
  if (f.question.empty()) return static_cast<int>(m.order.find(f.value));
  return std::max(Highest(*f.yes, m), Highest(*f.no, m));
}
int Lowest(const Flow& f, const MetricFlow& m) {
  if (f.question.empty()) return static_cast<int>(m.order.find(f.value));
  return std::min(Lowest(*f.yes, m), Lowest(*f.no, m));
}

// Walks one metric's flowcharts over the answers, recording the questions it consults.
class Walker {
 public:
  Walker(const AnswerMap& answers, std::string_view source, const MetricFlow& metric)
      : answers_(answers), source_(source), metric_(metric) {}

  Result<Walked> Metric();
  std::vector<std::string_view> TakeUsed() { return std::move(used_); }

 private:
  Result<Walked> Walk(const Flow& f);
  Result<Walked> WalkUnknown(const Flow& f);
  std::string_view Value(int rank) const { return metric_.order.substr(rank, 1); }

  const AnswerMap& answers_;
  std::string_view source_;
  const MetricFlow& metric_;
  std::vector<std::string_view> used_;
};

Result<Walked> Walker::Metric() {
  if (metric_.roots.size() == 1) return Walk(*metric_.roots[0].flow);
  Walked out{0, "", {}};
  for (const FlowRoot& root : metric_.roots) {
    VIGIL_ASSIGN_OR_RETURN(Walked w, Walk(*root.flow));
    out.rank = std::max(out.rank, w.rank);
    out.text += std::string(root.label) + ": " + w.text + "; ";
  }
  out.text += "highest: " + std::string(Value(out.rank));
  return out;
}

Result<Walked> Walker::Walk(const Flow& f) {
  if (f.question.empty())
    return Walked{static_cast<int>(metric_.order.find(f.value)), std::string(f.value), {}};
  auto it = answers_.find(f.question);
  if (it == answers_.end()) {
    return InvalidArgumentError(std::string(source_) + ": " + AnswerPath(f.question) +
                                ": required field missing (the flowchart of " +
                                std::string(metric_.metric) +
                                " reaches it; answer yes, no or "
                                "unknown)");
  }
  used_.push_back(f.question);
  if (it->second == RubricAnswer::kUnknown) return WalkUnknown(f);
  VIGIL_ASSIGN_OR_RETURN(Walked next, Walk(it->second == RubricAnswer::kYes ? *f.yes : *f.no));
  next.text = std::string(f.question) + " = " + std::string(RubricAnswerName(it->second)) + " -> " +
              next.text;
  return next;
}

// "unknown" takes the worse branch. The branch that can reach the higher value goes first (on a
// tie, the one that cannot fall as low); the other is followed only if it could still beat the
// first, so no question is required whose answer cannot change the value.
Result<Walked> Walker::WalkUnknown(const Flow& f) {
  auto key = [&](const Flow& b) { return std::pair(Highest(b, metric_), Lowest(b, metric_)); };
  bool yes_first = key(*f.yes) >= key(*f.no);
  const Flow& first = yes_first ? *f.yes : *f.no;
  const Flow& second = yes_first ? *f.no : *f.yes;
  std::string_view first_name = yes_first ? "yes" : "no";
  std::string_view second_name = yes_first ? "no" : "yes";
  VIGIL_ASSIGN_OR_RETURN(Walked a, Walk(first));
  std::string text = std::string(f.question) + " = unknown -> worse of (" +
                     std::string(first_name) + ": " + a.text + " | " + std::string(second_name);
  int best = a.rank;
  if (a.rank >= Highest(second, metric_)) {
    text += ": not followed, reaches at most " + std::string(Value(Highest(second, metric_)));
  } else {
    VIGIL_ASSIGN_OR_RETURN(Walked b, Walk(second));
    text += ": " + b.text;
    best = std::max(best, b.rank);
  }
  return Walked{best, text + ") = " + std::string(Value(best)), {}};
}

}  // namespace

std::string AnswerPath(std::string_view id) {
  return json::MemberPath(json::MemberPath("$", "answers"), id);
}

Result<Walked> WalkMetric(const MetricFlow& metric, const AnswerMap& answers,
                          std::string_view source) {
  Walker walker(answers, source, metric);
  VIGIL_ASSIGN_OR_RETURN(Walked w, walker.Metric());
  w.used = walker.TakeUsed();
  return w;
}

}  // namespace vigil::risk::internal
