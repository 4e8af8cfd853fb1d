// Constant-time check of ML-DSA key generation and signing (ctgrind technique, run under
// valgrind by ctest). Key generation runs from a secret seed ξ. For signing, the
// private key's secret parts — K, s1, s2, t0 — are marked undefined; memcheck reports any
// branch or memory index on them. The only values made public are those FIPS 204 lets leak:
// whether a candidate is rejected, and the final signature (see ct_declassify.h). The matrix Â
// comes from the public ρ and tr is public. ctest runs it on both arithmetic paths
// (VIGIL_PQ_PORTABLE, pq/vector_path.h).
#include <valgrind/memcheck.h>

#include <cstdio>
#include <cstring>

#include "pq/ml_dsa_internal.h"
#include "pq/vector_path.h"

namespace crypto = vigil::crypto;
namespace internal = vigil::crypto::pq::internal;

int main(int argc, char** argv) {
  const bool leak_control = argc > 1 && std::strcmp(argv[1], "--leak-control") == 0;
  const crypto::AlgorithmId algs[] = {crypto::AlgorithmId::kMlDsa44, crypto::AlgorithmId::kMlDsa65,
                                      crypto::AlgorithmId::kMlDsa87};
  int signatures = 0, keys = 0;
  for (crypto::AlgorithmId alg : algs) {
    uint8_t seed[32];
    for (int i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(3 * i + 11);
    vigil::Bytes pk;
    crypto::SecretBytes sk;
    // Key generation from a secret seed ξ: only ρ and t1 (the public key) and which half-bytes
    // the bounded sampler rejected are made public inside.
    VALGRIND_MAKE_MEM_UNDEFINED(seed, sizeof seed);
    if (!internal::MlDsaKeyGen(alg, {seed, 32}, pk, sk).has_value()) return 2;
    VALGRIND_MAKE_MEM_DEFINED(seed, sizeof seed);
    VALGRIND_MAKE_MEM_DEFINED(pk.data(), pk.size());
    VALGRIND_MAKE_MEM_DEFINED(sk.MutableReveal().data(), sk.size());
    ++keys;
    auto m_prime = internal::MlDsaMessagePrime(vigil::AsBytes("dose 12 ml/h"), {});
    vigil::Bytes mu = internal::MlDsaMu(pk, *m_prime);
    auto secret = sk.MutableReveal();
    VALGRIND_MAKE_MEM_UNDEFINED(secret.data() + 32, 32);                    // K
    VALGRIND_MAKE_MEM_UNDEFINED(secret.data() + 128, secret.size() - 128);  // s1, s2, t0
    if (leak_control && secret[140] == 0x42) std::printf("secret-dependent branch taken\n");
    for (int r = 0; r < 3; ++r) {
      uint8_t rnd[32] = {static_cast<uint8_t>(r)};
      auto sig = internal::MlDsaSignMu(alg, sk.Reveal(), mu, {rnd, 32});
      if (!sig) return 2;
      VALGRIND_MAKE_MEM_DEFINED(secret.data(), secret.size());
      if (!internal::MlDsaVerifyMu(alg, pk, mu, *sig)) return 3;
      VALGRIND_MAKE_MEM_UNDEFINED(secret.data() + 32, 32);
      VALGRIND_MAKE_MEM_UNDEFINED(secret.data() + 128, secret.size() - 128);
      ++signatures;
    }
  }
  std::printf(
      "ml-dsa key generation and signing (%s arithmetic): %d keys and %d signatures checked "
      "for secret-dependent branches\n",
      internal::UseAvx2() ? "AVX2" : "portable", keys, signatures);
  return 0;
}
