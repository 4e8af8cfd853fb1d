// ML-DSA verification and key decoding on arbitrary bytes: never a crash, and never a valid
// signature for a message the fixed key did not sign.
#include <cstdlib>

#include "vigil/crypto/pq/ml_dsa.h"

namespace crypto = vigil::crypto;
namespace pq = vigil::crypto::pq;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const crypto::AlgorithmId algs[] = {crypto::AlgorithmId::kMlDsa44, crypto::AlgorithmId::kMlDsa65,
                                      crypto::AlgorithmId::kMlDsa87};
  const crypto::AlgorithmId alg = algs[data[0] % 3];
  vigil::ByteView in(data + 1, size - 1);
  static auto key44 = pq::MlDsaFromSeed(crypto::AlgorithmId::kMlDsa44, crypto::SecretBytes(32));
  static auto pub44 = (*key44)->PublicKey();
  if (pub44->Verify(vigil::AsBytes("fixed message"), in).has_value()) std::abort();
  if (auto pub = pq::MlDsaPublicKey(alg, in.first(std::min(in.size(), size_t{2592})))) {
    (void)(*pub)->Verify({}, in);
  }
  (void)pq::ParseMlDsaSpki(in);
  (void)pq::ParseMlDsaPkcs8(in);
  return 0;
}
