// CVSS v3 base score on arbitrary text: a score is on the 0.1 grid in [0, 10]; a refusal is
// InvalidArgument on one line, starting with the vector it names.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigil/vuln/cvss.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto score = vigil::vuln::CvssV3BaseScore(text);
  if (!score) {
    const std::string& m = score.error().message();
    if (score.error().code() != vigil::ErrorCode::kInvalidArgument ||
        m.rfind("CVSS vector '", 0) != 0 || m.find('\n') != std::string::npos) {
      __builtin_trap();
    }
    return 0;
  }
  if (!(*score >= 0 && *score <= 10) || std::fabs(*score * 10 - std::round(*score * 10)) > 1e-9)
    __builtin_trap();
  return 0;
}
