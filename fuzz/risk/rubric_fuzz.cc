// risk::ParseRubricAnswers and ApplyRubric on arbitrary bytes: never crash; a refusal is one
// line naming the file (InvalidArgument, or ResourceExhausted over the size limit); accepted
// answers always walk to a vector that scores, whose metrics are the decisions', each decision
// consulting at least one question and never listing one both as used and as not used.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/risk/rubric.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace risk = vigil::risk;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto answers = risk::ParseRubricAnswers(text, "fuzz.yaml");
  if (!answers) {
    const vigil::Error& e = answers.error();
    if (e.code() != vigil::ErrorCode::kInvalidArgument &&
        e.code() != vigil::ErrorCode::kResourceExhausted) {
      __builtin_trap();
    }
    if (e.message().find('\n') != std::string::npos || e.message().rfind("fuzz.yaml", 0) != 0) {
      __builtin_trap();
    }
    return 0;
  }
  auto result = risk::ApplyRubric(*answers);
  if (!result || result->metrics.size() != 8) __builtin_trap();
  auto again = vigil::risk::cvss::Evaluate(result->vector);
  if (!again || again->base != result->scores.base) __builtin_trap();
  for (size_t i = 0; i < result->metrics.size(); ++i) {
    const risk::RubricDecision& d = result->metrics[i];
    if (again->metrics[i].value != d.value || d.used.empty()) __builtin_trap();
    for (std::string_view id : d.not_used) {
      if (std::ranges::find(d.used, id) != d.used.end()) __builtin_trap();
    }
  }
  return 0;
}
