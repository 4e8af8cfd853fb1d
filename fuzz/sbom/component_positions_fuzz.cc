// The SBOM text scanner behind SARIF regions on arbitrary text: never crashes, and every span
// it reports lies inside the text (a line that exists, columns in order).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vigil/sbom/component_positions.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t lines = 1;
  for (char c : text) lines += c == '\n';
  for (const auto& [ref, span] : vigil::sbom::ComponentRefPositions(text)) {
    if (span.line < 1 || span.line > lines || span.start_column < 1 ||
        span.end_column <= span.start_column) {
      __builtin_trap();
    }
  }
  return 0;
}
