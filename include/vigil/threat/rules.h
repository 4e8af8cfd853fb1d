// Threat rules as data: versioned YAML files (the repository's own are in threat/rules/), each
// rule a condition over the facts of one model element. Rules are data so that a manufacturer
// can review, extend and version them like the model, and so that a finding can say exactly
// which facts fired it.
//
//   ruleset: vigil-medical          # the file's name for itself
//   version: 2026.12.1              # the rule set's own version (shown with every finding)
//   rules:
//     - id: unauthenticated-therapy-command
//       title: Therapy command accepted without authentication
//       stride: spoofing            # spoofing | tampering | repudiation | information_disclosure
//                                   # | denial_of_service | elevation_of_privilege
//       applies_to: [link]          # process | datastore | external_entity | interface | link
//       when: carries_therapy_commands && authentication == none
//       exploitability: 8.8         # CVSS-like base score of the threat, 0..10
//       description: ...            # optional
//
// The condition language (`when`), kept small and strict:
//   expr  := and ("||" and)*          a fact name alone is a boolean fact
//   and   := unary ("&&" unary)*      FACT == word, FACT != word, FACT in [w1, w2]
//   unary := "!" unary | "(" expr ")" | FACT | FACT ("==" | "!=") WORD | FACT "in" "[" WORD,... "]"
// Every fact must exist for every element kind the rule applies to, a boolean fact is never
// compared and a word fact is never used alone, and a word must be one of the fact's values
// (Facts() lists them): a typo is an error of the rule file, never a rule that silently fails
// to fire. Errors are one line "FILE:LINE: FIELD: what was expected", the condition's own with
// the column inside it: "medical.yaml:12: rules[3].when: column 27: expected one of none,
// password, ...; found \"nonee\"".
//
// Thread-safety: plain values; a RuleSet is immutable after parsing and may be shared.
#ifndef VIGIL_THREAT_RULES_H_
#define VIGIL_THREAT_RULES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/core/result.h"
#include "vigil/threat/model.h"

namespace vigil::threat {

// The kinds of element a rule looks at: the four asset kinds and links.
enum class ElementKind : uint8_t { kProcess, kDatastore, kExternalEntity, kInterface, kLink };
std::string_view ElementKindName(ElementKind k);

enum class Stride : uint8_t {
  kSpoofing,
  kTampering,
  kRepudiation,
  kInformationDisclosure,
  kDenialOfService,
  kElevationOfPrivilege
};
std::string_view StrideName(Stride s);

// One fact of the vocabulary: its name, whether it is boolean (else a word), the words it can
// take (empty for a boolean or a free word such as a protocol), the element kinds that have it
// (a bit per ElementKind) and what it means.
struct FactInfo {
  std::string_view name;
  bool boolean;
  std::vector<std::string_view> words;
  uint8_t kinds;
  std::string_view meaning;
};
// The whole vocabulary, in a fixed order (a fact's index is its position).
const std::vector<FactInfo>& Facts();

// A compiled condition (opaque; see Condition::Parse).
class Condition;

struct Rule {
  std::string id;
  std::string title;
  Stride stride = Stride::kSpoofing;
  uint8_t applies_to = 0;  // a bit per ElementKind
  std::string when;        // the condition as written
  std::shared_ptr<const Condition> condition;
  double exploitability = 10;
  std::string description;
  Location at;
};

struct RuleSet {
  std::vector<Rule> rules;
  std::vector<std::string> sources;  // "vigil-medical 2026.12.1 (threat/rules/medical.yaml)"
  const Rule* Find(std::string_view id) const;
};

// Reads one rule file into `into` (rules of several files are merged; a rule id seen before is
// an error naming both places). Errors as at the top of this file.
Status ParseRules(std::string_view yaml, const std::string& file, RuleSet& into);

// The values of every fact of one element, indexed like Facts(): booleans as "true"/"false".
using FactValues = std::vector<std::string>;

// Whether `rule` fires on an element of kind `kind` with facts `facts`; when it does, `why`
// receives the facts that decided it ("authentication = none"), in the order they were read.
// Precondition: the rule applies to `kind`.
bool Fires(const Rule& rule, const FactValues& facts, std::vector<std::string>* why);

}  // namespace vigil::threat

#endif  // VIGIL_THREAT_RULES_H_
