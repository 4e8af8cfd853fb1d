// Test support: the AES-256 CTR_DRBG (no derivation function) of the NIST PQC KAT harness
// (SP 800-90A §10.2), which expands the 48-byte "Seed" of KAT files into the randomness an
// implementation draws (for ML-KEM: d || z at key generation, then m at encapsulation).
#ifndef VIGIL_CRYPTO_TESTING_NIST_DRBG_H_
#define VIGIL_CRYPTO_TESTING_NIST_DRBG_H_

#include <array>

#include "vigil/core/bytes.h"

namespace vigil::crypto::testing {

class NistKatDrbg {
 public:
  explicit NistKatDrbg(ByteView seed48);
  Bytes Generate(size_t n);

 private:
  void Update(const uint8_t* provided);  // provided: 48 bytes or null
  std::array<uint8_t, 32> key_{};
  std::array<uint8_t, 16> v_{};
};

}  // namespace vigil::crypto::testing

#endif  // VIGIL_CRYPTO_TESTING_NIST_DRBG_H_
