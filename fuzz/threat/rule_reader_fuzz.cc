// threat::ParseRules on arbitrary bytes (the rule file and its condition language): never
// crashes or hangs; a refusal is one line naming the file; every accepted rule evaluates on any
// fact values without crashing, and when it fires it names at least one fact.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "vigil/threat/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace threat = vigil::threat;
  const std::string text(reinterpret_cast<const char*>(data), size);
  threat::RuleSet set;
  vigil::Status s = threat::ParseRules(text, "rules.yaml", set);
  if (!s) {
    const std::string& msg = s.error().message();
    if (msg.find('\n') != std::string::npos || msg.rfind("rules.yaml", 0) != 0) __builtin_trap();
    return 0;
  }
  const std::vector<threat::FactInfo>& facts = threat::Facts();
  // Three assignments: everything false/first word, everything true/last word, and the values
  // taken from the input's bytes.
  for (int round = 0; round < 3; ++round) {
    threat::FactValues values(facts.size());
    for (size_t i = 0; i < facts.size(); ++i) {
      const size_t pick = round == 0 ? 0 : round == 1 ? 1 : (size > i ? data[i] : 0);
      if (facts[i].boolean) {
        values[i] = pick % 2 ? "true" : "false";
      } else if (!facts[i].words.empty()) {
        values[i] = std::string(facts[i].words[pick % facts[i].words.size()]);
      } else {
        values[i] = "https";
      }
    }
    for (const threat::Rule& r : set.rules) {
      std::vector<std::string> why;
      if (threat::Fires(r, values, &why) && why.empty()) __builtin_trap();
    }
  }
  return 0;
}
