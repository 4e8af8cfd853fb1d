// risk::ParseRiskPolicy on arbitrary bytes: never crashes or hangs; a refusal is one line naming
// the source; an accepted policy has bands ascending from 0.0 within [0, 10], a full matrix
// row per band, deadlines of 1 to 3650 days, and decides every (score, harm, KEV) it is given
// with a cell of its own matrix.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/risk/decision.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace risk = vigil::risk;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = risk::ParseRiskPolicy(text, "policy.yaml");
  if (!p) {
    const std::string& m = p.error().message();
    if (m.find('\n') != std::string::npos || m.rfind("policy.yaml", 0) != 0) __builtin_trap();
    return 0;
  }
  if (p->bands.empty() || p->bands.front().min_score != 0) __builtin_trap();
  if (p->controlled.size() != p->bands.size()) __builtin_trap();
  for (size_t i = 1; i < p->bands.size(); ++i) {
    if (!(p->bands[i].min_score > p->bands[i - 1].min_score) || p->bands[i].min_score > 10) {
      __builtin_trap();
    }
  }
  const risk::Deadlines& d = p->deadlines;
  if (d.uncontrolled_notify_days < 1 || d.uncontrolled_fix_days > 3650) __builtin_trap();
  for (double score : {0.0, 3.9, 4.0, 6.9, 7.0, 10.0}) {
    for (size_t h = 0; h < risk::kHarmLevels; ++h) {
      risk::RiskFacts f;
      f.cvss_score = score;
      f.harm = static_cast<risk::Harm>(h);
      f.kev = h % 2 == 1;
      risk::RiskDecision dec = risk::Decide(*p, f);
      if (dec.cell.rfind("matrix." + dec.exploitability + ".", 0) != 0) __builtin_trap();
      if (f.kev && dec.controlled) __builtin_trap();  // no compensating control given
    }
  }
  return 0;
}
