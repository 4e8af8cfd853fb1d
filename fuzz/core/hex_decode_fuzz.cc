// Strict hex: decoding never crashes, and whatever decodes re-encodes to the same text (up to
// letter case), since there is exactly one accepted spelling per byte string.
#include <cstdlib>
#include <string>

#include "vigil/core/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto decoded = vigil::HexDecode(text);
  if (!decoded) return 0;
  std::string again = vigil::HexEncode(*decoded);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (c != again[i]) std::abort();
  }
  return 0;
}
