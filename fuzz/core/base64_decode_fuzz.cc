// Strict base64: decoding never crashes and is canonical: decode(x) ok ⇒ encode(decode(x)) == x,
// for both the standard and the URL-safe alphabet.
#include <cstdlib>
#include <string>

#include "vigil/core/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (auto d = vigil::Base64Decode(text); d && vigil::Base64Encode(*d) != text) std::abort();
  if (auto d = vigil::Base64UrlDecode(text); d && vigil::Base64UrlEncode(*d) != text) std::abort();
  return 0;
}
