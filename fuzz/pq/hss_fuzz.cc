// HSS verification on arbitrary public keys and signatures: never a crash or a hang; the
// first byte splits the input into key and signature.
#include <cstdlib>

#include "vigil/crypto/pq/hss.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t key_len = std::min<size_t>(size - 1, data[0]);
  vigil::ByteView key(data + 1, key_len);
  vigil::ByteView sig(data + 1 + key_len, size - 1 - key_len);
  (void)vigil::crypto::pq::HssPublicKey(key);
  if (vigil::crypto::pq::HssVerify(key, vigil::AsBytes("m"), sig).has_value()) {
    // Only a genuine signature can verify; an arbitrary input reaching here would be a forgery
    // of the fixed message under a fuzzer-chosen key, which needs a hash preimage.
    std::abort();
  }
  return 0;
}
