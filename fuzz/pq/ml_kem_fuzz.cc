// ML-KEM decoders on arbitrary bytes: encapsulation keys (modulus check), expanded
// decapsulation keys (hash check) and ciphertexts. Never a crash; a parsed ek encapsulates to a
// ciphertext of the right size; decapsulating garbage still yields a 32-byte (rejection) key.
#include <cstdlib>

#include "vigil/crypto/pq/ml_kem.h"

namespace crypto = vigil::crypto;
namespace pq = vigil::crypto::pq;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const crypto::AlgorithmId algs[] = {crypto::AlgorithmId::kMlKem512,
                                      crypto::AlgorithmId::kMlKem768,
                                      crypto::AlgorithmId::kMlKem1024};
  crypto::AlgorithmId alg = algs[data[0] % 3];
  vigil::ByteView in(data + 1, size - 1);
  if (auto ek = pq::MlKemPublicKey::Parse(alg, in)) {
    uint8_t m[32] = {0};
    auto enc = ek->EncapsulateDeterministic({m, 32});
    if (!enc || enc->ciphertext.size() != pq::MlKemCiphertextSize(alg)) std::abort();
  }
  (void)pq::MlKemPrivateKey::ParseExpanded(alg, crypto::SecretBytes::CopyFrom(in));
  static auto key = pq::MlKemPrivateKey::FromSeed(alg, crypto::SecretBytes(64));
  if (key->algorithm() == alg) {
    auto k = key->Decapsulate(in);
    if (in.size() == pq::MlKemCiphertextSize(alg) && (!k || k->size() != 32)) std::abort();
    if (in.size() != pq::MlKemCiphertextSize(alg) && k) std::abort();
  }
  return 0;
}
