// NVD CVE API 2.0 reader on arbitrary bytes: errors are one line naming the source; every
// record read back from its stored "cve" JSON gives the same advisory id and configurations.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/vuln/feeds.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  vigil::Status s = vigil::vuln::ParseNvdFeed(text, "fuzz.json", [](vigil::vuln::NvdRecord r) {
    auto again = vigil::vuln::ParseNvdCve(r.cve_json, "stored");
    if (!again || again->id != r.advisory.id ||
        again->configurations.size() != r.advisory.configurations.size()) {
      __builtin_trap();
    }
    return vigil::OkStatus();
  });
  if (!s) {
    const std::string& m = s.error().message();
    if (m.rfind("fuzz.json: ", 0) != 0 || m.find('\n') != std::string::npos) __builtin_trap();
  }
  return 0;
}
