// Known answers for the hash functions (FIPS 180-4 and FIPS 202 examples; no Wycheproof file
// covers plain hashing).
#include "vigil/crypto/hash.h"

#include <gtest/gtest.h>

#include "vigil/core/encoding.h"

namespace vigil::crypto {
namespace {

std::string Hex(const Result<Bytes>& r) { return r ? HexEncode(*r) : r.error().ToString(); }

TEST(Hash, Fips180And202Examples) {
  const std::string million(1'000'000, 'a');
  EXPECT_EQ(HexEncode(Sha256(ToBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256(ByteView{})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256(AsBytes(million))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(Hex(Digest(AlgorithmId::kSha384, ToBytes("abc"))),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(Hex(Digest(AlgorithmId::kSha512, ToBytes("abc"))),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(Hex(Digest(AlgorithmId::kSha3_256, ToBytes("abc"))),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  EXPECT_EQ(Hex(Digest(AlgorithmId::kSha3_256, AsBytes(million))),
            "5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1");
  EXPECT_EQ(Hex(Shake(AlgorithmId::kShake128, {}, 32)),
            "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
  EXPECT_EQ(Hex(Shake(AlgorithmId::kShake256, {}, 64)),
            "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f"
            "d75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be");
}

TEST(Hash, IncrementalEqualsOneShot) {
  for (AlgorithmId alg : {AlgorithmId::kSha256, AlgorithmId::kSha384, AlgorithmId::kSha512,
                          AlgorithmId::kSha3_256}) {
    auto h = Hasher::Create(alg);
    ASSERT_TRUE(h.has_value());
    std::string data(1000, 'q');
    for (size_t i = 0; i < data.size(); i += 7) h->Update(AsBytes(data).subspan(i, std::min<size_t>(7, data.size() - i)));
    EXPECT_EQ(h->Finish(), *Digest(alg, AsBytes(data)));
    EXPECT_EQ(h->Finish(), *Digest(alg, {})) << "Finish resets";
  }
  EXPECT_EQ(Sha256({AsBytes("ab"), AsBytes("c")}), Sha256(AsBytes("abc")));
  EXPECT_FALSE(Hasher::Create(AlgorithmId::kShake128).has_value());
  EXPECT_FALSE(Digest(AlgorithmId::kEd25519, {}).has_value());
  EXPECT_FALSE(Shake(AlgorithmId::kSha256, {}, 8).has_value());
}

}  // namespace
}  // namespace vigil::crypto
