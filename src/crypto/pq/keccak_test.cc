// Our Keccak sponges against OpenSSL's SHA3/SHAKE on many lengths and squeeze patterns.
#include "pq/keccak.h"

#include <gtest/gtest.h>

#include <random>

#include "vigil/crypto/hash.h"

namespace vigil::crypto::pq::internal {
namespace {

TEST(Keccak, MatchesOpensslForManyLengths) {
  std::mt19937 rng(7);
  int n = 0;
  for (size_t len = 0; len < 600; len += 1 + len / 8) {
    Bytes in(len);
    for (auto& b : in) b = static_cast<uint8_t>(rng());
    uint8_t h[32];
    Sha3_256(in, h);
    EXPECT_EQ(Bytes(h, h + 32), *Digest(AlgorithmId::kSha3_256, in)) << len;
    for (size_t out_len : {1u, 32u, 167u, 168u, 169u, 500u}) {
      Bytes ours(out_len);
      Shake256(in, ours);
      EXPECT_EQ(ours, *Shake(AlgorithmId::kShake256, in, out_len)) << len << "/" << out_len;
      // SHAKE128 squeezed in uneven pieces equals one long squeeze.
      Sponge s = Sponge::Shake128();
      s.Absorb(ByteView(in).first(len / 2));
      s.Absorb(ByteView(in).subspan(len / 2));
      Bytes pieces(out_len);
      for (size_t off = 0; off < out_len;) {
        size_t step = std::min<size_t>(out_len - off, 1 + rng() % 70);
        s.Squeeze({pieces.data() + off, step});
        off += step;
      }
      EXPECT_EQ(pieces, *Shake(AlgorithmId::kShake128, in, out_len)) << len << "/" << out_len;
      ++n;
    }
  }
  std::printf("keccak: %d length/output combinations checked against OpenSSL\n", n);
}

}  // namespace
}  // namespace vigil::crypto::pq::internal
