// CISA KEV reader on arbitrary bytes: errors are one line naming the source; entries always
// carry a CVE id and ISO dates.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/vuln/feeds.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto kev = vigil::vuln::ParseKev(text, "fuzz.json");
  if (!kev) {
    const std::string& m = kev.error().message();
    if (m.rfind("fuzz.json: ", 0) != 0 || m.find('\n') != std::string::npos) __builtin_trap();
    return 0;
  }
  for (const auto& e : kev->entries) {
    if (e.cve.rfind("CVE-", 0) != 0 || e.due_date.size() != 10 || e.date_added.size() != 10) {
      __builtin_trap();
    }
  }
  return 0;
}
