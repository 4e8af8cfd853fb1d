// ML-KEM against the Botan-distributed NIST KAT and ACVP files and the CCTV edge-case vectors.
//   ml_kem.vec: NIST PQC KAT seeds expanded with the AES-256 CTR_DRBG; keys and long values are
//     stored as SHAKE-256/128-bit digests; CT_N/SS_N check implicit rejection.
//   ml_kem_acvp_keygen.vec / _encap.vec: ACVP (d, z) → keys, (ek, m) → (c, K).
//   CCTV strcmp/ (decaps where a strcmp-based comparison would fail), unluckysample/ (SampleNTT
//   needing > 575 XOF bytes; key generation there follows the FIPS 203 draft, so the given ek/dk
//   are used), modulus/ (every non-reduced coefficient value at every position).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "pq/keccak.h"
#include "testing/nist_drbg.h"
#include "testing/vec_file.h"
#include "vigil/core/encoding.h"
#include "vigil/crypto/pq/ml_kem.h"

namespace vigil::crypto::pq {
namespace {

using testing::ReadVecFile;
using testing::VecRecord;

Bytes Digest16(ByteView b) {
  Bytes out(16);
  internal::Shake256(b, out);
  return out;
}
Bytes Reveal(const SecretBytes& s) { return Bytes(s.Reveal().begin(), s.Reveal().end()); }

AlgorithmId AlgOf(const std::string& section) {
  if (section == "ML-KEM-512") return AlgorithmId::kMlKem512;
  if (section == "ML-KEM-768") return AlgorithmId::kMlKem768;
  return AlgorithmId::kMlKem1024;
}

TEST(MlKemKat, NistKatThroughDrbg) {
  int n = 0;
  for (const VecRecord& r : ReadVecFile("ml_kem.vec")) {
    const AlgorithmId alg = AlgOf(r.section);
    testing::NistKatDrbg drbg(r.Hex("Seed"));
    // The KAT harness draws z first, then d, then m (one DRBG call each).
    Bytes z = drbg.Generate(32);
    Bytes d = drbg.Generate(32);
    Bytes m = drbg.Generate(32);
    Append(d, z);
    SecretBytes dz = SecretBytes::CopyFrom(d);
    auto key = MlKemPrivateKey::FromSeed(alg, dz);
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(Digest16(key->PublicKey().Encode()), r.Hex("PK")) << "line " << r.line;
    EXPECT_EQ(Digest16(dz.Reveal()), r.Hex("SK")) << "line " << r.line;
    auto enc = key->PublicKey().EncapsulateDeterministic(m);
    ASSERT_TRUE(enc.has_value());
    EXPECT_EQ(Digest16(enc->ciphertext), r.Hex("CT")) << "line " << r.line;
    EXPECT_EQ(Reveal(enc->shared_secret), r.Hex("SS")) << "line " << r.line;
    auto ss = key->Decapsulate(enc->ciphertext);
    ASSERT_TRUE(ss.has_value());
    EXPECT_EQ(Reveal(*ss), r.Hex("SS"));
    auto rejected = key->Decapsulate(r.Hex("CT_N"));
    ASSERT_TRUE(rejected.has_value());
    EXPECT_EQ(Reveal(*rejected), r.Hex("SS_N")) << "implicit rejection, line " << r.line;
    ++n;
  }
  std::printf("ml_kem.vec: %d cases\n", n);
  EXPECT_GT(n, 0);
}

TEST(MlKemKat, AcvpKeyGen) {
  int n = 0;
  for (const VecRecord& r : ReadVecFile("ml_kem_acvp_keygen.vec")) {
    Bytes dz = r.Hex("D");
    Append(dz, r.Hex("Z"));
    auto key = MlKemPrivateKey::FromSeed(AlgOf(r.section), SecretBytes::CopyFrom(dz));
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(Digest16(key->PublicKey().Encode()), r.Hex("EK")) << "line " << r.line;
    EXPECT_EQ(Digest16(dz), r.Hex("DK")) << "line " << r.line;
    ++n;
  }
  std::printf("ml_kem_acvp_keygen.vec: %d cases\n", n);
  EXPECT_GT(n, 0);
}

TEST(MlKemKat, AcvpEncap) {
  int n = 0;
  for (const VecRecord& r : ReadVecFile("ml_kem_acvp_encap.vec")) {
    auto ek = MlKemPublicKey::Parse(AlgOf(r.section), r.Hex("EK"));
    ASSERT_TRUE(ek.has_value()) << "line " << r.line << ": " << ek.error().message();
    auto enc = ek->EncapsulateDeterministic(r.Hex("M"));
    ASSERT_TRUE(enc.has_value());
    EXPECT_EQ(Reveal(enc->shared_secret), r.Hex("K")) << "line " << r.line;
    EXPECT_EQ(Digest16(enc->ciphertext), r.Hex("C")) << "line " << r.line;
    ++n;
  }
  std::printf("ml_kem_acvp_encap.vec: %d cases\n", n);
  EXPECT_GT(n, 0);
}

// "key = hex" lines of a CCTV text file.
std::map<std::string, Bytes> ReadKeyValues(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::map<std::string, Bytes> kv;
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find(" = ");
    if (eq != std::string::npos) kv[line.substr(0, eq)] = *HexDecode(line.substr(eq + 3));
  }
  return kv;
}

const std::pair<AlgorithmId, const char*> kSets[] = {{AlgorithmId::kMlKem512, "ML-KEM-512"},
                                                     {AlgorithmId::kMlKem768, "ML-KEM-768"},
                                                     {AlgorithmId::kMlKem1024, "ML-KEM-1024"}};
const std::string kCctv = std::string(VIGIL_DATA_DIR) + "/crypto/cctv/ML-KEM/";

TEST(MlKemCctv, StrcmpVectors) {
  for (const auto& [alg, name] : kSets) {
    auto kv = ReadKeyValues(kCctv + "strcmp/" + name + ".txt");
    auto key = MlKemPrivateKey::ParseExpanded(alg, SecretBytes::CopyFrom(kv["dk"]));
    ASSERT_TRUE(key.has_value()) << name << ": " << key.error().message();
    auto k = key->Decapsulate(kv["c"]);
    ASSERT_TRUE(k.has_value());
    EXPECT_EQ(Reveal(*k), kv["K"]) << name;
  }
}

TEST(MlKemCctv, UnluckySampleVectors) {
  for (const auto& [alg, name] : kSets) {
    auto kv = ReadKeyValues(kCctv + "unluckysample/" + name + ".txt");
    auto ek = MlKemPublicKey::Parse(alg, kv["ek"]);
    ASSERT_TRUE(ek.has_value()) << name;
    auto enc = ek->EncapsulateDeterministic(kv["m"]);
    ASSERT_TRUE(enc.has_value());
    EXPECT_EQ(enc->ciphertext, kv["c"]) << name;
    EXPECT_EQ(Reveal(enc->shared_secret), kv["K"]) << name;
    auto key = MlKemPrivateKey::ParseExpanded(alg, SecretBytes::CopyFrom(kv["dk"]));
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(Reveal(*key->Decapsulate(kv["c"])), kv["K"]) << name;
  }
}

TEST(MlKemCctv, ModulusCheckRejectsEveryUnreducedKey) {
  for (const auto& [alg, name] : kSets) {
    const std::string cmd = "zcat " + kCctv + "modulus/" + name + ".txt.gz";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    int n = 0;
    std::string line;
    int c = 0;
    while ((c = fgetc(p)) != EOF) {
      if (c != '\n') { line.push_back(static_cast<char>(c)); continue; }
      auto ek = MlKemPublicKey::Parse(alg, *HexDecode(line));
      EXPECT_FALSE(ek.has_value()) << name << " line " << n + 1 << ": accepted";
      if (!ek) {
        EXPECT_NE(ek.error().message().find("modulus check"), std::string::npos);
      }
      line.clear();
      ++n;
    }
    EXPECT_EQ(pclose(p), 0);
    std::printf("cctv modulus %s: %d invalid keys rejected\n", name, n);
    EXPECT_GT(n, 0);
  }
}

}  // namespace
}  // namespace vigil::crypto::pq
