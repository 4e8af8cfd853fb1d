// ML-DSA (FIPS 204): every Wycheproof mldsa_* file (key generation from seed, signing from
// seed and from expanded keys, deterministic and randomized, external μ, verification incl.
// hint-encoding and norm violations). The CCTV accumulated test is ml_dsa_accumulated_test.cc.
#include <gtest/gtest.h>

#include "pq/keccak.h"
#include "pq/ml_dsa_internal.h"
#include "testing/wycheproof.h"
#include "vigil/core/encoding.h"

namespace vigil::crypto::pq::internal {
namespace {

using testing::ForEachWycheproofCase;
using testing::WycheproofCase;

struct Set {
  AlgorithmId alg;
  const char* file;
};
const Set kSets[] = {
    {AlgorithmId::kMlDsa44, "44"}, {AlgorithmId::kMlDsa65, "65"}, {AlgorithmId::kMlDsa87, "87"}};

class MlDsaTest : public ::testing::TestWithParam<Set> {};

// μ for a case: the `mu` field, or computed from msg/ctx (empty Result when ctx is invalid).
Result<Bytes> MuOf(const WycheproofCase& c, ByteView pk) {
  if (c.test.contains("msg")) {
    Bytes ctx = c.test.contains("ctx") ? c.Hex("ctx") : Bytes{};
    VIGIL_ASSIGN_OR_RETURN(Bytes m_prime, MlDsaMessagePrime(c.Hex("msg"), ctx));
    Bytes mu = MlDsaMu(pk, m_prime);
    if (c.test.contains("mu")) {
      EXPECT_EQ(mu, c.Hex("mu")) << c.Describe() << ": computed mu";
    }
    return mu;
  }
  return c.Hex("mu");
}

void CheckSign(const WycheproofCase& c, AlgorithmId alg, ByteView pk, ByteView sk) {
  auto mu = MuOf(c, pk);
  if (!mu) {
    EXPECT_TRUE(c.invalid()) << c.Describe() << ": " << mu.error().message();
    return;
  }
  Bytes rnd = c.test.contains("rnd") ? c.Hex("rnd") : Bytes(32, 0);
  auto sig = MlDsaSignMu(alg, sk, *mu, rnd);
  if (c.invalid()) {
    EXPECT_FALSE(sig.has_value()) << c.Describe() << ": signed";
    return;
  }
  ASSERT_TRUE(sig.has_value()) << c.Describe() << ": " << sig.error().message();
  EXPECT_EQ(*sig, c.Hex("sig")) << c.Describe();
  EXPECT_TRUE(MlDsaVerifyMu(alg, pk, *mu, *sig)) << c.Describe() << ": own signature";
}

TEST_P(MlDsaTest, WycheproofSignFromSeed) {
  const Set& set = GetParam();
  ForEachWycheproofCase(
      std::string("mldsa_") + set.file + "_sign_seed_test.json", [&](const WycheproofCase& c) {
        Bytes pk;
        SecretBytes sk;
        Status s = MlDsaKeyGen(set.alg, c.GroupHex("privateSeed"), pk, sk);
        if (!s) {
          EXPECT_TRUE(c.invalid()) << c.Describe() << ": " << s.error().message();
          return;
        }
        if (c.group.contains("publicKey") && !c.group["publicKey"].get<std::string>().empty()) {
          EXPECT_EQ(pk, c.GroupHex("publicKey")) << c.Describe() << ": public key from seed";
        }
        CheckSign(c, set.alg, pk, sk.Reveal());
      });
}

TEST_P(MlDsaTest, WycheproofSignFromExpandedKey) {
  const Set& set = GetParam();
  ForEachWycheproofCase(
      std::string("mldsa_") + set.file + "_sign_noseed_test.json", [&](const WycheproofCase& c) {
        Bytes sk = c.GroupHex("privateKey");
        // Groups with a malformed private key carry no public key.
        Bytes pk = c.group["publicKey"].is_string() ? c.GroupHex("publicKey") : Bytes{};
        Status s = MlDsaCheckPrivateKey(set.alg, sk);
        if (!s) {
          EXPECT_TRUE(c.invalid()) << c.Describe() << ": " << s.error().message();
          return;
        }
        CheckSign(c, set.alg, pk, sk);
      });
}

TEST_P(MlDsaTest, WycheproofVerify) {
  const Set& set = GetParam();
  ForEachWycheproofCase(std::string("mldsa_") + set.file + "_verify_test.json",
                        [&](const WycheproofCase& c) {
                          Bytes pk = c.GroupHex("publicKey");
                          Bytes ctx = c.test.contains("ctx") ? c.Hex("ctx") : Bytes{};
                          auto m_prime = MlDsaMessagePrime(c.Hex("msg"), ctx);
                          bool ok = m_prime && pk.size() == MlDsaPublicKeySize(set.alg) &&
                                    MlDsaVerifyMu(set.alg, pk, MlDsaMu(pk, *m_prime), c.Hex("sig"));
                          EXPECT_EQ(ok, c.valid()) << c.Describe();
                        });
}

INSTANTIATE_TEST_SUITE_P(AllParameterSets, MlDsaTest, ::testing::ValuesIn(kSets),
                         [](const ::testing::TestParamInfo<Set>& p) {
                           return std::string("ML_DSA_") + p.param.file;
                         });

}  // namespace
}  // namespace vigil::crypto::pq::internal
