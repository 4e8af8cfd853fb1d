// PEM key loading: arbitrary text must give a key or a clear error, never a crash; a private
// key that parses must re-encode and parse again to the same public key.
#include <cstdlib>
#include <string>

#include "vigil/crypto/key_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  if (auto key = vigil::crypto::ParsePrivateKeyPem(text, "fuzz.pem")) {
    auto pem = vigil::crypto::EncodePrivateKeyPem(**key);
    if (!pem) std::abort();
    auto again = vigil::crypto::ParsePrivateKeyPem(*pem, "again.pem");
    if (!again || (*again)->PublicKey()->Encode() != (*key)->PublicKey()->Encode()) std::abort();
  }
  (void)vigil::crypto::ParsePublicKeyPem(text, "fuzz.pub");
  return 0;
}
