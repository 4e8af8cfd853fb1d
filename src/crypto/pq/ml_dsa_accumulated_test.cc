// ML-DSA CCTV accumulated test (../shared/data/crypto/cctv/ML-DSA/accumulated/README.md, final
// FIPS 204): 100 and the full 10,000 iterations per parameter set reproduce the README hashes.
#include <gtest/gtest.h>

#include "pq/keccak.h"
#include "pq/ml_dsa_internal.h"
#include "vigil/core/encoding.h"

namespace vigil::crypto::pq::internal {
namespace {

struct Set {
  AlgorithmId alg;
  const char* file;
  const char* acc100;
  const char* acc10000;
};
// The hashes as printed in the CCTV README.
const Set kSets[] = {
    {AlgorithmId::kMlDsa44, "44",
     "d51148e1f9f4fa1a723a6cf42e25f2a99eb5c1b378b3d2dbbd561b1203beeae4",
     "e7fd21f6a59bcba60d65adc44404bb29a7c00e5d8d3ec06a732c00a306a7d143"},
    {AlgorithmId::kMlDsa65, "65",
     "8358a1843220194417cadbc2651295cd8fc65125b5a5c1a239a16dc8b57ca199",
     "5ff5e196f0b830c3b10a9eb5358e7c98a3a20136cb677f3ae3b90175c3ace329"},
    {AlgorithmId::kMlDsa87, "87",
     "8c3ad714777622b8f21ce31bb35f71394f23bc0fcf3c78ace5d608990f3b061b",
     "80a8cf39317f7d0be0e24972c51ac152bd2a3e09bc0c32ce29dd82c4e7385e60"},
};

class MlDsaAccumulated : public ::testing::TestWithParam<Set> {};

// CCTV accumulated: seeds from SHAKE-128, public key and deterministic signature of the empty
// message (empty context) written to a second SHAKE-128.
std::string Accumulate(AlgorithmId alg, int iterations) {
  Sponge seeds = Sponge::Shake128();
  Sponge acc = Sponge::Shake128();
  auto m_prime = MlDsaMessagePrime({}, {});
  for (int i = 0; i < iterations; ++i) {
    uint8_t seed[32];
    seeds.Squeeze(seed);
    Bytes pk;
    SecretBytes sk;
    EXPECT_TRUE(MlDsaKeyGen(alg, {seed, 32}, pk, sk).has_value());
    Bytes mu = MlDsaMu(pk, *m_prime);
    auto sig = MlDsaSignMu(alg, sk.Reveal(), mu, Bytes(32, 0));
    EXPECT_TRUE(sig.has_value());
    EXPECT_TRUE(MlDsaVerifyMu(alg, pk, mu, *sig)) << "iteration " << i;
    acc.Absorb(pk);
    acc.Absorb(*sig);
  }
  uint8_t out[32];
  acc.Squeeze(out);
  return HexEncode({out, 32});
}

TEST_P(MlDsaAccumulated, Cctv) {
  const Set& set = GetParam();
  EXPECT_EQ(Accumulate(set.alg, 100), set.acc100);
  EXPECT_EQ(Accumulate(set.alg, 10000), set.acc10000);
  std::printf("ML-DSA-%s accumulated: 100 and 10000 iterations\n", set.file);
}

INSTANTIATE_TEST_SUITE_P(AllParameterSets, MlDsaAccumulated, ::testing::ValuesIn(kSets),
                         [](const ::testing::TestParamInfo<Set>& p) {
                           return std::string("ML_DSA_") + p.param.file;
                         });

}  // namespace
}  // namespace vigil::crypto::pq::internal
