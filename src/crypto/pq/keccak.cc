#include "crypto/pq/keccak.h"

namespace vigil::crypto::pq::internal {
namespace {

constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

// ρ offsets and π positions, in the order lanes are visited by the combined ρπ step.
constexpr int kRho[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14,
                          27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};
constexpr int kPi[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4,
                         15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};

inline uint64_t Rotl(uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

}  // namespace

void KeccakF1600(std::array<uint64_t, 25>& a) {
  for (uint64_t rc : kRoundConstants) {
    uint64_t c[5];
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (int x = 0; x < 5; ++x) {
      uint64_t d = c[(x + 4) % 5] ^ Rotl(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
    }
    uint64_t t = a[1];
    for (int i = 0; i < 24; ++i) {
      uint64_t next = a[kPi[i]];
      a[kPi[i]] = Rotl(t, kRho[i]);
      t = next;
    }
    for (int y = 0; y < 25; y += 5) {
      uint64_t row[5];
      for (int x = 0; x < 5; ++x) row[x] = a[y + x];
      for (int x = 0; x < 5; ++x) a[y + x] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5]);
    }
    a[0] ^= rc;
  }
}

void Sponge::Absorb(ByteView data) {
  for (uint8_t b : data) {
    state_[pos_ / 8] ^= uint64_t{b} << (8 * (pos_ % 8));
    if (++pos_ == rate_) {
      KeccakF1600(state_);
      pos_ = 0;
    }
  }
}

void Sponge::Finish() {
  state_[pos_ / 8] ^= uint64_t{domain_} << (8 * (pos_ % 8));
  state_[(rate_ - 1) / 8] ^= uint64_t{0x80} << (8 * ((rate_ - 1) % 8));
  KeccakF1600(state_);
  pos_ = 0;
  squeezing_ = true;
}

void Sponge::Squeeze(std::span<uint8_t> out) {
  if (!squeezing_) Finish();
  for (uint8_t& b : out) {
    if (pos_ == rate_) {
      KeccakF1600(state_);
      pos_ = 0;
    }
    b = static_cast<uint8_t>(state_[pos_ / 8] >> (8 * (pos_ % 8)));
    ++pos_;
  }
}

void Sha3_256(ByteView in, uint8_t out[32]) {
  Sponge s = Sponge::Sha3_256();
  s.Absorb(in);
  s.Squeeze({out, 32});
}

void Sha3_512(ByteView in, uint8_t out[64]) {
  Sponge s = Sponge::Sha3_512();
  s.Absorb(in);
  s.Squeeze({out, 64});
}

void Shake256(ByteView in, std::span<uint8_t> out) {
  Sponge s = Sponge::Shake256();
  s.Absorb(in);
  s.Squeeze(out);
}

}  // namespace vigil::crypto::pq::internal
