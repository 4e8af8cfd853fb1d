// Where each component's identifier stands in an SBOM's JSON text, so that tools can point a
// reader at the component (SARIF regions of `vigil scan`): the members "bom-ref" (CycloneDX),
// "SPDXID" (SPDX 2) and "spdxId" (SPDX 3) with a string value, found by scanning the text.
//
// The scan reads the text as the SBOM reader accepted it; on other text it returns what it
// found so far and never fails (a position is a convenience, the finding stands without it).
// Keys are matched as JSON member names: a "bom-ref" inside a string value (escaped quotes) is
// not one. Values with escapes are decoded, so the key equals the reader's Component::ref.
//
// Thread-safety: pure function.
#ifndef VIGIL_SBOM_COMPONENT_POSITIONS_H_
#define VIGIL_SBOM_COMPONENT_POSITIONS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace vigil::sbom {

// A member "key": "value" on one line: 1-based line, and 1-based columns in Unicode code points
// of its first character (the key's opening quote) and one past its last (after the value's
// closing quote), as SARIF's region with columnKind "unicodeCodePoints" counts them.
struct TextSpan {
  uint32_t line = 0;
  uint32_t start_column = 0;
  uint32_t end_column = 0;
  friend bool operator==(const TextSpan&, const TextSpan&) = default;
};

// Component ref → the span of its identifier member; the first occurrence wins when a ref is
// written twice. Members split over several lines are left out.
std::map<std::string, TextSpan> ComponentRefPositions(std::string_view json);

}  // namespace vigil::sbom

#endif  // VIGIL_SBOM_COMPONENT_POSITIONS_H_
