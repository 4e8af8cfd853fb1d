// Constant-time check of ML-KEM decapsulation (the ctgrind technique). Run under valgrind
// memcheck by ctest (src/crypto/CMakeLists.txt): the secret parts of the decapsulation key (the
// NTT-domain secret vector ŝ and the rejection seed z) are marked undefined, so any branch or
// memory index that depends on them is reported as a use of uninitialised data and the test
// fails. Both a genuine and a rejected ciphertext are decapsulated, for every parameter set.
// ctest runs it on both arithmetic paths (VIGIL_PQ_PORTABLE, pq/vector_path.h).
// Public inputs (ek, H(ek), the ciphertext) stay defined: the matrix Â is sampled from the public
// ρ by rejection, which FIPS 203 permits to take variable time.
#include <valgrind/memcheck.h>

#include <cstdio>
#include <cstring>

#include "pq/vector_path.h"
#include "vigil/crypto/pq/ml_kem.h"

namespace crypto = vigil::crypto;
namespace pq = vigil::crypto::pq;

// With --leak-control the harness branches on a secret byte on purpose: memcheck must report
// it (ctest expects that run to fail), which shows the check can fail at all.
int main(int argc, char** argv) {
  const bool leak_control = argc > 1 && std::strcmp(argv[1], "--leak-control") == 0;
  const crypto::AlgorithmId algs[] = {crypto::AlgorithmId::kMlKem512,
                                      crypto::AlgorithmId::kMlKem768,
                                      crypto::AlgorithmId::kMlKem1024};
  int checked = 0;
  for (crypto::AlgorithmId alg : algs) {
    crypto::SecretBytes seed(64);
    for (size_t i = 0; i < 64; ++i) seed.MutableReveal()[i] = static_cast<uint8_t>(i * 7 + 1);
    auto key = pq::MlKemPrivateKey::FromSeed(alg, seed);
    if (!key) return 2;
    uint8_t m[32] = {1, 2, 3};
    auto enc = key->PublicKey().EncapsulateDeterministic({m, 32});
    if (!enc) return 2;
    vigil::Bytes bad = enc->ciphertext;
    bad[0] ^= 1;
    const size_t k = pq::MlKemPublicKeySize(alg) / 384;
    // Re-parse so the key object owns a buffer we can poison.
    auto secret = pq::MlKemPrivateKey::ParseExpanded(alg, key->ExpandedKey());
    if (!secret) return 2;
    auto dk = const_cast<crypto::SecretBytes&>(secret->ExpandedKey()).MutableReveal();
    VALGRIND_MAKE_MEM_UNDEFINED(dk.data(), 384 * k);            // ŝ
    VALGRIND_MAKE_MEM_UNDEFINED(dk.data() + 768 * k + 64, 32);  // z
    if (leak_control && dk[3] == 0x42) std::printf("secret-dependent branch taken\n");
    for (const vigil::Bytes* c : {&enc->ciphertext, &bad}) {
      auto shared = secret->Decapsulate(*c);
      if (!shared) return 2;
      auto out = const_cast<crypto::SecretBytes&>(*shared).MutableReveal();
      VALGRIND_MAKE_MEM_DEFINED(out.data(), out.size());  // declassify the output only
      ++checked;
    }
  }
  std::printf(
      "ml-kem decapsulation (%s arithmetic): %d secret-key runs checked for "
      "secret-dependent branches\n",
      vigil::crypto::pq::internal::UseAvx2() ? "AVX2" : "portable", checked);
  return 0;
}
