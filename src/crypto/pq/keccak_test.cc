// Our Keccak sponges against OpenSSL's SHA3/SHAKE on many lengths and squeeze patterns.
#include "pq/keccak.h"

#include <gtest/gtest.h>

#include <cstring>
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

// Each lane of the four-way SHAKE128 and SHAKE256 equals the one-lane sponge, for input
// lengths up to one block short of the rate and several blocks of output.
template <typename X4>
void CheckFourWayShake(Sponge (*one)(), std::mt19937& rng) {
  constexpr size_t kRate = X4::kRate;
  for (size_t len = 0; len < kRate; len += 1 + len / 4) {
    uint8_t in[4][kRate];
    const uint8_t* ins[4];
    for (size_t s = 0; s < 4; ++s) {
      for (auto& b : in[s]) b = static_cast<uint8_t>(rng());
      ins[s] = in[s];
    }
    X4 x4(ins, len);
    uint8_t out[4][3 * kRate];
    uint8_t* const outs[4] = {out[0], out[1], out[2], out[3]};
    x4.SqueezeBlocks(outs, 1);
    uint8_t* const rest[4] = {out[0] + kRate, out[1] + kRate, out[2] + kRate, out[3] + kRate};
    x4.SqueezeBlocks(rest, 2);
    for (size_t s = 0; s < 4; ++s) {
      Sponge sponge = one();
      sponge.Absorb({in[s], len});
      uint8_t expected[3 * kRate];
      sponge.Squeeze(expected);
      ASSERT_EQ(0, std::memcmp(expected, out[s], sizeof expected)) << kRate << "/" << len;
    }
  }
}

TEST(Keccak, FourWayShakeMatchesOneLane) {
  std::mt19937 rng(8);
  CheckFourWayShake<Shake128x4>(&Sponge::Shake128, rng);
  CheckFourWayShake<Shake256x4>(&Sponge::Shake256, rng);
}

TEST(Keccak, Shake256BatchEqualsOneAtATime) {
  // Batch sizes 1 to 9, output lengths differing within a batch (a group squeezes the longest),
  // inputs of one length (four-way) and of mixed lengths (one at a time).
  std::mt19937 rng(9);
  for (size_t n = 1; n <= 9; ++n) {
    for (bool mixed : {false, true}) {
      Bytes in[9], out[9];
      ByteView ins[9];
      std::span<uint8_t> outs[9];
      for (size_t i = 0; i < n; ++i) {
        in[i].resize(mixed ? 1 + i : 66);
        for (auto& b : in[i]) b = static_cast<uint8_t>(rng());
        out[i].resize(1 + rng() % 700);
        ins[i] = in[i];
        outs[i] = out[i];
      }
      Shake256Batch({ins, n}, {outs, n});
      for (size_t i = 0; i < n; ++i) {
        Bytes expected(out[i].size());
        Shake256(in[i], expected);
        ASSERT_EQ(out[i], expected) << n << "/" << i << (mixed ? " mixed" : "");
      }
    }
  }
}

}  // namespace
}  // namespace vigil::crypto::pq::internal
