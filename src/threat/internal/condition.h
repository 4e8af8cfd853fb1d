// The compiled form of a rule's `when` (grammar in vigil/threat/rules.h): a small tree over
// fact indices, checked against the fact vocabulary when it is parsed.
#ifndef VIGIL_THREAT_INTERNAL_CONDITION_H_
#define VIGIL_THREAT_INTERNAL_CONDITION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/threat/rules.h"

namespace vigil::threat {

class Condition {
 public:
  // Parses `text` for a rule applying to the element kinds `kinds` (a bit per ElementKind).
  // InvalidArgument "column N: what was expected; found ..." (the caller adds file and field).
  static Result<Condition> Parse(std::string_view text, uint8_t kinds);

  // Evaluates over `facts` (indexed like Facts()); when true, appends the deciding facts to
  // `why` ("fact = value").
  bool Eval(const FactValues& facts, std::vector<std::string>* why) const;

  enum class Op : uint8_t { kFact, kEquals, kNotEquals, kIn, kNot, kAnd, kOr };
  struct Node {
    Op op;
    int fact = -1;                   // kFact, kEquals, kNotEquals, kIn
    std::vector<std::string> words;  // kEquals, kNotEquals (one), kIn
    std::vector<Node> kids;          // kNot (one), kAnd, kOr
  };

 private:
  explicit Condition(Node root) : root_(std::move(root)) {}
  Node root_;
};

}  // namespace vigil::threat

#endif  // VIGIL_THREAT_INTERNAL_CONDITION_H_
