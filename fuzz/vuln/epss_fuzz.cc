// FIRST EPSS CSV reader on arbitrary bytes: errors are one line naming the source and line;
// scores are always fractions in [0, 1].
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/vuln/feeds.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto feed = vigil::vuln::ParseEpssCsv(text, "fuzz.csv");
  if (!feed) {
    const std::string& m = feed.error().message();
    if (m.rfind("fuzz.csv: line ", 0) != 0 || m.find('\n') != std::string::npos) __builtin_trap();
    return 0;
  }
  for (const auto& s : feed->scores) {
    if (!(s.score >= 0 && s.score <= 1 && s.percentile >= 0 && s.percentile <= 1)) __builtin_trap();
    if (s.cve.rfind("CVE-", 0) != 0) __builtin_trap();
  }
  return 0;
}
