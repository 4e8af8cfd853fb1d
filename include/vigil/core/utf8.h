// UTF-8 validation (RFC 3629: no overlong forms, no UTF-16 surrogates, nothing above U+10FFFF),
// for writers that must emit valid UTF-8 (JSON, syslog structured data) whatever their input.
#ifndef VIGIL_CORE_UTF8_H_
#define VIGIL_CORE_UTF8_H_

#include <cstddef>
#include <string_view>

namespace vigil {

// Length (1-4) of the valid UTF-8 sequence starting at s[i], or 0 when none starts there.
// Requires i < s.size().
size_t Utf8SequenceLength(std::string_view s, size_t i);

bool IsValidUtf8(std::string_view s);

}  // namespace vigil

#endif  // VIGIL_CORE_UTF8_H_
