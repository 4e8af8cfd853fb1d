// ML-KEM (FIPS 203): Wycheproof (keygen from seed, encapsulation with modulus checks,
// decapsulation incl. invalid keys), the final-FIPS 203 accumulated test (10,000 iterations per
// parameter set), and API-level checks.
#include "vigil/crypto/pq/ml_kem.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "pq/keccak.h"
#include "testing/wycheproof.h"
#include "vigil/core/encoding.h"

namespace vigil::crypto::pq {
namespace {

using testing::ForEachWycheproofCase;
using testing::WycheproofCase;

struct Set {
  AlgorithmId alg;
  const char* name;
  const char* file;
};
const Set kSets[] = {{AlgorithmId::kMlKem512, "ML-KEM-512", "512"},
                     {AlgorithmId::kMlKem768, "ML-KEM-768", "768"},
                     {AlgorithmId::kMlKem1024, "ML-KEM-1024", "1024"}};

Bytes Reveal(const SecretBytes& s) { return Bytes(s.Reveal().begin(), s.Reveal().end()); }

class MlKemTest : public ::testing::TestWithParam<Set> {};

// Seed → (ek, dk); then decapsulate c and expect K. Invalid cases have malformed seeds or
// ciphertexts and must be refused.
TEST_P(MlKemTest, WycheproofCombined) {
  const Set& set = GetParam();
  ForEachWycheproofCase(std::string("mlkem_") + set.file + "_test.json", [&](const WycheproofCase& c) {
    auto key = MlKemPrivateKey::FromSeed(set.alg, SecretBytes::CopyFrom(c.Hex("seed")));
    if (!key) {
      EXPECT_TRUE(c.invalid()) << c.Describe() << ": " << key.error().message();
      return;
    }
    if (c.test.contains("ek") && !c.test["ek"].get<std::string>().empty()) {
      EXPECT_EQ(key->PublicKey().Encode(), c.Hex("ek")) << c.Describe();
    }
    auto k = key->Decapsulate(c.Hex("c"));
    if (c.valid()) {
      ASSERT_TRUE(k.has_value()) << c.Describe() << ": " << k.error().message();
      EXPECT_EQ(Reveal(*k), c.Hex("K")) << c.Describe();
    } else {
      EXPECT_FALSE(k.has_value() && Reveal(*k) == c.Hex("K")) << c.Describe() << ": accepted";
      EXPECT_FALSE(k.has_value()) << c.Describe() << ": accepted";
    }
  });
}

TEST_P(MlKemTest, WycheproofKeygenFromSeed) {
  const Set& set = GetParam();
  ForEachWycheproofCase(std::string("mlkem_") + set.file + "_keygen_seed_test.json",
                        [&](const WycheproofCase& c) {
    auto key = MlKemPrivateKey::FromSeed(set.alg, SecretBytes::CopyFrom(c.Hex("seed")));
    ASSERT_EQ(key.has_value(), c.valid()) << c.Describe();
    if (!key) return;
    EXPECT_EQ(key->PublicKey().Encode(), c.Hex("ek")) << c.Describe();
    EXPECT_EQ(Reveal(key->ExpandedKey()), c.Hex("dk")) << c.Describe();
  });
}

TEST_P(MlKemTest, WycheproofEncapsulation) {
  const Set& set = GetParam();
  ForEachWycheproofCase(std::string("mlkem_") + set.file + "_encaps_test.json",
                        [&](const WycheproofCase& c) {
    auto ek = MlKemPublicKey::Parse(set.alg, c.Hex("ek"));
    if (!ek) {
      EXPECT_TRUE(c.invalid()) << c.Describe() << ": " << ek.error().message();
      return;
    }
    auto enc = ek->EncapsulateDeterministic(c.Hex("m"));
    if (c.valid()) {
      ASSERT_TRUE(enc.has_value()) << c.Describe();
      EXPECT_EQ(enc->ciphertext, c.Hex("c")) << c.Describe();
      EXPECT_EQ(Reveal(enc->shared_secret), c.Hex("K")) << c.Describe();
    } else {
      EXPECT_FALSE(enc.has_value()) << c.Describe() << ": accepted";
    }
  });
}

TEST_P(MlKemTest, WycheproofSemiExpandedDecapsulation) {
  const Set& set = GetParam();
  ForEachWycheproofCase(std::string("mlkem_") + set.file + "_semi_expanded_decaps_test.json",
                        [&](const WycheproofCase& c) {
    auto key = MlKemPrivateKey::ParseExpanded(set.alg, SecretBytes::CopyFrom(c.Hex("dk")));
    if (!key) {
      EXPECT_TRUE(c.invalid()) << c.Describe() << ": " << key.error().message();
      return;
    }
    auto k = key->Decapsulate(c.Hex("c"));
    if (c.valid()) {
      ASSERT_TRUE(k.has_value()) << c.Describe() << ": " << k.error().message();
      EXPECT_EQ(Reveal(*k), c.Hex("K")) << c.Describe();
    } else {
      EXPECT_FALSE(k.has_value()) << c.Describe() << ": accepted";
    }
  });
}

// The CCTV accumulated procedure under final FIPS 203 (../shared/data/crypto/
// mlkem-accumulated-fips203.json): 10,000 deterministic key pairs, encapsulations and
// decapsulations (valid and random ciphertexts), hashed into one SHAKE-128 digest.
TEST_P(MlKemTest, AccumulatedFips203) {
  const Set& set = GetParam();
  std::ifstream in(std::string(VIGIL_DATA_DIR) + "/crypto/mlkem-accumulated-fips203.json");
  ASSERT_TRUE(in.good());
  nlohmann::json expected = nlohmann::json::parse(in);
  const int iterations = expected["iterations"].get<int>();
  internal::Sponge rng = internal::Sponge::Shake128();
  internal::Sponge acc = internal::Sponge::Shake128();
  const size_t ct_len = MlKemCiphertextSize(set.alg);
  for (int i = 0; i < iterations; ++i) {
    SecretBytes dz(64);
    rng.Squeeze(dz.MutableReveal());
    uint8_t m[32];
    rng.Squeeze(m);
    Bytes bad_ct(ct_len);
    rng.Squeeze(bad_ct);
    auto key = MlKemPrivateKey::FromSeed(set.alg, dz);
    ASSERT_TRUE(key.has_value());
    MlKemPublicKey ek = key->PublicKey();
    auto enc = ek.EncapsulateDeterministic({m, 32});
    ASSERT_TRUE(enc.has_value());
    auto k = key->Decapsulate(enc->ciphertext);
    ASSERT_TRUE(k.has_value());
    ASSERT_TRUE(k->Equals(enc->shared_secret)) << "iteration " << i;
    auto rejected = key->Decapsulate(bad_ct);
    ASSERT_TRUE(rejected.has_value());
    acc.Absorb(ek.Encode());
    acc.Absorb(key->ExpandedKey().Reveal());
    acc.Absorb(enc->ciphertext);
    acc.Absorb(enc->shared_secret.Reveal());
    acc.Absorb(rejected->Reveal());
  }
  uint8_t digest[32];
  acc.Squeeze(digest);
  EXPECT_EQ(HexEncode({digest, 32}), expected["sha"][set.name].get<std::string>());
  std::printf("%s accumulated: %d iterations\n", set.name, iterations);
}

INSTANTIATE_TEST_SUITE_P(AllParameterSets, MlKemTest, ::testing::ValuesIn(kSets),
                         [](const ::testing::TestParamInfo<Set>& p) { return std::string("ML_KEM_") + p.param.file; });

TEST(MlKem, RoundTripWithOsRandomnessAndImplicitRejection) {
  for (const Set& set : kSets) {
    auto key = MlKemPrivateKey::Generate(set.alg, *Env::Default());
    ASSERT_TRUE(key.has_value());
    auto enc = key->PublicKey().Encapsulate(*Env::Default());
    ASSERT_TRUE(enc.has_value());
    EXPECT_EQ(enc->ciphertext.size(), MlKemCiphertextSize(set.alg));
    auto k = key->Decapsulate(enc->ciphertext);
    ASSERT_TRUE(k.has_value());
    EXPECT_TRUE(k->Equals(enc->shared_secret));
    Bytes tampered = enc->ciphertext;
    tampered[5] ^= 1;
    auto k2 = key->Decapsulate(tampered);
    ASSERT_TRUE(k2.has_value()) << "implicit rejection returns a key";
    EXPECT_FALSE(k2->Equals(enc->shared_secret));
    EXPECT_FALSE(key->Decapsulate(Bytes(tampered.size() - 1)).has_value());
  }
  EXPECT_FALSE(MlKemPrivateKey::FromSeed(AlgorithmId::kEd25519, SecretBytes(64)).has_value());
  EXPECT_FALSE(MlKemPrivateKey::FromSeed(AlgorithmId::kMlKem768, SecretBytes(63)).has_value());
}

}  // namespace
}  // namespace vigil::crypto::pq
